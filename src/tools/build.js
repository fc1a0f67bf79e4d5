/**
 * The build: the server (`nest build`, into dist/) and the web client (Vite, into dist/web),
 * then dist/build-stamp.json, which records when that build started.
 *
 *   node src/tools/build.js              build (what `npm run build` does)
 *   node src/tools/build.js --if-stale   build only when the build is not current (`npm start`)
 *   node src/tools/build.js --check      say whether it is current: exit 0 if so, 1 if not
 *
 * The build is current when its stamp exists and no input changed after the build started:
 * nothing under src/ (the web client included), none of the configuration files below, and no
 * install since (npm rewrites node_modules/.package-lock.json on every install). `nest build`
 * empties dist/ first, so a build that stopped half-way leaves no stamp and counts as stale.
 * Plain CommonJS, because it runs before anything is compiled.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const CONFIG_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'nest-cli.json',
  'node_modules/.package-lock.json',
];
/** What the server needs from a build; a stamp without them is no build. */
const OUTPUTS = ['dist/main.js', 'dist/web/index.html'];
const STAMP = 'dist/build-stamp.json';

/** The newest file under `dir` (recursively): `{path, mtimeMs}`, or undefined when empty. */
function newestUnder(dir) {
  let newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestUnder(path)
      : entry.isFile()
        ? { path, mtimeMs: statSync(path).mtimeMs }
        : undefined;
    if (candidate && (!newest || candidate.mtimeMs > newest.mtimeMs)) newest = candidate;
  }
  return newest;
}

/** Why the build in `root` is not current, or undefined when it is. */
function staleness(root) {
  const stampPath = join(root, STAMP);
  if (!existsSync(stampPath)) return 'no build yet';
  let startedAt;
  try {
    startedAt = JSON.parse(readFileSync(stampPath, 'utf8')).startedAt;
  } catch {
    return `${STAMP} is unreadable`;
  }
  if (typeof startedAt !== 'number') return `${STAMP} is unreadable`;
  for (const output of OUTPUTS) {
    if (!existsSync(join(root, output))) return `${output} is missing`;
  }
  const inputs = [newestUnder(join(root, 'src'))];
  for (const file of CONFIG_FILES) {
    const path = join(root, file);
    if (existsSync(path)) inputs.push({ path, mtimeMs: statSync(path).mtimeMs });
  }
  for (const input of inputs) {
    if (input && input.mtimeMs > startedAt) {
      return `${relative(root, input.path)} changed after the last build`;
    }
  }
  return undefined;
}

/** `npm run <script>` with the npm that runs this (or the one on PATH); exits on failure. */
function npmRun(root, script) {
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', '--silent', script], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function build(root) {
  // Taken before anything is read, so a file saved while the build runs makes it stale.
  const startedAt = Date.now();
  npmRun(root, 'build:server');
  npmRun(root, 'build:web');
  writeFileSync(
    join(root, STAMP),
    `${JSON.stringify({ startedAt, builtAt: Date.now(), node: process.version })}\n`,
  );
}

function main(args) {
  const rootAt = args.indexOf('--root');
  const root = rootAt >= 0 ? args[rootAt + 1] : join(__dirname, '..', '..');
  if (!root) throw new Error('--root needs a folder');
  if (args.includes('--check')) {
    const why = staleness(root);
    process.stdout.write(why ? `build is stale: ${why}\n` : 'build is current\n');
    process.exit(why ? 1 : 0);
  }
  if (args.includes('--if-stale')) {
    const why = staleness(root);
    if (!why) {
      process.stdout.write('build is current: not building (`npm run build` always builds)\n');
      return;
    }
    process.stdout.write(`building: ${why}\n`);
  }
  build(root);
}

main(process.argv.slice(2));
