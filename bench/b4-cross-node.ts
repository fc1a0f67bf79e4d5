/**
 * B4 — cross-node delivery. B4_NODES nodes (2 by default) share a private Redis — one
 * server, or with B4_REDIS=cluster a Redis Cluster of three masters started for the run —
 * through the sharded adapter, as deployed. Chat is sent on node A; the same receiving clients
 * are connected either to node A (the baseline: no hop) or spread over the other nodes (every
 * broadcast crosses Redis), alternating against the same running nodes. The difference is what
 * the hop costs. Redis's own CPU and bytes out per broadcast are read from INFO on every Redis
 * process.
 *
 *   npm run bench:b4    (B4_SOCKETS=2,1000 B4_RATE=5 B4_SECONDS=6 B4_ROUNDS=3 B4_NODES=2
 *                        B4_REDIS=single|cluster)
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { PrivateRedis, PrivateRedisCluster, stablePort } from '../test/cluster/helpers';
import { createDatabase, createWorld } from './lib/database';
import { correctness, FanoutRig, roomSeq, type FanoutMeasure, startSubject } from './lib/fanout';
import { cpuSeconds, runMain } from './lib/processes';
import { envList, envNumber, log, machine, median, type Row, save, summary } from './lib/report';

const SIZES = envList('B4_SOCKETS', [2, 1000]);
const RATE = envNumber('B4_RATE', 5);
const SECONDS = envNumber('B4_SECONDS', 6);
const ROUNDS = envNumber('B4_ROUNDS', 3);
const ADAPTER = process.env.B4_ADAPTER ?? 'sharded';
const NODES = Math.max(2, envNumber('B4_NODES', 2));
const CLUSTER = process.env.B4_REDIS === 'cluster';
const IDLE_MS = 3000;

/** CPU seconds and bytes sent so far by the Redis processes on `ports` (INFO cpu, stats). */
function redisUsage(ports: number[]): { cpu: number; bytesOut: number } {
  let cpu = 0;
  let bytesOut = 0;
  for (const port of ports) {
    const info = execFileSync('redis-cli', ['-p', String(port), 'INFO', 'all'], {
      encoding: 'utf8',
    });
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    cpu += field('used_cpu_user') + field('used_cpu_sys');
    bytesOut += field('total_net_output_bytes');
  }
  return { cpu, bytesOut };
}

type Where = 'same node' | 'cross node';

async function main(): Promise<void> {
  const db = await createDatabase('b4');
  const redis = CLUSTER
    ? new PrivateRedisCluster([await stablePort(), await stablePort(), await stablePort()])
    : new PrivateRedis(await stablePort());
  await redis.start();
  const redisPorts = redis instanceof PrivateRedisCluster ? redis.ports : [redis.port];
  const env = {
    REDIS_URL: redis.url,
    SOCKET_ADAPTER: ADAPTER,
    ...(CLUSTER ? { REDIS_CLUSTER: 'true' } : {}),
  };
  const nodes = [];
  for (let i = 0; i < NODES; i++) nodes.push(await startSubject('madang', db.url, env));
  const [a, ...others] = nodes as [(typeof nodes)[0], ...typeof nodes];
  const steps: {
    where: Where;
    sockets: number;
    m: FanoutMeasure;
    cpuB: number;
    redisCpu: number;
    redisBytes: number;
  }[] = [];
  try {
    const world = await createWorld(a.url, db.url);
    for (const sockets of SIZES) {
      const rig = new FanoutRig(sockets);
      await rig.prepare(db.url, Math.max(4, Math.ceil(RATE / 5)));
      try {
        for (let round = 0; round < ROUNDS; round++) {
          for (const where of ['same node', 'cross node'] as Where[]) {
            await rig.connect(
              where === 'same node' ? a.url : others.map((n) => n.url),
              a.url,
              world,
            );
            await new Promise((r) => setTimeout(r, 1500));
            const othersCpu = (): number => others.reduce((n, o) => n + cpuSeconds(o.pid), 0);
            // Redis's own background (presence heartbeats, rate-limit keys, the cluster bus)
            // over an idle stretch, taken off what the broadcasts are charged.
            const idle0 = redisUsage(redisPorts);
            await new Promise((r) => setTimeout(r, IDLE_MS));
            const idle1 = redisUsage(redisPorts);
            const cpuB0 = othersCpu();
            const redis0 = redisUsage(redisPorts);
            const m = await rig.measure({
              server: a,
              world,
              rate: RATE,
              seconds: SECONDS,
              bodyBytes: 200,
              finalSeq: () => roomSeq(db.url, world.roomId),
            });
            const cpuB = othersCpu() - cpuB0;
            const redis1 = redisUsage(redisPorts);
            const scale = (m.wallSeconds * 1000) / IDLE_MS;
            const redisCpu = Math.max(0, redis1.cpu - redis0.cpu - (idle1.cpu - idle0.cpu) * scale);
            const redisBytes = Math.max(
              0,
              redis1.bytesOut - redis0.bytesOut - (idle1.bytesOut - idle0.bytesOut) * scale,
            );
            steps.push({ where, sockets, m, cpuB, redisCpu, redisBytes });
            const s = summary(m.totals.latency);
            log(
              `B4 ${where} ${sockets} sockets round ${round + 1}: p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)} max ${s.max.toFixed(1)} ms; node A CPU ${m.serverCpu.toFixed(2)} s, other nodes ${cpuB.toFixed(2)} s; Redis ${(redisCpu * 1000).toFixed(0)} ms CPU, ${(redisBytes / 1024).toFixed(0)} KiB out; ${m.exact ? 'exact' : correctness(m)}`,
            );
            await rig.disconnect();
          }
        }
      } finally {
        rig.stop();
      }
    }
  } finally {
    for (const node of nodes) await node.stop();
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
    const perBroadcast = (list: typeof cross, of: (s: (typeof cross)[0]) => number): number =>
      median(list.map((s) => of(s) / Math.max(1, s.m.messages)));
    const redisCpuUs = perBroadcast(cross, (s) => s.redisCpu * 1e6);
    const redisBytes = perBroadcast(cross, (s) => s.redisBytes);
    const nodeCpuUs = median(
      cross.map((s) => ((s.m.serverCpu + s.cpuB) * 1e6) / Math.max(1, s.m.totals.deliveries)),
    );
    return {
      id: 'B4',
      case: `${sockets.toLocaleString('en-US')} sockets on ${NODES === 2 ? 'node B' : `the ${NODES - 1} other nodes`}, chat sent on node A (${ADAPTER} adapter, ${CLUSTER ? 'Redis Cluster of 3 masters' : 'one Redis'})`,
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
      notes: `adds ${addP50.toFixed(2)} ms at p50 and ${addP99.toFixed(2)} ms at p99; same node p50/p99 ${p(same, 50).toFixed(2)}/${p(same, 99).toFixed(2)} ms; per broadcast across nodes: Redis ${redisCpuUs.toFixed(0)} µs CPU and ${redisBytes.toFixed(0)} bytes out, the nodes ${nodeCpuUs.toFixed(1)} µs CPU per delivery; the baseline column is the same-node p50 and the ratio compares deliveries per CPU-second of all nodes together`,
    };
  });
  save({
    id: 'B4',
    title: `cross-node delivery (${NODES} nodes + ${CLUSTER ? 'Redis Cluster' : 'Redis'})`,
    machine: machine(),
    settings: {
      sockets: SIZES,
      rate: RATE,
      seconds: SECONDS,
      rounds: ROUNDS,
      adapter: ADAPTER,
      nodes: NODES,
      redis: CLUSTER ? 'cluster of 3 masters' : 'single',
    },
    rows,
    rounds: steps.map((s) => ({
      where: s.where,
      sockets: s.sockets,
      latency: summary(s.m.totals.latency),
      exact: s.m.exact,
      cpuA: s.m.serverCpu,
      cpuOthers: s.cpuB,
      redisCpu: s.redisCpu,
      redisBytesOut: s.redisBytes,
    })),
    findings: [
      'Every node is pinned to core 0, as one node is in the other benchmarks; PostgreSQL and Redis are not pinned.',
    ],
  });
}

runMain(main);
