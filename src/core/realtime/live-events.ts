import { type CommentView } from '../../comments/comment.view';

/**
 * Every server→client event of the live namespace with its payload. Events that carry `seq`
 * are durable (stored with that number in PostgreSQL, replayed on catch-up); the others are
 * snapshots of a current value (counts, presence) that the next snapshot supersedes.
 */
export interface LiveServerEvents {
  'comment:new': { topicId: string; seq: number; comment: CommentView };
  'comment:edited': { topicId: string; seq: number; comment: CommentView };
  'comment:deleted': { topicId: string; seq: number; commentId: string };
  'comment:hidden': { topicId: string; seq: number; commentId: string; hiddenReason: string };
  'comment:restored': { topicId: string; seq: number; comment: CommentView };
  'agree:count': {
    topicId: string;
    targetType: 'topic' | 'comment';
    targetId: string;
    count: number;
  };
  'topic:status': { topicId: string; seq: number; from: string; to: string; reason: string | null };
  'topic:ladder': {
    topicId: string;
    seq: number;
    rung: string;
    count: number;
    dueAt: string | null;
  };
  'topic:answered': { topicId: string; seq: number; responseId: string };
  'stance:count': { topicId: string; counts: { for: number; against: number; neutral: number } };
  /** A town hall of the topic went live or ended (a snapshot; pages re-read `/rooms`). */
  'topic:room': { topicId: string; roomId: string; status: 'live' | 'ended'; title?: string };
  // Room snapshots (not numbered; the next one supersedes them).
  presence: { roomId: string; count: number };
  'presence:detail': {
    roomId: string;
    count: number;
    users: { id: string; displayName: string; sockets: number }[];
    anonymous: number;
  };
  reactions: { roomId: string; counts: Record<string, number> };
  'room:agree': { roomId: string; commentId: string; count: number };
  /** A question's upvote count (coalesced; `room:join` answers the current counts). */
  'question:votes': { roomId: string; questionId: string; upvotes: number };
  // To one user only.
  'you:muted': { roomId: string; until: string; reason: string };
  'you:banned': { roomId: string; reason: string };
}

/** A durable room event as clients receive it: the stored data plus its room and number. */
export type RoomEventPayload = { roomId: string; seq: number } & Record<string, unknown>;

export type LiveEventName = keyof LiveServerEvents;
