import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { LiveServer } from '../../core/realtime/live-server';
import { Coalescer } from '../../core/realtime/coalescer';
import { Rooms } from '../../core/realtime/live-socket';
import { RoomsRepository } from '../rooms.repository';
import { type ReactionEmoji } from './dto/room-reactions.dto';

/** Reactions are broadcast at most this often per room from each node. */
export const REACTION_FLUSH_MS = 250;
/** After a failed write of the totals, the next attempt comes this much later. */
const SAVE_RETRY_MS = 2000;

type Counts = Partial<Record<ReactionEmoji, number>>;

/**
 * Ephemeral reactions (👏 👍 ❤️ 🤔). A click only bumps a counter in this node's memory; every
 * REACTION_FLUSH_MS the counts gathered since the last flush go out as one `reactions`
 * broadcast per room and are added to `rooms.reaction_totals` (for the minutes) by a single
 * UPDATE for every room at once. A burst of thousands of clicks is therefore four messages a
 * second per node, and memory holds at most one small map per room with recent clicks.
 */
@Injectable()
export class ReactionAggregator implements OnModuleDestroy {
  /** Counted since the last broadcast, by room. */
  private readonly window = new Coalescer<string, Counts>(
    REACTION_FLUSH_MS,
    (batch) => this.broadcast(batch),
    (counts, click) => add(counts ?? {}, click),
  );
  /** Counted but not yet in PostgreSQL (kept across a failed write, for the next flush). */
  private unsaved = new Map<string, Counts>();
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly live: LiveServer,
    private readonly rooms: RoomsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  add(roomId: string, emoji: ReactionEmoji): void {
    // The next broadcast is at least REACTION_FLUSH_MS after the last, for the whole node.
    this.window.add(roomId, { [emoji]: 1 });
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.retry);
    await this.flush();
  }

  /** Broadcasts what was counted since the last broadcast and adds it to the totals. */
  flush(): Promise<void> {
    return this.window.drain();
  }

  private async broadcast(window: Map<string, Counts>): Promise<void> {
    for (const [roomId, counts] of window) {
      this.live.emit(Rooms.room(roomId), 'reactions', { roomId, counts });
      this.unsaved.set(roomId, add(this.unsaved.get(roomId) ?? {}, counts));
    }
    await this.save();
  }

  private async save(): Promise<void> {
    if (this.unsaved.size === 0) return;
    const batch = this.unsaved;
    this.unsaved = new Map();
    try {
      await this.rooms.addReactionTotals(Object.fromEntries(batch));
    } catch (err) {
      this.logger.warn({ err }, 'reaction totals not saved; retrying with the next flush');
      for (const [roomId, counts] of batch)
        this.unsaved.set(roomId, add(this.unsaved.get(roomId) ?? {}, counts));
      this.retry ??= setTimeout(() => {
        this.retry = undefined;
        void this.save();
      }, SAVE_RETRY_MS);
    }
  }
}

/** `into` with `more` added to it, emoji by emoji (a new object). */
function add(into: Counts, more: Counts): Counts {
  const sum: Counts = { ...into };
  for (const [emoji, n] of Object.entries(more) as [ReactionEmoji, number][])
    sum[emoji] = (sum[emoji] ?? 0) + n;
  return sum;
}
