import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../../core/database/sql';

/** An audit entry about the room, with the names of its actor and target. */
export interface AuditRow {
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  target_type: string;
  target_id: string;
  target_name: string | null;
  reason: string | null;
  created_at: Date;
}

/**
 * What the minutes read of other features' tables, only to show it: the room's entries in the
 * audit log (`audit_log`, the moderation feature's, written through AuditService) and people's
 * names (`users`, the identity feature's).
 */
@Injectable()
export class MinutesReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every audit entry about the room, its questions or its messages, oldest first. The target's
   * name as people know it: the user, or the author of the message or question.
   */
  async audit(roomId: string, spaceId: string): Promise<AuditRow[]> {
    return queryRows<AuditRow>(
      this.dataSource.manager,
      `SELECT a.action, a.actor_id, u.display_name AS actor_name, a.target_type, a.target_id,
                a.reason, a.created_at,
                CASE a.target_type
                  WHEN 'user' THEN (SELECT display_name FROM users WHERE id = a.target_id)
                  WHEN 'comment' THEN (SELECT w.display_name FROM comments c JOIN users w ON w.id = c.author_id WHERE c.id = a.target_id)
                  WHEN 'question' THEN (SELECT w.display_name FROM room_questions q JOIN users w ON w.id = q.author_id WHERE q.id = a.target_id)
                END AS target_name
           FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
          WHERE a.space_id = $2 AND (
                (a.target_type = 'room' AND a.target_id = $1)
             OR (a.target_type = 'question' AND a.target_id IN (SELECT id FROM room_questions WHERE room_id = $1))
             OR (a.target_type = 'comment' AND a.target_id IN (SELECT id FROM comments WHERE room_id = $1))
             OR a.after->>'roomId' = $1::text OR a.before->>'roomId' = $1::text)
          ORDER BY a.id`,
      [roomId, spaceId],
    );
  }

  /** These users' display names (missing: no such user). */
  async names(ids: string[]): Promise<{ id: string; display_name: string }[]> {
    return queryRows<{ id: string; display_name: string }>(
      this.dataSource.manager,
      `SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }
}
