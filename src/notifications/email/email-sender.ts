import { Drain } from '../../core/jobs/drain';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../../core/config/config.module';
import { type AppConfig } from '../../core/config/env';
import { LOGGER } from '../../core/logging/logging.module';
import { type Logger } from '../../core/logging/logger';
import { UnitOfWork } from '../../core/events/unit-of-work';
import { type ClaimedEmail, EmailOutboxRepository } from './email-outbox.repository';
import { renderMail } from './templates';
import { UnsubscribeTokens } from './unsubscribe-token';

/** Rows claimed at once by a node; each is one SMTP transaction. */
const BATCH = 20;
/** SMTP connections each node keeps open to the relay. */
const POOL = 4;
/** The longest wait between two attempts of one email. */
const MAX_BACKOFF_SECONDS = 6 * 60 * 60;

/** The server's public origin: PUBLIC_ORIGIN, or where this node listens. */
export const publicOrigin = (config: AppConfig): string =>
  config.PUBLIC_ORIGIN ??
  `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;

/** The delay before attempt `attempts + 1`: base, 2·base, 4·base … capped. */
export const backoffSeconds = (attempts: number, base: number): number =>
  Math.min(MAX_BACKOFF_SECONDS, base * 2 ** Math.max(0, attempts - 1));

/**
 * Sends notification email from the outbox, on every node that has SMTP_URL (and a nonzero
 * EMAIL_SWEEP_SECONDS), and makes the daily and weekly digests.
 *
 * Once, across nodes and crashes:
 * - a row is queued in the transaction that wrote what it announces, so a crash after that
 *   commit leaves it for the next sweep of any node;
 * - a node claims rows (FOR UPDATE SKIP LOCKED, committed with `claimed_at` as a lease), so
 *   two nodes never hold one row; a node killed after claiming releases it when the lease runs
 *   out, and every mark is fenced on the lease, so a node whose lease was taken over cannot
 *   mark (or fail) the row another node now holds. The SMTP timeouts are kept well below the
 *   lease, so a send still under way is never taken over.
 * - The one window left is between the relay's accepting the message and the `sent_at` mark:
 *   a node killed exactly there sends that email again after the lease. That is at-least-once
 *   at the SMTP level, by necessity (SMTP has no transaction to join); everywhere else it is once.
 */
@Injectable()
export class EmailSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private transport?: Transporter;
  private readonly tokens: UnsubscribeTokens;
  private timer?: NodeJS.Timeout;
  private digestTimer?: NodeJS.Timeout;
  private readonly drains: Drain;
  private stopped = false;

  constructor(
    private readonly outbox: EmailOutboxRepository,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.tokens = new UnsubscribeTokens(config.JWT_SECRET);
    this.drains = new Drain(
      () => this.drain(),
      (err) => this.logger.error({ err }, 'email sender failed'),
    );
  }

  /** Whether this deployment sends email at all (SMTP_URL set). */
  get enabled(): boolean {
    return this.config.SMTP_URL !== undefined;
  }

  unsubscribeUrl(userId: string): string {
    return `${publicOrigin(this.config)}/api/v1/unsubscribe?token=${this.tokens.sign(userId)}`;
  }

  verifyUnsubscribe(token: string): string | null {
    return this.tokens.verify(token);
  }

  onApplicationBootstrap(): void {
    if (!this.config.SMTP_URL) {
      this.logger.info('notifications: email is off (inbox and live pushes only)');
      return;
    }
    const smtp = new URL(this.config.SMTP_URL);
    // Host and port only: the URL may carry credentials, which are never logged.
    this.logger.info(
      { smtp: `${smtp.protocol}//${smtp.hostname}:${smtp.port || 'default'}` },
      this.config.EMAIL_SWEEP_SECONDS === 0
        ? 'notifications: email is on (this node queues, other nodes send)'
        : 'notifications: email is on',
    );
    const leaseMs = this.config.EMAIL_LEASE_SECONDS * 1000;
    this.transport = createTransport({
      url: this.config.SMTP_URL,
      // A few connections kept open and reused: a fan-out of thousands is not a TCP (and TLS)
      // handshake per email.
      pool: true,
      maxConnections: POOL,
      // Every stage of a send ends well inside the lease (see the class comment).
      connectionTimeout: Math.min(30_000, leaseMs / 4),
      greetingTimeout: Math.min(30_000, leaseMs / 4),
      socketTimeout: Math.min(60_000, leaseMs / 4),
    });
    if (this.config.DIGEST_SWEEP_SECONDS > 0) {
      this.digestTimer = setInterval(
        () =>
          void this.sweepDigests().catch((err: unknown) =>
            this.logger.error({ err }, 'digest sweep failed'),
          ),
        this.config.DIGEST_SWEEP_SECONDS * 1000,
      );
      this.digestTimer.unref();
    }
    if (this.config.EMAIL_SWEEP_SECONDS === 0) return;
    this.timer = setInterval(() => this.nudge(), this.config.EMAIL_SWEEP_SECONDS * 1000);
    this.timer.unref();
    // What a node that died left queued is sent as soon as any node starts.
    this.nudge();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearInterval(this.digestTimer);
    await this.drains.idle();
    this.transport?.close();
  }

  /** Sends soon; a nudge during a drain makes it go round once more. */
  nudge(): void {
    if (this.stopped || !this.transport || this.config.EMAIL_SWEEP_SECONDS === 0) return;
    this.drains.nudge();
  }

  /** Until no due row is left for this node to claim. */
  async drain(): Promise<void> {
    while (!this.stopped && this.transport) {
      const rows = await this.outbox.claim(this.config.EMAIL_LEASE_SECONDS, BATCH);
      // `send` records its own failures; the pool spreads the batch over its connections.
      await Promise.all(rows.map((row) => this.send(row)));
      if (rows.length < BATCH) return;
    }
  }

  /**
   * Makes the digests of the periods that have ended (daily, and weekly on Mondays' hour).
   * Every node may run it at the same time: each digest is recorded once (unique per person and
   * period), with its outbox row in the same statement.
   */
  async sweepDigests(at: Date = new Date()): Promise<number> {
    if (!this.enabled) return 0;
    let made = 0;
    for (const cadence of ['daily', 'weekly'] as const) {
      const end = await this.outbox.periodEnd(
        cadence,
        at,
        this.config.DIGEST_HOUR,
        this.config.DIGEST_TIME_ZONE,
      );
      made += await this.makeDigests(cadence, end);
    }
    if (made > 0) this.nudge();
    return made;
  }

  /** The digests of one period (exposed for the tests that pick the period). */
  async makeDigests(cadence: 'daily' | 'weekly', end: Date): Promise<number> {
    const made = await this.uow.run(({ tx }) => this.outbox.makeDigests(tx, cadence, end));
    if (made.length > 0) this.logger.info({ cadence, end, digests: made.length }, 'digests made');
    return made.length;
  }

  private async send(row: ClaimedEmail): Promise<void> {
    try {
      const person = row.recipient;
      const { items, cadence } = await this.outbox.contents(row);
      // Turned off (or unsubscribed) since it was queued, or nothing left to tell: not sent.
      const skip = !person
        ? 'no recipient'
        : person.cadence === 'off'
          ? 'email turned off'
          : items.length === 0
            ? 'nothing left to tell'
            : null;
      if (skip || !person) {
        await this.outbox.markFailed(row, skip ?? 'no recipient', null);
        return;
      }
      const unsubscribeUrl = this.unsubscribeUrl(row.user_id);
      const mail = renderMail(
        items.map((n) => ({
          type: n.type,
          data: n.data,
          topicId: n.topic_id,
          roomId: n.room_id,
          budgetId: n.budget_id,
          projectId: n.project_id,
        })),
        {
          lang: person.language,
          name: person.display_name,
          origin: publicOrigin(this.config),
          unsubscribeUrl,
        },
        cadence === 'daily' || cadence === 'weekly' ? cadence : undefined,
      );
      const info = (await this.transport!.sendMail({
        from: this.config.MAIL_FROM,
        to: { name: person.display_name, address: person.email },
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: {
          'X-Madang-Outbox': row.id,
          // RFC 2369 and RFC 8058: the https link takes a one-click POST; the mailto form
          // reaches the MAIL_FROM mailbox, which the operator reads (nothing parses it).
          'List-Unsubscribe': `<${unsubscribeUrl}>, <${this.mailtoUnsubscribe(row.user_id)}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      })) as { messageId?: string };
      if (!(await this.outbox.markSent(row, info.messageId ?? null)))
        this.logger.warn({ outbox: row.id }, 'email sent after its lease was taken over');
    } catch (err) {
      const final = row.attempts >= this.config.EMAIL_MAX_ATTEMPTS;
      const retry = final
        ? null
        : backoffSeconds(row.attempts, this.config.EMAIL_RETRY_BASE_SECONDS);
      await this.outbox
        .markFailed(row, err instanceof Error ? err.message : String(err), retry)
        .catch((markErr: unknown) => this.logger.error({ err: markErr }, 'email mark failed'));
      this.logger.warn(
        { err, outbox: row.id, attempts: row.attempts, retryInSeconds: retry },
        final ? 'email failed for good' : 'email failed, will retry',
      );
    }
  }

  /** The mailto form of the unsubscribe link, to MAIL_FROM's address with the token as subject. */
  private mailtoUnsubscribe(userId: string): string {
    const from = this.config.MAIL_FROM ?? '';
    const address = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
    return `mailto:${address}?subject=unsubscribe%20${this.tokens.sign(userId)}`;
  }
}
