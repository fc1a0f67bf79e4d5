import { Drain } from '../core/jobs/drain';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG } from '../core/config/config.module';
import { type AppConfig } from '../core/config/env';
import { type Queryable } from '../core/database/sql';
import { EventBus } from '../core/events/event-bus';
import { UnitOfWork } from '../core/events/unit-of-work';
import { type DomainEventName } from '../core/events/domain-events';
import { LOGGER } from '../core/logging/logging.module';
import { type Logger } from '../core/logging/logger';
import { LiveServer } from '../core/realtime/live-server';
import { Rooms } from '../core/realtime/live-socket';
import { type NotificationView } from '../protocol/views';
import { EmailOutboxRepository } from './email/email-outbox.repository';
import { EmailSender } from './email/email-sender';
import { FollowsRepository } from './follows.repository';
import {
  type BudgetSourceRow,
  NotificationSourcesRepository,
  type TopicSourceRow,
} from './notification-sources.repository';
import {
  type NotificationRow,
  type NotificationSpec,
  NotificationsRepository,
} from './notifications.repository';

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
  'budget.phase',
  'budget.project_reviewed',
];

/** The statuses whose move is told to a topic's followers (answers have their own kind). */
const TOLD_STATUSES = ['deliberating', 'closed', 'rejected'];

export const toNotificationView = (row: NotificationRow): NotificationView => ({
  id: row.id,
  type: row.type,
  data: row.data,
  topicId: row.topic_id,
  commentId: row.comment_id,
  roomId: row.room_id,
  budgetId: row.budget_id,
  projectId: row.project_id,
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
  private readonly drains: Drain;
  private stopped = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly sources: NotificationSourcesRepository,
    private readonly notifications: NotificationsRepository,
    private readonly follows: FollowsRepository,
    private readonly bus: EventBus,
    private readonly live: LiveServer,
    private readonly outbox: EmailOutboxRepository,
    private readonly email: EmailSender,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.drains = new Drain(
      () => this.drain(),
      (err) => this.logger.error({ err }, 'notifier failed'),
    );
  }

  onApplicationBootstrap(): void {
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
    await this.drains.idle();
  }

  /** Drains soon; a nudge during a drain makes it go round once more. */
  nudge(): void {
    if (!this.stopped) this.drains.nudge();
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
    const claimed = await this.uow.run(async ({ tx }) => {
      const topicEvents = await this.sources.claimTopicEvents(tx, BATCH);
      for (const event of topicEvents) {
        const spec = await this.specOfTopicEvent(tx, event);
        if (spec) written.push(...(await this.notifications.fanOut(tx, spec)));
      }
      if (topicEvents.length > 0)
        await this.sources.markTopicEvents(
          tx,
          topicEvents.map((e) => e.id),
        );
      const roomEvents = await this.sources.claimRoomEvents(tx, BATCH);
      for (const event of roomEvents) {
        written.push(
          ...(await this.notifications.fanOut(tx, {
            type: 'room.live',
            source: `room_event:${event.id}`,
            spaceId: event.space_id,
            actorId: event.data.by ?? null,
            data: { title: event.title, roomTitle: event.room_title },
            topicId: event.topic_id,
            roomId: event.room_id,
            occurredAt: event.created_at,
            recipients: { kind: 'followers', targetType: 'topic', targetId: event.topic_id },
          })),
        );
      }
      if (roomEvents.length > 0)
        await this.sources.markRoomEvents(
          tx,
          roomEvents.map((e) => e.id),
        );
      const notices = await this.sources.claimBudgetNotices(tx, BATCH);
      for (const notice of notices)
        written.push(...(await this.notifications.fanOut(tx, specOfBudgetNotice(notice))));
      if (notices.length > 0)
        await this.sources.markBudgetNotices(
          tx,
          notices.map((n) => n.id),
        );
      await this.queueEmail(tx, written);
      return Math.max(topicEvents.length, roomEvents.length, notices.length);
    });
    await this.push(written);
    if (written.length > 0) this.email.nudge();
    return claimed;
  }

  /** What one topic event notifies, and to whom; undefined when it notifies nobody. */
  private async specOfTopicEvent(
    tx: Queryable,
    e: TopicSourceRow,
  ): Promise<NotificationSpec | undefined> {
    const common = {
      source: `topic_event:${e.id}`,
      spaceId: e.space_id,
      actorId: e.actor_id,
      topicId: e.topic_id,
      occurredAt: e.created_at,
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
      case 'answered':
        return {
          ...common,
          type: 'topic.answered',
          data: {
            title: e.title,
            responseId: e.data.responseId,
            role: e.data.role ?? 'facilitator',
            excerpt: excerpt(e.response_body ?? ''),
          },
          recipients: followers,
        };
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
    tx: Queryable,
    e: TopicSourceRow,
    common: Pick<NotificationSpec, 'source' | 'spaceId' | 'actorId' | 'topicId' | 'occurredAt'>,
  ): Promise<NotificationSpec | undefined> {
    if (e.actor_id) await this.follows.followOnComment(tx, e.actor_id, e.topic_id);
    const parentId = e.data.parentId as string | null | undefined;
    if (!parentId || e.comment_status !== 'visible') return undefined;
    return {
      ...common,
      type: 'comment.reply',
      commentId: e.data.commentId as string,
      data: {
        title: e.title,
        parentId,
        by: e.comment_by ?? '',
        excerpt: excerpt(e.comment_body ?? ''),
      },
      recipients: { kind: 'comment_author', commentId: parentId, status: 'visible' },
    };
  }

  /**
   * Tells the facilitators of each space of the answers they owe that are due within
   * DUE_SOON_DAYS, and again of those overdue. One statement for every space; the unique
   * (person, source) key makes every node's sweep write each once.
   */
  async announceDue(): Promise<number> {
    const written = await this.uow.run(async ({ tx }) => {
      const rows = await this.notifications.announceDue(tx, DUE_SOON_DAYS);
      await this.queueEmail(tx, rows);
      return rows;
    });
    await this.push(written);
    if (written.length > 0) this.email.nudge();
    return written.length;
  }

  /**
   * The immediate emails of the notifications just written, in the same transaction (one
   * INSERT … SELECT over the people whose email is `immediate`), so an email is queued exactly
   * when its notification commits. Nothing is queued where email is off (no SMTP_URL).
   */
  private async queueEmail(tx: Queryable, rows: NotificationRow[]): Promise<void> {
    if (!this.email.enabled || rows.length === 0) return;
    await this.outbox.queueImmediate(
      tx,
      rows.map((r) => r.id),
    );
  }

  /**
   * `notification:new` to every socket of each person, on every node (the adapter carries it),
   * with their unread count. In slices, so a fan-out to thousands never holds the event loop.
   */
  private async push(rows: NotificationRow[]): Promise<void> {
    if (rows.length === 0) return;
    const users = [...new Set(rows.map((r) => r.user_id))];
    const counts = new Map<string, number>();
    for (let i = 0; i < users.length; i += 5000)
      for (const [user, n] of await this.notifications.unreadCounts(users.slice(i, i + 5000)))
        counts.set(user, n);
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

/**
 * What one budget notice tells, and to whom: a phase to the budget's followers (its proposers
 * among them), a project's review and selection to the followers of the project's thread (its
 * proposer, and those who discussed it unless they turned that off).
 */
function specOfBudgetNotice(n: BudgetSourceRow): NotificationSpec {
  const common = {
    source: `budget_notice:${n.id}`,
    spaceId: n.space_id,
    actorId: n.actor_id,
    topicId: null,
    budgetId: n.budget_id,
    occurredAt: n.created_at,
  };
  if (n.type === 'phase' || !n.project_id || !n.project_topic_id)
    return {
      ...common,
      type: 'budget.phase',
      data: { title: n.budget_title, from: n.data.from, to: n.data.to },
      recipients: { kind: 'followers', targetType: 'budget', targetId: n.budget_id },
    };
  const project = {
    ...common,
    projectId: n.project_id,
    recipients: { kind: 'followers', targetType: 'topic', targetId: n.project_topic_id },
  } as const;
  return n.type === 'project_reviewed'
    ? {
        ...project,
        type: 'project.reviewed',
        data: {
          title: n.project_title,
          budgetTitle: n.budget_title,
          feasible: n.data.feasible === true,
          excerpt: excerpt(n.review_explanation ?? ''),
        },
      }
    : {
        ...project,
        type: 'project.selected',
        data: {
          title: n.project_title,
          budgetTitle: n.budget_title,
          selected: n.data.selected === true,
        },
      };
}

/** The start of a text, on one line, for a notification's preview. */
function excerpt(text: string, max = 140): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
