import { type Dispatch, type StateUpdater, useEffect, useRef, useState } from 'preact/hooks';
import { Feed, liveEvent, type LiveConnection } from './live';
import { addComment, threadEvent } from './thread';
import { type Comment, type Question, type Queue, type Room, type RoomJoin } from './types';

export interface ModItem {
  seq: number;
  kind: 'report' | 'flag' | 'action';
  payload: Record<string, unknown>;
}

export interface RoomState {
  room: Room;
  presence: number;
  messages: Comment[];
  questions: Question[];
  queue: Queue;
  reactions: Record<string, number>;
  announcements: { body: string; at: number }[];
  pinned: Comment | null;
  moderator: boolean;
  /** The facilitators' shared feed: reports and flags to act on, and who did what. */
  modFeed: ModItem[];
  presenceDetail: { users: { id: string; displayName: string }[]; anonymous: number } | null;
  mutedUntil: string | null;
  banned: boolean;
}

export function fromJoin(join: RoomJoin, previous?: RoomState): RoomState {
  const ended = join.room.status === 'ended';
  return {
    room: join.room,
    presence: ended ? 0 : join.presence.count,
    messages: join.recent,
    questions: join.questions,
    queue: ended ? { speaker: null, waiting: [] } : join.queue,
    reactions: previous?.reactions ?? {},
    announcements: previous?.announcements ?? [],
    pinned: join.recent.find((c) => c.id === join.room.pinnedCommentId) ?? previous?.pinned ?? null,
    moderator: join.moderator,
    modFeed: previous?.modFeed ?? [],
    presenceDetail: previous?.presenceDetail ?? null,
    mutedUntil: previous?.mutedUntil ?? null,
    banned: false,
  };
}

const upsertQuestion = (list: Question[], q: Question): Question[] =>
  list.some((x) => x.id === q.id) ? list.map((x) => (x.id === q.id ? q : x)) : [...list, q];

/** One live or replayed room event applied to the page's state. */
export function roomEvent(
  s: RoomState,
  event: string,
  payload: Record<string, unknown>,
): RoomState {
  const e = liveEvent(event, payload);
  switch (e.event) {
    case 'comment:new':
      // A replayed message that is gone since comes without its comment: nothing to show.
      return e.payload.comment ? { ...s, messages: addComment(s.messages, e.payload.comment) } : s;
    case 'comment:hidden':
    case 'comment:restored':
    case 'room:agree':
      return { ...s, messages: threadEvent(s.messages, event, payload) };
    case 'comment:pinned':
      return { ...s, pinned: e.payload.comment };
    case 'comment:unpinned':
      return s.pinned?.id === e.payload.commentId ? { ...s, pinned: null } : s;
    case 'presence':
      return s.room.status === 'ended' ? s : { ...s, presence: e.payload.count };
    case 'presence:detail':
      return {
        ...s,
        presence: e.payload.count,
        presenceDetail: { users: e.payload.users, anonymous: e.payload.anonymous },
      };
    case 'reactions': {
      const reactions = { ...s.reactions };
      for (const [emoji, n] of Object.entries(e.payload.counts))
        reactions[emoji] = (reactions[emoji] ?? 0) + n;
      return { ...s, reactions };
    }
    case 'question:new':
    case 'question:update':
      return { ...s, questions: upsertQuestion(s.questions, e.payload.question) };
    case 'question:votes': {
      const { questionId, upvotes } = e.payload;
      return {
        ...s,
        questions: s.questions.map((q) => (q.id === questionId ? { ...q, upvotes } : q)),
      };
    }
    case 'queue:update':
      return { ...s, queue: { speaker: e.payload.speaker, waiting: e.payload.waiting } };
    case 'room:announce':
      return {
        ...s,
        announcements: [...s.announcements, { body: e.payload.body, at: Date.now() }].slice(-5),
      };
    case 'room:state': {
      const p = e.payload;
      return {
        ...s,
        room: {
          ...s.room,
          status: p.status ?? s.room.status,
          settings: p.settings ?? s.room.settings,
          locked: p.locked ?? s.room.locked,
          title: p.title ?? s.room.title,
        },
      };
    }
    case 'room:ended':
      // Nothing of the live session goes on: no floor, no queue, nobody "here".
      return {
        ...s,
        room: { ...s.room, status: 'ended' },
        queue: { speaker: null, waiting: [] },
        presence: 0,
      };
    case 'you:muted':
      return { ...s, mutedUntil: e.payload.until };
    case 'you:banned':
      return { ...s, banned: true };
    case 'you:unmuted':
      return { ...s, mutedUntil: null };
    case 'mod:report':
    case 'mod:flag':
    case 'mod:action':
      return {
        ...s,
        modFeed: [...s.modFeed, { seq: e.payload.seq, kind: modKind(e.event), payload }],
      };
    default:
      return s;
  }
}

const modKind = (event: 'mod:report' | 'mod:flag' | 'mod:action'): ModItem['kind'] =>
  event === 'mod:report' ? 'report' : event === 'mod:flag' ? 'flag' : 'action';

/**
 * One room kept live, for the room page, the console and the embed widget: `room:join`, then
 * every live or replayed event through `roomEvent`. After a reconnect the join replays what
 * was missed from the last applied seq; a reset join (too much missed) starts over from it.
 */
export function useRoomStream(
  conn: LiveConnection,
  id: string,
  onEvent?: (event: string, payload: Record<string, unknown>) => void,
): { state: RoomState | null; setState: Dispatch<StateUpdater<RoomState | null>>; error: unknown } {
  const [state, setState] = useState<RoomState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  useEffect(() => {
    setState(null);
    const feed = new Feed(conn, {
      join: 'room:join',
      id,
      onJoin: (join) =>
        setState((prev) => (join.reset || !prev ? fromJoin(join, prev ?? undefined) : prev)),
      onEvent: (event, payload) => {
        setState((prev) => (prev ? roomEvent(prev, event, payload) : prev));
        onEventRef.current?.(event, payload);
      },
      onError: setError,
    });
    return () => feed.close();
  }, [conn, id]);
  return { state, setState, error };
}
