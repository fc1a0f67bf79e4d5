import { Injectable } from '@nestjs/common';
import { GroupedBatchLoader } from '../core/database/batch-loader';
import { Problem } from '../core/http/problem';
import { type CommentView, toCommentView } from '../comments/comment.view';
import { CommentsService } from '../comments/comments.service';
import { EmbedService } from '../embed/embed.service';
import { type RoomEventRecord } from '../core/events/domain-events';
import { type LiveSocket, Rooms } from '../core/realtime/live-socket';
import { type JoinResult, type MissedRoomEvent } from '../protocol/live';
import { RoomMessagesRepository } from './chat/room-messages.repository';
import { PresenceService } from './presence.service';
import { QuestionsReader } from './qa/questions.read';
import { QueueReader } from './queue/queue.read';
import { RoomAccess } from './room-access.service';
import { RoomEventsRepository } from './room-events.repository';
import { toRoomView } from './room.view';

/** More missed events than this and the client is told to reload the room instead. */
export const MAX_ROOM_REPLAY = 500;
/** Chat messages included when joining. */
export const RECENT_MESSAGES = 50;

export type { JoinResult, MissedRoomEvent } from '../protocol/live';

/**
 * A stored room event as a viewer gets it now: its comment, if it has one, as it is today
 * (a message hidden since never shows its text).
 */
function replayed(
  row: RoomEventRecord,
  numbered: { roomId: string; seq: number },
  views: Map<string, CommentView>,
): MissedRoomEvent {
  if ('comment' in row.data) {
    const id = row.data.comment?.id;
    const comment = id ? (views.get(id) ?? null) : null;
    return { event: row.type, payload: { ...row.data, comment, ...numbered } } as MissedRoomEvent;
  }
  return { event: row.type, payload: { ...row.data, ...numbered } } as MissedRoomEvent;
}

/** The part of a join's answer that is the same for everyone joining with the same rights. */
type RoomSnapshot = Omit<JoinResult, 'presence' | 'moderator'>;

/** A join's view: who may see what, the replay's start, and whether `recent` may be left out. */
interface ViewKey {
  moderator: boolean;
  sinceSeq: number | undefined;
  lean: boolean;
}

const viewKey = ({ moderator, sinceSeq, lean }: ViewKey): string =>
  `${moderator ? 'mod' : 'all'}:${sinceSeq ?? ''}:${lean && sinceSeq !== undefined ? 'lean' : ''}`;

function parseViewKey(key: string): ViewKey {
  const [who, since, lean] = key.split(':');
  return { moderator: who === 'mod', sinceSeq: since ? Number(since) : undefined, lean: !!lean };
}

/** `read` once per distinct key, in parallel. */
async function perKey<K, V>(keys: K[], read: (key: K) => Promise<V>): Promise<Map<K, V>> {
  const distinct = [...new Set(keys)];
  const values = await Promise.all(distinct.map(read));
  return new Map(distinct.map((key, i) => [key, values[i]!]));
}

/** A room deleted (with its topic or space) between the entry and the read: "not found". */
function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof Problem && error.status === 404) return undefined;
  throw error;
}

/**
 * `room:join` and `room:leave`. The socket joins the room (and the facilitators' channel when
 * it may) before the replay is read, so nothing falls between the replay and live delivery;
 * clients drop any `seq` they already applied. What is replayed is filtered as the viewer may
 * see it now: facilitator-only events only to facilitators, hidden comments without text.
 */
@Injectable()
export class RoomJoinService {
  /**
   * What a join answers, read once for all the sockets that join a room in the same turn of
   * the event loop with the same rights and `sinceSeq` (after a node restarts, thousands of
   * clients come back within seconds with the same `sinceSeq`). Each of them joined the room
   * before asking, and the read starts after the turn, so it still follows every join it serves.
   * The answers are shared objects: never changed after they are read.
   */
  private readonly views = new GroupedBatchLoader<string, string, RoomSnapshot>((roomId, keys) =>
    this.readViews(roomId, keys),
  );

  constructor(
    private readonly messages: RoomMessagesRepository,
    private readonly events: RoomEventsRepository,
    private readonly access: RoomAccess,
    private readonly comments: CommentsService,
    private readonly questions: QuestionsReader,
    private readonly queue: QueueReader,
    private readonly presence: PresenceService,
    private readonly embed: EmbedService,
  ) {}

  /**
   * `lean` (with `sinceSeq`): the client keeps the messages it has, so the answer leaves
   * `recent` out unless the replay had to be cut (`reset`). After a node restarts, thousands of
   * clients rejoin at once, and the 50 recent messages were most of each answer's bytes.
   */
  async join(
    socket: LiveSocket,
    roomId: string,
    sinceSeq?: number,
    lean = false,
  ): Promise<JoinResult> {
    const origin = socket.data.embedOrigin;
    const { facilitator: moderator } = await this.access.enter(
      roomId,
      socket.data.user,
      async () => {
        if (origin) await this.embed.assertSocketMayShow(origin, { roomId });
      },
    );

    await socket.join(
      moderator ? [Rooms.room(roomId), Rooms.roomModerators(roomId)] : Rooms.room(roomId),
    );
    this.presence.changed(roomId);

    // Everything below is read after the join, so nothing falls between it and live delivery;
    // the room itself is read again for the same reason (its seq after the join).
    const view = await this.views.get(roomId, viewKey({ moderator, sinceSeq, lean }));
    if (!view) throw Problem.notFound('Room');
    // From what this node knows: a join never waits for the other nodes.
    return { ...view, presence: { count: this.presence.joinCount(roomId) }, moderator };
  }

  async leave(socket: LiveSocket, roomId: string): Promise<{ roomId: string }> {
    await socket.leave(Rooms.room(roomId));
    await socket.leave(Rooms.roomModerators(roomId));
    this.presence.changed(roomId);
    return { roomId };
  }

  private async readViews(roomId: string, keys: string[]): Promise<Map<string, RoomSnapshot>> {
    const found = new Map<string, RoomSnapshot>();
    const parsed = keys.map((key) => ({ key, ...parseViewKey(key) }));
    const flags = [...new Set(parsed.map((p) => p.moderator))];
    // `recent` is read for the rights of the views that are not lean (lean ones, below, only
    // when their replay was cut).
    const recentFlags = [...new Set(parsed.filter((p) => !p.lean).map((p) => p.moderator))];
    const [current, queue, recent, questions, missed] = await Promise.all([
      this.access.load(roomId).catch(notFoundAsUndefined),
      this.queue.state(roomId),
      perKey(recentFlags, (moderator) => this.recent(roomId, moderator)),
      perKey(flags, (moderator) => this.questions.list(roomId, moderator)),
      perKey(
        parsed.filter((p) => p.sinceSeq !== undefined),
        (p) => this.replay(roomId, p.sinceSeq!, p.moderator),
      ),
    ]);
    if (!current) return found;
    const room = toRoomView(current);
    // A lean view whose replay was cut needs `recent` after all (rare: a long absence).
    const cutFlags = parsed
      .filter((p) => p.lean && missed.get(p)?.reset && !recent.has(p.moderator))
      .map((p) => p.moderator);
    for (const [moderator, list] of await perKey(cutFlags, (m) => this.recent(roomId, m)))
      recent.set(moderator, list);
    for (const p of parsed) {
      const { key, moderator } = p;
      const replayed = missed.get(p) ?? { events: [], reset: false };
      const lean = p.lean && !replayed.reset;
      found.set(key, {
        room,
        seq: current.seq,
        recent: lean ? [] : recent.get(moderator)!,
        ...(lean ? { lean: true as const } : {}),
        questions: questions.get(moderator)!,
        queue,
        missed: replayed.events,
        reset: replayed.reset,
      });
    }
    return found;
  }

  /** The latest messages, oldest first, in one query (every join and reconnect runs it). */
  private async recent(roomId: string, moderator: boolean): Promise<CommentView[]> {
    const rows = await this.messages.latest(roomId, RECENT_MESSAGES);
    return rows.map((row) => toCommentView(row, moderator)).reverse();
  }

  private async replay(
    roomId: string,
    sinceSeq: number,
    moderator: boolean,
  ): Promise<{ events: MissedRoomEvent[]; reset: boolean }> {
    const rows = await this.events.since(roomId, sinceSeq, MAX_ROOM_REPLAY + 1);
    if (rows.length > MAX_ROOM_REPLAY) return { events: [], reset: true };
    // Comments are replayed as they are now, so a message hidden since never shows its text.
    const commentIds = rows
      .map((r) => ('comment' in r.data ? r.data.comment?.id : undefined))
      .filter((id): id is string => typeof id === 'string');
    const views = await this.comments.viewsByIds([...new Set(commentIds)], moderator);
    const events: MissedRoomEvent[] = [];
    for (const row of rows) {
      // Facilitator-only events leave a numbered placeholder, so citizens see no gap either.
      if (row.audience === 'mod' && !moderator) {
        events.push({ event: 'room:skip', payload: { roomId, seq: row.seq } });
        continue;
      }
      events.push(replayed(row, { roomId, seq: row.seq }, views));
    }
    return { events, reset: false };
  }
}
