/**
 * B1 — live fan-out. One room with N sockets (1K and 5K by default); chat messages of ~200 B
 * are sent at 2 msg/s, then the rate is ramped towards saturation. The baseline is a bare
 * Socket.IO server doing the same broadcast (bench/baseline/bare-server.ts), measured in the
 * same run, alternating A/B/A/B; figures are medians over the rounds.
 *
 *   npm run bench:b1    (B1_SOCKETS=1000,5000 B1_RATE=2 B1_SECONDS=8 B1_ROUNDS=3 B1_RAMP=10,25,50)
 */
import 'reflect-metadata';
import { createDatabase, createWorld, type World } from './lib/database';
import {
  correctness,
  FanoutRig,
  roomSeq,
  type FanoutMeasure,
  type ServerKind,
  startSubject,
} from './lib/fanout';
import { envList, envNumber, log, machine, median, type Row, save, summary } from './lib/report';
import { runMain } from './lib/processes';

const SIZES = envList('B1_SOCKETS', [1000, 5000]);
const RATE = envNumber('B1_RATE', 2);
const SECONDS = envNumber('B1_SECONDS', 8);
const ROUNDS = envNumber('B1_ROUNDS', 3);
const RAMP = envList('B1_RAMP', [10, 25, 50]);
const RAMP_SECONDS = envNumber('B1_RAMP_SECONDS', 4);
const BODY_BYTES = 200;

interface Step {
  kind: ServerKind;
  sockets: number;
  round: number;
  rate: number;
  m: FanoutMeasure;
}

async function main(): Promise<void> {
  const db = await createDatabase('b1');
  const steps: Step[] = [];
  const findings: string[] = [];
  let world: World | undefined;
  try {
    for (const sockets of SIZES) {
      const rig = new FanoutRig(sockets);
      await rig.prepare(db.url, Math.max(4, Math.ceil(Math.max(RATE, ...RAMP) / 5)));
      try {
        for (let round = 0; round < ROUNDS; round++) {
          for (const kind of ['madang', 'bare'] as ServerKind[]) {
            const server = await startSubject(kind, db.url);
            try {
              world ??= await createWorld(server.url, db.url);
              const failed = await rig.connect(server.url, server.url, world);
              if (failed > 0)
                findings.push(`${kind} ${sockets}: ${failed} sockets failed to connect`);
              await new Promise((r) => setTimeout(r, 2000));
              let bareSeq = 0;
              const finalSeq = (rate: number, seconds: number) => async () =>
                kind === 'madang' ? roomSeq(db.url, world!.roomId) : (bareSeq += rate * seconds);
              const rates = round === 0 ? [RATE, ...RAMP] : [RATE];
              for (const rate of rates) {
                const seconds = rate === RATE ? SECONDS : RAMP_SECONDS;
                const m = await rig.measure({
                  server,
                  world,
                  rate,
                  seconds,
                  bodyBytes: BODY_BYTES,
                  finalSeq: finalSeq(rate, seconds),
                });
                steps.push({ kind, sockets, round, rate, m });
                const s = summary(m.totals.latency);
                log(
                  `B1 ${kind} ${sockets} sockets ${rate} msg/s round ${round + 1}: p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} max ${s.max.toFixed(1)} ms, ${Math.round(m.perCpuSecond)} deliveries/CPU-s, server CPU ${(m.cpuUtilisation * 100).toFixed(0)}%, clients ${(m.clientCpuUtilisation * 100).toFixed(0)}%, ${m.exact ? 'exact' : correctness(m)}`,
                );
                // Past saturation there is nothing more to learn at higher rates.
                if (rate !== RATE && (m.cpuUtilisation > 0.95 || !m.exact || s.p99 > 2000)) break;
              }
            } finally {
              await rig.disconnect();
              await server.stop();
            }
          }
        }
      } finally {
        rig.stop();
      }
    }
  } finally {
    await db.drop();
  }

  const rows: Row[] = [];
  for (const sockets of SIZES) {
    const at = (kind: ServerKind, rate: number): Step[] =>
      steps.filter((s) => s.kind === kind && s.sockets === sockets && s.rate === rate);
    const subject = at('madang', RATE);
    const bare = at('bare', RATE);
    const p99Target = sockets <= 1000 ? 20 : sockets <= 5000 ? 100 : 176;
    const value = median(subject.map((s) => s.m.perCpuSecond));
    const base = median(bare.map((s) => s.m.perCpuSecond));
    const ratio = value / base;
    const p50 = median(subject.map((s) => s.m.totals.latency.percentile(50)));
    const p99 = median(subject.map((s) => s.m.totals.latency.percentile(99)));
    const exact = subject.every((s) => s.m.exact) && bare.every((s) => s.m.exact);
    rows.push({
      id: 'B1',
      case: `${sockets.toLocaleString('en-US')} sockets, ${RATE} msg/s, ${BODY_BYTES} B`,
      sockets,
      rate: `${RATE} msg/s = ${(RATE * sockets).toLocaleString('en-US')} deliveries/s`,
      p50,
      p99,
      max: median(subject.map((s) => s.m.totals.latency.max)),
      perCpuSecond: value,
      rssMiB: median(subject.map((s) => s.m.rssMiB)),
      metric: 'deliveries/CPU-s',
      value,
      baseline: base,
      ratio,
      target: `ratio ≥ 0.85; p99 ≤ ${p99Target} ms`,
      met: ratio >= 0.85 && p99 <= p99Target && exact,
      correctness: exact
        ? 'every message exactly once, in order, final seq = PostgreSQL'
        : (subject
            .concat(bare)
            .map((s) => correctness(s.m))
            .find((c) => !c.startsWith('exactly')) ?? ''),
      notes: `bare socket.io p50/p99 ${median(bare.map((s) => s.m.totals.latency.percentile(50))).toFixed(1)}/${median(bare.map((s) => s.m.totals.latency.percentile(99))).toFixed(1)} ms, RSS ${median(bare.map((s) => s.m.rssMiB)).toFixed(0)} MiB; send→ack p50 ${median(subject.map((s) => s.m.totals.ackLatency.percentile(50))).toFixed(1)} ms (madang: write + commit); client core ${(median(subject.map((s) => s.m.clientCpuUtilisation)) * 100).toFixed(0)}% busy`,
    });
    for (const kind of ['madang', 'bare'] as ServerKind[]) {
      const ramp = steps.filter((s) => s.kind === kind && s.sockets === sockets && s.round === 0);
      const sustained = ramp.filter(
        (s) => s.m.exact && s.m.totals.latency.percentile(99) <= 1000 && s.m.cpuUtilisation <= 0.95,
      );
      const best = sustained[sustained.length - 1];
      const last = ramp[ramp.length - 1];
      findings.push(
        `${sockets.toLocaleString('en-US')} sockets, ramp on ${kind}: ${ramp
          .map(
            (s) =>
              `${s.rate} msg/s → p99 ${s.m.totals.latency.percentile(99).toFixed(0)} ms, server CPU ${(s.m.cpuUtilisation * 100).toFixed(0)}%, client core ${(s.m.clientCpuUtilisation * 100).toFixed(0)}%, ${Math.round(s.m.perCpuSecond).toLocaleString('en-US')}/CPU-s${s.m.exact ? '' : ' (not exact)'}`,
          )
          .join(
            '; ',
          )}. Highest rate sustained (exact, p99 ≤ 1 s, server CPU ≤ 95%): ${best ? `${best.rate} msg/s = ${(best.rate * sockets).toLocaleString('en-US')} deliveries/s` : 'none'}${last && last !== best ? `; limited at ${last.rate} msg/s` : ''}.`,
      );
    }
  }
  save({
    id: 'B1',
    title: 'live fan-out (one room)',
    machine: machine(),
    settings: {
      sockets: SIZES,
      rate: RATE,
      seconds: SECONDS,
      rounds: ROUNDS,
      ramp: RAMP,
      rampSeconds: RAMP_SECONDS,
      bodyBytes: BODY_BYTES,
    },
    rows,
    rounds: steps.map((s) => ({
      kind: s.kind,
      sockets: s.sockets,
      round: s.round + 1,
      rate: s.rate,
      latency: summary(s.m.totals.latency),
      perCpuSecond: s.m.perCpuSecond,
      serverCpu: s.m.serverCpu,
      cpuUtilisation: s.m.cpuUtilisation,
      clientCpuUtilisation: s.m.clientCpuUtilisation,
      rssMiB: s.m.rssMiB,
      exact: s.m.exact,
    })),
    findings,
  });
}

runMain(main);
