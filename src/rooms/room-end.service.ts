import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { CommentsService } from '../comments/comments.service';
import { EventBus } from '../core/events/event-bus';
import { UnitOfWork, type Work } from '../core/events/unit-of-work';
import { Problem } from '../core/http/problem';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { type OpenQuestion, QuestionsRepository } from './qa/questions.repository';

/** What an unanswered question's comment starts with on the topic. */
export const CARRIED_QUESTION_PREFIX = '[타운홀 질문] ';

export interface CarryOverResult {
  /** Questions that became comments in this run. */
  carried: number;
  /** Questions left as they are (their author is banned from the space). */
  skipped: number;
}

/**
 * What happens when a room ends (PRODUCT: "Unanswered questions stay on the topic as comments
 * awaiting an answer"): each question still `visible` or `pending` becomes a comment on the
 * room's topic by its author, tagged with the room, and the question keeps the comment's id.
 *
 * Exactly once: each question is handled in its own transaction that first locks its row on
 * `comment_id IS NULL`, and writes the comment and the link in that same transaction. A second
 * run (the event delivered twice, the startup sweep, two nodes) waits on the lock and then
 * finds the link set. Runs on this node are chained one after another, so a burst of ended
 * rooms does not take many pool connections at once.
 */
@Injectable()
export class RoomEndService
  implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private off?: () => void;
  private chain: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly questions: QuestionsRepository,
    private readonly uow: UnitOfWork,
    private readonly bus: EventBus,
    private readonly comments: CommentsService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    // Local events only: the node that ended the room does the work (once, not once per node).
    this.off = this.bus.subscribeLocal('room.ended', (e) => {
      void this.enqueue(e.roomId);
    });
  }

  /**
   * Domain events are delivered at most once: a node stopped between the end's commit and
   * this handler would leave questions behind. Each start picks those rooms up again.
   */
  onApplicationBootstrap(): void {
    void this.enqueueLeftovers();
  }

  onModuleDestroy(): void {
    this.off?.();
    this.stopping = true;
  }

  /**
   * Lets the question being carried over finish before the database closes; the rest wait
   * for the next start's sweep.
   */
  beforeApplicationShutdown(): Promise<void> {
    return this.idle();
  }

  /** Waits for every carry-over queued so far on this node (tests, shutdown). */
  async idle(): Promise<void> {
    await this.chain;
  }

  private enqueue(roomId: string): Promise<unknown> {
    this.chain = this.chain.then(() =>
      this.carryOver(roomId).catch((err: unknown) =>
        this.logger.error({ err, roomId }, 'carrying questions over to the topic failed'),
      ),
    );
    return this.chain;
  }

  private async enqueueLeftovers(): Promise<void> {
    try {
      const rooms = await this.questions.roomsWithLeftovers();
      for (const roomId of rooms) void this.enqueue(roomId);
    } catch (err) {
      this.logger.warn({ err }, 'could not look for questions left behind by ended rooms');
    }
  }

  /** Carries every open question of an ended room over to its topic. Safe to run again. */
  async carryOver(roomId: string): Promise<CarryOverResult> {
    const candidates = await this.questions.toCarryOver(roomId);
    const result: CarryOverResult = { carried: 0, skipped: 0 };
    for (const id of candidates) {
      if (this.stopping) break;
      const outcome = await this.uow.run((work) => this.carryOne(work, id));
      if (outcome === 'carried') result.carried++;
      if (outcome === 'skipped') result.skipped++;
    }
    return result;
  }

  private async carryOne(work: Work, questionId: string): Promise<'carried' | 'skipped' | 'done'> {
    // The guard: re-checked on the newest row version once the lock is ours.
    const question = await this.questions.lockOpen(work.tx, questionId);
    if (!question) return 'done';
    let commentId: string;
    try {
      commentId = await this.post(work, question);
    } catch (err) {
      // A person banned from the space posts nothing there, this way either; the question
      // stays in the room's record (and in the minutes' unanswered questions).
      if (err instanceof Problem && err.code === 'banned') return 'skipped';
      throw err;
    }
    await this.questions.linkComment(work.tx, question.id, commentId);
    return 'carried';
  }

  /**
   * Posts the comment in the caller's transaction (so the link and the comment commit
   * together), through CommentsService.create like any comment: every counter, the topic's
   * numbered event, the live push. A room may well outlive its topic's deliberation, or end
   * after the topic was closed; dropping the question then would lose exactly what the
   * product promises to keep ("unanswered questions stay on the topic"), and reopening the
   * topic is not ours to do — so it is posted whatever the topic's status (participation
   * still counts only while the topic is deliberating).
   */
  private async post(work: Work, q: OpenQuestion): Promise<string> {
    const comment = await this.comments.create(
      { id: q.author_id, role: q.role, displayName: q.display_name },
      q.topic_id,
      { body: `${CARRIED_QUESTION_PREFIX}${q.body}` },
      { roomId: q.room_id, work, anyStatus: true },
    );
    return comment.id;
  }
}
