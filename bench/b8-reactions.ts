/**
 * B8 — live reactions. 1,000 reactions a second (open loop, from 50 signed-in senders) into a
 * room of 5K sockets. Reactions are aggregated by the server; measured: how many `reactions`
 * broadcasts a socket gets per second (at most 4 is the target), the time from a click to the
 * broadcast that carries it (counts attributed first in, first out), and that every click is
 * counted exactly once — in the broadcasts and in `rooms.reaction_totals` in PostgreSQL.
 *
 *   npm run bench:b8    (B8_SOCKETS=5000 B8_RATE=1000 B8_SECONDS=10)
 */
import 'reflect-metadata';
import { Pool } from 'pg';
import { broadcast, collect, connectAll, connectSenders, Worker } from './lib/clients';
import { createDatabase, createUsers, createWorld } from './lib/database';
import { startSubject } from './lib/fanout';
import { cpuSeconds, rssBytes, runMain, sleep } from './lib/processes';
import { envNumber, log, machine, type Row, save, summary } from './lib/report';

const SOCKETS = envNumber('B8_SOCKETS', 5000);
const RATE = envNumber('B8_RATE', 1000);
const SECONDS = envNumber('B8_SECONDS', 10);
// At the shipped socket limit (100 events per 10 s per user) a sender may react 10 times a
// second; the load is spread so that each uses half of that.
const SENDERS = Math.max(50, Math.ceil(RATE / 5));

async function main(): Promise<void> {
  const db = await createDatabase('b8');
  const server = await startSubject('madang', db.url);
  const receivers = Array.from({ length: Math.ceil(SOCKETS / 2500) }, () => new Worker());
  const sender = new Worker();
  let row: Row;
  let details: Record<string, unknown> | undefined;
  try {
    const world = await createWorld(server.url, db.url);
    const users = await createUsers(db.url, SENDERS);
    await connectAll(receivers, SOCKETS, {
      url: server.url,
      join: { event: 'room:join', id: world.roomId },
      concurrency: 64,
    });
    await connectSenders(sender, server.url, users, world.roomId, 8);
    await sleep(3000);
    await broadcast([...receivers, sender], { type: 'reset' });
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    await sender.ask({
      type: 'send',
      event: 'react',
      roomId: world.roomId,
      rate: RATE,
      durationMs: SECONDS * 1000,
      senders: SENDERS,
      bodyBytes: 0,
    });
    await sleep(1500);
    const wall = (performance.now() - t0) / 1000;
    const serverCpu = cpuSeconds(server.pid) - cpu0;
    const senderStats = await collect([sender]);
    const receiverStats = await collect(receivers);
    const pool = new Pool({ connectionString: db.url, max: 1 });
    const totals =
      (
        await pool.query<{ t: Record<string, number> }>(
          'SELECT reaction_totals t FROM rooms WHERE id = $1',
          [world.roomId],
        )
      ).rows[0]?.t ?? {};
    await pool.end();
    const inDb = Object.values(totals).reduce((a, b) => a + b, 0);
    const sent = senderStats.sent;
    const lat = summary(senderStats.latency);
    const perSocketPerSecond = receiverStats.maxSnapshotsPerSecond;
    const meanPerSecond = receiverStats.snapshotEvents / SOCKETS / SECONDS;
    const exact =
      inDb === sent &&
      senderStats.reactionCountsSeen === sent &&
      senderStats.reactionsPending === 0 &&
      Object.keys(senderStats.ackFailures).length === 0;
    details = {
      sent,
      inDb,
      seenInBroadcasts: senderStats.reactionCountsSeen,
      ackFailures: senderStats.ackFailures,
      snapshotEvents: receiverStats.snapshotEvents,
      maxPerSocketPerSecond: perSocketPerSecond,
      meanPerSocketPerSecond: meanPerSecond,
      latency: lat,
      ack: summary(senderStats.ackLatency),
      serverCpu,
      wall,
    };
    log(
      `B8: ${sent} reactions, ${senderStats.reactionCountsSeen} seen in broadcasts, ${inDb} in PostgreSQL; broadcasts per socket per second max ${perSocketPerSecond}, mean ${meanPerSecond.toFixed(2)}; click→broadcast p50 ${lat.p50.toFixed(0)} p99 ${lat.p99.toFixed(0)} max ${lat.max.toFixed(0)} ms; ack p99 ${senderStats.ackLatency.percentile(99).toFixed(1)} ms; server CPU ${((serverCpu / wall) * 100).toFixed(0)}%`,
    );
    row = {
      id: 'B8',
      case: `${RATE.toLocaleString('en-US')} reactions/s from ${SENDERS} senders into a ${SOCKETS.toLocaleString('en-US')}-socket room`,
      sockets: SOCKETS,
      rate: `${RATE}/s for ${SECONDS} s`,
      p50: lat.p50,
      p99: lat.p99,
      max: lat.max,
      perCpuSecond: receiverStats.snapshotEvents / serverCpu,
      rssMiB: rssBytes(server.pid) / 2 ** 20,
      metric: 'reactions broadcasts/s per socket (max)',
      value: perSocketPerSecond,
      target: '≤ 4 reactions broadcasts/s per room; p99 ≤ 250 ms',
      met: perSocketPerSecond <= 4 && lat.p99 <= 250 && exact,
      correctness: exact
        ? `every reaction counted once: ${sent.toLocaleString('en-US')} sent = in broadcasts = rooms.reaction_totals`
        : `FAILED: sent ${sent}, in broadcasts ${senderStats.reactionCountsSeen}, in PostgreSQL ${inDb}, ack failures ${JSON.stringify(senderStats.ackFailures)}`,
      notes: `latency = click (intended send time) to the broadcast carrying it; mean ${meanPerSecond.toFixed(2)} broadcasts/s per socket; react ack p99 ${senderStats.ackLatency.percentile(99).toFixed(1)} ms; per CPU-s = reactions broadcasts delivered per server CPU-second; server CPU ${((serverCpu / wall) * 100).toFixed(0)}% of a core`,
    };
  } finally {
    await broadcast([...receivers, sender], { type: 'close' });
    for (const w of [...receivers, sender]) w.stop();
    await server.stop();
    await db.drop();
  }
  save({
    id: 'B8',
    title: 'live reactions',
    machine: machine(),
    settings: { sockets: SOCKETS, rate: RATE, seconds: SECONDS, senders: SENDERS },
    rows: [row],
    rounds: details ? [details] : [],
    findings: [],
  });
}

runMain(main);
