import { isUuid } from '../../core/uuid';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { msg, Problem } from '../../core/http/problem';
import { QUESTION_COLUMNS, type QuestionRow, toQuestionView } from '../qa/question.view';
import { RoomAccess } from '../room-access.service';
import { type MinutesPerson, type MinutesView } from './minutes.view';

export const TOP_AGREED_LIMIT = 5;

/** Comments of the room that are chat messages (not questions carried over at the end). */
const ROOM_MESSAGES = `c.room_id = $1
  AND NOT EXISTS (SELECT 1 FROM room_questions q WHERE q.comment_id = c.id)`;

interface AuditRow {
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
 * The minutes (회의록) of an ended room, read from what the room left in PostgreSQL: the room
 * row (times, peak presence, reaction totals), its questions, its messages (comments tagged
 * with the room), its numbered events and the audit log.
 */
@Injectable()
export class MinutesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: RoomAccess,
  ) {}

  async build(roomId: string): Promise<MinutesView> {
    const room = await this.access.load(roomId);
    if (room.status !== 'ended')
      throw Problem.conflict('room_not_ended', msg('code.room_not_ended'));
    const db = this.dataSource.manager;

    const [audit, eventActors, counts, messages, unanswered, top, attendance] = await Promise.all([
      db.query<AuditRow[]>(
        // The target's name as people know it: the user, or the author of the message or question.
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
        [room.id, room.spaceId],
      ),
      // Room events name who acted: `by` (start, end), `actor.id` (facilitators' `mod:action`).
      db.query<{ actor: string; created_at: Date }[]>(
        `SELECT DISTINCT ON (actor) actor, created_at FROM (
           SELECT CASE WHEN type IN ('room:state', 'room:ended') THEN data->>'by' END AS actor,
                  created_at, seq FROM room_events WHERE room_id = $1
           UNION ALL
           SELECT CASE WHEN type = 'mod:action' AND jsonb_typeof(data->'actor') = 'object'
                       THEN data->'actor'->>'id' END,
                  created_at, seq FROM room_events WHERE room_id = $1
         ) e WHERE actor IS NOT NULL ORDER BY actor, seq`,
        [room.id],
      ),
      db.query<{ status: string; n: number }[]>(
        `SELECT status, count(*)::int AS n FROM room_questions WHERE room_id = $1 GROUP BY status`,
        [room.id],
      ),
      db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM comments c WHERE ${ROOM_MESSAGES}`,
        [room.id],
      ),
      db.query<QuestionRow[]>(
        `SELECT ${QUESTION_COLUMNS} FROM room_questions q JOIN users u ON u.id = q.author_id
          WHERE q.room_id = $1 AND q.status IN ('visible', 'pending')
          ORDER BY q.upvotes DESC, q.created_at ASC, q.id ASC`,
        [room.id],
      ),
      db.query<
        {
          id: string;
          author_id: string;
          display_name: string;
          body: string;
          agree_count: number;
          created_at: Date;
        }[]
      >(
        `SELECT c.id, c.author_id, u.display_name, c.body, c.agree_count, c.created_at
           FROM comments c JOIN users u ON u.id = c.author_id
          WHERE ${ROOM_MESSAGES} AND c.status = 'visible' AND c.agree_count > 0
          ORDER BY c.agree_count DESC, c.created_at ASC, c.id ASC
          LIMIT ${TOP_AGREED_LIMIT}`,
        [room.id],
      ),
      // Each node's per-minute count, summed: attendance over time.
      db.query<{ at: Date; count: number }[]>(
        `SELECT at, sum(count)::int AS count FROM room_attendance WHERE room_id = $1
          GROUP BY at ORDER BY at`,
        [room.id],
      ),
    ]);

    const byStatus = new Map(counts.map((c) => [c.status, c.n]));
    const n = (status: string): number => byStatus.get(status) ?? 0;
    const startedAt = room.startedAt;
    const endedAt = room.endedAt;

    return {
      room: {
        id: room.id,
        title: room.title,
        topicId: room.topicId,
        startedAt: startedAt?.toISOString() ?? null,
        endedAt: endedAt?.toISOString() ?? null,
        durationMinutes:
          startedAt && endedAt
            ? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 60_000))
            : 0,
      },
      facilitators: await this.facilitators(audit, eventActors),
      attendance: {
        peak: room.peakPresence,
        timeline: attendance.map((a) => ({ at: a.at.toISOString(), count: a.count })),
      },
      messages: { count: messages[0]?.n ?? 0 },
      questions: {
        count: [...byStatus.values()].reduce((a, b) => a + b, 0),
        answered: n('answered'),
        unanswered: n('visible') + n('pending'),
        dismissed: n('dismissed'),
      },
      unansweredQuestions: unanswered.map(toQuestionView),
      topAgreed: top.map((c) => ({
        id: c.id,
        author: { id: c.author_id, displayName: c.display_name },
        body: c.body,
        agreeCount: c.agree_count,
        createdAt: c.created_at.toISOString(),
      })),
      moderation: audit.map((a) => ({
        action: a.action,
        actor: a.actor_id ? { id: a.actor_id, displayName: a.actor_name ?? '' } : null,
        target: {
          type: a.target_type,
          id: a.target_id,
          ...(a.target_name !== null ? { displayName: a.target_name } : {}),
        },
        reason: a.reason,
        at: a.created_at.toISOString(),
      })),
      reactions: room.reactionTotals ?? {},
    };
  }

  /** Audit actors and room-event actors, in the order they first acted. */
  private async facilitators(
    audit: AuditRow[],
    events: { actor: string; created_at: Date }[],
  ): Promise<MinutesPerson[]> {
    const first = new Map<string, number>();
    const see = (id: string | null, at: Date): void => {
      if (!id || !isUuid(id)) return;
      const key = id.toLowerCase();
      const seen = first.get(key);
      if (seen === undefined || at.getTime() < seen) first.set(key, at.getTime());
    };
    for (const a of audit) see(a.actor_id, a.created_at);
    for (const e of events) see(e.actor, e.created_at);
    if (first.size === 0) return [];
    const users: { id: string; display_name: string }[] = await this.dataSource.query(
      `SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])`,
      [[...first.keys()]],
    );
    return users
      .map((u) => ({ id: u.id, displayName: u.display_name }))
      .sort((a, b) => first.get(a.id)! - first.get(b.id)! || a.id.localeCompare(b.id));
  }
}
