import { type HistogramData } from './histogram';

/** What the orchestrator asks of a client worker (see client-worker.ts). */
export type WorkerCommand =
  | {
      type: 'connect';
      url: string;
      count: number;
      tokens?: string[];
      /** Local source addresses (127.0.0.x) the sockets are spread over. */
      addresses: string[];
      join?: { event: 'room:join' | 'topic:watch'; id: string };
      reconnect?: boolean;
      concurrency: number;
    }
  | { type: 'reset' }
  | { type: 'mark'; at: number }
  | {
      type: 'send';
      event: 'chat:send' | 'react';
      roomId: string;
      rate: number;
      durationMs: number;
      senders: number;
      /** Closed loop only: callers in flight at once, rotating over the senders. */
      concurrency?: number;
      bodyBytes: number;
      emoji?: string;
    }
  | {
      type: 'http';
      base: string;
      requests: { method: string; path: string; token?: string; body?: unknown }[];
      /**
       * Client addresses (loopback aliases) the requests come from, in turn: anonymous readers
       * are limited per address, and a crowd of residents comes from many.
       */
      addresses?: string[];
      concurrency: number;
      durationMs: number;
      /** Open loop at this rate; closed loop when absent. */
      rate?: number;
      /** At most this many requests. */
      limit?: number;
    }
  | {
      type: 'pg';
      databaseUrl: string;
      poolSize: number;
      concurrency: number;
      durationMs: number;
      sql: string;
      params: unknown[][];
      limit?: number;
    }
  | { type: 'stats' }
  | { type: 'close' };

export interface WorkerStats {
  sockets: number;
  connected: number;
  /** Numbered events received live. */
  deliveries: number;
  snapshotEvents: number;
  liveDuplicates: number;
  /** Live events that arrived after a later one of their stream. */
  outOfOrder: number;
  /** Seqs never received (replay errors included). */
  gaps: number;
  replayed: number;
  /** How many sockets ended at each last-applied seq. */
  applied: Record<string, number>;
  maxSnapshotsPerSecond: number;
  latency: HistogramData;
  ackLatency: HistogramData;
  reconnect: HistogramData;
  /** From the start of the reconnect attempt that succeeded to the join answer applied. */
  served: HistogramData;
  ackFailures: Record<string, number>;
  sent: number;
  reactionCountsSeen: number;
  reactionsPending: number;
  httpStatus: Record<string, number>;
  lostConnections: number;
  repairs: number;
  cpuSeconds: number;
  rss: number;
}
