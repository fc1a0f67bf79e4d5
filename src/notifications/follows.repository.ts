import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queryable, queryRows } from '../core/database/sql';

/** What can be followed: a topic (a project's thread is one) or a budget. */
export type FollowTarget = 'topic' | 'budget';

/** Every statement on `follows`: who hears of what. */
@Injectable()
export class FollowsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Idempotent: following twice leaves one row. */
  async follow(tx: Queryable, userId: string, type: FollowTarget, id: string): Promise<void> {
    await tx.query(
      `INSERT INTO follows (user_id, target_type, target_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [userId, type, id],
    );
  }

  async unfollow(tx: Queryable, userId: string, type: FollowTarget, id: string): Promise<void> {
    await tx.query(
      `DELETE FROM follows WHERE user_id = $1 AND target_type = $2 AND target_id = $3`,
      [userId, type, id],
    );
  }

  async isFollowing(userId: string, type: FollowTarget, id: string): Promise<boolean> {
    const rows = await queryRows<unknown>(
      this.dataSource.manager,
      `SELECT 1 FROM follows WHERE user_id = $1 AND target_type = $2 AND target_id = $3`,
      [userId, type, id],
    );
    return rows.length > 0;
  }

  /** A commenter follows what they discuss, unless their settings say not to. */
  async followOnComment(tx: Queryable, userId: string, topicId: string): Promise<void> {
    await tx.query(
      `INSERT INTO follows (user_id, target_type, target_id)
       SELECT $1::uuid, 'topic', $2::uuid
        WHERE COALESCE((SELECT follow_on_comment FROM notification_settings WHERE user_id = $1), true)
       ON CONFLICT DO NOTHING`,
      [userId, topicId],
    );
  }
}
