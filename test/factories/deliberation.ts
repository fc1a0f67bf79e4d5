import { DataSource } from 'typeorm';
import { queryRows } from '../../src/core/database/sql';
import { type TestApp } from '../utils/app';

/**
 * Topics and comments written straight into the database, for tests of features that sit on
 * top of them (moderation, reactions) without going through the topics/comments routes.
 * Counters the routes keep are kept here too: topics.comment_count and comments.reply_count.
 */

export interface TestTopic {
  id: string;
  spaceId: string;
  authorId: string;
}

export interface TestComment {
  id: string;
  topicId: string;
  authorId: string;
  parentId: string | null;
  depth: number;
  body: string;
}

let counter = 0;

export async function createTopic(
  t: TestApp,
  spaceId: string,
  author: { id: string },
  overrides: Partial<{ title: string; body: string; proposalExpiresAt: Date }> = {},
): Promise<TestTopic> {
  const rows: { id: string }[] = await t.app.get(DataSource).query(
    `INSERT INTO topics (space_id, author_id, title, body, proposal_expires_at)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      spaceId,
      author.id,
      overrides.title ?? `테스트 의제 ${++counter}`,
      overrides.body ?? '의제 본문입니다.',
      overrides.proposalExpiresAt ?? new Date(Date.now() + 30 * 24 * 3600 * 1000),
    ],
  );
  return { id: rows[0]!.id, spaceId, authorId: author.id };
}

/** A visible comment (or a reply, with `parentId`), counted on its topic and parent. */
export async function createComment(
  t: TestApp,
  topicId: string,
  author: { id: string },
  options: Partial<{ body: string; parentId: string }> = {},
): Promise<TestComment> {
  const body = options.body ?? `댓글 ${++counter}`;
  const parentId = options.parentId ?? null;
  return t.app.get(DataSource).transaction(async (tx) => {
    let depth = 0;
    if (parentId) {
      const parents = await queryRows<{ depth: number; topic_id: string }>(
        tx,
        `UPDATE comments SET reply_count = reply_count + 1 WHERE id = $1 RETURNING depth, topic_id`,
        [parentId],
      );
      const parent = parents[0];
      if (!parent || parent.topic_id !== topicId) throw new Error('parent not in this topic');
      depth = parent.depth + 1;
    }
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO comments (topic_id, author_id, body, parent_id, depth)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [topicId, author.id, body, parentId, depth],
    );
    await tx.query(`UPDATE topics SET comment_count = comment_count + 1 WHERE id = $1`, [topicId]);
    return { id: rows[0]!.id, topicId, authorId: author.id, parentId, depth, body };
  });
}
