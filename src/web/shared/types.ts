/**
 * The public contract as the pages use it. The server's own view types are the source (type
 * imports only: nothing of the server reaches the bundle); the rest is declared here.
 */
export type { CommentView as Comment } from '../../comments/comment.view';
export type { SpaceView as Space } from '../../spaces/dto/space.dto';
export type { TimelineEntry } from '../../topics/dto/topic.dto';
export type { RoomView as Room } from '../../rooms/room.view';
export type { RoomSettings } from '../../rooms/room.entity';
export type { QuestionView as Question } from '../../rooms/qa/question.view';
export type { QueueState as Queue } from '../../rooms/queue/queue.view';
import type { CommentView as Comment } from '../../comments/comment.view';
import type { RoomView as Room } from '../../rooms/room.view';
import type { QuestionView as Question } from '../../rooms/qa/question.view';
import type { QueueState as Queue } from '../../rooms/queue/queue.view';

// A dependency-free module of the server's: the one list of statuses, not a copy.
import { TOPIC_STATUSES, type TopicStatus } from '../../topics/topic-status';

export { TOPIC_STATUSES, type TopicStatus };
export type Stance = 'for' | 'against' | 'neutral';
export type Rung = 'review' | 'deliberation' | 'response';

export interface Person {
  id: string;
  displayName: string;
}

export interface User extends Person {
  email: string;
  role: 'citizen' | 'admin';
  createdAt: string;
}

export interface Me extends User {
  spaces: { spaceId: string; slug: string; name: string; role: 'facilitator' }[];
}

export interface Topic {
  id: string;
  spaceId: string;
  author: Person;
  title: string;
  body: string;
  tags: string[];
  status: TopicStatus;
  counts: {
    agrees: number;
    comments: number;
    participants: number;
    stances: Record<Stance, number>;
  };
  ladder: { rung: number; next: Rung | null; needed: number | null };
  closesAt: string | null;
  rejectedReason: string | null;
  owedAnswers: { rung: string; dueAt: string; answeredAt: string | null }[];
  response: { id: string; body: string; role: string; author: Person; createdAt: string } | null;
  seq: number;
  myAgree: boolean | null;
  myStance: Stance | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RoomJoin {
  room: Room;
  seq: number;
  presence: { count: number };
  recent: Comment[];
  questions: Question[];
  queue: Queue;
  missed: { event: string; payload: RoomEvent }[];
  reset: boolean;
  moderator: boolean;
}

export interface TopicWatch {
  topicId: string;
  seq: number;
  missed: { event: string; payload: Record<string, unknown> & { seq?: number } }[];
  reset: boolean;
}

/** A room event as it arrives: `{roomId, seq}` plus the event's own fields. */
export type RoomEvent = { roomId: string; seq?: number } & Record<string, unknown>;

export const REACTIONS = ['👏', '👍', '❤️', '🤔'] as const;

// The back office's views, as the server returns them.
export type {
  AuditEntryView as AuditEntry,
  BanView as Ban,
  BulkResolveResult,
  ReportGroupView as ReportGroup,
} from '../../moderation/dto/moderation.dto';
export type { FacilitatorView as Facilitator } from '../../spaces/dto/space.dto';
export type { RoomSanctionView as RoomSanction } from '../../protocol/views';
