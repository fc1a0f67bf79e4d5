/**
 * The shapes the server sends and the pages read: the public contract's views, in one
 * dependency-free module. The server's features build them (their *.view.ts and services map
 * rows to these) and the web client imports them as they are, so neither side keeps a copy that
 * could drift. Nothing here imports anything: the browser bundle may take it whole.
 */

export interface Person {
  id: string;
  displayName: string;
}

export const STANCES = ['for', 'against', 'neutral'] as const;
export type Stance = (typeof STANCES)[number];

export const COMMENT_STATUSES = ['visible', 'hidden', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export interface CommentView {
  id: string;
  topicId: string;
  parentId: string | null;
  depth: number;
  author: Person;
  /** null when deleted, and when hidden for anyone but the space's facilitators. */
  body: string | null;
  stance: Stance | null;
  status: CommentStatus;
  hiddenReason?: string;
  /** Who hid it: the report threshold (pending review) or a facilitator, for the reader's own words. */
  hiddenBy?: 'reports' | 'facilitator';
  agreeCount: number;
  replyCount: number;
  roomId: string | null;
  createdAt: string;
  editedAt: string | null;
  myAgree?: boolean;
  replies?: CommentView[];
  moreReplies?: number;
}

export const ROOM_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

export interface RoomSettings {
  /** Chat open to participants. */
  chat: boolean;
  /** One message per person per this many seconds (0 = off). */
  slowModeSeconds: number;
  /** Q&A open. */
  questions: boolean;
  /** Questions wait for a facilitator's approval before everyone sees them. */
  approveQuestions: boolean;
  /** Time limit of each speaker on the floor. */
  speakerSeconds: number;
  /** The session's stream (see rooms/stream-url.ts); absent or null when there is none. */
  streamUrl?: string | null;
}

export interface RoomView {
  id: string;
  topicId: string;
  spaceId: string;
  title: string;
  status: RoomStatus;
  settings: RoomSettings;
  locked: boolean;
  startsAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  pinnedCommentId: string | null;
  speaker: { userId: string; until: string } | null;
  peakPresence: number;
  /** In lists, for a live room: how many are in it now (recounted every few seconds). */
  presence?: number;
  seq: number;
  createdAt: string;
}

export const QUESTION_STATUSES = ['pending', 'visible', 'answered', 'dismissed'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export interface QuestionView {
  id: string;
  roomId: string;
  author: Person;
  body: string;
  status: QuestionStatus;
  highlighted: boolean;
  upvotes: number;
  commentId: string | null;
  createdAt: string;
  answeredAt: string | null;
}

export interface QueueState {
  /** Who has the floor, and until when; null when nobody does. */
  speaker: { userId: string; displayName: string; until: string } | null;
  /** Raised hands in the order they will be called (first-time speakers first). */
  waiting: { userId: string; displayName: string; raisedAt: string; firstTime: boolean }[];
}

/** The `queue:update` event and the queue acks: the state, with `until` repeated on top. */
export interface QueueUpdate extends QueueState {
  /** When the current speaker's time ends (null when nobody has the floor). */
  until: string | null;
}

/** Who is in a room, for facilitators. */
export interface PresenceDetail {
  count: number;
  users: (Person & { sockets: number })[];
  anonymous: number;
}

/** The reactions a room offers (❤️ is U+2764 U+FE0F, as emoji keyboards send it). */
export const REACTION_EMOJI = ['👏', '👍', '❤️', '🤔'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];

/** A mute or removal in force in a room, as its facilitators see it. */
export interface RoomSanctionView {
  user: Person;
  /** Muted until this time; null when not muted now. */
  mutedUntil: string | null;
  /** Removed from the room until a facilitator lets them back. */
  banned: boolean;
  reason: string;
  by: Person;
  createdAt: string;
}

/** The kinds of notification (API.md, Notifications). */
export const NOTIFICATION_TYPES = [
  'topic.ladder',
  'topic.status',
  'topic.answered',
  'comment.reply',
  'comment.hidden',
  'room.live',
  'budget.phase',
  'project.reviewed',
  'project.selected',
  'answer.due',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** The switches of a person's notification settings, one per group of kinds. */
export const NOTIFICATION_SWITCHES = [
  'ladder',
  'status',
  'answer',
  'reply',
  'hidden',
  'room',
  'budget',
  'due',
] as const;
export type NotificationSwitch = (typeof NOTIFICATION_SWITCHES)[number];

export const EMAIL_CADENCES = ['off', 'immediate', 'daily', 'weekly'] as const;
export type EmailCadence = (typeof EMAIL_CADENCES)[number];

/** One notification in a person's inbox. */
export interface NotificationView {
  id: string;
  type: NotificationType;
  /** What the pages need to say it without another read: the topic's title, the reason, … */
  data: Record<string, unknown>;
  topicId: string | null;
  commentId: string | null;
  roomId: string | null;
  /** Budget kinds: the budget, and for `project.*` the project. */
  budgetId: string | null;
  projectId: string | null;
  readAt: string | null;
  createdAt: string;
}
