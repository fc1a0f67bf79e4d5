import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG } from '../core/config/config.module';
import { type AppConfig } from '../core/config/env';
import { queryRows } from '../core/database/sql';
import { EventBus } from '../core/events/event-bus';
import { type DomainEventName } from '../core/events/domain-events';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { LiveServer } from '../core/realtime/live-server';
import { Rooms } from '../core/realtime/live-socket';
import { banInForce } from '../moderation/bans.guard';
import { type NotificationView } from '../protocol/views';
import {
  NOTIFICATION_COLUMNS,
  type NotificationRow,
  type NotificationSpec,
  writeNotifications,
} from './notification-sql';

/** Source events claimed per transaction; each may fan out to many thousands of people. */
const BATCH = 20;
/** Owed answers are announced this long before they are due, then again once overdue. */
export const DUE_SOON_DAYS = 3;
/** How many pushes go out before the event loop is given back to requests. */
const PUSH_SLICE = 250;

/** The commits that may have left source rows to turn into notifications. */
const NUDGES: DomainEventName[] = [
  'topic.ladder_crossed',
  'topic.transitioned',
  'topic.answered',
  'comment.created',
  'comment.hidden',
  'room.started',
];

/** The statuses whose move is told to a topic's followers (answers have their own kind). */
const TOLD_STATUSES = ['deliberating', 'closed', 'rejected'];

interface TopicEventRow {
  id: string;
  topic_id: string;
  type: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  space_id: string;
  title: string;
}

interface RoomEventRow {
  id: string;
  room_id: string;
  data: { by?: string };
  topic_id: string;
  space_id: string;
  room_title: string;
  title: string;
}

export const toNotificationView = (row: NotificationRow): NotificationView => ({
  id: row.id,
  type: row.type,
  data: row.data,
  topicId: row.topic_id,
  commentId: row.comment_id,
  roomId: row.room_id,
  readAt: row.read_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
});

/**
 * Turns the durable event logs into notifications. Every change that notifies someone already
 * appends a row to `topic_events` (or `room_events`) in its own transaction; the notifier claims
 * the rows not yet marked `notified_at` with FOR UPDATE SKIP LOCKED, writes their notifications
 * set-based, marks the rows and commits — all in one transaction. So a node that dies after the
 * change's commit leaves the row unmarked for the next sweep (on any node), and a row two nodes
 * see is claimed by one of them, while the unique (person, source) key refuses a second write.
 *
 * Every node runs it: a commit on this node nudges it at once (the after-commit publish), and a
 * sweep every NOTIFY_SWEEP_SECONDS catches the rest and the owed answers coming due. The answer's
 * own transaction never waits on the fan-out to its followers.
 */
@Injectable()
export class Notifier implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly live: LiveServer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // Email needs an SMTP sender, which this build does not have: the inbox is the only channel.
    this.logger.info('notifications: email is off (inbox and live pushes only)');
    if (this.config.NOTIFY_SWEEP_SECONDS === 0) return;
    for (const name of NUDGES)
      this.unsubscribe.push(this.bus.subscribeLocal(name, () => this.nudge()));
    this.timer = setInterval(() => {
      this.nudge();
      void this.announceDue().catch((err: unknown) =>
        this.logger.error({ err }, 'owed answer notifications failed'),
      );
    }, this.config.NOTIFY_SWEEP_SECONDS * 1000);
    this.timer.unref();
    // What a node that died left behind is done as soon as any node starts.
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    await this.running?.catch(() => undefined);
  }

  /** Drains soon; a nudge during a drain makes it go round once more. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.logger.error({ err }, 'notifier failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Until no source row is left unmarked; returns when this node found none to claim. */
  async drain(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.batch();
      if (claimed < BATCH) return;
    }
  }

  /** One transaction: claim, write, mark; the pushes go out after its commit. */
  private async batch(): Promise<number> {
    const written: NotificationRow[] = [];
    const claimed = await this.dataSource.transaction(async (tx) => {
      const topicEvents = await this.claimTopicEvents(tx);
      for (const event of topicEvents) {
        const spec = await this.specOfTopicEvent(tx, event);
        if (spec) written.push(...(await writeNotifications(tx, spec)));
      }
      if (topicEvents.length > 0)
        await tx.query(`UPDATE topic_events SET notified_at = now() WHERE id = ANY($1::bigint[])`, [
          topicEvents.map((e) => e.id),
        ]);
      const roomEvents = await this.claimRoomEvents(tx);
      for (const event of roomEvents) {
        written.push(
          ...(await writeNotifications(tx, {
            type: 'room.live',
            source: `room_event:${event.id}`,
            spaceId: event.space_id,
            actorId: event.data.by ?? null,
            data: { title: event.title, roomTitle: event.room_title },
            topicId: event.topic_id,
            roomId: event.room_id,
            recipients: { kind: 'followers', targetType: 'topic', targetId: event.topic_id },
          })),
        );
      }
      if (roomEvents.length > 0)
        await tx.query(`UPDATE room_events SET notified_at = now() WHERE id = ANY($1::bigint[])`, [
          roomEvents.map((e) => e.id),
        ]);
      return Math.max(topicEvents.length, roomEvents.length);
    });
    await this.push(written);
    return claimed;
  }

  private claimTopicEvents(tx: EntityManager): Promise<TopicEventRow[]> {
    // The WHERE repeats the partial index's predicate, so the index is what is read.
    return queryRows<TopicEventRow>(
      tx,
      `SELECT e.id, e.topic_id, e.type, e.actor_id, e.data, t.space_id, t.title
         FROM topic_events e JOIN topics t ON t.id = e.topic_id
        WHERE e.notified_at IS NULL
          AND e.type IN ('ladder_crossed', 'transitioned', 'answered', 'comment_created', 'comment_hidden')
        ORDER BY e.id LIMIT ${BATCH}
        FOR UPDATE OF e SKIP LOCKED`,
    );
  }

  private claimRoomEvents(tx: EntityManager): Promise<RoomEventRow[]> {
    return queryRows<RoomEventRow>(
      tx,
      `SELECT e.id, e.room_id, e.data, r.topic_id, r.space_id, r.title AS room_title, t.title
         FROM room_events e JOIN rooms r ON r.id = e.room_id JOIN topics t ON t.id = r.topic_id
        WHERE e.notified_at IS NULL AND e.type = 'room:state' AND (e.data->>'status') = 'live'
        ORDER BY e.id LIMIT ${BATCH}
        FOR UPDATE OF e SKIP LOCKED`,
    );
  }

  /** What one topic event notifies, and to whom; undefined when it notifies nobody. */
  private async specOfTopicEvent(
    tx: EntityManager,
    e: TopicEventRow,
  ): Promise<NotificationSpec | undefined> {
    const common = {
      source: `topic_event:${e.id}`,
      spaceId: e.space_id,
      actorId: e.actor_id,
      topicId: e.topic_id,
    };
    const followers = { kind: 'followers', targetType: 'topic', targetId: e.topic_id } as const;
    switch (e.type) {
      case 'ladder_crossed':
        return {
          ...common,
          type: 'topic.ladder',
          data: { title: e.title, rung: e.data.rung, count: e.data.count },
          recipients: followers,
        };
      case 'transitioned': {
        const to = e.data.to as string;
        if (!TOLD_STATUSES.includes(to)) return undefined;
        return {
          ...common,
          type: 'topic.status',
          data: {
            title: e.title,
            from: e.data.from,
            to,
            reason: e.data.reason ?? null,
            ...(e.data.cause ? { cause: e.data.cause } : {}),
          },
          recipients: followers,
        };
      }
      case 'answered': {
        const responses = await queryRows<{ body: string }>(
          tx,
          `SELECT body FROM topic_responses WHERE id = $1`,
          [e.data.responseId],
        );
        return {
          ...common,
          type: 'topic.answered',
          data: {
            title: e.title,
            responseId: e.data.responseId,
            role: e.data.role ?? 'facilitator',
            excerpt: excerpt(responses[0]?.body ?? ''),
          },
          recipients: followers,
        };
      }
      case 'comment_created':
        return this.specOfComment(tx, e, common);
      case 'comment_hidden':
        return {
          ...common,
          type: 'comment.hidden',
          commentId: e.data.commentId as string,
          data: { title: e.title, reason: e.data.reason ?? null },
          recipients: {
            kind: 'comment_author',
            commentId: e.data.commentId as string,
            status: 'hidden',
          },
        };
      default:
        return undefined;
    }
  }

  /**
   * A new comment: its author follows the topic (unless their settings say not to), and a
   * reply tells the author of the comment answered — while the reply can still be read.
   */
  private async specOfComment(
    tx: EntityManager,
    e: TopicEventRow,
    common: Pick<NotificationSpec, 'source' | 'spaceId' | 'actorId' | 'topicId'>,
  ): Promise<NotificationSpec | undefined> {
    if (e.actor_id) {
      await tx.query(
        `INSERT INTO follows (user_id, target_type, target_id)
         SELECT $1::uuid, 'topic', $2::uuid
          WHERE COALESCE((SELECT follow_on_comment FROM notification_settings WHERE user_id = $1), true)
         ON CONFLICT DO NOTHING`,
        [e.actor_id, e.topic_id],
      );
    }
    const parentId = e.data.parentId as string | null | undefined;
    if (!parentId) return undefined;
    const replies = await queryRows<{ body: string; by: string }>(
      tx,
      `SELECT c.body, u.display_name AS by FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.id = $1 AND c.status = 'visible'`,
      [e.data.commentId],
    );
    const reply = replies[0];
    if (!reply) return undefined;
    return {
      ...common,
      type: 'comment.reply',
      commentId: e.data.commentId as string,
      data: { title: e.title, parentId, by: reply.by, excerpt: excerpt(reply.body) },
      recipients: { kind: 'comment_author', commentId: parentId, status: 'visible' },
    };
  }

  /**
   * Tells the facilitators of each space of the answers they owe that are due within
   * DUE_SOON_DAYS, and again of those overdue. One statement for every space; the unique
   * (person, source) key makes every node's sweep write each once.
   */
  async announceDue(): Promise<number> {
    const written = await this.dataSource.transaction((tx) =>
      queryRows<NotificationRow>(
        tx,
        `INSERT INTO notifications (user_id, type, source, data, topic_id, created_at)
         SELECT sf.user_id, 'answer.due',
                'answer_due:' || o.id || CASE WHEN o.due_at <= now() THEN ':overdue' ELSE ':soon' END,
                jsonb_build_object('title', t.title, 'rung', o.rung, 'dueAt', o.due_at,
                                   'overdue', o.due_at <= now()),
                t.id, clock_timestamp()
           FROM owed_answers o
           JOIN topics t ON t.id = o.topic_id
           JOIN space_facilitators sf ON sf.space_id = t.space_id
           LEFT JOIN notification_settings ns ON ns.user_id = sf.user_id
          WHERE o.answered_at IS NULL AND o.due_at <= now() + make_interval(days => $1)
            AND COALESCE((ns.types->>'due')::boolean, true)
            AND NOT EXISTS (SELECT 1 FROM space_bans b
                             WHERE b.space_id = t.space_id AND b.user_id = sf.user_id AND ${banInForce('b')})
         ON CONFLICT (user_id, source) DO NOTHING
         RETURNING ${NOTIFICATION_COLUMNS}`,
        [DUE_SOON_DAYS],
      ),
    );
    await this.push(written);
    return written.length;
  }

  /**
   * `notification:new` to every socket of each person, on every node (the adapter carries it),
   * with their unread count. In slices, so a fan-out to thousands never holds the event loop.
   */
  private async push(rows: NotificationRow[]): Promise<void> {
    if (rows.length === 0) return;
    const users = [...new Set(rows.map((r) => r.user_id))];
    const counts = new Map<string, number>();
    for (let i = 0; i < users.length; i += 5000) {
      const slice = users.slice(i, i + 5000);
      const found = await queryRows<{ user_id: string; unread: number }>(
        this.dataSource.manager,
        `SELECT user_id, count(*)::int AS unread FROM notifications
          WHERE user_id = ANY($1::uuid[]) AND read_at IS NULL GROUP BY user_id`,
        [slice],
      );
      for (const row of found) counts.set(row.user_id, row.unread);
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      this.live.emit(Rooms.user(row.user_id), 'notification:new', {
        notification: toNotificationView(row),
        unread: counts.get(row.user_id) ?? 0,
      });
      if ((i + 1) % PUSH_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** The start of a text, on one line, for a notification's preview. */
function excerpt(text: string, max = 140): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
