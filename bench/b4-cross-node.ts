/**
 * B4 — cross-node delivery. Two nodes share a private Redis (the sharded adapter, as
 * deployed). Chat is sent on node A; the same receiving clients are connected either to node A
 * (the baseline: no hop) or to node B (every broadcast crosses Redis), alternating A/B/A/B
 * against the same two running nodes. The difference is what the hop costs.
 *
 *   npm run bench:b4    (B4_SOCKETS=2,1000 B4_RATE=5 B4_SECONDS=6 B4_ROUNDS=3)
 */
import 'reflect-metadata';
import { PrivateRedis, stablePort } from '../test/cluster/helpers';
import { createDatabase, createWorld } from './lib/database';
import { correctness, FanoutRig, roomSeq, type FanoutMeasure, startSubject } from './lib/fanout';
import { cpuSeconds, runMain } from './lib/processes';
import { envList, envNumber, log, machine, median, type Row, save, summary } from './lib/report';

const SIZES = envList('B4_SOCKETS', [2, 1000]);
const RATE = envNumber('B4_RATE', 5);
const SECONDS = envNumber('B4_SECONDS', 6);
const ROUNDS = envNumber('B4_ROUNDS', 3);
const ADAPTER = process.env.B4_ADAPTER ?? 'sharded';

type Where = 'same node' | 'cross node';

async function main(): Promise<void> {
  const db = await createDatabase('b4');
  const redis = new PrivateRedis(await stablePort());
  await redis.start();
  const env = { REDIS_URL: redis.url, SOCKET_ADAPTER: ADAPTER };
  const a = await startSubject('madang', db.url, env);
  const b = await startSubject('madang', db.url, env);
  const steps: { where: Where; sockets: number; m: FanoutMeasure; cpuB: number }[] = [];
  try {
    const world = await createWorld(a.url, db.url);
    for (const sockets of SIZES) {
      const rig = new FanoutRig(sockets);
      await rig.prepare(db.url, Math.max(4, Math.ceil(RATE / 5)));
      try {
        for (let round = 0; round < ROUNDS; round++) {
          for (const where of ['same node', 'cross node'] as Where[]) {
            await rig.connect(where === 'same node' ? a.url : b.url, a.url, world);
            await new Promise((r) => setTimeout(r, 1500));
            const cpuB0 = cpuSeconds(b.pid);
            const m = await rig.measure({
              server: a,
              world,
              rate: RATE,
              seconds: SECONDS,
              bodyBytes: 200,
              finalSeq: () => roomSeq(db.url, world.roomId),
            });
            const cpuB = cpuSeconds(b.pid) - cpuB0;
            steps.push({ where, sockets, m, cpuB });
            const s = summary(m.totals.latency);
            log(
              `B4 ${where} ${sockets} sockets round ${round + 1}: p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)} max ${s.max.toFixed(1)} ms; node A CPU ${m.serverCpu.toFixed(2)} s, node B ${cpuB.toFixed(2)} s; ${m.exact ? 'exact' : correctness(m)}`,
            );
            await rig.disconnect();
          }
        }
      } finally {
        rig.stop();
      }
    }
  } finally {
    await a.stop();
    await b.stop();
    await redis.stop();
    await db.drop();
  }
  const rows: Row[] = SIZES.map((sockets) => {
    const get = (where: Where) => steps.filter((s) => s.where === where && s.sockets === sockets);
    const cross = get('cross node');
    const same = get('same node');
    const p = (list: typeof cross, q: number): number =>
      median(list.map((s) => s.m.totals.latency.percentile(q)));
    const addP50 = p(cross, 50) - p(same, 50);
    const addP99 = p(cross, 99) - p(same, 99);
    const exact = cross.concat(same).every((s) => s.m.exact);
    const perCpu = (list: typeof cross): number =>
      median(list.map((s) => s.m.totals.deliveries / (s.m.serverCpu + s.cpuB)));
    return {
      id: 'B4',
      case: `${sockets.toLocaleString('en-US')} sockets on node B, chat sent on node A (${ADAPTER} adapter)`,
      sockets,
      rate: `${RATE} msg/s`,
      p50: p(cross, 50),
      p99: p(cross, 99),
      max: median(cross.map((s) => s.m.totals.latency.max)),
      perCpuSecond: perCpu(cross),
      rssMiB: median(cross.map((s) => s.m.rssMiB)),
      metric: 'added p50 / p99 (ms)',
      value: addP50,
      baseline: p(same, 50),
      ratio: perCpu(cross) / perCpu(same),
      target: 'cross-node adds ≤ 2 ms p50 / ≤ 5 ms p99',
      met: addP50 <= 2 && addP99 <= 5 && exact,
      correctness: exact
        ? 'every message exactly once, in order, final seq = PostgreSQL'
        : 'FAILED: see rounds',
      notes: `adds ${addP50.toFixed(2)} ms at p50 and ${addP99.toFixed(2)} ms at p99; same node p50/p99 ${p(same, 50).toFixed(2)}/${p(same, 99).toFixed(2)} ms; the baseline column is the same-node p50 and the ratio compares deliveries per CPU-second of both nodes together`,
    };
  });
  save({
    id: 'B4',
    title: 'cross-node delivery (two nodes + Redis)',
    machine: machine(),
    settings: { sockets: SIZES, rate: RATE, seconds: SECONDS, rounds: ROUNDS, adapter: ADAPTER },
    rows,
    rounds: steps.map((s) => ({
      where: s.where,
      sockets: s.sockets,
      latency: summary(s.m.totals.latency),
      exact: s.m.exact,
      cpuA: s.m.serverCpu,
      cpuB: s.cpuB,
    })),
    findings: [
      'Both nodes are pinned to core 0, as one node is in the other benchmarks; PostgreSQL and Redis are not pinned.',
    ],
  });
}

runMain(main);
