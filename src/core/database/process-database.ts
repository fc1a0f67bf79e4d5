import { type AppConfig } from '../config/env';
import { type Logger } from '../logging/logger';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './embedded-postgres';

/** How long a shutdown may take (in-flight requests, then PostgreSQL) before the process exits anyway. */
export const SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * - `server`: a signal is a requested stop: logged, and the process exits 0 once stopped.
 * - `command`: a signal cuts the command short: said on stderr, and the process exits 1.
 */
export type ProcessKind = 'server' | 'command';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The database of one process (the server, a CLI command, the seed), with one behaviour for
 * all of them:
 *
 * - the URL is DATABASE_URL, or else that of the embedded PostgreSQL in EMBEDDED_PG_DIR, which
 *   is started for this process and stopped when it is released;
 * - SIGINT and SIGTERM are handled from the moment this exists, so a signal during the first
 *   start (initdb) still stops whatever has been started: a start in progress is awaited, then
 *   stopped. Once a signal has arrived this object owns the rest of the process: `url()` no
 *   longer resolves, and the process exits when the release is done (or after
 *   SHUTDOWN_TIMEOUT_MS). Further signals are ignored;
 * - the release is ordered: what uses the database (`closeFirst`: the HTTP server, the Nest
 *   application, a connection pool) is closed first, newest first, and only then is PostgreSQL
 *   stopped, so no request loses its database half-way. It runs once, whoever asks first.
 */
export class ProcessDatabase {
  private starting: Promise<EmbeddedDatabase> | undefined;
  private readonly users: (() => Promise<unknown>)[] = [];
  private released: Promise<void> | undefined;
  private stopping = false;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    void this.shutdown(signal, this.kind === 'server' ? 0 : 1);
  };

  constructor(
    private readonly config: Pick<
      AppConfig,
      'DATABASE_URL' | 'EMBEDDED_PG_DIR' | 'EMBEDDED_PG_PORT'
    >,
    private readonly logger: Logger,
    private readonly kind: ProcessKind,
    private readonly start: typeof startEmbeddedPostgres = startEmbeddedPostgres,
  ) {
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
  }

  /** Whether this process runs its own (embedded) PostgreSQL. */
  get embedded(): boolean {
    return !this.config.DATABASE_URL;
  }

  /** The database URL; starts the embedded PostgreSQL on the first call when there is no DATABASE_URL. */
  async url(): Promise<string> {
    if (this.config.DATABASE_URL) return this.config.DATABASE_URL;
    this.starting ??= this.start(
      this.config.EMBEDDED_PG_DIR,
      this.config.EMBEDDED_PG_PORT,
      this.logger,
    );
    const database = await this.starting;
    // Stopping: the release stops this database; nothing may start using it now.
    if (this.stopping) return new Promise<never>(() => undefined);
    return database.url;
  }

  /** Registers something that uses the database, to be closed before the database stops. */
  closeFirst(close: () => Promise<unknown>): void {
    this.users.push(close);
  }

  /**
   * Closes what uses the database (newest first), then stops an embedded PostgreSQL started
   * here, and stops handling signals. Safe to call more than once: every call waits for the
   * same release.
   */
  release(): Promise<void> {
    this.released ??= this.releaseOnce();
    return this.released;
  }

  /**
   * Stops the process in order (see release) and exits with `code`; for a signal, and for a
   * server that failed to start. Only the first call acts.
   */
  async shutdown(reason: string, code: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.kind === 'server') this.logger.info({ signal: reason }, 'shutting down');
    else process.stderr.write(`${reason}: stopping\n`);
    const force = setTimeout(() => {
      this.logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await this.release();
    clearTimeout(force);
    if (this.kind === 'server') this.logger.info('stopped');
    process.exit(code);
  }

  private async releaseOnce(): Promise<void> {
    // A start in progress is waited for, so that what it started can be stopped too.
    const database = await this.starting?.catch(() => undefined);
    for (const close of this.users.splice(0).reverse()) {
      try {
        await close();
      } catch (err) {
        this.logger.error({ err }, 'error while closing what uses the database');
      }
    }
    // The database goes last, after everything that needed it has finished.
    try {
      await database?.stop();
    } catch (err) {
      this.logger.error({ err }, 'error while stopping the embedded database');
    }
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
  }
}
