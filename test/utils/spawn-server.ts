import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

/**
 * Helpers for tests that run the built server (dist/) as a real child process, the way it is
 * deployed, rather than booting the application inside Jest.
 */

export const PROJECT_ROOT = join(__dirname, '..', '..');

/** The absolute path of a built file; fails (never skips) when the build is missing. */
export function builtFile(relative: string): string {
  const path = join(PROJECT_ROOT, 'dist', relative);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run build\` before these tests`);
  }
  return path;
}

/** Machine settings a child may inherit; nothing Madang reads comes from the test run. */
const SYSTEM_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
];

/**
 * An environment holding only the machine basics plus `settings`: the test run's own
 * DATABASE_URL, JWT_SECRET, MIGRATIONS_RUN=false and so on do not leak into the child.
 */
export function childEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of SYSTEM_VARIABLES) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return { ...env, ...settings };
}

/** Ports nobody listens on right now (the kernel picks them; all held until every one is known). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port assigned');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A Node child process whose stdout and stderr are kept for the test's failure report. */
export class NodeProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  readonly startedAt = performance.now();
  exit?: Exit;
  stdout = '';
  stderr = '';

  constructor(
    readonly label: string,
    script: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(process.execPath, [script, ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => {
      // 'close' rather than 'exit': all output has been read by then.
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.child.once('error', (error) => {
        this.stderr += `\n[spawn error] ${String(error)}\n`;
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Resolves with the exit, or 'timeout' when the process is still running after `ms`. */
  async waitForExit(ms: number): Promise<Exit | 'timeout'> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends `signal` and waits up to `ms` for the process to end. */
  async stop(signal: NodeJS.Signals, ms: number): Promise<Exit | 'timeout'> {
    if (this.running) this.child.kill(signal);
    return this.waitForExit(ms);
  }

  /** Last resort for cleanup: SIGKILL and wait. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.waitForExit(5000);
  }

  /** The tail of the output, for a failure report. */
  report(maxLines = 150): string {
    const tail = (text: string): string => text.split('\n').slice(-maxLines).join('\n');
    const status = this.exit ? `exit ${JSON.stringify(this.exit)}` : 'still running';
    return `----- ${this.label} (${status}) stdout -----\n${tail(this.stdout)}\n----- ${this.label} stderr -----\n${tail(this.stderr)}`;
  }
}

/**
 * Polls `url` until it answers 200. Fails early, with the child's exit, when the child dies.
 */
export async function waitForOk(url: string, child: NodeProcess, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (!child.running) {
      throw new Error(
        `${child.label} exited ${JSON.stringify(child.exit)} before ${url} was ready`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} was not ready after ${timeoutMs} ms (last: ${last})`);
}

// ---- processes, as Linux sees them (/proc) ----

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** R, S, D, Z (zombie: already dead, not yet reaped) ... */
  state: string;
  /** Clock ticks after boot; with the pid it identifies a process despite pid reuse. */
  startTime: string;
  uid: number;
  cmdline: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const uidLine = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return {
      pid,
      state: fields[0] ?? '?',
      ppid: Number(fields[1]),
      startTime: fields[19] ?? '?',
      uid: Number(uidLine?.[1] ?? -1),
      cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim(),
    };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every live (non-zombie) process on the machine. */
export function liveProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProcess(Number(entry));
    if (info && info.state !== 'Z') out.push(info);
  }
  return out;
}

/** Live processes whose command line contains `text` (e.g. a data directory). */
export function processesMentioning(text: string): ProcessInfo[] {
  return liveProcesses().filter((p) => p.cmdline.includes(text));
}

/** A process and every live descendant of it. */
export function processTree(pid: number): ProcessInfo[] {
  const all = liveProcesses();
  const tree = all.filter((p) => p.pid === pid);
  for (const parent of tree) {
    // Iterating while pushing visits the descendants added on the way.
    tree.push(...all.filter((p) => p.ppid === parent.pid));
  }
  return tree;
}

/** Those of `processes` that still run (same pid and start time, not a zombie). */
export function stillRunning(processes: ProcessInfo[]): ProcessInfo[] {
  return processes.filter((p) => {
    const now = readProcess(p.pid);
    return now !== undefined && now.state !== 'Z' && now.startTime === p.startTime;
  });
}
