import { Pool } from 'pg';
import { Worker } from './clients';
import { createDatabase } from './database';
import { startSubject } from './fanout';
import { type ServerProcess } from './processes';

/**
 * What a benchmark of concurrent writes runs on: a fresh database, the product server on it,
 * one load worker, and a small pool of the benchmark's own to count the rows afterwards.
 */
export interface WriteRig {
  db: { url: string };
  server: ServerProcess;
  load: Worker;
  /** For the benchmark's own checks (recounts, setup shortcuts), not for the measured load. */
  pool: Pool;
  /** Stops the worker and the server and drops the database, whatever the run did. */
  stop: () => Promise<void>;
}

export async function startWriteRig(tag: string): Promise<WriteRig> {
  const db = await createDatabase(tag);
  const server = await startSubject('madang', db.url);
  const load = new Worker();
  const pool = new Pool({ connectionString: db.url, max: 2 });
  return {
    db,
    server,
    load,
    pool,
    stop: async () => {
      load.stop();
      await pool.end();
      await server.stop();
      await db.drop();
    },
  };
}

/** A fixed shuffle, so every side of a round sees the same order. */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The bare `pg` baseline of a write benchmark: `sql` once per params row, through a pool of
 * `poolSize` with `concurrency` callers, from the load worker as the product's load is.
 */
export function rawWrites(
  rig: WriteRig,
  options: { poolSize: number; concurrency: number; sql: string; params: unknown[][] },
): Promise<unknown> {
  return rig.load.ask({
    type: 'pg',
    databaseUrl: rig.db.url,
    poolSize: options.poolSize,
    concurrency: options.concurrency,
    durationMs: 600_000,
    limit: options.params.length,
    sql: options.sql,
    params: options.params,
  });
}
