/**
 * B6 — reading a thread page (50 top-level comments, each with its first 3 replies) on a topic
 * with 50,000 comments.
 *
 * Server time: the comments service inside the application (no HTTP), against the same SQL
 * run through a bare `pg` client — the statements are captured from the service itself, not
 * copied — alternating, median of several rounds. HTTP: the built server (pinned to core 0)
 * is driven closed loop to find its highest rate, then open loop at half that rate for p99.
 * The server keeps its shipped limits: the anonymous readers come from B6_ADDRESSES client
 * addresses in turn (loopback aliases), so none passes the per-address limit of 300 a minute.
 *
 *   npm run bench:b6    (B6_COMMENTS=50000 B6_RUNS=300 B6_ROUNDS=3 B6_SECONDS=10)
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory';
import { CommentsService } from '../src/comments/comments.service';
import { loadConfig } from '../src/core/config/env';
import { createLogger } from '../src/core/logging/logger';
import { collect, localAddresses, Worker } from './lib/clients';
import { createDatabase, createUsers } from './lib/database';
import { startSubject } from './lib/fanout';
import { Histogram } from './lib/histogram';
import { cpuSeconds, pin, runMain } from './lib/processes';
import { envNumber, log, machine, median, type Row, save, summary } from './lib/report';

const TOTAL = envNumber('B6_COMMENTS', 50_000);
const TOP_LEVEL = Math.floor(TOTAL / 5);
const RUNS = envNumber('B6_RUNS', 300);
const ROUNDS = envNumber('B6_ROUNDS', 3);
const SECONDS = envNumber('B6_SECONDS', 10);
const CONCURRENCY = 16;
const ADDRESSES = localAddresses(envNumber('B6_ADDRESSES', 250));

async function seed(url: string): Promise<string> {
  const [user] = await createUsers(url, 1);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const space = await db.query<{ id: string }>(
      `INSERT INTO spaces (slug, name, thresholds) VALUES ('bench', '벤치', '{"review":50,"deliberation":100,"response":1000,"proposalWindowDays":30,"deliberationDays":30}') RETURNING id`,
    );
    const topic = await db.query<{ id: string }>(
      `INSERT INTO topics (space_id, author_id, title, body, proposal_expires_at) VALUES ($1, $2, '벤치 주제', '본문', now() + interval '30 days') RETURNING id`,
      [space.rows[0]!.id, user!.id],
    );
    const topicId = topic.rows[0]!.id;
    // A fifth top-level; the rest replies spread over them (four each on average).
    await db.query(
      `INSERT INTO comments (topic_id, author_id, body, created_at)
       SELECT $1, $2, '의견 ' || g || ' ' || repeat('가', 80), now() - (g || ' seconds')::interval FROM generate_series(1, $3) g`,
      [topicId, user!.id, TOP_LEVEL],
    );
    await db.query(
      `WITH parents AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM comments WHERE topic_id = $1 AND parent_id IS NULL)
       INSERT INTO comments (topic_id, parent_id, depth, author_id, body, created_at)
       SELECT $1, p.id, 1, $2, '답글 ' || g || ' ' || repeat('나', 60), now() - (g || ' milliseconds')::interval
         FROM generate_series(1, $3) g JOIN parents p ON p.n = g % $4`,
      [topicId, user!.id, TOTAL - TOP_LEVEL, TOP_LEVEL],
    );
    await db.query(
      `UPDATE comments c SET reply_count = x.n FROM (SELECT parent_id, count(*) n FROM comments WHERE parent_id IS NOT NULL GROUP BY parent_id) x WHERE c.id = x.parent_id`,
    );
    await db.query(`UPDATE topics SET comment_count = $2 WHERE id = $1`, [topicId, TOTAL]);
    await db.query('VACUUM ANALYZE');
    return topicId;
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const database = await createDatabase('b6');
  const rounds: Record<string, unknown>[] = [];
  const service: number[] = [];
  const bare: number[] = [];
  let http:
    | {
        max: number;
        p50one: number;
        half: { p50: number; p99: number; max: number };
        errors: Record<string, number>;
        cpuPerRequestMs: number;
      }
    | undefined;
  let pageShape: string | undefined;
  try {
    const topicId = await seed(database.url);
    log(`B6 seeded ${TOTAL} comments`);
    // The in-process measurement runs on the server's core, like the server would.
    pin(process.pid, 0);
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: database.url,
      LOG_LEVEL: 'error',
      SCHEDULER_INTERVAL_SECONDS: '0',
      MIGRATIONS_RUN: 'false',
    });
    const app = await createApp(config, createLogger('error'));
    await app.init();
    const comments = app.get(CommentsService);
    const dataSource = app.get(DataSource);
    const query = { limit: 50, replies: 3 };
    const page = await comments.list(topicId, query);
    pageShape = `${page.items.length} top-level with ${page.items.reduce((n, c) => n + (c.replies?.length ?? 0), 0)} replies`;
    // The statements the service runs for one page, captured as they go to the database.
    const statements: { sql: string; params: unknown[] }[] = [];
    const original = dataSource.query.bind(dataSource);
    (dataSource as { query: DataSource['query'] }).query = ((sql: string, params?: unknown[]) => {
      statements.push({ sql, params: params ?? [] });
      return original(sql, params);
    }) as DataSource['query'];
    await comments.list(topicId, query);
    (dataSource as { query: DataSource['query'] }).query = original;
    const pg = new Client({ connectionString: database.url });
    await pg.connect();
    for (let round = 0; round < ROUNDS; round++) {
      const a = new Histogram();
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await comments.list(topicId, query);
        a.record(performance.now() - t);
      }
      const b = new Histogram();
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        for (const s of statements) await pg.query(s.sql, s.params);
        b.record(performance.now() - t);
      }
      service.push(a.percentile(50));
      bare.push(b.percentile(50));
      rounds.push({ round: round + 1, service: summary(a), barePg: summary(b) });
      log(
        `B6 round ${round + 1}: service p50 ${a.percentile(50).toFixed(2)} ms p99 ${a.percentile(99).toFixed(2)}; same SQL through bare pg p50 ${b.percentile(50).toFixed(2)} ms`,
      );
    }
    await pg.end();
    await app.close();
    pin(process.pid, 1);

    const server = await startSubject('madang', database.url);
    const load = new Worker();
    try {
      const requests = [
        { method: 'GET', path: `/api/v1/topics/${topicId}/comments?limit=50&replies=3` },
      ];
      await load.ask({
        type: 'http',
        base: server.url,
        requests,
        addresses: ADDRESSES,
        concurrency: 4,
        durationMs: 3000,
      }); // warm-up
      await load.ask({ type: 'reset' });
      await load.ask({
        type: 'http',
        base: server.url,
        requests,
        addresses: ADDRESSES,
        concurrency: 1,
        durationMs: 3000,
      });
      const one = await collect([load]);
      await load.ask({ type: 'reset' });
      const cpu0 = cpuSeconds(server.pid);
      const closed = await load.ask<{ done: number }>({
        type: 'http',
        base: server.url,
        requests,
        addresses: ADDRESSES,
        concurrency: CONCURRENCY,
        durationMs: SECONDS * 1000,
      });
      const cpuPerRequestMs = ((cpuSeconds(server.pid) - cpu0) * 1000) / closed.done;
      const max = closed.done / SECONDS;
      await load.ask({ type: 'reset' });
      await load.ask({
        type: 'http',
        base: server.url,
        requests,
        addresses: ADDRESSES,
        concurrency: 64,
        durationMs: SECONDS * 1000,
        rate: max / 2,
      });
      const half = await collect([load]);
      http = {
        max,
        p50one: one.latency.percentile(50),
        half: summary(half.latency),
        errors: Object.fromEntries(Object.entries(half.httpStatus).filter(([k]) => k !== '200')),
        cpuPerRequestMs,
      };
      log(
        `B6 HTTP: max ${max.toFixed(0)} pages/s (${CONCURRENCY} in flight, ${cpuPerRequestMs.toFixed(2)} ms server CPU per page); at ${(max / 2).toFixed(0)}/s p50 ${http.half.p50.toFixed(1)} p99 ${http.half.p99.toFixed(1)} ms; one at a time p50 ${http.p50one.toFixed(2)} ms`,
      );
    } finally {
      load.stop();
      await server.stop();
    }
  } finally {
    await database.drop();
  }
  const p50 = median(service);
  const base = median(bare);
  const rows: Row[] = [
    {
      id: 'B6',
      case: `thread page (50 + 3 replies each) on a ${TOTAL.toLocaleString('en-US')}-comment topic: server time`,
      rate: 'one at a time',
      p50,
      metric: 'service ms p50',
      value: p50,
      baseline: base,
      ratio: base / p50,
      target: 'p50 ≤ 5 ms server time',
      met: p50 <= 5,
      correctness: `page = ${pageShape ?? 'not read'}`,
      notes: 'ratio = bare pg time / service time (1.0 would be no overhead over the SQL)',
    },
    {
      id: 'B6',
      case: 'same page over HTTP at half the highest rate',
      rate: http ? `${(http.max / 2).toFixed(0)} req/s (max ${http.max.toFixed(0)})` : '–',
      p50: http?.half.p50,
      p99: http?.half.p99,
      max: http?.half.max,
      perCpuSecond: http ? 1000 / http.cpuPerRequestMs : undefined,
      metric: 'HTTP p99 ms',
      value: http?.half.p99,
      target: 'HTTP p99 ≤ 30 ms at half of max rate',
      met: http !== undefined && http.half.p99 <= 30 && Object.keys(http.errors).length === 0,
      correctness:
        http && Object.keys(http.errors).length === 0
          ? 'every answer 200'
          : `FAILED: ${JSON.stringify(http?.errors)}`,
      notes: http
        ? `one request at a time: p50 ${http.p50one.toFixed(2)} ms end to end; per CPU-s = pages per server CPU-second`
        : undefined,
    },
  ];
  save({
    id: 'B6',
    title: 'thread reads',
    machine: machine(),
    settings: {
      comments: TOTAL,
      addresses: ADDRESSES.length,
      runs: RUNS,
      rounds: ROUNDS,
      seconds: SECONDS,
      concurrency: CONCURRENCY,
    },
    rows,
    rounds,
    findings: [],
  });
}

runMain(main);
