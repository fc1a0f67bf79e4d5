import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { type Histogram } from './histogram';
import { CORES, ROOT } from './processes';

export interface Machine {
  commit: string;
  dirty: boolean;
  node: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  pinned: string;
  date: string;
}

export function machine(): Machine {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    commit: git('rev-parse', '--short=10', 'HEAD'),
    dirty: git('status', '--porcelain', '--', 'src', 'bench', 'package.json') !== '',
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: CORES,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    pinned: CORES >= 2 ? 'server on core 0, clients on core 1 (taskset)' : 'not pinned (one core)',
    date: new Date().toISOString(),
  };
}

/** One measured line: the subject, its baseline when there is one, and the verdict. */
export interface Row {
  id: string;
  case: string;
  sockets?: number;
  rate?: string;
  p50?: number;
  p99?: number;
  max?: number;
  /** Deliveries (or operations) per server CPU-second. */
  perCpuSecond?: number;
  rssMiB?: number;
  /** The figure compared with the baseline, and the baseline's. */
  metric?: string;
  value?: number;
  baseline?: number;
  ratio?: number;
  target: string;
  met: boolean;
  /** Exactly once, in order, counts exact: what was checked and whether it held. */
  correctness: string;
  notes?: string;
}

export interface Result {
  id: string;
  title: string;
  machine: Machine;
  settings: Record<string, unknown>;
  rows: Row[];
  rounds: unknown[];
  findings: string[];
}

export const median = (values: number[]): number => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
};

export const fmt = (n: number | undefined, digits = 1): string =>
  n === undefined || !Number.isFinite(n)
    ? '–'
    : Math.abs(n) >= 1000
      ? Math.round(n).toLocaleString('en-US')
      : n.toFixed(digits);

export function summary(h: Histogram): { p50: number; p99: number; max: number; count: number } {
  return { p50: h.percentile(50), p99: h.percentile(99), max: h.max, count: h.count };
}

export function markdown(result: Result): string {
  const m = result.machine;
  const lines = [
    `### ${result.id} — ${result.title}`,
    '',
    `Commit ${m.commit}${m.dirty ? ' (uncommitted changes)' : ''}, Node ${m.node}, ${m.cpu} × ${m.cores}, ${m.memoryGiB} GiB, ${m.pinned}; ${m.date}.`,
    `Settings: ${Object.entries(result.settings)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ')}.`,
    '',
    '| case | sockets | rate | p50 ms | p99 ms | max ms | per server CPU-s | RSS MiB | measured | baseline | ratio | target | met | correctness |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...result.rows.map((r) =>
      [
        r.case,
        r.sockets === undefined ? '–' : r.sockets.toLocaleString('en-US'),
        r.rate ?? '–',
        fmt(r.p50),
        fmt(r.p99),
        fmt(r.max),
        fmt(r.perCpuSecond, 0),
        fmt(r.rssMiB, 0),
        r.metric ? `${r.metric}: ${fmt(r.value, 2)}` : '–',
        fmt(r.baseline, 2),
        r.ratio === undefined ? '–' : r.ratio.toFixed(2),
        r.target,
        r.met ? 'yes' : '**no**',
        r.correctness,
      ]
        .map((c) => String(c).replace(/\|/g, '/'))
        .join(' | ')
        .replace(/^/, '| ')
        .replace(/$/, ' |'),
    ),
    '',
    ...result.rows.filter((r) => r.notes).map((r) => `- ${r.case}: ${r.notes}`),
    ...result.findings.map((f) => `- ${f}`),
    '',
  ];
  return lines.join('\n');
}

/** Writes bench/results/<id>.json and .md and prints the table. */
export function save(result: Result): void {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${result.id}.json`), JSON.stringify(result, null, 2));
  const md = markdown(result);
  writeFileSync(join(dir, `${result.id}.md`), md);
  console.log('\n' + md);
}

export function readResult(id: string): Result | undefined {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'bench', 'results', `${id}.json`), 'utf8')) as Result;
  } catch {
    return undefined;
  }
}

export const envNumber = (name: string, fallback: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};

export const envList = (name: string, fallback: number[]): number[] => {
  const v = process.env[name];
  return v ? v.split(',').map(Number) : fallback;
};

export const log = (...parts: unknown[]): void => {
  console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...parts);
};
