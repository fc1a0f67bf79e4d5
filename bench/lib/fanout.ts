import { Pool } from 'pg';
import { type Totals, broadcast, collect, connectAll, connectSenders, Worker } from './clients';
import { type World, createUsers, subjectEnv, type BenchUser } from './database';
import {
  cpuSeconds,
  type ServerProcess,
  rssBytes,
  sleep,
  startServer,
  takePort,
} from './processes';

export type ServerKind = 'madang' | 'bare';

/** Starts the product (built dist/main.js) or the bare Socket.IO baseline, pinned to core 0. */
export async function startSubject(
  kind: ServerKind,
  databaseUrl: string,
  extra: Record<string, string> = {},
  port?: number,
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const p = port ?? (await takePort());
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=bench/results/profiles", profiles the servers.
  const args = [...nodeArgs, ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  return kind === 'madang'
    ? startServer({
        label: 'madang',
        // BENCH_SERVER points at another build (e.g. of an earlier commit) for before/after figures.
        script: process.env.BENCH_SERVER ?? 'dist/main.js',
        port: p,
        env: subjectEnv(databaseUrl, extra),
        readyPath: '/health/ready',
        nodeArgs: args,
      })
    : startServer({
        label: 'bare socket.io',
        script: 'bench/baseline/bare-server.ts',
        port: p,
        env: extra,
        readyPath: '/health',
        typescript: true,
        nodeArgs: args,
      });
}

export interface FanoutMeasure {
  totals: Totals;
  expected: number;
  messages: number;
  serverCpu: number;
  wallSeconds: number;
  perCpuSecond: number;
  cpuUtilisation: number;
  clientCpuUtilisation: number;
  rssMiB: number;
  /** Every socket ended at the stream's last seq, with no duplicate and no gap. */
  exact: boolean;
  finalSeq: number;
}

/** The room's seq as PostgreSQL has it (for the product), or as the baseline counted it. */
export async function roomSeq(databaseUrl: string, roomId: string): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ seq: number }>('SELECT seq FROM rooms WHERE id = $1', [
      roomId,
    ]);
    return rows[0]?.seq ?? -1;
  } finally {
    await pool.end();
  }
}

/**
 * One room with `receivers` sockets and a few senders posting chat at a fixed rate: the
 * common core of B1, B4 and B8.
 */
export class FanoutRig {
  readonly receivers: Worker[];
  readonly sender = new Worker();
  senderUsers: BenchUser[] = [];

  constructor(readonly sockets: number) {
    this.receivers = Array.from(
      { length: Math.max(1, Math.ceil(sockets / 2500)) },
      () => new Worker(),
    );
  }

  /**
   * `senders` users post the chat; at the shipped socket limit (100 events per 10 s per user)
   * each may send 10 messages a second, so a rate needs at least rate / 5 of them (half the
   * limit, for headroom).
   */
  async prepare(databaseUrl: string, senders = 4): Promise<void> {
    this.senderUsers = await createUsers(databaseUrl, senders);
  }

  /** The receivers on `receiverUrl`, or spread evenly over several nodes' URLs. */
  async connect(receiverUrl: string | string[], senderUrl: string, world: World): Promise<number> {
    const urls = Array.isArray(receiverUrl) ? receiverUrl : [receiverUrl];
    let failed = 0;
    for (const [i, url] of urls.entries()) {
      const share =
        Math.floor(this.sockets / urls.length) + (i < this.sockets % urls.length ? 1 : 0);
      failed += await connectAll(this.receivers, share, {
        url,
        join: { event: 'room:join', id: world.roomId },
        concurrency: 64,
      });
    }
    await connectSenders(this.sender, senderUrl, this.senderUsers, world.roomId, 4);
    return failed;
  }

  async measure(options: {
    server: ServerProcess;
    world: World;
    rate: number;
    seconds: number;
    bodyBytes: number;
    finalSeq: () => Promise<number>;
  }): Promise<FanoutMeasure> {
    const { server, rate, seconds } = options;
    await broadcast([...this.receivers, this.sender], { type: 'reset' });
    const clientCpu0 = await this.clientCpu();
    const cpu0 = cpuSeconds(server.pid);
    const t0 = performance.now();
    await this.sender.ask({
      type: 'send',
      event: 'chat:send',
      roomId: options.world.roomId,
      rate,
      durationMs: seconds * 1000,
      senders: this.senderUsers.length,
      bodyBytes: options.bodyBytes,
    });
    // Drain: everything sent must arrive; a slow server shows as latency, not as loss.
    const messages = Math.round(rate * seconds);
    const expected = messages * this.sockets;
    const deadline = performance.now() + 15_000;
    let totals = await collect(this.receivers);
    while (totals.deliveries < expected && performance.now() < deadline) {
      await sleep(250);
      totals = await collect(this.receivers);
    }
    const wallSeconds = (performance.now() - t0) / 1000;
    const serverCpu = cpuSeconds(server.pid) - cpu0;
    const clientCpu = (await this.clientCpu()) - clientCpu0;
    const senderStats = await collect([this.sender]);
    const finalSeq = await options.finalSeq();
    const appliedKeys = Object.keys(totals.applied);
    const exact =
      totals.liveDuplicates === 0 &&
      totals.outOfOrder === 0 &&
      totals.gaps === 0 &&
      totals.deliveries === expected &&
      appliedKeys.length === 1 &&
      appliedKeys[0] === String(finalSeq) &&
      Object.keys(senderStats.ackFailures).length === 0;
    totals.ackLatency = senderStats.ackLatency;
    totals.ackFailures = senderStats.ackFailures;
    return {
      totals,
      expected,
      messages,
      serverCpu,
      wallSeconds,
      perCpuSecond: totals.deliveries / Math.max(serverCpu, 0.01),
      cpuUtilisation: serverCpu / wallSeconds,
      clientCpuUtilisation: clientCpu / wallSeconds,
      rssMiB: rssBytes(server.pid) / 2 ** 20,
      exact,
      finalSeq,
    };
  }

  private async clientCpu(): Promise<number> {
    const t = await collect(this.receivers);
    return t.cpuSeconds;
  }

  async disconnect(): Promise<void> {
    await broadcast([...this.receivers, this.sender], { type: 'close' });
  }

  stop(): void {
    for (const w of [...this.receivers, this.sender]) w.stop();
  }
}

export function correctness(m: FanoutMeasure): string {
  const t = m.totals;
  if (m.exact) return `exactly once, in order (${t.deliveries.toLocaleString('en-US')} deliveries)`;
  // Sends the server refused (an overloaded node answers 503) were never written: not a loss
  // when everything it accepted arrived. The step still does not count as sustained.
  const refused = Object.values(t.ackFailures).reduce((sum, n) => sum + n, 0);
  const sockets = m.expected / Math.max(m.messages, 1);
  const applied = Object.keys(t.applied);
  if (
    refused > 0 &&
    t.liveDuplicates === 0 &&
    t.outOfOrder === 0 &&
    t.gaps === 0 &&
    t.deliveries === (m.messages - refused) * sockets &&
    applied.length === 1 &&
    applied[0] === String(m.finalSeq)
  )
    return `overloaded: ${refused} of ${m.messages} sends refused ${JSON.stringify(t.ackFailures)}; every accepted message exactly once, in order`;
  return `FAILED: ${t.deliveries}/${m.expected} delivered, ${t.liveDuplicates} duplicates, ${t.outOfOrder} out of order, ${t.gaps} missing, final seqs ${JSON.stringify(t.applied)} vs ${m.finalSeq}, ack failures ${JSON.stringify(t.ackFailures)}`;
}
