/**
 * The schemas of the generated client (from the OpenAPI document) against the types the server
 * really returns: each line compiles only while the document's schema — fields, optionality,
 * nullability, enums — is exactly the view's shape. test/e2e/openapi-client.e2e-spec.ts
 * compiles this file with tsc.
 */
import { type CommentView } from '../../src/comments/comment.view';
import { type Page } from '../../src/core/http/pagination';
import { type ProblemBody } from '../../src/core/http/problem';
import { type LiveView, type ReadyView } from '../../src/core/health/health.openapi';
import { type PersonView } from '../../src/core/openapi/person.schema';
import { type SameShape } from '../../src/core/openapi/shape';
import { type AuthResult, type MeView, type UserView } from '../../src/identity/dto/user.dto';
import {
  type AuditEntryView,
  type BanView,
  type ReportQueueItem,
  type ReportView,
} from '../../src/moderation/dto/moderation.dto';
import { type AgreeResult } from '../../src/reactions/agrees.service';
import { type MinutesView } from '../../src/rooms/minutes/minutes.view';
import { type QuestionView } from '../../src/rooms/qa/question.view';
import { type RoomView } from '../../src/rooms/room.view';
import { type FacilitatorView, type SpaceView } from '../../src/spaces/dto/space.dto';
import { type OpenDataIndexView } from '../../src/open-data/open-data.openapi';
import { type TimelineEntry, type TopicView } from '../../src/topics/dto/topic.dto';
import {
  type FollowResult,
  type NotificationSettings,
} from '../../src/notifications/notifications.service';
import { type NotificationView } from '../../src/protocol/views';
import { type components } from './generated/schema';

type Schemas = components['schemas'];
type Assert<T extends true> = T;
type Same<Name extends keyof Schemas, View> = SameShape<Schemas[Name], View>;

export type ShapesMatch = [
  Assert<Same<'Problem', ProblemBody>>,
  Assert<Same<'Person', PersonView>>,
  Assert<Same<'User', UserView>>,
  Assert<Same<'Me', MeView>>,
  Assert<Same<'AuthResult', AuthResult>>,
  Assert<Same<'Space', SpaceView>>,
  Assert<Same<'SpacePage', Page<SpaceView>>>,
  Assert<Same<'Facilitator', FacilitatorView>>,
  Assert<Same<'Topic', TopicView>>,
  Assert<Same<'TopicPage', Page<TopicView>>>,
  Assert<Same<'TimelineEntryPage', Page<TimelineEntry>>>,
  Assert<Same<'Comment', CommentView>>,
  Assert<Same<'CommentPage', Page<CommentView>>>,
  Assert<Same<'AgreeResult', AgreeResult>>,
  Assert<Same<'Report', ReportView>>,
  Assert<Same<'ReportQueueItemPage', Page<ReportQueueItem>>>,
  Assert<Same<'BanPage', Page<BanView>>>,
  Assert<Same<'AuditEntryPage', Page<AuditEntryView>>>,
  Assert<Same<'Room', RoomView>>,
  Assert<Same<'RoomPage', Page<RoomView>>>,
  Assert<Same<'Question', QuestionView>>,
  Assert<Same<'Minutes', MinutesView>>,
  Assert<Same<'Liveness', LiveView>>,
  Assert<Same<'Readiness', ReadyView>>,
  Assert<Same<'OpenDataIndex', OpenDataIndexView>>,
  Assert<Same<'Notification', NotificationView>>,
  Assert<Same<'NotificationPage', Page<NotificationView>>>,
  Assert<Same<'UnreadCount', { unread: number }>>,
  Assert<Same<'NotificationSettings', NotificationSettings>>,
  Assert<Same<'FollowResult', FollowResult>>,
];
