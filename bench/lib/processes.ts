import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
/** How TypeScript children (baseline server, client workers) are started. */
export const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

const CLOCK_TICKS = Number(
  (() => {
    try {
      return execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim();
    } catch {
      return '100';
    }
  })(),
);

export const CORES = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 1;
  } catch {
    return 1;
  }
})();

/**
 * Pins a process to one core (the server to 0, load generators to 1) so that the clients'
 * work does not show up as the server's latency. Without `taskset`, or on one core, nothing
 * is pinned and the report says so.
 */
export function pin(pid: number | undefined, core: number): boolean {
  if (pid === undefined || CORES < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-pc', String(core), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (no help from it). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted after the command name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}

export interface ServerProcess {
  label: string;
  url: string;
  port: number;
  child: ChildProcess;
  pid: number;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** Starts `script` (built JS, or TypeScript through ts-node) pinned to `core`; waits for `readyPath`. */
export async function startServer(options: {
  label: string;
  script: string;
  port: number;
  env: Record<string, string>;
  readyPath: string;
  typescript?: boolean;
  core?: number;
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const args = [
    ...(options.typescript ? TS_NODE : []),
    ...(options.nodeArgs ?? []),
    options.script,
  ];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...options.env,
      PORT: String(options.port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  pin(child.pid, options.core ?? 0);
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${options.label} exited before it was ready:\n${out}`);
    }
    try {
      const res = await fetch(url + options.readyPath, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${options.label} not ready:\n${out}`);
    await sleep(100);
  }
  return {
    label: options.label,
    url,
    port: options.port,
    child,
    pid: child.pid!,
    output: () => out,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A free port below the kernel's ephemeral range: a restarted server must get its port back
 * while thousands of client sockets hold ephemeral ports.
 */
export { stablePort as takePort } from '../../test/cluster/helpers';

/** Runs a benchmark's main and exits: 0 when it finished, 1 (with the error) when it threw. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
