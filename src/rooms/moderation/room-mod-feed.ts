import { type CommentView } from '../../protocol/views';
import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CommentsService } from '../../comments/comments.service';
import { EventBus } from '../../core/events/event-bus';
import { UnitOfWork } from '../../core/events/unit-of-work';
import { RoomAccess } from '../room-access.service';
import { RoomMessagesRepository } from '../chat/room-messages.repository';
import { appendRoomEvent } from '../room-events';

/**
 * Brings what citizens flag into the facilitators' shared queue of a room: a report on one of
 * the room's messages becomes `mod:report`, and a message hidden by the report threshold
 * becomes `mod:flag` (everyone already got `comment:hidden` from the hide itself).
 * Runs after the report's own commit, on the node that took it (local events only), so each
 * report is queued once in the room.
 */
@Injectable()
export class RoomModFeed implements OnModuleInit, OnModuleDestroy {
  private readonly offs: (() => void)[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: EventBus,
    private readonly messages: RoomMessagesRepository,
    private readonly uow: UnitOfWork,
    private readonly access: RoomAccess,
    private readonly comments: CommentsService,
  ) {}

  onModuleInit(): void {
    this.offs.push(
      this.bus.subscribeLocal('report.created', (e) =>
        this.inOrder(() => this.report(e.reportId, e.commentId, e.openReports)),
      ),
      this.bus.subscribeLocal('comment.hidden', (e) =>
        e.actorId === null ? this.inOrder(() => this.flag(e.commentId, e.reason)) : undefined,
      ),
    );
  }

  /**
   * Queues in the order the events were published, so the report that crossed the threshold
   * comes before the flag it caused. A failure is the bus's to log and does not stop the queue.
   */
  private inOrder(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  onModuleDestroy(): void {
    this.offs.forEach((off) => off());
  }

  private async report(reportId: string, commentId: string, openReports: number): Promise<void> {
    const roomId = await this.messages.roomOf(commentId);
    if (!roomId) return;
    const report = await this.messages.report(reportId);
    if (!report) return;
    const comment = await this.view(commentId);
    await this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      if (room.status === 'ended') return;
      await appendRoomEvent(
        work,
        room,
        'mod:report',
        { reportId, commentId, reason: report.reason, detail: report.detail, openReports, comment },
        'mod',
      );
    });
  }

  private async flag(commentId: string, reason: string): Promise<void> {
    const roomId = await this.messages.roomOf(commentId);
    if (!roomId) return;
    const comment = await this.view(commentId);
    await this.uow.run(async (work) => {
      const room = await this.access.load(roomId, work.tx, true);
      if (room.status === 'ended') return;
      await appendRoomEvent(work, room, 'mod:flag', { commentId, reason, comment }, 'mod');
    });
  }

  /** As facilitators see it: only they receive these events (a replay re-reads it). */
  private async view(commentId: string): Promise<CommentView | null> {
    return (await this.comments.viewsByIds([commentId], true)).get(commentId) ?? null;
  }
}
