/**
 * The public contract as the pages use it. The server's own view types are the source (type
 * imports only: nothing of the server reaches the bundle); the rest is declared here.
 */
export type { CommentView as Comment } from '../../comments/comment.view';
export type { SpaceView as Space } from '../../spaces/dto/space.dto';
export type { TimelineEntry, TopicView as Topic } from '../../topics/dto/topic.dto';
export type { RoomView as Room } from '../../rooms/room.view';
export type { RoomSettings } from '../../rooms/room.entity';
export type { QuestionView as Question } from '../../rooms/qa/question.view';
export type { QueueState as Queue } from '../../rooms/queue/queue.view';

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

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The live protocol's answers, from the same module the gateways are typed by. */
export type {
  JoinResult as RoomJoin,
  WatchResult as TopicWatch,
  LiveEvent,
  LiveEventName,
  LiveServerEvents,
  LiveClientEvent,
  LiveClientEvents,
} from '../../protocol/live';

export const REACTIONS = ['👏', '👍', '❤️', '🤔'] as const;

// The back office's views, as the server returns them.
export type {
  AuditEntryView as AuditEntry,
  BanView as Ban,
  BulkResolveResult,
  PersonView as SpacePerson,
  ReportGroupView as ReportGroup,
} from '../../moderation/dto/moderation.dto';
export type { FacilitatorView as Facilitator } from '../../spaces/dto/space.dto';
export type { OwedAnswerItem } from '../../topics/dto/topic.dto';
export type { RoomSanctionView as RoomSanction } from '../../protocol/views';
