import { Injectable } from '@nestjs/common';
import { queryRows } from '../core/database/sql';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { domainEvent } from '../core/events/domain-events';
import { type Thresholds } from '../spaces/space.entity';
import { renderMessage } from '../core/http/i18n/localize';
import { causeMessage, type SystemCause } from './system-cause';
import { crossings } from './topic-lifecycle';
import { appendTopicEvent } from './topic-events';
import { type Rung, type TopicStatus } from './topic.entity';

/** Days the institution has to answer once a rung obliges it to. */
export const ANSWER_DUE_DAYS = 30;

interface LockedTopic {
  id: string;
  space_id: string;
  status: TopicStatus;
  rung: Rung;
  agree_count: number;
  participant_count: number;
  thresholds: Thresholds;
}

/** What decides the rungs: a topic's status, rung, counts and its space's thresholds. */
type LadderCounts = Pick<
  LockedTopic,
  'status' | 'rung' | 'agree_count' | 'participant_count' | 'thresholds'
>;

/** The rungs the counts have reached and not yet applied. */
function crossingsOf(topic: LadderCounts): ReturnType<typeof crossings> {
  return crossings(
    {
      status: topic.status,
      rung: topic.rung,
      agreeCount: topic.agree_count,
      participantCount: topic.participant_count,
    },
    topic.thresholds,
  );
}

/**
 * Climbs the threshold ladder. The topic row is locked (FOR NO KEY UPDATE: rows that merely
 * reference the topic may still be inserted) before the counts are read, and the rung is
 * written under that lock, so under any concurrency exactly one transaction sees each
 * crossing. Comments climb inside their own transaction; topic agrees, which move the count
 * in one statement, climb right after it (`settle`), and the scheduler settles any topic a
 * crash left owed a rung (`owedRungs`).
 */
@Injectable()
export class LadderService {
  constructor(private readonly uow: UnitOfWork) {}

  async lock(work: Work, topicId: string): Promise<LockedTopic | undefined> {
    const rows: LockedTopic[] = await work.tx.query(
      `SELECT t.id, t.space_id, t.status, t.rung, t.agree_count, t.participant_count, s.thresholds
         FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE t.id = $1 FOR NO KEY UPDATE OF t`,
      [topicId],
    );
    return rows[0];
  }

  /**
   * Applies, in a transaction of its own, every rung the topic's counts have reached. Called
   * right after a count moved outside the ladder's lock (a topic agree); `climb` re-reads the
   * counts under the lock, so a rung is still crossed exactly once however many call this.
   */
  async settle(topicId: string): Promise<void> {
    await this.uow.run(async (work) => {
      const topic = await this.lock(work, topicId);
      if (topic) await this.climb(work, topic);
    });
  }

  /**
   * After a count moved in a commit of its own (outside the lock): climbs at once, as `settle`
   * does, when the counts that commit left reach a rung.
   */
  async settleIfOwed(topicId: string, counts: LadderCounts): Promise<void> {
    if (crossingsOf(counts).length > 0) await this.settle(topicId);
  }

  /**
   * After a write committed on its own that makes its authors take part in a deliberation (a
   * comment posted while the topic opened deliberation, comment agrees during one): they are
   * counted, in a transaction of its own under the lock, which checks the status again.
   */
  async participateLate(topicId: string, userIds: string | string[]): Promise<void> {
    await this.uow.run(async (work) => {
      const topic = await this.lock(work, topicId);
      if (topic) await this.participate(work, topic, userIds);
    });
  }

  /** Topics whose counts have reached a rung not yet applied (a crash between an agree and its climb). */
  async owedRungs(work: Work, limit: number): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      work.tx,
      `SELECT t.id FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE (t.status IN ('proposed', 'under_review')
               AND ((t.rung < 1 AND t.agree_count >= (s.thresholds->>'review')::int)
                 OR (t.rung < 2 AND t.agree_count >= (s.thresholds->>'deliberation')::int)))
           OR (t.status = 'deliberating' AND t.rung < 3
               AND t.participant_count >= (s.thresholds->>'response')::int)
        ORDER BY t.id LIMIT ${limit}`,
    );
    return rows.map((r) => r.id);
  }

  /** Checks the locked, up-to-date row and applies every rung it has just crossed. */
  async climb(work: Work, topic: LockedTopic): Promise<void> {
    for (const crossing of crossingsOf(topic)) {
      const owes = crossing.name === 'review' || crossing.name === 'response';
      const dueAt = owes ? new Date(Date.now() + ANSWER_DUE_DAYS * 86_400_000) : null;
      if (dueAt) {
        await work.tx.query(
          `INSERT INTO owed_answers (topic_id, rung, due_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
          [topic.id, crossing.name, dueAt],
        );
      }
      const seq = await appendTopicEvent(work.tx, topic.id, 'ladder_crossed', null, {
        rung: crossing.name,
        count: crossing.count,
        dueAt: dueAt?.toISOString() ?? null,
      });
      await work.tx.query(`UPDATE topics SET rung = $2 WHERE id = $1`, [topic.id, crossing.rung]);
      work.emit(
        domainEvent('topic.ladder_crossed', {
          topicId: topic.id,
          spaceId: topic.space_id,
          rung: crossing.name,
          count: crossing.count,
          dueAt: dueAt?.toISOString() ?? null,
          seq,
        }),
      );
      if (crossing.to && crossing.to !== topic.status) {
        await this.move(work, topic, crossing.to, null, null, undefined, {
          kind: 'threshold',
          rung: crossing.name,
          count: crossing.count,
        });
      }
      topic.rung = crossing.rung;
    }
  }

  /**
   * Changes the status of a locked topic and records it on the timeline. Opening a
   * deliberation sets its dates from the space's ladder unless `closesAt` is given.
   */
  async move(
    work: Work,
    topic: Pick<LockedTopic, 'id' | 'space_id' | 'status' | 'thresholds'>,
    to: TopicStatus,
    actorId: string | null,
    given: string | null,
    closesAt?: Date,
    cause?: SystemCause,
  ): Promise<void> {
    const from = topic.status;
    // A move the system made keeps its cause as data (the timeline writes it in the reader's
    // language) and, for older readers, the English sentence as its reason.
    const reason = cause ? renderMessage(causeMessage(cause), 'en') : given;
    if (to === 'deliberating') {
      const closes =
        closesAt ?? new Date(Date.now() + topic.thresholds.deliberationDays * 86_400_000);
      await work.tx.query(
        `UPDATE topics SET status = $2, deliberation_opened_at = now(), closes_at = $3,
                rung = GREATEST(rung, 2), last_activity_at = now() WHERE id = $1`,
        [topic.id, to, closes],
      );
    } else {
      await work.tx.query(
        `UPDATE topics SET status = $2::varchar, rejected_reason = CASE WHEN $2::varchar = 'rejected' THEN $3::text ELSE rejected_reason END,
                last_activity_at = now() WHERE id = $1`,
        [topic.id, to, reason],
      );
    }
    const seq = await appendTopicEvent(work.tx, topic.id, 'transitioned', actorId, {
      from,
      to,
      reason,
      ...(cause ? { cause } : {}),
    });
    topic.status = to;
    work.emit(
      domainEvent('topic.transitioned', {
        topicId: topic.id,
        spaceId: topic.space_id,
        from,
        to,
        actorId,
        reason,
        seq,
      }),
    );
  }

  /**
   * Counts the users as participants of a deliberating topic (once per user, exactly: the
   * primary key decides) and climbs the response rung when the count crosses it.
   */
  async participate(work: Work, topic: LockedTopic, userIds: string | string[]): Promise<void> {
    if (topic.status !== 'deliberating') return;
    const inserted: unknown[] = await work.tx.query(
      `INSERT INTO topic_participants (topic_id, user_id)
       SELECT $1, u FROM unnest($2::uuid[]) AS u ON CONFLICT DO NOTHING RETURNING 1`,
      [topic.id, Array.isArray(userIds) ? userIds : [userIds]],
    );
    if (inserted.length === 0) return;
    const rows = await queryRows<{ participant_count: number }>(
      work.tx,
      `UPDATE topics SET participant_count = participant_count + $2 WHERE id = $1 RETURNING participant_count`,
      [topic.id, inserted.length],
    );
    topic.participant_count = rows[0]!.participant_count;
    await this.climb(work, topic);
  }
}

export type { LockedTopic };
