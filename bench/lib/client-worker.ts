/**
 * A load-generating child process (started by clients.ts, pinned away from the server). It
 * holds sockets, checks every numbered event (exactly once, in order, by `seq`), records
 * latencies in a histogram, and sends open-loop load, on command over IPC.
 */
import { Agent, request as httpRequest } from 'node:http';
import { Pool } from 'pg';
import { Histogram, nowMs } from './histogram';
import { type Payload, RawLiveSocket } from './live-socket';
import { type WorkerCommand, type WorkerStats } from './protocol';

/** The send time travels in the message body: `t=<ms since the epoch>`. */
const SENT_AT = /t=(\d+(?:\.\d+)?)/;

/**
 * One socket's view of one numbered stream (a room or a topic). Live events are applied in
 * seq order; one that overtakes an earlier one is counted as out of order and applied when
 * the earlier one arrives, and a seq received twice live is a duplicate. Exactly once and in
 * order means: no duplicate, nothing out of order, and the socket ends at the stream's seq.
 */
class Stream {
  /** The last seq applied (contiguous); undefined until the first join answer. */
  applied?: number;
  private pending: number[] = [];
  /** Received live ahead of `applied + 1`. */
  private ahead = new Set<number>();
  /** The highest seq delivered live. */
  private lastLive = 0;
  liveDuplicates = 0;
  outOfOrder = 0;
  gaps = 0;
  replayed = 0;
  /** While a join is in flight, live events wait for its answer. */
  joining = false;

  live(seq: number): 'applied' | 'gap' | 'duplicate' | 'buffered' {
    if (seq === this.lastLive || this.ahead.has(seq)) {
      this.liveDuplicates++;
      return 'duplicate';
    }
    if (seq < this.lastLive) this.outOfOrder++;
    this.lastLive = Math.max(this.lastLive, seq);
    if (this.applied === undefined || this.joining) {
      this.pending.push(seq);
      return 'buffered';
    }
    if (seq <= this.applied) return 'applied'; // already had it from a replay
    if (seq === this.applied + 1) {
      this.applied = seq;
      while (this.ahead.delete(this.applied + 1)) this.applied++;
      return 'applied';
    }
    this.ahead.add(seq);
    return 'gap';
  }

  /** Seqs received ahead of one that never came. */
  get missing(): number {
    return this.ahead.size;
  }

  /** A join answer: the replayed seqs, then the stream's seq at the join. */
  joined(missed: number[], seq: number): void {
    let applied = this.applied ?? seq;
    for (const s of missed) {
      if (s <= applied) continue;
      if (s !== applied + 1) this.gaps++;
      applied = s;
      this.replayed++;
    }
    applied = Math.max(applied, seq);
    for (const s of [...this.pending, ...this.ahead].sort((a, b) => a - b)) {
      if (s <= applied) continue;
      if (s === applied + 1) applied = s;
      else this.ahead.add(s);
    }
    for (const s of [...this.ahead]) if (s <= applied) this.ahead.delete(s);
    while (this.ahead.delete(applied + 1)) applied++;
    this.pending = [];
    this.applied = applied;
    this.joining = false;
  }
}

interface Tracked {
  socket: RawLiveSocket;
  stream: Stream;
  /** For rate checks of snapshot events: broadcasts seen in the current second. */
  second: number;
  inSecond: number;
  maxPerSecond: number;
  reconnectedAt?: number;
  /** When the attempt that succeeded began (its connect, handshake and join are the server's part). */
  attemptAt?: number;
  rejoining: boolean;
}

const sockets: Tracked[] = [];
let latency = new Histogram();
let ackLatency = new Histogram();
let reconnect = new Histogram();
let served = new Histogram();
let deliveries = 0;
let snapshotEvents = 0;
let ackFailures: Record<string, number> = {};
let sent = 0;
let reactionSendTimes: number[] = [];
let reactionCountsSeen = 0;
let httpStatus: Record<string, number> = {};
let lostConnections = 0;
let reconnectMode = false;
/** When each reconnected socket had caught up (measured from `markAt` when stats are read). */
let rejoinedAt: number[] = [];
let repairs = 0;
let joinTarget: { event: 'room:join' | 'topic:watch'; id: string } | undefined;
/** Where a reconnect storm is measured from (the parent sets it when the server is back). */
let markAt = 0;

function resetStats(): void {
  latency = new Histogram();
  ackLatency = new Histogram();
  reconnect = new Histogram();
  served = new Histogram();
  rejoinedAt = [];
  deliveries = 0;
  snapshotEvents = 0;
  ackFailures = {};
  sent = 0;
  reactionSendTimes = [];
  reactionCountsSeen = 0;
  httpStatus = {};
  lostConnections = 0;
  for (const t of sockets) {
    t.maxPerSecond = 0;
    t.inSecond = 0;
  }
}

function onEvent(
  tracked: Tracked,
  index: number,
  event: string,
  payload: Payload,
  at: number,
): void {
  const seq = payload.seq;
  if (typeof seq === 'number') {
    deliveries++;
    const outcome = tracked.stream.live(seq);
    if (outcome === 'gap' && reconnectMode) {
      // With reconnection on, a gap is what the catch-up protocol repairs: join again from
      // the last seq applied, as a real client does. Without it, a seq that overtook an
      // earlier one waits for it; one that never comes shows as a gap at the end.
      repairs++;
      void join(tracked).catch(() => tracked.stream.gaps++);
    }
    if (event === 'comment:new') {
      const body = (payload.comment as { body?: unknown } | undefined)?.body;
      const match = typeof body === 'string' ? SENT_AT.exec(body) : null;
      if (match && outcome !== 'duplicate') latency.record(at - Number(match[1]));
    }
    return;
  }
  if (event === 'reactions') {
    snapshotEvents++;
    const second = Math.floor(at / 1000);
    if (second !== tracked.second) {
      tracked.second = second;
      tracked.inSecond = 0;
    }
    tracked.inSecond++;
    tracked.maxPerSecond = Math.max(tracked.maxPerSecond, tracked.inSecond);
    // The first socket of the worker that sends reactions attributes the aggregated counts
    // to the earliest reactions not yet seen (first in, first out): the time from a click to
    // the broadcast that carries it.
    if (index === 0 && reactionSendTimes.length > 0) {
      const counts = payload.counts as Record<string, number>;
      const n = Object.values(counts).reduce((a, b) => a + b, 0);
      reactionCountsSeen += n;
      for (const t of reactionSendTimes.splice(0, n)) latency.record(at - t);
    }
  }
}

async function join(tracked: Tracked): Promise<void> {
  if (!joinTarget) return;
  tracked.rejoining = true;
  tracked.stream.joining = true;
  const since = tracked.stream.applied;
  const idField = joinTarget.event === 'room:join' ? 'roomId' : 'topicId';
  const ack = (await tracked.socket.emit(joinTarget.event, {
    [idField]: joinTarget.id,
    ...(since !== undefined ? { sinceSeq: since } : {}),
    // As the web client rejoins a room: it keeps its messages, so `recent` is left out.
    // BENCH_LEAN=0 rejoins in full, for builds from before `lean` (which refuse the field).
    ...(since !== undefined && joinTarget.event === 'room:join' && process.env.BENCH_LEAN !== '0'
      ? { lean: true }
      : {}),
  })) as {
    ok: boolean;
    data?: { seq: number; missed?: { payload: { seq: number } }[]; reset?: boolean };
  };
  tracked.rejoining = false;
  if (!ack.ok || !ack.data) throw new Error(`join refused: ${JSON.stringify(ack)}`);
  if (ack.data.reset) tracked.stream.gaps++;
  tracked.stream.joined(
    (ack.data.missed ?? []).map((m) => m.payload.seq),
    ack.data.seq,
  );
  if (tracked.reconnectedAt !== undefined) {
    rejoinedAt.push(nowMs());
    if (tracked.attemptAt !== undefined) served.record(nowMs() - tracked.attemptAt);
    tracked.reconnectedAt = undefined;
  }
}

async function connectMany(cmd: Extract<WorkerCommand, { type: 'connect' }>): Promise<number> {
  joinTarget = cmd.join;
  reconnectMode = cmd.reconnect ?? false;
  let failed = 0;
  let next = 0;
  const start = sockets.length;
  const one = async (): Promise<void> => {
    while (next < cmd.count) {
      const i = next++;
      const index = start + i;
      const tracked: Tracked = {
        socket: undefined as unknown as RawLiveSocket,
        stream: new Stream(),
        second: 0,
        inSecond: 0,
        maxPerSecond: 0,
        rejoining: false,
      };
      let first = true;
      const address = cmd.addresses[i % cmd.addresses.length];
      const token = cmd.tokens?.[i % cmd.tokens.length];
      const make = (): RawLiveSocket =>
        new RawLiveSocket({
          url: cmd.url,
          ...(token ? { token } : {}),
          ...(address ? { localAddress: address } : {}),
          onEvent: (event, payload, at) => onEvent(tracked, index, event, payload, at),
          onConnect: () => {
            if (first) {
              first = false;
              return;
            }
            void join(tracked).catch(() => tracked.stream.gaps++);
          },
          onClose: () => {
            lostConnections++;
            if (cmd.reconnect) void reconnectLoop(tracked, make);
          },
        });
      tracked.socket = make();
      sockets.push(tracked);
      try {
        await tracked.socket.connect();
        if (cmd.join) await join(tracked);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, one));
  return failed;
}

/** Reconnects like a browser client: a short, growing, jittered delay, until it is back. */
async function reconnectLoop(tracked: Tracked, make: () => RawLiveSocket): Promise<void> {
  tracked.reconnectedAt = nowMs();
  for (let attempt = 0; ; attempt++) {
    const delay = Math.min(2000, 250 * 2 ** attempt) * (0.5 + Math.random());
    await new Promise((r) => setTimeout(r, delay));
    const socket = make();
    tracked.socket = socket;
    tracked.attemptAt = nowMs();
    try {
      await socket.connect(10_000);
      return; // onConnect rejoins with sinceSeq
    } catch {
      // the server is not back yet
    }
  }
}

/** Open-loop sends: the schedule is fixed in advance and never waits for answers. */
async function sendLoad(cmd: Extract<WorkerCommand, { type: 'send' }>): Promise<void> {
  const senders = sockets.slice(0, cmd.senders);
  if (cmd.rate === 0) return sendClosed(cmd, senders);
  const total = Math.round((cmd.rate * cmd.durationMs) / 1000);
  const pad = 'x'.repeat(Math.max(0, cmd.bodyBytes - 40));
  const start = nowMs() + 20;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / cmd.rate;
    const wait = due - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const tracked = senders[i % senders.length]!;
    // The intended send time, not the actual one: a late sender must not hide its lateness.
    const payload =
      cmd.event === 'react'
        ? { roomId: cmd.roomId, emoji: cmd.emoji ?? '👏' }
        : { roomId: cmd.roomId, body: `t=${due.toFixed(3)} i=${i} ${pad}` };
    if (cmd.event === 'react') reactionSendTimes.push(due);
    sent++;
    inFlight.push(
      tracked.socket.emit(cmd.event, payload).then((ack) => {
        ackLatency.record(nowMs() - due);
        const a = ack as { ok: boolean; error?: { code: string } };
        if (!a.ok) {
          const code = a.error?.code ?? 'unknown';
          ackFailures[code] = (ackFailures[code] ?? 0) + 1;
        }
      }),
    );
  }
  await Promise.all(inFlight);
}

/**
 * Closed loop: `concurrency` callers (one per sender socket when not given), each sending its
 * next message when the last one is answered. The callers take the sender sockets in turn, so
 * a load spread over many users keeps each user under the shipped per-user limit while the
 * number of messages in flight stays that of the HTTP and `pg` loops it is compared with.
 */
async function sendClosed(
  cmd: Extract<WorkerCommand, { type: 'send' }>,
  senders: Tracked[],
): Promise<void> {
  const started = nowMs();
  let i = 0;
  let turn = 0;
  const callers = Math.min(cmd.concurrency ?? senders.length, senders.length);
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (nowMs() - started < cmd.durationMs) {
        const tracked = senders[turn++ % senders.length]!;
        const t = nowMs();
        const payload = { roomId: cmd.roomId, body: `t=${t.toFixed(3)} i=${i++}` };
        sent++;
        const ack = (await tracked.socket.emit(cmd.event, payload)) as {
          ok: boolean;
          error?: { code: string };
        };
        ackLatency.record(nowMs() - t);
        if (!ack.ok) {
          const code = ack.error?.code ?? 'unknown';
          ackFailures[code] = (ackFailures[code] ?? 0) + 1;
        }
      }
    }),
  );
}

/** HTTP load: closed loop (`concurrency` callers, each waits for its answer) or open loop. */
async function httpLoad(cmd: Extract<WorkerCommand, { type: 'http' }>): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: cmd.concurrency });
  const url = new URL(cmd.base);
  const one = (i: number, due: number): Promise<void> => {
    const spec = cmd.requests[i % cmd.requests.length]!;
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const localAddress = cmd.addresses?.[i % cmd.addresses.length];
    return new Promise((resolve) => {
      const req = httpRequest(
        {
          agent,
          ...(localAddress ? { localAddress } : {}),
          host: url.hostname,
          port: url.port,
          method: spec.method,
          path: spec.path,
          headers: {
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latency.record(nowMs() - due);
            const key = String(res.statusCode);
            httpStatus[key] = (httpStatus[key] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        httpStatus[err.message] = (httpStatus[err.message] ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });
  };
  const started = nowMs();
  let done = 0;
  if (cmd.rate) {
    const total = cmd.limit ?? Math.round((cmd.rate * cmd.durationMs) / 1000);
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / cmd.rate;
      const wait = due - nowMs();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      inFlight.push(one(i, due).then(() => void done++));
    }
    await Promise.all(inFlight);
  } else {
    let next = 0;
    const limit = cmd.limit ?? Infinity;
    const caller = async (): Promise<void> => {
      while (nowMs() - started < cmd.durationMs && next < limit) {
        const i = next++;
        await one(i, nowMs());
        done++;
      }
    };
    await Promise.all(Array.from({ length: cmd.concurrency }, caller));
  }
  agent.destroy();
  return done;
}

/** The baseline for writes: the same statements through a bare `pg` pool, closed loop. */
async function pgLoad(cmd: Extract<WorkerCommand, { type: 'pg' }>): Promise<number> {
  const pool = new Pool({ connectionString: cmd.databaseUrl, max: cmd.poolSize });
  const started = nowMs();
  let next = 0;
  let done = 0;
  const limit = cmd.limit ?? Infinity;
  const caller = async (): Promise<void> => {
    while (nowMs() - started < cmd.durationMs && next < limit) {
      const i = next++;
      const params = cmd.params[i % cmd.params.length]!;
      const t = nowMs();
      await pool.query(cmd.sql, params);
      latency.record(nowMs() - t);
      done++;
    }
  };
  await Promise.all(Array.from({ length: cmd.concurrency }, caller));
  await pool.end();
  return done;
}

function stats(): WorkerStats {
  reconnect = new Histogram();
  for (const t of rejoinedAt) reconnect.record(t - markAt);
  let liveDuplicates = 0;
  let outOfOrder = 0;
  let gaps = 0;
  let replayed = 0;
  let maxPerSecond = 0;
  let connected = 0;
  const applied: Record<string, number> = {};
  for (const t of sockets) {
    liveDuplicates += t.stream.liveDuplicates;
    outOfOrder += t.stream.outOfOrder;
    gaps += t.stream.gaps + t.stream.missing;
    replayed += t.stream.replayed;
    maxPerSecond = Math.max(maxPerSecond, t.maxPerSecond);
    if (t.socket.connected) connected++;
    const key = String(t.stream.applied ?? 'none');
    applied[key] = (applied[key] ?? 0) + 1;
  }
  return {
    sockets: sockets.length,
    connected,
    deliveries,
    snapshotEvents,
    liveDuplicates,
    outOfOrder,
    gaps,
    replayed,
    applied,
    maxSnapshotsPerSecond: maxPerSecond,
    latency: latency.toJSON(),
    ackLatency: ackLatency.toJSON(),
    reconnect: reconnect.toJSON(),
    served: served.toJSON(),
    ackFailures,
    sent,
    reactionCountsSeen,
    reactionsPending: reactionSendTimes.length,
    httpStatus,
    lostConnections,
    repairs,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    rss: process.memoryUsage.rss(),
  };
}

async function handle(cmd: WorkerCommand): Promise<unknown> {
  switch (cmd.type) {
    case 'connect':
      return { failed: await connectMany(cmd) };
    case 'reset':
      resetStats();
      return {};
    case 'mark':
      markAt = cmd.at;
      return {};
    case 'send':
      await sendLoad(cmd);
      return {};
    case 'http':
      return { done: await httpLoad(cmd) };
    case 'pg':
      return { done: await pgLoad(cmd) };
    case 'stats':
      return stats();
    case 'close':
      for (const t of sockets.splice(0)) t.socket.close();
      return {};
  }
}

process.on('message', (message: { id: number; cmd: WorkerCommand }) => {
  handle(message.cmd).then(
    (data) => process.send?.({ id: message.id, ok: true, data }),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        ok: false,
        error: String((error as Error)?.stack ?? error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));
