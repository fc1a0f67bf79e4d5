import { Injectable } from '@nestjs/common';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { domainEvent } from '../core/events/domain-events';
import { renderMessage } from '../core/http/i18n/localize';
import { causeMessage, type SystemCause } from './system-cause';
import { crossings } from './topic-lifecycle';
import { TopicEventsRepository } from './topic-events.repository';
import { TopicParticipationRepository } from './topic-participation.repository';
import { TopicResponsesRepository } from './topic-responses.repository';
import { type TopicStatus } from './topic.entity';
import { type LockedTopic, TopicsRepository } from './topics.repository';

/** Days the institution has to answer once a rung obliges it to. */
export const ANSWER_DUE_DAYS = 30;

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
  constructor(
    private readonly uow: UnitOfWork,
    private readonly topics: TopicsRepository,
    private readonly events: TopicEventsRepository,
    private readonly responses: TopicResponsesRepository,
    private readonly participation: TopicParticipationRepository,
  ) {}

  async lock(work: Work, topicId: string): Promise<LockedTopic | undefined> {
    return this.topics.lock(work.tx, topicId);
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
    return this.topics.owedRungs(work.tx, limit);
  }

  /** Checks the locked, up-to-date row and applies every rung it has just crossed. */
  async climb(work: Work, topic: LockedTopic): Promise<void> {
    for (const crossing of crossingsOf(topic)) {
      const owes = crossing.name === 'review' || crossing.name === 'response';
      const dueAt = owes ? new Date(Date.now() + ANSWER_DUE_DAYS * 86_400_000) : null;
      if (dueAt) {
        await this.responses.owe(work.tx, topic.id, crossing.name, dueAt);
      }
      const seq = await this.events.append(work.tx, topic.id, 'ladder_crossed', null, {
        rung: crossing.name,
        count: crossing.count,
        dueAt: dueAt?.toISOString() ?? null,
      });
      await this.topics.setRung(work.tx, topic.id, crossing.rung);
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
      await this.topics.openDeliberation(work.tx, topic.id, closes);
    } else {
      await this.topics.setStatus(work.tx, topic.id, to, reason);
    }
    const seq = await this.events.append(work.tx, topic.id, 'transitioned', actorId, {
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
    const added = await this.participation.addParticipants(
      work.tx,
      topic.id,
      Array.isArray(userIds) ? userIds : [userIds],
    );
    if (added === 0) return;
    topic.participant_count = await this.topics.addParticipants(work.tx, topic.id, added);
    await this.climb(work, topic);
  }
}

export type { LockedTopic };
