/**
 * Runs B1–B10 one after the other (each in its own process, so one benchmark's leftovers never
 * load the next) and writes bench/results/summary.md from their results (docs/benchmarks.md
 * quotes the latest full run, with the findings around it).
 *
 *   npm run bench            (BENCH_ONLY=B1,B4 to run some; size knobs: see each script)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TS_NODE } from './lib/processes';
import { fmt, log, machine, markdown, readResult, type Result } from './lib/report';

const SCRIPTS: [string, string][] = [
  ['B1', 'b1-fanout.ts'],
  ['B2', 'b2-idle.ts'],
  ['B3', 'b3-reconnect.ts'],
  ['B4', 'b4-cross-node.ts'],
  ['B5', 'b5-comments.ts'],
  ['B6', 'b6-thread-read.ts'],
  ['B7', 'b7-agrees.ts'],
  ['B8', 'b8-reactions.ts'],
  ['B9', 'b9-ballots.ts'],
  ['B10', 'b10-notify.ts'],
];

function main(): void {
  const only = process.env.BENCH_ONLY?.split(',');
  const started = Date.now();
  const failed: string[] = [];
  for (const [id, file] of SCRIPTS) {
    if (only && !only.includes(id)) continue;
    log(`running ${id} (${file})`);
    const run = spawnSync(process.execPath, [...TS_NODE, join(__dirname, file)], {
      cwd: ROOT,
      stdio: 'inherit',
      env: process.env,
    });
    if (run.status !== 0) failed.push(id);
  }
  const results = SCRIPTS.map(([id]) => readResult(id)).filter((r): r is Result => r !== undefined);
  const m = machine();
  const lines = [
    '# Benchmarks',
    '',
    `The suite of BENCH.md (B1–B10), run with \`npm run bench\` on commit ${m.commit}: Node ${m.node}, ${m.cpu} × ${m.cores} cores, ${m.memoryGiB} GiB; ${m.pinned}. Total time ${((Date.now() - started) / 60_000).toFixed(0)} min.`,
    '',
    '| id | case | target | measured | ratio to baseline | p50 / p99 / max ms | met |',
    '|---|---|---|---|---|---|---|',
    ...results.flatMap((r) =>
      r.rows.map(
        (row) =>
          `| ${row.id} | ${row.case} | ${row.target} | ${row.metric ? `${row.metric}: ${fmt(row.value, 2)}` : '–'} | ${row.ratio === undefined ? '–' : row.ratio.toFixed(2)} | ${fmt(row.p50)} / ${fmt(row.p99)} / ${fmt(row.max)} | ${row.met ? 'yes' : '**no**'} |`,
      ),
    ),
    '',
    ...(failed.length ? [`Failed to run: ${failed.join(', ')}.`, ''] : []),
    ...results.map((r) => markdown(r)),
  ];
  writeFileSync(join(ROOT, 'bench', 'results', 'summary.md'), lines.join('\n'));
  log(
    `summary in bench/results/summary.md${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
  );
  if (failed.length) process.exitCode = 1;
}

main();
