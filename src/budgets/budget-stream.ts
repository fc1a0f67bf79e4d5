import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { EventBus } from '../core/events/event-bus';
import { Coalescer } from '../core/realtime/coalescer';
import { LiveHandler } from '../core/realtime/live-handler';
import { LiveServer } from '../core/realtime/live-server';
import { LIVE_NAMESPACE, type LiveAck, type LiveSocket, Rooms } from '../core/realtime/live-socket';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { type BudgetWatchResult } from '../protocol/live';
import { BudgetsRepository } from './budgets.repository';
import { BudgetsService } from './budgets.service';

/** `budget:tally` goes out at most this often per budget, across every node. */
export const TALLY_INTERVAL_MS = 500;

export class WatchBudgetDto {
  @IsUUID('all', { message: 'must be a UUID' })
  budgetId!: string;
}

/**
 * The `budget:watch` stream: `budget:phase` for everyone, and `budget:tally` only while the
 * tally is public (results, or voting with `liveTally`). A ballot on any node asks for a new
 * tally; the node that wins the budget's slot in PostgreSQL (one per TALLY_INTERVAL_MS, across
 * nodes) recounts and sends it through the adapter to every node's sockets, and a node that
 * lost the slot asks again after the interval, so the last ballot is always in a tally.
 */
@Injectable()
export class BudgetStream implements OnModuleInit, OnModuleDestroy {
  private readonly offs: (() => void)[] = [];
  /** When this node last sent each budget's tally (ms, its clock). */
  private readonly sentAt = new Map<string, number>();
  /** Each budget's send under way, if any: the next one follows it. */
  private readonly sending = new Map<string, Promise<void>>();
  private readonly pending = new Coalescer<string, true>(TALLY_INTERVAL_MS, (batch) =>
    this.flush([...batch.keys()]),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly live: LiveServer,
    private readonly budgets: BudgetsService,
    private readonly budgetsRepo: BudgetsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.offs.push(
      this.bus.subscribeLocal('budget.ballots_changed', (e) => this.pending.add(e.budgetId, true)),
      this.bus.subscribeLocal('budget.phase', (e) => {
        this.live.emit(Rooms.budget(e.budgetId), 'budget:phase', {
          budgetId: e.budgetId,
          seq: e.seq,
          from: e.from,
          to: e.to,
        });
        // The result is public from `results` on: watchers get it at once.
        if (e.to === 'results') void this.sendNow(e.budgetId);
      }),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.offs) off();
    this.pending.close();
    this.sentAt.clear();
  }

  async watch(socket: LiveSocket, budgetId: string): Promise<BudgetWatchResult> {
    const budget = await this.budgets.budgetRow(this.dataSource, budgetId);
    await socket.join(Rooms.budget(budgetId));
    const tally = BudgetsService.tallyPublic(budget) ? await this.budgets.results(budgetId) : null;
    return { budgetId, phase: budget.phase, seq: budget.seq, tally };
  }

  async unwatch(socket: LiveSocket, budgetId: string): Promise<{ budgetId: string }> {
    await socket.leave(Rooms.budget(budgetId));
    return { budgetId };
  }

  private async flush(budgetIds: string[]): Promise<void> {
    for (const id of budgetIds) {
      try {
        if (await this.budgetsRepo.claimTallySlot(id, TALLY_INTERVAL_MS / 1000))
          await this.send(id);
        else if (await this.budgetsRepo.tallyLive(id)) this.pending.add(id, true);
      } catch (err) {
        this.logger.error({ err, budgetId: id }, 'budget tally broadcast failed');
      }
    }
  }

  private async sendNow(id: string): Promise<void> {
    try {
      await this.send(id, false);
    } catch (err) {
      this.logger.error({ err, budgetId: id }, 'budget result broadcast failed');
    }
  }

  /**
   * Recounts and sends, after the budget's send under way if any: tallies go out in the order
   * they were counted (a slow live tally never follows the final result). A live tally also
   * waits until the interval has passed since this node's last one: the slot in PostgreSQL is
   * claimed before the recount, whose time varies with the node's load, and a quick recount after
   * a slow one would otherwise reach the watchers well under the interval after it.
   */
  private send(id: string, spaced = true): Promise<void> {
    const next = (this.sending.get(id) ?? Promise.resolve()).then(async () => {
      const wait = (this.sentAt.get(id) ?? -Infinity) + TALLY_INTERVAL_MS - Date.now();
      if (spaced && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const results = await this.budgets.results(id);
      this.live.emit(Rooms.budget(id), 'budget:tally', results);
      this.sentAt.set(id, Date.now());
      if (this.sentAt.size > 1000) this.forgetOld();
    });
    const settled = next.catch(() => undefined);
    this.sending.set(id, settled);
    void settled.then(() => {
      if (this.sending.get(id) === settled) this.sending.delete(id);
    });
    return next;
  }

  /** A budget whose last tally is older than the interval needs no entry. */
  private forgetOld(): void {
    const before = Date.now() - TALLY_INTERVAL_MS;
    for (const [id, at] of this.sentAt) if (at < before) this.sentAt.delete(id);
  }
}

@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class BudgetStreamGateway {
  constructor(
    private readonly handler: LiveHandler,
    private readonly stream: BudgetStream,
  ) {}

  @SubscribeMessage('budget:watch')
  watch(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'budget:watch'>> {
    return this.handler.run(socket, 'budget:watch', WatchBudgetDto, body, (dto) =>
      this.stream.watch(socket, dto.budgetId),
    );
  }

  @SubscribeMessage('budget:unwatch')
  unwatch(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<LiveAck<'budget:unwatch'>> {
    return this.handler.run(socket, 'budget:unwatch', WatchBudgetDto, body, (dto) =>
      this.stream.unwatch(socket, dto.budgetId),
    );
  }
}
