/**
 * B5 — comment writes. Closed-loop writers post comments to one topic over HTTP
 * (`POST /topics/:id/comments`) and over the socket (`chat:send` in a live room of the topic).
 *
 * B5a, the write path alone (nobody watches): against a bare `pg` pool of the same size
 * inserting the same row, with the same number of callers, alternating in the same run.
 * B5b, the same writes with B5_WATCHERS sockets watching the topic stream: deliveries per
 * server CPU-second against the bare Socket.IO server fanning the same number of messages a
 * second out to as many sockets (started after, in the same run).
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
import { FanoutRig, type FanoutMeasure, startSubject } from './lib/fanout';
import { createDatabase, createUsers, createWorld, type World } from './lib/database';
import { cpuSeconds, runMain, sleep } from './lib/processes';
import { envNumber, log, machine, median, type Row, save, summary } from './lib/report';

const CONCURRENCY = envNumber('B5_CONCURRENCY', 32);
const SECONDS = envNumber('B5_SECONDS', 10);
const ROUNDS = envNumber('B5_ROUNDS', 3);
const WATCHERS = envNumber('B5_WATCHERS', 100);
const USERS = envNumber('B5_USERS', 600);
const POOL = 10; // the server's DATABASE_POOL_SIZE default

type Kind = 'http' | 'socket' | 'raw pg';
type Phase = 'B5a' | 'B5b';

interface Step {
  phase: Phase;
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
  let world: World | undefined;
  try {
    world = await createWorld(server.url, db.url);
    const users = await createUsers(db.url, Math.max(USERS, CONCURRENCY));
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
    const topicId = world.topicId;
    const roomId = world.roomId;
    const requests = users.map((u, i) => ({
      method: 'POST',
      path: `/api/v1/topics/${topicId}/comments`,
      token: u.token,
      body: { body: `HTTP로 쓴 의견 ${i}: 측정용 본문입니다.` },
    }));
    const params = users.map((u, i) => [
      topicId,
      u.id,
      `bare pg로 쓴 의견 ${i}: 측정용 본문입니다.`,
    ]);

    const step = async (phase: Phase, kind: Kind, round: number): Promise<void> => {
      await broadcast([load, sender], { type: 'reset' });
      const cpu0 = cpuSeconds(server.pid);
      const t0 = performance.now();
      let done: number;
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
          roomId,
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
      const one: Step = {
        phase,
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
      steps.push(one);
      log(
        `${phase} ${kind} round ${round + 1}: ${done} comments, ${one.perSecond.toFixed(0)}/s, p50 ${one.latency.p50.toFixed(1)} p99 ${one.latency.p99.toFixed(1)} ms, server CPU ${((one.serverCpu / seconds) * 100).toFixed(0)}%, failures ${JSON.stringify(one.failures)}`,
      );
      await sleep(1000);
    };

    for (let round = 0; round < ROUNDS; round++)
      for (const kind of ['http', 'raw pg', 'socket'] as Kind[]) await step('B5a', kind, round);

    await connectAll([watchers], WATCHERS, {
      url: server.url,
      join: { event: 'topic:watch', id: topicId },
      concurrency: 16,
    });
    await sleep(1000);
    await broadcast([watchers], { type: 'reset' });
    for (let round = 0; round < ROUNDS; round++)
      for (const kind of ['http', 'socket'] as Kind[]) await step('B5b', kind, round);
    await sleep(2000);
    watchTotals = await collect([watchers]);
    finalSeq = await topicSeq(db.url, topicId);
    const pool = new Pool({ connectionString: db.url, max: 1 });
    comments = Number(
      (
        await pool.query<{ n: string }>(
          `SELECT count(*) n FROM comments WHERE topic_id = $1 AND body NOT LIKE 'bare pg%'`,
          [topicId],
        )
      ).rows[0]?.n,
    );
    await pool.end();
  } finally {
    await broadcast([load, sender, watchers], { type: 'close' });
    for (const w of [load, sender, watchers]) w.stop();
    await server.stop();
  }

  // The baseline of B5b: the bare Socket.IO server fanning out the product's median rate of
  // the watched rounds to as many sockets, for as long.
  const watchedRate = median(steps.filter((s) => s.phase === 'B5b').map((s) => s.perSecond));
  const bare: FanoutMeasure[] = [];
  const rig = new FanoutRig(WATCHERS);
  try {
    await rig.prepare(db.url, Math.max(4, Math.ceil(watchedRate / 5)));
    for (let round = 0; round < ROUNDS; round++) {
      const bareServer = await startSubject('bare', db.url);
      try {
        await rig.connect(bareServer.url, bareServer.url, world);
        await sleep(1000);
        const rate = Math.max(1, Math.round(watchedRate));
        const m = await rig.measure({
          server: bareServer,
          world,
          rate,
          seconds: SECONDS,
          bodyBytes: 200,
          finalSeq: () => Promise.resolve(rate * SECONDS),
        });
        bare.push(m);
        log(
          `B5b bare socket.io round ${round + 1}: ${rate} msg/s to ${WATCHERS} sockets, ${Math.round(m.perCpuSecond)} deliveries/CPU-s`,
        );
      } finally {
        await rig.disconnect();
        await bareServer.stop();
      }
    }
  } finally {
    rig.stop();
    await db.drop();
  }

  const pick = (phase: Phase, kind: Kind) =>
    steps.filter((s) => s.phase === phase && s.kind === kind);
  const raw = median(pick('B5a', 'raw pg').map((s) => s.perSecond));
  const written = steps.filter((s) => s.kind !== 'raw pg').reduce((n, s) => n + s.done, 0);
  const watched = steps.filter((s) => s.phase === 'B5b').reduce((n, s) => n + s.done, 0);
  const keys = Object.keys(watchTotals?.applied ?? {});
  const exact =
    watchTotals !== undefined &&
    watchTotals.gaps === 0 &&
    watchTotals.liveDuplicates === 0 &&
    watchTotals.outOfOrder === 0 &&
    watchTotals.deliveries === watched * WATCHERS &&
    keys.length === 1 &&
    keys[0] === String(finalSeq) &&
    comments === written &&
    steps.every((s) => Object.keys(s.failures).length === 0);
  const correctnessText = exact
    ? `${written.toLocaleString('en-US')} comments = rows in PostgreSQL; ${WATCHERS} watchers got each of the ${watched.toLocaleString('en-US')} watched ones exactly once, in order (final seq ${finalSeq})`
    : `FAILED: rows ${comments} vs ${written} acknowledged; watchers ${JSON.stringify(watchTotals?.applied)} vs seq ${finalSeq}, deliveries ${watchTotals?.deliveries} vs ${watched * WATCHERS}, missing ${watchTotals?.gaps}, duplicates ${watchTotals?.liveDuplicates}, out of order ${watchTotals?.outOfOrder}`;
  const how = (kind: Kind) => (kind === 'http' ? 'HTTP' : 'the socket (chat:send)');
  const common = (list: Step[]) => ({
    rate: `closed loop, ${CONCURRENCY} in flight`,
    p50: median(list.map((s) => s.latency.p50)),
    p99: median(list.map((s) => s.latency.p99)),
    max: median(list.map((s) => s.latency.max)),
  });
  const httpA = median(pick('B5a', 'http').map((s) => s.perSecond));
  const rows: Row[] = (['http', 'socket'] as Kind[]).map((kind) => {
    const list = pick('B5a', kind);
    const value = median(list.map((s) => s.perSecond));
    const socketOk = kind === 'http' || value >= httpA;
    return {
      id: 'B5a',
      case: `comments over ${how(kind)}, ${CONCURRENCY} writers, nobody watching`,
      sockets: 0,
      ...common(list),
      perCpuSecond: median(list.map((s) => s.done / s.serverCpu)),
      metric: 'comments/s',
      value,
      baseline: raw,
      ratio: value / raw,
      target: kind === 'http' ? '≥ 0.5× raw' : '≥ 0.5× raw; socket ≥ HTTP',
      met: value / raw >= 0.5 && socketOk && exact,
      correctness: correctnessText,
      notes: `raw pg INSERT p50/p99 ${median(pick('B5a', 'raw pg').map((s) => s.latency.p50)).toFixed(1)}/${median(pick('B5a', 'raw pg').map((s) => s.latency.p99)).toFixed(1)} ms with a pool of ${POOL}; server CPU ${(median(list.map((s) => s.serverCpu / (s.done / s.perSecond))) * 100).toFixed(0)}% of a core${kind === 'socket' ? `; HTTP ${httpA.toFixed(0)}/s` : ''}`,
    };
  });
  const bareRate = median(bare.map((m) => m.perCpuSecond));
  const bareExact = bare.every((m) => m.exact);
  for (const kind of ['http', 'socket'] as Kind[]) {
    const list = pick('B5b', kind);
    const value = median(list.map((s) => (s.done * WATCHERS) / s.serverCpu));
    rows.push({
      id: 'B5b',
      case: `comments over ${how(kind)}, ${CONCURRENCY} writers, ${WATCHERS} watching sockets`,
      sockets: WATCHERS,
      ...common(list),
      perCpuSecond: value,
      metric: 'deliveries/CPU-s',
      value,
      baseline: bareRate,
      ratio: value / bareRate,
      target: 'deliveries per server CPU-s ≥ 0.85× bare',
      met: value / bareRate >= 0.85 && exact && bareExact,
      correctness: bareExact ? correctnessText : `${correctnessText}; bare fan-out NOT exact`,
      notes: `${median(list.map((s) => s.perSecond)).toFixed(0)} comments/s; bare socket.io at ${Math.round(watchedRate)} msg/s to ${WATCHERS} sockets; the product's CPU includes writing each comment`,
    });
  }
  save({
    id: 'B5',
    title: 'comment writes (B5a alone, B5b watched)',
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
