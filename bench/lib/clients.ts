import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { Histogram } from './histogram';
import { pin, ROOT, TS_NODE } from './processes';
import { type WorkerCommand, type WorkerStats } from './protocol';

/** A client worker process, pinned to the load-generating core. */
export class Worker {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();

  constructor(core = 1) {
    this.child = fork(join(__dirname, 'client-worker.ts'), [], {
      cwd: ROOT,
      execArgv: [...TS_NODE, '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    pin(this.child.pid, core);
    this.child.on('message', (m: { id: number; ok: boolean; data?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve(m.data);
      else w?.reject(new Error(m.error));
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`worker exited ${code}`));
      this.waiting.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  ask<T = unknown>(cmd: WorkerCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd });
    });
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

/** Local addresses 127.0.0.2 … so that many sockets never run out of source ports. */
export function localAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
}

/** Every worker's stats added up, with the histograms merged (the workers send theirs as data). */
export type Totals = Omit<WorkerStats, MergedHistogram | 'rss'> &
  Record<MergedHistogram, Histogram>;
type MergedHistogram = 'latency' | 'ackLatency' | 'reconnect' | 'served';

/** Merges the stats of several workers. */
export async function collect(workers: Worker[]): Promise<Totals> {
  const all = await Promise.all(workers.map((w) => w.ask<WorkerStats>({ type: 'stats' })));
  const sum = (f: (s: WorkerStats) => number): number => all.reduce((n, s) => n + f(s), 0);
  const mergeCounts = (f: (s: WorkerStats) => Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const s of all) for (const [k, v] of Object.entries(f(s))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    sockets: sum((s) => s.sockets),
    connected: sum((s) => s.connected),
    deliveries: sum((s) => s.deliveries),
    snapshotEvents: sum((s) => s.snapshotEvents),
    liveDuplicates: sum((s) => s.liveDuplicates),
    outOfOrder: sum((s) => s.outOfOrder),
    gaps: sum((s) => s.gaps),
    replayed: sum((s) => s.replayed),
    repairs: sum((s) => s.repairs),
    applied: mergeCounts((s) => s.applied),
    maxSnapshotsPerSecond: Math.max(0, ...all.map((s) => s.maxSnapshotsPerSecond)),
    latency: Histogram.merge(all.map((s) => s.latency)),
    ackLatency: Histogram.merge(all.map((s) => s.ackLatency)),
    reconnect: Histogram.merge(all.map((s) => s.reconnect)),
    served: Histogram.merge(all.map((s) => s.served)),
    ackFailures: mergeCounts((s) => s.ackFailures),
    httpStatus: mergeCounts((s) => s.httpStatus),
    sent: sum((s) => s.sent),
    reactionCountsSeen: sum((s) => s.reactionCountsSeen),
    reactionsPending: sum((s) => s.reactionsPending),
    lostConnections: sum((s) => s.lostConnections),
    cpuSeconds: sum((s) => s.cpuSeconds),
  };
}

/** Connects `total` sockets spread over `workers`, each worker with its own addresses. */
export async function connectAll(
  workers: Worker[],
  total: number,
  base: Omit<Extract<WorkerCommand, { type: 'connect' }>, 'type' | 'count' | 'addresses'>,
  addressesPerWorker = 4,
): Promise<number> {
  const per = Math.ceil(total / workers.length);
  const failed = await Promise.all(
    workers.map((w, i) =>
      w.ask<{ failed: number }>({
        type: 'connect',
        ...base,
        count: Math.max(0, Math.min(per, total - i * per)),
        addresses: localAddresses(addressesPerWorker * workers.length).slice(
          i * addressesPerWorker,
          (i + 1) * addressesPerWorker,
        ),
      }),
    ),
  );
  return failed.reduce((n, f) => n + f.failed, 0);
}

/**
 * Signs the senders in on one worker (from 127.0.0.1: they are few) and joins them to the room
 * they will write to.
 */
export function connectSenders(
  worker: Worker,
  url: string,
  senders: { token: string }[],
  roomId: string,
  concurrency: number,
): Promise<unknown> {
  return worker.ask({
    type: 'connect',
    url,
    count: senders.length,
    tokens: senders.map((u) => u.token),
    addresses: ['127.0.0.1'],
    join: { event: 'room:join', id: roomId },
    concurrency,
  });
}

export async function broadcast(workers: Worker[], cmd: WorkerCommand): Promise<void> {
  await Promise.all(workers.map((w) => w.ask(cmd)));
}
