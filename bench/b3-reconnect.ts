/**
 * B3 — reconnect storm. 2K signed-in clients sit in one live room; the node is restarted
 * (SIGTERM, then a new process on the same port). Every client reconnects with a growing,
 * jittered delay, joins again with `sinceSeq` and applies what it missed; chat keeps coming
 * during the storm. Measured: the time from the new node answering to each client being back
 * and caught up (p50/p95/max), and that every client ends at the room's seq in PostgreSQL
 * with no gap and no duplicate. Alternating with it, the baseline: a bare socket.io server
 * restarted the same way before the same clients, answering their joins from memory.
 *
 *   npm run bench:b3    (B3_CLIENTS=2000 B3_ROUNDS=2)
 */
import 'reflect-metadata';
import { broadcast, collect, connectAll, connectSenders, Worker } from './lib/clients';
import { createDatabase, createUsers, createWorld, type World } from './lib/database';
import { roomSeq, startSubject } from './lib/fanout';
import { nowMs } from './lib/histogram';
import { cpuSeconds, runMain, sleep, takePort } from './lib/processes';
import { envNumber, log, machine, median, type Row, save, summary } from './lib/report';

const CLIENTS = envNumber('B3_CLIENTS', 2000);
const ROUNDS = envNumber('B3_ROUNDS', 2);
const MESSAGES = 20;

interface Round {
  kind: 'madang' | 'bare';
  back: number;
  caughtUp: number;
  p50: number;
  p95: number;
  max: number;
  fromStopP95: number;
  servedP95: number;
  gaps: number;
  duplicates: number;
  repairs: number;
  exact: boolean;
  serverCpuSeconds: number;
  finalSeq: number;
  applied: Record<string, number>;
}

async function main(): Promise<void> {
  const db = await createDatabase('b3');
  const port = await takePort();
  const rounds: Round[] = [];
  const workers = Array.from(
    { length: Math.max(1, Math.ceil(CLIENTS / 1000)) },
    () => new Worker(),
  );
  const sender = new Worker();
  let world: World | undefined;
  try {
    const users = await createUsers(db.url, CLIENTS);
    const senders = await createUsers(db.url, 2);
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['madang', 'bare'] as const) {
        const madang = kind === 'madang';
        let server = await startSubject(kind, db.url, {}, port);
        try {
          world ??= await createWorld(server.url, db.url);
          const w = world;
          await connectAll(workers, CLIENTS, {
            url: server.url,
            tokens: users.map((u) => u.token),
            join: { event: 'room:join', id: w.roomId },
            reconnect: true,
            concurrency: 32,
          });
          const connectSender = (): Promise<unknown> =>
            connectSenders(sender, server.url, senders, w.roomId, 2);
          await connectSender();
          const send = (): Promise<unknown> =>
            sender.ask({
              type: 'send',
              event: 'chat:send',
              roomId: w.roomId,
              rate: 10,
              durationMs: (MESSAGES / 10) * 1000,
              senders: senders.length,
              bodyBytes: 100,
            });
          await send();
          await sleep(1000);
          await broadcast(workers, { type: 'reset' });
          await sender.ask({ type: 'close' });

          const stoppedAt = nowMs();
          await server.stop('SIGTERM');
          // The bare server keeps nothing, so it resumes the room's numbering where it was and
          // cannot replay: its round has no chat during the storm.
          server = await startSubject(kind, db.url, { BARE_SEQ: String(MESSAGES) }, port);
          const readyAt = nowMs();
          await broadcast(workers, { type: 'mark', at: readyAt });
          const cpu0 = cpuSeconds(server.pid);
          // Chat goes on while the clients come back: some of it live, some replayed.
          let sending: Promise<unknown> = Promise.resolve();
          if (madang) {
            await connectSender();
            sending = send();
          }
          const deadline = performance.now() + 60_000;
          let totals = await collect(workers);
          while (totals.reconnect.count < CLIENTS && performance.now() < deadline) {
            await sleep(200);
            totals = await collect(workers);
          }
          await sending;
          await sleep(1500);
          totals = await collect(workers);
          const finalSeq = madang ? await roomSeq(db.url, w.roomId) : MESSAGES;
          const serverCpuSeconds = cpuSeconds(server.pid) - cpu0;
          const s = summary(totals.reconnect);
          const keys = Object.keys(totals.applied);
          const r: Round = {
            kind,
            back: totals.connected,
            caughtUp: totals.reconnect.count,
            p50: s.p50,
            p95: totals.reconnect.percentile(95),
            max: s.max,
            fromStopP95: totals.reconnect.percentile(95) + (readyAt - stoppedAt),
            servedP95: totals.served.percentile(95),
            gaps: totals.gaps,
            duplicates: totals.liveDuplicates,
            repairs: totals.repairs,
            exact:
              totals.gaps === 0 &&
              totals.liveDuplicates === 0 &&
              keys.length === 1 &&
              keys[0] === String(finalSeq),
            serverCpuSeconds,
            finalSeq,
            applied: totals.applied,
          };
          rounds.push(r);
          log(
            `B3 ${kind} round ${round + 1}: ${r.back}/${CLIENTS} back, ${r.caughtUp} caught up; after the node answered p50 ${r.p50.toFixed(0)} p95 ${r.p95.toFixed(0)} max ${r.max.toFixed(0)} ms, attempt→caught up p95 ${r.servedP95.toFixed(0)} ms (restart itself ${(readyAt - stoppedAt).toFixed(0)} ms); gaps ${r.gaps}, duplicates ${r.duplicates}, gap repairs ${r.repairs}, final seqs ${JSON.stringify(r.applied)} vs ${finalSeq}; server CPU ${serverCpuSeconds.toFixed(2)} s`,
          );
        } finally {
          await broadcast([...workers, sender], { type: 'close' });
          await server.stop();
        }
      }
    }
  } finally {
    for (const w of [...workers, sender]) w.stop();
    await db.drop();
  }
  const bare = rounds.filter((r) => r.kind === 'bare');
  const bareP95 = median(bare.map((r) => r.p95));
  const bareCpu = median(bare.map((r) => r.serverCpuSeconds));
  const subject = rounds.filter((r) => r.kind === 'madang');
  const p95 = median(subject.map((r) => r.p95));
  const allBack = rounds.every((r) => r.back === CLIENTS && r.caughtUp === CLIENTS);
  const exact = subject.every((r) => r.exact);
  const row: Row = {
    id: 'B3',
    case: `${CLIENTS.toLocaleString('en-US')} signed-in clients, node restarted, chat during the storm`,
    sockets: CLIENTS,
    rate: `${MESSAGES} msgs before + ${MESSAGES} during`,
    p50: median(subject.map((r) => r.p50)),
    p99: p95,
    max: median(subject.map((r) => r.max)),
    perCpuSecond: CLIENTS / median(subject.map((r) => r.serverCpuSeconds)),
    metric: 'p95 back and caught up (ms)',
    value: p95,
    // The ratio compares clients brought back per server CPU-second with the bare server's.
    baseline: bareP95,
    ratio: bareCpu / median(subject.map((r) => r.serverCpuSeconds)),
    target: '100% back, seq gap = 0, p95 ≤ 2 s',
    met: allBack && exact && p95 <= 2000,
    correctness:
      exact && allBack
        ? 'every client back, final seq = PostgreSQL, no gap, no duplicate'
        : `FAILED: ${JSON.stringify(subject.map((r) => ({ back: r.back, caughtUp: r.caughtUp, gaps: r.gaps, dup: r.duplicates, applied: r.applied, seq: r.finalSeq })))}`,
    notes: `the p99 column holds p95; times run from the restarted node answering /health/ready to the client's join answer being applied; per CPU-s = clients brought back per server CPU-second; from the old node's stop, p95 is ${median(subject.map((r) => r.fromStopP95)).toFixed(0)} ms (includes the node's own start); from the start of each client's successful attempt to caught up (the server's part, without the client's retry wait) p95 ${median(subject.map((r) => r.servedP95)).toFixed(0)} ms; client retry delay 250 ms doubling to 2 s, ±50% jitter; baseline: a bare socket.io server restarted the same way, the same clients and retry delays, its join answered from memory (no authentication, database or replay, no chat during its storm): p95 ${bareP95.toFixed(0)} ms, server CPU ${bareCpu.toFixed(2)} s (madang ${median(subject.map((r) => r.serverCpuSeconds)).toFixed(2)} s); ratio = the bare server's CPU / madang's`,
  };
  save({
    id: 'B3',
    title: 'reconnect storm',
    machine: machine(),
    settings: { clients: CLIENTS, rounds: ROUNDS, messages: MESSAGES },
    rows: [row],
    rounds,
    findings: [],
  });
}

runMain(main);
