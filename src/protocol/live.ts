import {
  type CommentView,
  type Person,
  type PresenceDetail,
  type QuestionView,
  type QueueUpdate,
  type RoomSettings,
  type RoomStatus,
  type RoomView,
  type QueueState,
  type ReactionEmoji,
  type NotificationView,
} from './views';

/**
 * The live protocol of the `/live` namespace, both ways, in one dependency-free module: what
 * every client event takes and what its acknowledgement answers, and what every server event
 * carries. The gateways and LiveHandler are typed by `LiveClientEvents`, the broadcasters by
 * `LiveServerEvents` and `RoomEvents`; the web client imports the same maps, so a field renamed
 * on one side is a compile error on the other.
 */

/** The answer every client→server event gets through its acknowledgement callback. */
export type Ack<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      /** `retryAfter` (seconds): on `rate_limited` and `service_unavailable`. */
      error: { code: string; message: string; retryAfter?: number };
    };

// ---- durable events -------------------------------------------------------------------------

/** What a facilitator action did, on the facilitators' channel. */
export type RoomModAction =
  | 'hide'
  | 'restore'
  | 'pin'
  | 'unpin'
  | 'announce'
  | 'mute'
  | 'unmute'
  | 'ban'
  | 'unban'
  | 'slowmode'
  | 'lock';

export interface ModActionTarget {
  type: 'comment' | 'user' | 'room';
  id: string;
  displayName?: string;
}

/** The facilitators-only `mod:action` event: one shared record of who did what. */
export interface ModActionEvent {
  action: RoomModAction;
  actor: Person;
  target: ModActionTarget;
  reason: string | null;
  /** What the action set (e.g. `{until}` of a mute, `{locked}`), when it set something. */
  details?: Record<string, unknown>;
}

/**
 * Durable room events: stored with their number in `room_events` and replayed by
 * `room:join {sinceSeq}`. Each payload here is what is stored; clients receive it with
 * `{roomId, seq}` added.
 */
export interface RoomEvents {
  'room:state': {
    status?: RoomStatus;
    settings?: RoomSettings;
    locked?: boolean;
    title?: string;
    /** Who started the room (on `live`). */
    by?: string;
  };
  'room:ended': { status: 'ended'; by: string };
  'room:announce': { body: string; by: Person };
  /** `comment` is null in a replay when the message is gone since. */
  'comment:new': { comment: CommentView | null };
  'comment:hidden': { commentId: string; hiddenReason: string };
  'comment:restored': { comment: CommentView | null };
  'comment:pinned': { comment: CommentView | null };
  /** The pinned message was taken down (it stays in the chat). */
  'comment:unpinned': { commentId: string };
  'question:new': { question: QuestionView };
  'question:update': { question: QuestionView };
  'queue:update': QueueUpdate & { reason?: 'time_up' };
  'mod:action': ModActionEvent;
  'mod:report': {
    reportId: string;
    commentId: string;
    reason: string;
    detail: string | null;
    openReports: number;
    comment: CommentView | null;
  };
  'mod:flag': { commentId: string; reason: string; comment: CommentView | null };
}

export type RoomEventType = keyof RoomEvents;

/** A durable room event as clients receive it. */
export type RoomEventPayload<K extends RoomEventType = RoomEventType> = RoomEvents[K] & {
  roomId: string;
  seq: number;
};

/** Durable topic events (`topic_events`), as clients receive them: with `{topicId, seq}`. */
export interface TopicEvents {
  'comment:new': { comment: CommentView };
  'comment:edited': { comment: CommentView };
  'comment:deleted': { commentId: string };
  'comment:hidden': { commentId: string; hiddenReason: string };
  'comment:restored': { comment: CommentView };
  'topic:status': { from: string; to: string; reason: string | null };
  'topic:ladder': { rung: string; count: number; dueAt: string | null };
  'topic:answered': { responseId: string };
}

type Numbered<M, K extends string> = { [E in keyof M]: M[E] & Record<K, string> & { seq: number } };

/**
 * Every server→client event with its payload. Durable ones carry `seq` (topic events per
 * topic, room events per room); the others are snapshots of a current value (counts,
 * presence) that the next one supersedes.
 */
export type LiveServerEvents = Omit<Numbered<RoomEvents, 'roomId'>, keyof TopicEvents> &
  Omit<Numbered<TopicEvents, 'topicId'>, keyof RoomEvents> & {
    // Names both streams use: a room's copy carries `roomId`, a topic's `topicId`.
    'comment:new':
      | (RoomEvents['comment:new'] & { roomId: string; seq: number })
      | (TopicEvents['comment:new'] & { topicId: string; seq: number });
    'comment:hidden':
      | (RoomEvents['comment:hidden'] & { roomId: string; seq: number })
      | (TopicEvents['comment:hidden'] & { topicId: string; seq: number });
    'comment:restored':
      | (RoomEvents['comment:restored'] & { roomId: string; seq: number })
      | (TopicEvents['comment:restored'] & { topicId: string; seq: number });
    /** A facilitator-only event replayed to a citizen: its number only, so there is no gap. */
    'room:skip': { roomId: string; seq: number };
    /** The creation of a topic, replayed so its numbering has no gap. */
    'topic:created': { topicId: string; seq: number };
    // Snapshots.
    'agree:count': {
      topicId: string;
      targetType: 'topic' | 'comment';
      targetId: string;
      count: number;
    };
    'stance:count': { topicId: string; counts: { for: number; against: number; neutral: number } };
    /** A town hall of the topic went live or ended (pages re-read `/rooms`). */
    'topic:room': { topicId: string; roomId: string; status: 'live' | 'ended'; title?: string };
    presence: { roomId: string; count: number };
    'presence:detail': { roomId: string } & PresenceDetail;
    reactions: { roomId: string; counts: Record<string, number> };
    'room:agree': { roomId: string; commentId: string; count: number };
    /** A question's upvote count (coalesced; `room:join` answers the current counts). */
    'question:votes': { roomId: string; questionId: string; upvotes: number };
    // To one user only.
    'you:muted': { roomId: string; until: string; reason: string };
    'you:banned': { roomId: string; reason: string };
    /** The facilitator lifted the mute early. */
    'you:unmuted': { roomId: string };
    // Participatory budgets (`budget:watch`).
    'budget:phase': { budgetId: string; seq: number; from: string; to: string };
    /** At most two a second; only while the tally is public. */
    'budget:tally': BudgetTally;
    /** A new notification for this socket's user (every socket of theirs, on every node). */
    'notification:new': { notification: NotificationView; unread: number };
  };

export type LiveEventName = keyof LiveServerEvents;

/** One server event, named: what a replay holds and what a client's listener receives. */
export type LiveEvent<K extends LiveEventName = LiveEventName> = {
  [E in K]: { event: E; payload: LiveServerEvents[E] };
}[K];

// ---- client → server ------------------------------------------------------------------------

/** A missed room event in a join answer (`room:skip` stands for a facilitator-only one). */
export type MissedRoomEvent =
  | { [K in RoomEventType]: { event: K; payload: RoomEventPayload<K> } }[RoomEventType]
  | { event: 'room:skip'; payload: { roomId: string; seq: number } };

export interface JoinResult {
  room: RoomView;
  /** The room's last event number: live events continue from here. */
  seq: number;
  presence: { count: number };
  /**
   * The latest chat messages, oldest first. Empty when the answer is `lean`: the client asked
   * for it with `sinceSeq` and everything it missed is in `missed`, so it keeps what it has.
   */
  recent: CommentView[];
  /** Present and true when `recent` was left out at the client's request (`lean`). */
  lean?: true;
  questions: QuestionView[];
  queue: QueueState;
  /** With `sinceSeq`: the events missed since then, in order. */
  missed: MissedRoomEvent[];
  /** True when too many events were missed: use `recent`, `questions` and `queue` instead. */
  reset: boolean;
  /** Whether this connection receives the facilitators' channel. */
  moderator: boolean;
}

/** A replayed topic event: the same name and payload the client would have received live. */
export type MissedTopicEvent =
  | {
      [K in keyof TopicEvents]: {
        event: K;
        payload: TopicEvents[K] & { topicId: string; seq: number };
      };
    }[keyof TopicEvents]
  | { event: 'topic:created'; payload: { topicId: string; seq: number } };

export interface WatchResult {
  topicId: string;
  /** The topic's last event number: live events continue from here. */
  seq: number;
  /** Events after `sinceSeq`, in order; empty without `sinceSeq`. */
  missed: MissedTopicEvent[];
  /** True when too many events were missed: reload over HTTP, then watch again. */
  reset: boolean;
}

/** A budget's results per heading: the shape of `GET /budgets/:id/results` and `budget:tally`. */
export interface BudgetTally {
  budgetId: string;
  phase: string;
  /** False while a live tally runs (voting is still open). */
  final: boolean;
  headings: {
    headingId: string;
    name: string;
    amount: number;
    spent: number;
    remaining: number;
    ballots: { online: number; onsite: number; paper: number };
    projects: {
      projectId: string;
      score: number;
      points: Record<string, number>;
      selected: boolean;
      reason: 'selected' | 'did_not_fit' | 'unfeasible';
    }[];
  }[];
}

export interface BudgetWatchResult {
  budgetId: string;
  phase: string;
  /** The budget's last public timeline number: `budget:phase` continues from here. */
  seq: number;
  /** The tally now, when it is public (results, or voting with a live tally); else null. */
  tally: BudgetTally | null;
}

export interface AgreeResult {
  agreed: boolean;
  agreeCount: number;
}

export interface RoomStateResult {
  settings: RoomSettings;
  locked: boolean;
}

interface RoomRef {
  roomId: string;
}
interface CommentRef extends RoomRef {
  commentId: string;
}
interface QuestionRef extends RoomRef {
  questionId: string;
}

/** Every client→server event: what it takes, and the `data` of its acknowledgement. */
export interface LiveClientEvents {
  'topic:watch': { payload: { topicId: string; sinceSeq?: number }; ack: WatchResult };
  'topic:unwatch': { payload: { topicId: string }; ack: { topicId: string } };
  'budget:watch': { payload: { budgetId: string }; ack: BudgetWatchResult };
  'budget:unwatch': { payload: { budgetId: string }; ack: { budgetId: string } };
  'room:join': { payload: RoomRef & { sinceSeq?: number; lean?: boolean }; ack: JoinResult };
  'room:leave': { payload: RoomRef; ack: { roomId: string } };
  'chat:send': {
    payload: RoomRef & { body: string; parentId?: string };
    ack: { comment: CommentView };
  };
  'agree:set': { payload: CommentRef & { agreed: boolean }; ack: AgreeResult };
  react: { payload: RoomRef & { emoji: ReactionEmoji }; ack: Record<string, never> };
  'question:ask': { payload: RoomRef & { body: string }; ack: { question: QuestionView } };
  'question:upvote': { payload: QuestionRef; ack: { question: QuestionView } };
  'question:highlight': {
    payload: QuestionRef & { highlighted?: boolean };
    ack: { question: QuestionView };
  };
  'question:answered': { payload: QuestionRef; ack: { question: QuestionView } };
  'question:dismiss': { payload: QuestionRef; ack: { question: QuestionView } };
  'question:approve': { payload: QuestionRef; ack: { question: QuestionView } };
  'hand:raise': { payload: RoomRef; ack: { queue: QueueUpdate } };
  'hand:lower': { payload: RoomRef; ack: { queue: QueueUpdate } };
  'queue:next': { payload: RoomRef; ack: { queue: QueueUpdate } };
  'queue:remove': { payload: RoomRef & { userId: string }; ack: { queue: QueueUpdate } };
  'mod:hide': { payload: CommentRef & { reason: string }; ack: { comment: CommentView } };
  'mod:restore': { payload: CommentRef & { reason: string }; ack: { comment: CommentView } };
  'mod:pin': { payload: CommentRef; ack: { comment: CommentView } };
  'mod:announce': { payload: RoomRef & { body: string }; ack: { body: string; by: Person } };
  'mod:mute': {
    payload: RoomRef & { userId: string; minutes?: number; reason: string };
    ack: { userId: string; mutedUntil: string };
  };
  'mod:ban': {
    payload: RoomRef & { userId: string; reason: string };
    ack: { userId: string; banned: true };
  };
  'mod:unmute': {
    payload: RoomRef & { userId: string; reason?: string };
    ack: { userId: string; mutedUntil: null };
  };
  'mod:unban': {
    payload: RoomRef & { userId: string; reason?: string };
    ack: { userId: string; banned: false };
  };
  'mod:unpin': { payload: RoomRef; ack: { commentId: string } };
  'mod:slowmode': { payload: RoomRef & { seconds: number }; ack: RoomStateResult };
  'mod:lock': { payload: RoomRef & { locked: boolean }; ack: RoomStateResult };
}

export type LiveClientEvent = keyof LiveClientEvents;
