/**
 * EXPLAIN ANALYZE of the comment-tree page (50 top-level comments, each with its first 3
 * replies) on a topic with 50,000 comments, using the exact SQL the server runs: the
 * service's queries are intercepted and explained, not copied here.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/madang_bench \
 *     node -r ts-node/register/transpile-only bench/explain-thread.ts
 *
 * The database is created from scratch (migrations applied) and left in place.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { CommentsService } from '../src/comments/comments.service';
import { loadConfig } from '../src/core/config/env';
import { queryRows } from '../src/core/database/sql';
import { createLogger } from '../src/core/logging/logger';

const TOTAL = Number(process.env.COMMENTS ?? 50_000);
const TOP_LEVEL = Math.floor(TOTAL / 5);

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/madang_bench';
  const admin = new Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const name = new URL(url).pathname.slice(1);
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();

  const config = loadConfig({
    ...process.env,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    SCHEDULER_INTERVAL_SECONDS: '0',
  });
  const app = await createApp(config, createLogger('warn'));
  await app.init();
  const db = app.get(DataSource);
  const must = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('insert returned no row');
    return value;
  };

  const [user] = await queryRows<{ id: string }>(
    db,

    `INSERT INTO users (email, password_hash, display_name) VALUES ('bench@madang.dev', 'x', '벤치') RETURNING id`,
  );
  const [space] = await queryRows<{ id: string }>(
    db,

    `INSERT INTO spaces (slug, name, thresholds) VALUES ('bench', '벤치', '{"review":50,"deliberation":100,"response":1000,"proposalWindowDays":30,"deliberationDays":30}') RETURNING id`,
  );
  const [topic] = await queryRows<{ id: string }>(
    db,

    `INSERT INTO topics (space_id, author_id, title, body, proposal_expires_at) VALUES ($1, $2, '벤치 주제', '본문', now() + interval '30 days') RETURNING id`,
    [must(space).id, must(user).id],
  );
  // 1/5 top-level comments; the rest are replies spread over them (4 each on average).
  await db.query(
    `INSERT INTO comments (topic_id, author_id, body, created_at)
     SELECT $1, $2, '의견 ' || g, now() - (g || ' seconds')::interval FROM generate_series(1, $3) g`,
    [must(topic).id, must(user).id, TOP_LEVEL],
  );
  await db.query(
    `INSERT INTO comments (topic_id, parent_id, depth, author_id, body, created_at)
     SELECT $1, p.id, 1, $2, '답글 ' || g, now() - (g || ' milliseconds')::interval
       FROM generate_series(1, $3) g
       JOIN LATERAL (SELECT id FROM comments WHERE topic_id = $1 AND parent_id IS NULL OFFSET (g % $4) LIMIT 1) p ON true`,
    [must(topic).id, must(user).id, TOTAL - TOP_LEVEL, TOP_LEVEL],
  );
  await db.query(
    `UPDATE comments c SET reply_count = x.n FROM (SELECT parent_id, count(*) n FROM comments WHERE parent_id IS NOT NULL GROUP BY parent_id) x WHERE c.id = x.parent_id`,
  );
  await db.query(`UPDATE topics SET comment_count = $2 WHERE id = $1`, [must(topic).id, TOTAL]);
  await db.query('ANALYZE');

  const comments = app.get(CommentsService);
  const query = { limit: 50, replies: 3 };
  await comments.list(must(topic).id, query); // warm the caches

  const original = db.query.bind(db);
  const plans: string[] = [];
  (db as { query: DataSource['query'] }).query = (async (sql: string, params?: unknown[]) => {
    if (/FROM comments c/.test(sql)) {
      const plan: { 'QUERY PLAN': string }[] = await original(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
        params,
      );
      plans.push(plan.map((p) => p['QUERY PLAN']).join('\n'));
    }
    return original(sql, params);
  }) as DataSource['query'];
  const page = await comments.list(must(topic).id, query);
  (db as { query: DataSource['query'] }).query = original;

  const started = process.hrtime.bigint();
  const runs = 200;
  for (let i = 0; i < runs; i++) await comments.list(must(topic).id, query);
  const perPage = Number(process.hrtime.bigint() - started) / 1e6 / runs;

  console.log(
    `topic with ${TOTAL} comments (${TOP_LEVEL} top-level); page of ${page.items.length} with ${page.items.reduce((n, c) => n + (c.replies?.length ?? 0), 0)} replies`,
  );
  plans.forEach((plan, i) => console.log(`\n--- query ${i + 1}\n${plan}`));
  console.log(
    `\nservice time per page (mean of ${runs}, includes both queries and the facilitator check): ${perPage.toFixed(2)} ms`,
  );
  await app.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
