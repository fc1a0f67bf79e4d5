/**
 * B5 — comment writes, broadcast included. Closed-loop writers post comments to one topic over
 * HTTP (`POST /topics/:id/comments`) and over the socket (`chat:send` in a live room of the
 * topic) while sockets watch the topic stream. Baseline: a bare `pg` pool of the same size
 * inserting the same row, with the same number of callers, alternating in the same run.
 *
 * The server runs with its shipped limits: the writers are B5_USERS users taken in turn (32
 * requests in flight whatever their number), so none of them passes the per-user HTTP limit
 * (300 a minute) or socket limit (100 events per 10 s) at the rates measured.
 *
 *   npm run bench:b5    (B5_CONCURRENCY=32 B5_USERS=600 B5_SECONDS=10 B5_ROUNDS=3 B5_WATCHERS=100)
 */
import 'reflect-metadata';
import { Pool } from 'pg';
import { broadcast, collect, connectAll, type Totals, Worker } from './lib/clients';
import { createDatabase, createUsers, createWorld } from './lib/database';
import { startSubject } from './lib/fanout';
import { cpuSeconds, runMain, sleep } from './lib/processes';
import { envNumber, log, machine, median, type Row, save, summary } from './lib/report';

const CONCURRENCY = envNumber('B5_CONCURRENCY', 32);
const SECONDS = envNumber('B5_SECONDS', 10);
const ROUNDS = envNumber('B5_ROUNDS', 3);
const WATCHERS = envNumber('B5_WATCHERS', 100);
const USERS = envNumber('B5_USERS', 600);
const POOL = 10; // the server's DATABASE_POOL_SIZE default

type Kind = 'http' | 'socket' | 'raw pg';

interface Step {
  kind: Kind;
  done: number;
  perSecond: number;
  latency: { p50: number; p99: number; max: number };
  serverCpu: number;
  failures: Record<string, number>;
}

async function topicSeq(url: string, topicId: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await pool.query<{ seq: number }>('SELECT seq FROM topics WHERE id = $1', [
      topicId,
    ]);
    return rows[0]?.seq ?? -1;
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  const db = await createDatabase('b5');
  const server = await startSubject('madang', db.url);
  const load = new Worker();
  const sender = new Worker();
  const watchers = new Worker();
  const steps: Step[] = [];
  let watchTotals: Totals | undefined;
  let finalSeq: number | undefined;
  let comments: number | undefined;
  try {
    const world = await createWorld(server.url, db.url);
    const users = await createUsers(db.url, Math.max(USERS, CONCURRENCY));
    await connectAll([watchers], WATCHERS, {
      url: server.url,
      join: { event: 'topic:watch', id: world.topicId },
      concurrency: 16,
    });
    // The writers do not join the room: its broadcasts would go to every one of them, and the
    // watchers of the topic (as for HTTP) are the audience measured.
    await sender.ask({
      type: 'connect',
      url: server.url,
      count: users.length,
      tokens: users.map((u) => u.token),
      addresses: ['127.0.0.1'],
      concurrency: 8,
    });
    const requests = users.map((u, i) => ({
      method: 'POST',
      path: `/api/v1/topics/${world.topicId}/comments`,
      token: u.token,
      body: { body: `HTTP로 쓴 의견 ${i}: 측정용 본문입니다.` },
    }));
    const params = users.map((u, i) => [
      world.topicId,
      u.id,
      `bare pg로 쓴 의견 ${i}: 측정용 본문입니다.`,
    ]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['http', 'raw pg', 'socket'] as Kind[]) {
        await broadcast([load, sender], { type: 'reset' });
        const cpu0 = cpuSeconds(server.pid);
        const t0 = performance.now();
        let done = 0;
        let stats: Totals;
        if (kind === 'http') {
          done = (
            await load.ask<{ done: number }>({
              type: 'http',
              base: server.url,
              requests,
              concurrency: CONCURRENCY,
              durationMs: SECONDS * 1000,
            })
          ).done;
          stats = await collect([load]);
        } else if (kind === 'raw pg') {
          done = (
            await load.ask<{ done: number }>({
              type: 'pg',
              databaseUrl: db.url,
              poolSize: POOL,
              concurrency: CONCURRENCY,
              durationMs: SECONDS * 1000,
              sql: 'INSERT INTO comments (topic_id, author_id, body) VALUES ($1, $2, $3)',
              params,
            })
          ).done;
          stats = await collect([load]);
        } else {
          await sender.ask({
            type: 'send',
            event: 'chat:send',
            roomId: world.roomId,
            rate: 0,
            durationMs: SECONDS * 1000,
            senders: users.length,
            concurrency: CONCURRENCY,
            bodyBytes: 60,
          });
          stats = await collect([sender]);
          done = stats.sent;
          stats.latency = stats.ackLatency;
        }
        const seconds = (performance.now() - t0) / 1000;
        const step: Step = {
          kind,
          done,
          perSecond: done / seconds,
          latency: summary(stats.latency),
          serverCpu: cpuSeconds(server.pid) - cpu0,
          failures:
            kind === 'http'
              ? Object.fromEntries(Object.entries(stats.httpStatus).filter(([k]) => k !== '201'))
              : stats.ackFailures,
        };
        steps.push(step);
        log(
          `B5 ${kind} round ${round + 1}: ${done} comments, ${step.perSecond.toFixed(0)}/s, p50 ${step.latency.p50.toFixed(1)} p99 ${step.latency.p99.toFixed(1)} ms, server CPU ${((step.serverCpu / seconds) * 100).toFixed(0)}%, failures ${JSON.stringify(step.failures)}`,
        );
        await sleep(1000);
      }
    }
    await sleep(2000);
    watchTotals = await collect([watchers]);
    finalSeq = await topicSeq(db.url, world.topicId);
    const pool = new Pool({ connectionString: db.url, max: 1 });
    comments = Number(
      (
        await pool.query<{ n: string }>(
          `SELECT count(*) n FROM comments WHERE topic_id = $1 AND body NOT LIKE 'bare pg%'`,
          [world.topicId],
        )
      ).rows[0]?.n,
    );
    await pool.end();
  } finally {
    await broadcast([load, sender, watchers], { type: 'close' });
    for (const w of [load, sender, watchers]) w.stop();
    await server.stop();
    await db.drop();
  }
  const pick = (kind: Kind) => steps.filter((s) => s.kind === kind);
  const raw = median(pick('raw pg').map((s) => s.perSecond));
  const written = pick('http')
    .concat(pick('socket'))
    .reduce((n, s) => n + s.done, 0);
  const keys = Object.keys(watchTotals?.applied ?? {});
  const exact =
    watchTotals !== undefined &&
    watchTotals.gaps === 0 &&
    watchTotals.liveDuplicates === 0 &&
    watchTotals.outOfOrder === 0 &&
    keys.length === 1 &&
    keys[0] === String(finalSeq) &&
    comments === written &&
    steps.every((s) => Object.keys(s.failures).length === 0);
  const correctnessText = exact
    ? `${written.toLocaleString('en-US')} comments = rows in PostgreSQL; ${WATCHERS} watchers got every one exactly once, in order (final seq ${finalSeq})`
    : `FAILED: rows ${comments} vs ${written} acknowledged; watchers ${JSON.stringify(watchTotals?.applied)} vs seq ${finalSeq}, missing ${watchTotals?.gaps}, duplicates ${watchTotals?.liveDuplicates}, out of order ${watchTotals?.outOfOrder}`;
  const rows: Row[] = (['http', 'socket'] as Kind[]).map((kind) => {
    const list = pick(kind);
    const value = median(list.map((s) => s.perSecond));
    return {
      id: 'B5',
      case: `comments over ${kind === 'http' ? 'HTTP' : 'the socket (chat:send)'}, ${CONCURRENCY} writers, ${WATCHERS} watching sockets`,
      sockets: WATCHERS,
      rate: `closed loop, ${CONCURRENCY} in flight`,
      p50: median(list.map((s) => s.latency.p50)),
      p99: median(list.map((s) => s.latency.p99)),
      max: median(list.map((s) => s.latency.max)),
      perCpuSecond: median(list.map((s) => s.done / s.serverCpu)),
      metric: 'comments/s',
      value,
      baseline: raw,
      ratio: value / raw,
      target: '≥ 0.5× raw; ≥ 1,000 comments/s',
      met: value / raw >= 0.5 && value >= 1000 && exact,
      correctness: correctnessText,
      notes: `raw pg INSERT p50/p99 ${median(pick('raw pg').map((s) => s.latency.p50)).toFixed(1)}/${median(pick('raw pg').map((s) => s.latency.p99)).toFixed(1)} ms with a pool of ${POOL}; server CPU ${(median(list.map((s) => s.serverCpu / (s.done / s.perSecond))) * 100).toFixed(0)}% of a core`,
    };
  });
  save({
    id: 'B5',
    title: 'comment writes',
    machine: machine(),
    settings: {
      concurrency: CONCURRENCY,
      users: Math.max(USERS, CONCURRENCY),
      seconds: SECONDS,
      rounds: ROUNDS,
      watchers: WATCHERS,
      pool: POOL,
    },
    rows,
    rounds: steps,
    findings: [],
  });
}

runMain(main);
