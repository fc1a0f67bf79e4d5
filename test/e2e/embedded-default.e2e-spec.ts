import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  builtFile,
  childEnv,
  freePorts,
  NodeProcess,
  processesMentioning,
  type ProcessInfo,
  processTree,
  stillRunning,
  waitForOk,
} from '../utils/spawn-server';

/** The parts of the API's answers these tests read. */
interface ApiBody {
  accessToken?: string;
  user?: { id: string; email: string; role: string };
  id?: string;
  email?: string;
  role?: string;
}

/**
 * The zero-configuration path: the BUILT server (dist/main.js) with no DATABASE_URL starts
 * its own PostgreSQL in EMBEDDED_PG_DIR, keeps the data across restarts, and leaves nothing
 * running once stopped. The admin CLI (dist/cli.js) works on the same folder.
 *
 * The steps share one data folder and run in order, each building on the one before.
 */
describe('embedded PostgreSQL by default (built server)', () => {
  let mainJs: string;
  let cliJs: string;
  /** mkdtemp folder; the cluster lives in `dataDir` inside it. */
  let root: string;
  let dataDir: string;
  let pgPort: number;
  let httpPort: number;
  let baseUrl: string;

  /** Every child started, for cleanup and for the failure report. */
  const children: NodeProcess[] = [];
  /** Every PostgreSQL process seen while a server ran; none may outlive the server. */
  const postgresSeen: ProcessInfo[] = [];
  let server: NodeProcess | undefined;
  let coldMs = 0;
  let warmMs = 0;

  const citizen = {
    email: 'citizen@embedded.example',
    password: 'correct horse battery',
    displayName: '시민',
  };
  let citizenId = '';
  let firstToken = '';
  const admin = { email: 'root-admin@embedded.example', password: 'a long admin password' };
  const rejected = { email: 'never-created@embedded.example', password: 'short' };

  /**
   * Runs a step; on failure, prints what the children started in it (and the running server)
   * wrote, then re-throws.
   */
  const step =
    (body: () => Promise<void>): (() => Promise<void>) =>
    async () => {
      const first = children.length;
      try {
        await body();
      } catch (error) {
        const involved = children.slice(first);
        if (server && !involved.includes(server)) involved.unshift(server);
        console.log(involved.map((c) => c.report()).join('\n'));
        throw error;
      }
    };

  const settings = (): Record<string, string> => ({
    EMBEDDED_PG_DIR: dataDir,
    EMBEDDED_PG_PORT: String(pgPort),
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
  });

  function startServer(label: string): NodeProcess {
    const env = childEnv({ ...settings(), PORT: String(httpPort) });
    expect(env.DATABASE_URL).toBeUndefined();
    const child = new NodeProcess(label, mainJs, [], env);
    children.push(child);
    return child;
  }

  async function runCli(args: string[], extra: Record<string, string> = {}): Promise<NodeProcess> {
    const child = new NodeProcess(
      `cli ${args.join(' ')}`,
      cliJs,
      args,
      childEnv({ ...settings(), ...extra }),
    );
    children.push(child);
    if ((await child.waitForExit(60_000)) === 'timeout') {
      await child.kill();
      throw new Error(`${child.label} did not finish within 60 s`);
    }
    return child;
  }

  /** The local address a server of this machine listens on at `port` (from /proc/net/tcp*). */
  function listeningAddress(port: number): string[] {
    const found: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const [, local, , state] = line.trim().split(/\s+/);
        const [address, hexPort] = (local ?? '').split(':');
        // 0A: LISTEN. Addresses are hex, little-endian per 32-bit word: 0100007F is 127.0.0.1.
        if (state === '0A' && hexPort && parseInt(hexPort, 16) === port && address) {
          found.push(address);
        }
      }
    }
    return found;
  }

  /** Waits for /health/ready; returns the milliseconds since the process was spawned. */
  async function ready(child: NodeProcess, timeoutMs: number): Promise<number> {
    await waitForOk(`${baseUrl}/health/ready`, child, timeoutMs);
    return Math.round(performance.now() - child.startedAt);
  }

  /** Notes the running PostgreSQL (postmaster and its workers) and checks how it runs. */
  function recordPostgres(): void {
    const pidFile = join(dataDir, 'postmaster.pid');
    expect(existsSync(pidFile)).toBe(true);
    const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    const tree = processTree(postmaster);
    expect(tree.length).toBeGreaterThan(1);
    expect(tree[0]?.cmdline).toContain(dataDir);
    // PostgreSQL refuses root; as root the package runs it as the `postgres` user, which
    // must be able to reach the data folder under the temporary directory.
    if (process.getuid?.() === 0) expect(tree.filter((p) => p.uid === 0)).toEqual([]);
    postgresSeen.push(...tree);
  }

  /** What our folder still has running: PostgreSQL or initdb processes, and the lock file. */
  function leftBehind(): { processes: string[]; postmasterPid: boolean } {
    const running = [...processesMentioning(root), ...stillRunning(postgresSeen)];
    return {
      processes: [...new Set(running.map((p) => `${p.pid} ${p.cmdline}`))],
      postmasterPid: existsSync(join(dataDir, 'postmaster.pid')),
    };
  }

  const NOTHING_LEFT = { processes: [], postmasterPid: false };

  /** SIGTERM, then: exit code 0 within 20 s, and no PostgreSQL left behind. */
  async function stopServer(): Promise<void> {
    const exit = await server!.stop('SIGTERM', 20_000);
    // One assertion, so a failure shows the exit and the leftovers together.
    expect({ exit, ...leftBehind() }).toEqual({ exit: { code: 0, signal: null }, ...NOTHING_LEFT });
  }

  async function api(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; token?: string } = {},
  ): Promise<{ status: number; body: ApiBody }> {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as ApiBody) : {} };
  }

  beforeAll(async () => {
    mainJs = builtFile('main.js');
    cliJs = builtFile('cli.js');
    // mkdtemp makes a 0700 folder; as root the cluster runs as `postgres`, which must be
    // able to traverse it to reach its data folder.
    root = await mkdtemp(join(tmpdir(), 'madang-embedded-'));
    await chmod(root, 0o755);
    dataDir = join(root, 'pgdata');
    [pgPort, httpPort] = (await freePorts(2)) as [number, number];
    baseUrl = `http://127.0.0.1:${httpPort}`;
  });

  afterAll(async () => {
    for (const child of children) await child.kill();
    // Should a server have died without stopping its PostgreSQL, stop it here: a test run
    // must not leave a database running.
    const leftovers = [...processesMentioning(root ?? '\0none'), ...stillRunning(postgresSeen)];
    for (const p of leftovers) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (let i = 0; i < 50 && stillRunning(leftovers).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (root) await rm(root, { recursive: true, force: true, maxRetries: 5 });
  }, 30_000);

  it(
    'first start: initialises the cluster, becomes ready and serves',
    step(async () => {
      expect(existsSync(dataDir)).toBe(false);
      server = startServer('server, first start');
      coldMs = await ready(server, 90_000);
      console.log(`embedded cold start: ${coldMs} ms (initdb, migrations, ready)`);
      expect(server.stdout).toContain('initialising embedded PostgreSQL (first start)');
      recordPostgres();

      // `npm start` serves the pages too, from the build beside the server.
      const home = await fetch(`${baseUrl}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toMatch(/<div id="app"/);
      const loader = await fetch(`${baseUrl}/embed.js`);
      expect(loader.status).toBe(200);

      // The document the server publishes is the one `npm run lint:openapi` writes without a
      // database (src/tools/write-openapi.ts), so what is linted is what clients get.
      const served = await fetch(`${baseUrl}/api/docs-json`);
      expect(served.status).toBe(200);
      const written = join(root, 'openapi.json');
      const writer = new NodeProcess(
        'write-openapi',
        builtFile('tools/write-openapi.js'),
        [written],
        childEnv({}),
      );
      children.push(writer);
      expect(await writer.waitForExit(60_000)).toEqual({ code: 0, signal: null });
      expect(await served.json()).toEqual(JSON.parse(readFileSync(written, 'utf8')));

      const registered = await api('POST', '/auth/register', { body: citizen });
      expect(registered.status).toBe(201);
      citizenId = registered.body.user!.id;
      firstToken = registered.body.accessToken!;
      const me = await api('GET', '/me', { token: firstToken });
      expect(me).toMatchObject({
        status: 200,
        body: { id: citizenId, email: citizen.email, role: 'citizen' },
      });
    }),
    150_000,
  );

  it(
    'development defaults: loopback only, one start line, a generated secret, no route chatter',
    step(async () => {
      // Bound to 127.0.0.1 (HOST unset), not to every interface.
      expect(listeningAddress(httpPort)).toEqual(['0100007F']);

      const startLine = `Madang is listening on http://127.0.0.1:${httpPort}`;
      expect(server!.stderr.split('\n').filter((l) => l === startLine)).toHaveLength(1);
      const logged = server!.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; level: number });
      expect(logged.filter((l) => l.msg === startLine)).toHaveLength(1);
      // Nest's module and route lines are debug; at LOG_LEVEL=info none is written.
      expect(
        logged.filter((l) => /^Mapped \{|dependencies initialized|RoutesResolver/.test(l.msg)),
      ).toEqual([]);
      expect(logged.length).toBeGreaterThan(0);

      // No JWT_SECRET: one was generated beside the data folder, for its owner only.
      const secretFile = join(root, 'jwt-secret');
      expect(statSync(secretFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(secretFile, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{64}$/);
    }),
    30_000,
  );

  it(
    'npm run seed refuses while the server holds the embedded database, and changes nothing',
    step(async () => {
      const seed = new NodeProcess('seed', builtFile('seed.js'), [], childEnv(settings()));
      children.push(seed);
      expect(await seed.waitForExit(60_000)).toEqual({ code: 2, signal: null });
      expect(seed.stderr).toMatch(
        /^seed: refused: the embedded PostgreSQL in .*pgdata is already running \(pid \d+\), most likely for a Madang server: stop that server first/,
      );
      expect(seed.stderr).toContain('Stop the server, run `npm run seed`, then `npm start` again.');
      // The server and its database are untouched.
      expect((await api('GET', '/me', { token: firstToken })).status).toBe(200);
      const spaces = await fetch(`${baseUrl}/api/v1/spaces?limit=100`);
      expect(((await spaces.json()) as { items: unknown[] }).items).toEqual([]);
    }),
    90_000,
  );

  it(
    'SIGTERM: exits 0 and stops its PostgreSQL',
    step(async () => {
      await stopServer();
    }),
    40_000,
  );

  it(
    'second start on the same folder: no initdb, data kept, clean stop',
    step(async () => {
      server = startServer('server, second start');
      warmMs = await ready(server, 60_000);
      console.log(`embedded warm start: ${warmMs} ms (cold start was ${coldMs} ms)`);
      // What makes it faster is checked, not a wall-clock race a busy machine can lose.
      expect(server.stdout).not.toContain('initialising embedded PostgreSQL');
      recordPostgres();

      const login = await api('POST', '/auth/login', {
        body: { email: citizen.email, password: citizen.password },
      });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ id: citizenId, role: 'citizen' });
      // The token of the first start still works: the generated secret was kept.
      expect(await api('GET', '/me', { token: firstToken })).toMatchObject({
        status: 200,
        body: { id: citizenId },
      });

      await stopServer();
    }),
    90_000,
  );

  it(
    'admin:create rejects bad input with exit code 2, touching nothing',
    step(async () => {
      const cases: [string[], Record<string, string>, RegExp][] = [
        [
          ['admin:create', '--email', 'not-an-email', '--password', admin.password],
          {},
          /email address/,
        ],
        [
          ['admin:create', '--email', rejected.email, '--password', rejected.password],
          {},
          /at least 10 characters/,
        ],
        [['admin:create', '--email', rejected.email], {}, /password is required/],
        [
          ['admin:create'],
          { ADMIN_EMAIL: rejected.email, ADMIN_PASSWORD: 'tiny' },
          /at least 10 characters/,
        ],
        [['admin:create', '--email', rejected.email, '--nope'], {}, /Unknown option '--nope'/],
        [['admin:destroy'], {}, /Unknown command: admin:destroy[\s\S]*Usage:/],
      ];
      for (const [args, extra, message] of cases) {
        const run = await runCli(args, extra);
        expect({ args, exit: run.exit }).toEqual({ args, exit: { code: 2, signal: null } });
        expect(run.stderr).toMatch(message);
        expect(run.stdout).not.toMatch(/administrator|embedded PostgreSQL/);
      }
      // Refused before any database was started.
      expect(leftBehind()).toEqual(NOTHING_LEFT);
    }),
    90_000,
  );

  it(
    'admin:create creates and promotes administrators in the embedded folder',
    step(async () => {
      const created = await runCli([
        'admin:create',
        '--email',
        admin.email.toUpperCase(),
        '--password',
        admin.password,
      ]);
      expect(created.exit).toEqual({ code: 0, signal: null });
      expect(created.stdout).toContain(`administrator ${admin.email}: created`);
      expect(leftBehind()).toEqual(NOTHING_LEFT);

      const again = await runCli([
        'admin:create',
        '--email',
        admin.email,
        '--password',
        'another long password',
      ]);
      expect(again.exit).toEqual({ code: 0, signal: null });
      expect(again.stdout).toContain(`administrator ${admin.email}: unchanged`);

      // ADMIN_EMAIL / ADMIN_PASSWORD are the fallback; an existing account is promoted and
      // keeps its own password.
      const promoted = await runCli(['admin:create'], {
        ADMIN_EMAIL: citizen.email,
        ADMIN_PASSWORD: 'not the citizen password',
      });
      expect(promoted.exit).toEqual({ code: 0, signal: null });
      expect(promoted.stdout).toContain(`administrator ${citizen.email}: promoted`);
      expect(leftBehind()).toEqual(NOTHING_LEFT);
    }),
    120_000,
  );

  it(
    'third start: the administrators sign in; the rejected one does not exist',
    step(async () => {
      server = startServer('server, third start');
      await ready(server, 60_000);
      recordPostgres();

      const adminLogin = await api('POST', '/auth/login', { body: admin });
      expect(adminLogin.status).toBe(200);
      expect(adminLogin.body.user).toMatchObject({ email: admin.email, role: 'admin' });
      const me = await api('GET', '/me', { token: adminLogin.body.accessToken });
      expect(me).toMatchObject({ status: 200, body: { email: admin.email, role: 'admin' } });

      const citizenLogin = await api('POST', '/auth/login', {
        body: { email: citizen.email, password: citizen.password },
      });
      expect(citizenLogin.status).toBe(200);
      expect(citizenLogin.body.user).toMatchObject({ id: citizenId, role: 'admin' });

      const nobody = await api('POST', '/auth/login', { body: rejected });
      expect(nobody.status).toBe(401);

      await stopServer();
    }),
    90_000,
  );

  it(
    'production: refuses to start without DATABASE_URL, runs the embedded PostgreSQL only with EMBEDDED_POSTGRES=true',
    step(async () => {
      const production = {
        ...settings(),
        NODE_ENV: 'production',
        PORT: String(httpPort),
        JWT_SECRET: 'production-secret-0123456789abcdef0123456789',
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
      };
      const refused = new NodeProcess('server, production', mainJs, [], childEnv(production));
      children.push(refused);
      expect(await refused.waitForExit(30_000)).toEqual({ code: 78, signal: null });
      expect(refused.stderr).toContain(
        'DATABASE_URL is required in production (or set EMBEDDED_POSTGRES=true to run the embedded PostgreSQL)',
      );
      expect(leftBehind()).toEqual(NOTHING_LEFT);

      server = new NodeProcess(
        'server, production with EMBEDDED_POSTGRES',
        mainJs,
        [],
        childEnv({ ...production, EMBEDDED_POSTGRES: 'true' }),
      );
      children.push(server);
      await ready(server, 60_000);
      recordPostgres();
      // Its own JWT_SECRET: a token signed with the generated development secret is refused.
      expect((await api('GET', '/me', { token: firstToken })).status).toBe(401);
      expect((await api('POST', '/auth/login', { body: admin })).status).toBe(200);
      await stopServer();
    }),
    90_000,
  );
});
