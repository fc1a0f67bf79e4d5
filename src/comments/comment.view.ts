import { isReportsPending, REPORTS_PENDING } from '../protocol/hidden-reason';
import { type CommentStatus, type CommentView, type Stance } from '../protocol/views';

/**
 * The reason the report threshold writes when it hides a comment pending review: a code the
 * pages say in their reader's language (src/protocol/hidden-reason.ts).
 */
export const AUTO_HIDE_REASON = REPORTS_PENDING;

/** A comment row as read by SQL, joined with its author's display name. */
export interface CommentRow {
  id: string;
  topic_id: string;
  parent_id: string | null;
  depth: number;
  author_id: string;
  author_name: string;
  body: string;
  stance: Stance | null;
  status: CommentStatus;
  hidden_reason: string | null;
  agree_count: number;
  reply_count: number;
  room_id: string | null;
  created_at: Date;
  edited_at: Date | null;
  my_agree?: boolean | null;
}

/** The comment as clients receive it: the contract's view (src/protocol/views.ts). */
export type { CommentView } from '../protocol/views';

/**
 * The columns of CommentRow, defined by the repository that owns `comments`. Re-exported for
 * the features that still read `comments` themselves (moderation, rooms, open data).
 */
export { COMMENT_COLUMNS } from './comments.repository';

/**
 * The one place that decides what a viewer may see of a comment: every read path (lists,
 * replies, single reads, moderation queues, live pushes) goes through here.
 */
export function toCommentView(row: CommentRow, viewerIsFacilitator: boolean): CommentView {
  const hiddenFromViewer = row.status === 'hidden' && !viewerIsFacilitator;
  const view: CommentView = {
    id: row.id,
    topicId: row.topic_id,
    parentId: row.parent_id,
    depth: row.depth,
    author: { id: row.author_id, displayName: row.author_name },
    body: row.status === 'deleted' || hiddenFromViewer ? null : row.body,
    stance: row.status === 'deleted' ? null : row.stance,
    status: row.status,
    agreeCount: row.agree_count,
    replyCount: row.reply_count,
    roomId: row.room_id,
    createdAt: row.created_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
  };
  if (row.status === 'hidden') {
    view.hiddenReason = row.hidden_reason ?? 'hidden by a facilitator';
    view.hiddenBy = isReportsPending(row.hidden_reason) ? 'reports' : 'facilitator';
  }
  if (row.my_agree !== undefined && row.my_agree !== null) view.myAgree = row.my_agree;
  return view;
}
