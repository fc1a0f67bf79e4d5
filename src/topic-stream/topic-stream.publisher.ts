import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CommentsRepository } from '../comments/comments.repository';
import { CommentsService } from '../comments/comments.service';
import { type DomainEventMap } from '../core/events/domain-events';
import { EventBus } from '../core/events/event-bus';
import { type LiveServerEvents } from '../core/realtime/live-events';
import { Coalescer } from '../core/realtime/coalescer';
import { LiveServer } from '../core/realtime/live-server';
import { Rooms } from '../core/realtime/live-socket';
import { SeqOrder } from '../core/realtime/seq-order';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { TopicsRepository } from '../topics/topics.repository';

/** A numbered topic event ready to go out (`send` null: nothing to broadcast for it). */
interface Numbered {
  topicId: string;
  seq: number;
  send: (() => void) | null;
}

/** Agree counts are sent at most this often per target: a burst of agrees is one message. */
export const AGREE_COALESCE_MS = 200;

/**
 * Turns committed domain events into topic-stream broadcasts, numbered ones in seq order. Only
 * events published on this node are broadcast here; the Socket.IO adapter carries them to the
 * sockets of every node.
 * Payloads are what the public may see (new comments are visible; hidden ones carry no text).
 */
@Injectable()
export class TopicStreamPublisher implements OnModuleInit, OnModuleDestroy {
  private readonly offs: (() => void)[] = [];
  /** Targets whose count changed, by id; flushes run one after another, in read order. */
  private readonly counts = new Coalescer<string, LiveServerEvents['agree:count']>(
    AGREE_COALESCE_MS,
    (batch) => this.flush([...batch.values()]),
  );
  private readonly order = new SeqOrder();

  constructor(
    private readonly bus: EventBus,
    private readonly live: LiveServer,
    private readonly comments: CommentsService,
    private readonly topics: TopicsRepository,
    private readonly commentRows: CommentsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const topic = (id: string): string => Rooms.topic(id);
    // Numbered events go out in seq order (see SeqOrder); other nodes' only move the count on.
    this.onNumbered('topic.created', (e) => ({ topicId: e.topicId, seq: e.seq, send: null }));
    this.onNumbered('comment.created', (e) =>
      this.comment('comment:new', e.topicId, e.seq, e.commentId),
    );
    this.onNumbered('comment.edited', (e) =>
      this.comment('comment:edited', e.topicId, e.seq, e.commentId),
    );
    this.onNumbered('comment.restored', (e) =>
      this.comment('comment:restored', e.topicId, e.seq, e.commentId),
    );
    this.onNumbered('comment.deleted', (e) => ({
      topicId: e.topicId,
      seq: e.seq,
      send: () =>
        this.live.emit(topic(e.topicId), 'comment:deleted', {
          topicId: e.topicId,
          seq: e.seq,
          commentId: e.commentId,
        }),
    }));
    this.onNumbered('comment.hidden', (e) => ({
      topicId: e.topicId,
      seq: e.seq,
      send: () =>
        this.live.emit(topic(e.topicId), 'comment:hidden', {
          topicId: e.topicId,
          seq: e.seq,
          commentId: e.commentId,
          hiddenReason: e.reason,
        }),
    }));
    this.onNumbered('topic.transitioned', (e) => ({
      topicId: e.topicId,
      seq: e.seq,
      send: () =>
        this.live.emit(topic(e.topicId), 'topic:status', {
          topicId: e.topicId,
          seq: e.seq,
          from: e.from,
          to: e.to,
          reason: e.reason,
        }),
    }));
    this.onNumbered('topic.ladder_crossed', (e) => ({
      topicId: e.topicId,
      seq: e.seq,
      send: () =>
        this.live.emit(topic(e.topicId), 'topic:ladder', {
          topicId: e.topicId,
          seq: e.seq,
          rung: e.rung,
          count: e.count,
          dueAt: e.dueAt,
        }),
    }));
    this.onNumbered('topic.answered', (e) => ({
      topicId: e.topicId,
      seq: e.seq,
      send: () =>
        this.live.emit(topic(e.topicId), 'topic:answered', {
          topicId: e.topicId,
          seq: e.seq,
          responseId: e.responseId,
        }),
    }));
    this.onLocal('room.started', (e) =>
      this.live.emit(topic(e.topicId), 'topic:room', {
        topicId: e.topicId,
        roomId: e.roomId,
        status: 'live',
        title: e.title,
      }),
    );
    this.onLocal('room.ended', (e) =>
      this.live.emit(topic(e.topicId), 'topic:room', {
        topicId: e.topicId,
        roomId: e.roomId,
        status: 'ended',
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

  /**
   * A numbered topic event: on this node, `prepare` builds its broadcast (reading what it
   * needs first) and it is sent in seq order; from another node, it only moves the count on.
   */
  private onNumbered<K extends keyof DomainEventMap>(
    name: K,
    prepare: (payload: DomainEventMap[K]) => Numbered | Promise<Numbered>,
  ): void {
    this.offs.push(
      this.bus.subscribe(name, async (payload, meta) => {
        const { topicId, seq } = payload as { topicId: string; seq: number };
        if (meta.origin === 'remote') {
          this.order.arrived(topicId, seq, null);
          return;
        }
        let numbered: Numbered;
        try {
          numbered = await prepare(payload);
        } catch (err) {
          // Not sent: the seq is passed over so later events do not wait; clients close the gap.
          this.order.arrived(topicId, seq, null);
          throw err;
        }
        this.order.arrived(numbered.topicId, numbered.seq, numbered.send);
      }),
    );
  }

  onModuleDestroy(): void {
    this.offs.forEach((off) => off());
    // Shutting down: the counts the events carried, without reading the database again.
    for (const payload of this.counts.take().values()) this.send(payload);
    this.order.flush();
  }

  /** A comment event as the public may see it; gone already (topic deleted): nothing to send. */
  private async comment(
    event: 'comment:new' | 'comment:edited' | 'comment:restored',
    topicId: string,
    seq: number,
    commentId: string,
  ): Promise<Numbered> {
    const comment = (await this.comments.viewsByIds([commentId], false)).get(commentId);
    return {
      topicId,
      seq,
      send: comment
        ? () => this.live.emit(Rooms.topic(topicId), event, { topicId, seq, comment })
        : null,
    };
  }

  /** Marks a target whose count changed; its count goes out at the next flush. */
  private queueCount(payload: LiveServerEvents['agree:count']): void {
    this.counts.add(payload.targetId, payload);
  }

  /**
   * Sends the count of every marked target as PostgreSQL has it now. Agrees commit in parallel
   * and their events can be published out of commit order, so the count an event carries may
   * be older than one already sent; the count read at flush time is never older than any event
   * it replaces (the room's comment agrees do the same, see RoomAgreeCoalescer).
   */
  private async flush(pending: LiveServerEvents['agree:count'][]): Promise<void> {
    try {
      const ids = (type: 'topic' | 'comment'): string[] =>
        pending.filter((p) => p.targetType === type).map((p) => p.targetId);
      const [topics, comments] = await Promise.all([
        this.topics.agreeCounts(ids('topic')),
        this.commentRows.agreeCounts(ids('comment')),
      ]);
      for (const payload of pending) {
        const count = (payload.targetType === 'topic' ? topics : comments).get(payload.targetId);
        // Gone (deleted with its topic): nothing to show.
        if (count !== undefined) this.send({ ...payload, count });
      }
    } catch (err) {
      // The database is unreachable for a moment: the counts the events carried.
      this.logger.warn({ err }, 'agree counts sent as published');
      pending.forEach((payload) => this.send(payload));
    }
  }

  private send(payload: LiveServerEvents['agree:count']): void {
    this.live.emit(Rooms.topic(payload.topicId), 'agree:count', payload);
  }
}
