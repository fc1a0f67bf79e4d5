import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CommentsService } from '../comments/comments.service';
import { type DomainEventMap } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { type LiveServerEvents } from '../core/realtime/live-events';
import { LiveServer } from '../core/realtime/live-server';
import { Rooms } from '../core/realtime/live-socket';

/** Agree counts are sent at most this often per target: a burst of agrees is one message. */
export const AGREE_COALESCE_MS = 200;

/**
 * Turns committed domain events into topic-stream broadcasts. Only events published on this
 * node are broadcast here; the Socket.IO adapter carries them to the sockets of every node.
 * Payloads are what the public may see (new comments are visible; hidden ones carry no text).
 */
@Injectable()
export class TopicStreamPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly offs: (() => void)[] = [];
  private readonly pendingCounts = new Map<string, LiveServerEvents['agree:count']>();
  private flushTimer?: NodeJS.Timeout;

  constructor(
    private readonly bus: EventBus,
    private readonly live: LiveServer,
    private readonly comments: CommentsService,
  ) {}

  onModuleInit(): void {
    const topic = (id: string): string => Rooms.topic(id);
    this.onLocal('comment.created', (e) =>
      this.pushComment('comment:new', e.topicId, e.seq, e.commentId),
    );
    this.onLocal('comment.edited', (e) =>
      this.pushComment('comment:edited', e.topicId, e.seq, e.commentId),
    );
    this.onLocal('comment.restored', (e) =>
      this.pushComment('comment:restored', e.topicId, e.seq, e.commentId),
    );
    this.onLocal('comment.deleted', (e) =>
      this.live.emit(topic(e.topicId), 'comment:deleted', {
        topicId: e.topicId,
        seq: e.seq,
        commentId: e.commentId,
      }),
    );
    this.onLocal('comment.hidden', (e) =>
      this.live.emit(topic(e.topicId), 'comment:hidden', {
        topicId: e.topicId,
        seq: e.seq,
        commentId: e.commentId,
        hiddenReason: e.reason,
      }),
    );
    this.onLocal('topic.transitioned', (e) =>
      this.live.emit(topic(e.topicId), 'topic:status', {
        topicId: e.topicId,
        seq: e.seq,
        from: e.from,
        to: e.to,
        reason: e.reason,
      }),
    );
    this.onLocal('topic.ladder_crossed', (e) =>
      this.live.emit(topic(e.topicId), 'topic:ladder', {
        topicId: e.topicId,
        seq: e.seq,
        rung: e.rung,
        count: e.count,
        dueAt: e.dueAt,
      }),
    );
    this.onLocal('topic.answered', (e) =>
      this.live.emit(topic(e.topicId), 'topic:answered', {
        topicId: e.topicId,
        seq: e.seq,
        responseId: e.responseId,
      }),
    );
    this.onLocal('stance.changed', (e) =>
      this.live.emit(topic(e.topicId), 'stance:count', { topicId: e.topicId, counts: e.counts }),
    );
    this.onLocal('agree.changed', (e) =>
      this.queueCount({
        topicId: e.topicId,
        targetType: e.targetType,
        targetId: e.targetId,
        count: e.count,
      }),
    );
  }

  /** Subscribes to events published on this node only (see the class comment). */
  private onLocal<K extends keyof DomainEventMap>(
    name: K,
    handler: (payload: DomainEventMap[K]) => Promise<void> | void,
  ): void {
    this.offs.push(this.bus.subscribeLocal(name, handler));
  }

  onModuleDestroy(): void {
    this.offs.forEach((off) => off());
    clearTimeout(this.flushTimer);
    this.flush();
  }

  private async pushComment(
    event: 'comment:new' | 'comment:edited' | 'comment:restored',
    topicId: string,
    seq: number,
    commentId: string,
  ): Promise<void> {
    const comment = (await this.comments.viewsByIds([commentId], false)).get(commentId);
    // Gone already (its topic was deleted): the seq is still closed by catch-up.
    if (comment) this.live.emit(Rooms.topic(topicId), event, { topicId, seq, comment });
  }

  /** Keeps only the latest count per target until the next flush. */
  private queueCount(payload: LiveServerEvents['agree:count']): void {
    this.pendingCounts.set(payload.targetId, payload);
    this.flushTimer ??= setTimeout(() => this.flush(), AGREE_COALESCE_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    for (const payload of this.pendingCounts.values()) {
      this.live.emit(Rooms.topic(payload.topicId), 'agree:count', payload);
    }
    this.pendingCounts.clear();
  }
}
