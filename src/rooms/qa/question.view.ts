import { type QuestionStatus, type QuestionView } from '../../protocol/views';

export interface QuestionRow {
  id: string;
  room_id: string;
  author_id: string;
  author_name: string;
  body: string;
  status: QuestionStatus;
  highlighted: boolean;
  upvotes: number;
  comment_id: string | null;
  created_at: Date;
  answered_at: Date | null;
}

export type { QuestionView } from '../../protocol/views';

export const QUESTION_COLUMNS = `q.id, q.room_id, q.author_id, u.display_name AS author_name, q.body, q.status,
  q.highlighted, q.upvotes, q.comment_id, q.created_at, q.answered_at`;

export const toQuestionView = (row: QuestionRow): QuestionView => ({
  id: row.id,
  roomId: row.room_id,
  author: { id: row.author_id, displayName: row.author_name },
  body: row.body,
  status: row.status,
  highlighted: row.highlighted,
  upvotes: row.upvotes,
  commentId: row.comment_id,
  createdAt: row.created_at.toISOString(),
  answeredAt: row.answered_at?.toISOString() ?? null,
});
