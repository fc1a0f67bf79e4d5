import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { LiveServer } from '../../core/realtime/live-server';
import { Coalescer } from '../../core/realtime/coalescer';
import { Rooms } from '../../core/realtime/live-socket';
import { QuestionsRepository } from './questions.repository';

/** Upvote counts are sent at most this often per question: a burst of votes is one message. */
export const VOTES_COALESCE_MS = 250;

/**
 * Upvote counts as live snapshots (`question:votes`), not numbered room events: a count is
 * superseded by the next one, and a client that reconnects gets every current count from
 * `room:join` (`questions`). A busy Q&A therefore costs one small message per question per
 * interval rather than one stored event per vote, and votes do not queue on the room row.
 * Counts are read from PostgreSQL when sent, so the last message always carries the
 * committed total whatever order the votes committed in.
 */
@Injectable()
export class QuestionVotesBroadcaster implements OnApplicationShutdown {
  /** Question id → its room. */
  private readonly votes = new Coalescer<string, string>(VOTES_COALESCE_MS, (batch) =>
    this.send([...batch.keys()]),
  );

  constructor(
    private readonly questions: QuestionsRepository,
    private readonly live: LiveServer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Call after the vote committed. */
  changed(roomId: string, questionId: string): void {
    this.votes.add(questionId, roomId);
  }

  onApplicationShutdown(): void {
    this.votes.close();
  }

  /** Sends what is pending now. */
  flush(): Promise<void> {
    return this.votes.drain();
  }

  private async send(ids: string[]): Promise<void> {
    try {
      const rows = await this.questions.votes(ids);
      for (const row of rows) {
        this.live.emit(Rooms.room(row.room_id), 'question:votes', {
          roomId: row.room_id,
          questionId: row.id,
          upvotes: row.upvotes,
        });
      }
    } catch (err) {
      // Only the live snapshot is lost; the counts are in PostgreSQL and on the next join.
      this.logger.warn({ err, questions: ids.length }, 'question vote counts not broadcast');
    }
  }
}
