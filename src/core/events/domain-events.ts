import { type RoomEvents, type RoomEventType } from '../../protocol/live';

/**
 * Every domain event, by name, with its payload. Declared once so that publishers, the
 * in-process bus, the Redis bridge and socket pushers all agree on the shapes.
 */
export interface DomainEventMap {
  'topic.created': { topicId: string; spaceId: string; seq: number };
  'topic.transitioned': {
    topicId: string;
    spaceId: string;
    from: string;
    to: string;
    actorId: string | null;
    reason: string | null;
    seq: number;
  };
  'topic.ladder_crossed': {
    topicId: string;
    spaceId: string;
    rung: 'review' | 'deliberation' | 'response';
    count: number;
    dueAt: string | null;
    seq: number;
  };
  'topic.answered': { topicId: string; spaceId: string; responseId: string; seq: number };
  'comment.created': {
    commentId: string;
    topicId: string;
    spaceId: string;
    parentId: string | null;
    seq: number;
  };
  'comment.edited': { commentId: string; topicId: string; spaceId: string; seq: number };
  'comment.deleted': { commentId: string; topicId: string; spaceId: string; seq: number };
  'comment.hidden': {
    commentId: string;
    topicId: string;
    spaceId: string;
    reason: string;
    actorId: string | null;
    seq: number;
  };
  'comment.restored': {
    commentId: string;
    topicId: string;
    spaceId: string;
    actorId: string;
    seq: number;
  };
  'agree.changed': {
    targetType: 'topic' | 'comment';
    targetId: string;
    topicId: string;
    spaceId: string;
    userId: string;
    agreed: boolean;
    count: number;
  };
  'stance.changed': {
    topicId: string;
    spaceId: string;
    counts: { for: number; against: number; neutral: number };
  };
  'report.created': {
    reportId: string;
    commentId: string;
    spaceId: string;
    topicId: string;
    openReports: number;
  };
  'user.banned': { spaceId: string; userId: string; until: string | null; actorId: string };
  'user.unbanned': { spaceId: string; userId: string; actorId: string };
  /** A durable room event (see rooms/room-events.ts); broadcast to the room after commit. */
  'room.event': {
    roomId: string;
    spaceId: string;
    seq: number;
    audience: 'all' | 'mod';
  } & RoomEventRecord;
  /** A room went live: pages and widgets of its topic show the "live now" banner. */
  'room.started': { roomId: string; spaceId: string; topicId: string; title: string };
  /** A room ended: unanswered questions move to the topic, presence is dropped. */
  'room.ended': { roomId: string; spaceId: string; topicId: string };
  /** A user was muted or banned in a room: every node updates what it holds for them. */
  'room.sanction': {
    roomId: string;
    userId: string;
    kind: 'mute' | 'ban' | 'unmute' | 'unban';
    until: string | null;
  };
  /** A budget moved phase (its public timeline's event `seq`). */
  'budget.phase': { budgetId: string; spaceId: string; seq: number; from: string; to: string };
  /** A project was reviewed (feasible or not): its followers are to be told. */
  'budget.project_reviewed': { budgetId: string; projectId: string; spaceId: string };
  /** Ballots or paper totals of a budget changed: a public live tally is sent again. */
  'budget.ballots_changed': { budgetId: string; spaceId: string };
  /** Every session of the user ended (logout, role change): their sockets must close. */
  'user.sessions_revoked': { userId: string };
}

export type DomainEventName = keyof DomainEventMap;

export interface DomainEvent<K extends DomainEventName = DomainEventName> {
  name: K;
  payload: DomainEventMap[K];
}

export const domainEvent = <K extends DomainEventName>(
  name: K,
  payload: DomainEventMap[K],
): DomainEvent<K> => ({
  name,
  payload,
});

/** A durable room event's name and stored data, kept together so each name has its data. */
export type RoomEventRecord = {
  [K in RoomEventType]: { type: K; data: RoomEvents[K] };
}[RoomEventType];
