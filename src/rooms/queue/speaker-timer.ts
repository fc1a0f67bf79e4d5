import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig } from '../../core/config/env';
import { UnitOfWork } from '../../core/events/unit-of-work';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { appendRoomEvent } from '../room-events';
import { RoomsRepository } from '../rooms.repository';
import { QueueReader } from './queue.read';
import { toQueueUpdate } from './queue.view';

/** How often each node looks for speakers whose time is up. */
export const SPEAKER_CHECK_MS = 1000;

/**
 * Enforces the per-speaker time limit: once `speaker_until` has passed, the floor is taken
 * back and everyone gets the `queue:update` (the next person is still called by a facilitator,
 * who may want to say a word in between). Every node checks; rows are claimed with
 * FOR UPDATE SKIP LOCKED and re-checked under the lock, so each expiry happens once, and
 * after a restart the deadline is still in the row.
 */
@Injectable()
export class SpeakerTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly rooms: RoomsRepository,
    private readonly reader: QueueReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // Tied to the scheduler switch, so tests drive it by hand like the other deadlines.
    if (this.config.SCHEDULER_INTERVAL_SECONDS === 0) return;
    this.timer = setInterval(() => void this.tick(), SPEAKER_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.runOnce();
    } catch (err) {
      this.logger.warn({ err }, 'speaker time check failed');
    } finally {
      this.running = false;
    }
  }

  /** Ends every speaking turn whose time is up; returns how many ended. */
  async runOnce(): Promise<number> {
    return this.uow.run(async (work) => {
      const due = await this.rooms.claimSpeakersDue(work.tx);
      for (const room of due) {
        await this.rooms.clearFloor(work.tx, room.id);
        const queue = toQueueUpdate(await this.reader.state(room.id, work.tx));
        await appendRoomEvent(work, { id: room.id, spaceId: room.space_id }, 'queue:update', {
          ...queue,
          reason: 'time_up',
        });
      }
      return due.length;
    });
  }
}
