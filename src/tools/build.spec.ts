import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const SCRIPT = join(__dirname, 'build.js');
const HOUR = 3600_000;

/** A project folder with files at chosen ages (milliseconds before now). */
function project(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'madang-build-'));
  for (const [file, age] of Object.entries(files)) {
    const path = join(root, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.endsWith('.json') ? '{}' : '');
    const at = new Date(Date.now() - age);
    utimesSync(path, at, at);
  }
  return root;
}

function stamp(root: string, startedAgo: number): void {
  writeFileSync(
    join(root, 'dist/build-stamp.json'),
    JSON.stringify({ startedAt: Date.now() - startedAgo }),
  );
}

function run(root: string, mode: string): { status: number | null; out: string } {
  const result = spawnSync(process.execPath, [SCRIPT, mode, '--root', root], { encoding: 'utf8' });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

const BUILT = {
  'src/main.ts': 3 * HOUR,
  'src/web/app/page.tsx': 3 * HOUR,
  'package.json': 3 * HOUR,
  'tsconfig.json': 3 * HOUR,
  'dist/main.js': HOUR,
  'dist/web/index.html': HOUR,
};

describe('build.js --check', () => {
  const roots: string[] = [];
  const fresh = (files: Record<string, number>): string => {
    const root = project(files);
    roots.push(root);
    return root;
  };
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('is stale without a stamp', () => {
    expect(run(fresh(BUILT), '--check')).toEqual({
      status: 1,
      out: 'build is stale: no build yet\n',
    });
  });

  it('is current when nothing changed after the build started', () => {
    const root = fresh(BUILT);
    stamp(root, 2 * HOUR);
    expect(run(root, '--check')).toEqual({ status: 0, out: 'build is current\n' });
  });

  it('names a source file changed after the build started, however deep', () => {
    const root = fresh({ ...BUILT, 'src/web/app/page.tsx': HOUR });
    stamp(root, 2 * HOUR);
    expect(run(root, '--check')).toEqual({
      status: 1,
      out: 'build is stale: src/web/app/page.tsx changed after the last build\n',
    });
  });

  it('names a configuration file changed after the build started', () => {
    const root = fresh({ ...BUILT, 'tsconfig.json': HOUR });
    stamp(root, 2 * HOUR);
    expect(run(root, '--check').out).toBe(
      'build is stale: tsconfig.json changed after the last build\n',
    );
  });

  it('is stale when an install happened after the build', () => {
    const root = fresh({ ...BUILT, 'node_modules/.package-lock.json': HOUR });
    stamp(root, 2 * HOUR);
    expect(run(root, '--check').out).toBe(
      'build is stale: node_modules/.package-lock.json changed after the last build\n',
    );
  });

  it('is stale when an output is missing or the stamp is unreadable', () => {
    const withoutWeb: Record<string, number> = { ...BUILT };
    delete withoutWeb['dist/web/index.html'];
    const root = fresh(withoutWeb);
    stamp(root, 2 * HOUR);
    expect(run(root, '--check').out).toBe('build is stale: dist/web/index.html is missing\n');

    const broken = fresh(BUILT);
    writeFileSync(join(broken, 'dist/build-stamp.json'), 'not json');
    expect(run(broken, '--check').out).toBe(
      'build is stale: dist/build-stamp.json is unreadable\n',
    );
  });
});

describe('build.js --if-stale', () => {
  let root: string;
  beforeEach(() => {
    root = project(BUILT);
    // The two build steps, as npm scripts of this folder: each leaves a mark and its output.
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({
        scripts: {
          'build:server': `node -e "require('fs').writeFileSync('server.mark','')"`,
          'build:web': `node -e "require('fs').writeFileSync('web.mark','')"`,
        },
      }),
    );
    const old = new Date(Date.now() - 3 * HOUR);
    utimesSync(join(root, 'package.json'), old, old);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('skips the build when it is current', () => {
    stamp(root, 2 * HOUR);
    const result = run(root, '--if-stale');
    expect(result).toEqual({
      status: 0,
      out: 'build is current: not building (`npm run build` always builds)\n',
    });
    expect(existsSync(join(root, 'server.mark'))).toBe(false);
  });

  it('builds when it is stale, and the new stamp makes it current', () => {
    stamp(root, 2 * HOUR);
    const touched = new Date(Date.now() - HOUR);
    utimesSync(join(root, 'src/main.ts'), touched, touched);
    const result = run(root, '--if-stale');
    expect(result.status).toBe(0);
    expect(result.out).toContain('building: src/main.ts changed after the last build');
    expect(existsSync(join(root, 'server.mark'))).toBe(true);
    expect(existsSync(join(root, 'web.mark'))).toBe(true);
    expect(run(root, '--check')).toEqual({ status: 0, out: 'build is current\n' });
  });
});
