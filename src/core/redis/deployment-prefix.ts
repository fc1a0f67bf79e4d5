import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { type AppConfig } from '../config/env';

/** `REDIS_PREFIX` as keys use it: always ending in a colon. */
export const normalisePrefix = (prefix: string): string =>
  prefix.endsWith(':') ? prefix : `${prefix}:`;

const short = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 10);

/**
 * The Redis prefix of the deployment whose nodes share this database, when REDIS_PREFIX is not
 * set: `madang:<hash>:` of the PostgreSQL cluster's system identifier and the database name, so
 * every node of one deployment agrees on it without configuration, and a second deployment (a
 * staging copy, another city) on the same Redis gets another. Where the server's identifier
 * cannot be read (a restricted managed service), the database's host, port and name stand in.
 */
export async function deploymentPrefix(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const db = await client.query<{ name: string }>(`SELECT current_database() AS name`);
    const name = db.rows[0]?.name ?? '';
    const system = await client
      .query<{ id: string }>(`SELECT system_identifier::text AS id FROM pg_control_system()`)
      .then((r) => r.rows[0]?.id)
      .catch(() => undefined);
    if (system) return `madang:${short(`${system}/${name}`)}:`;
  } catch {
    // Fall through to the address: the start fails later, with a clearer error, if the
    // database really is unreachable.
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(databaseUrl);
  return `madang:${short(`${url.hostname}:${url.port || '5432'}${url.pathname}`)}:`;
}

/** The configuration with REDIS_PREFIX resolved (only needed when Redis is used). */
export async function withRedisPrefix(config: AppConfig): Promise<AppConfig> {
  if (!config.REDIS_URL) return config;
  const prefix = config.REDIS_PREFIX
    ? normalisePrefix(config.REDIS_PREFIX)
    : await deploymentPrefix(config.DATABASE_URL!);
  return { ...config, REDIS_PREFIX: prefix };
}
