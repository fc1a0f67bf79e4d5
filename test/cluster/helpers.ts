import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source';
import { PasswordHasher } from '../../src/identity/auth/password-hasher';
import { AdminAccounts } from '../../src/identity/users/admin-accounts';
import { builtFile, childEnv, freePorts, NodeProcess, waitForOk } from '../utils/spawn-server';

/**
 * A private Redis for one test file (its own port, no persistence), so a test may stop and
 * restart it without disturbing the rest of the suite.
 */
export class PrivateRedis {
  private process?: ChildProcess;
  constructor(
    readonly port: number,
    private readonly extra: string[] = [],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        ...this.extra,
      ],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      // A fresh client per attempt, with an error listener: a client without one throws its
      // connection errors (ECONNREFUSED/ECONNRESET while the server is starting) as exceptions.
      const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        await client.close();
        return;
      } catch (error) {
        if (client.isOpen) client.destroy();
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** One command's reply, as text. */
  async command(args: string[]): Promise<string> {
    const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const reply: unknown = await client.sendCommand(args);
      return typeof reply === 'string' ? reply : JSON.stringify(reply);
    } finally {
      await client.close();
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    // Killed by a signal, a process has no exit code but a signal code: both mean it is gone.
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * A Redis Cluster of `masters` masters (no replicas) of one test's own, on loopback ports, made
 * the way an operator makes one: `redis-server --cluster-enabled yes` per node, then
 * `redis-cli --cluster create`.
 */
export class PrivateRedisCluster {
  private readonly nodes: PrivateRedis[];
  private readonly dir = mkdtempSync(join(tmpdir(), 'madang-redis-cluster-'));

  constructor(ports: number[]) {
    this.nodes = ports.map(
      (port) =>
        new PrivateRedis(port, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(this.dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
        ]),
    );
  }

  /** REDIS_URL for the server: every node, comma-separated (REDIS_CLUSTER=true). */
  get url(): string {
    return this.nodes.map((n) => n.url).join(',');
  }

  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  async start(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.start()));
    const created = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        'redis-cli',
        [
          '--cluster',
          'create',
          ...this.nodes.map((n) => `127.0.0.1:${n.port}`),
          '--cluster-replicas',
          '0',
          '--cluster-yes',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('close', (code) => resolve({ code, output }));
    });
    if (created.code !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${created.output}`);
    // The cluster is usable once every node agrees every slot is served.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const states = await Promise.all(this.nodes.map((n) => n.command(['CLUSTER', 'INFO'])));
      if (states.every((info) => info.includes('cluster_state:ok'))) return;
      if (Date.now() > deadline) throw new Error('the Redis Cluster did not come up in 15 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A free port below the kernel's ephemeral range (32768+ on Linux). A test that restarts its
 * Redis must get the same port back; an ephemeral port can meanwhile be handed to some
 * outgoing connection (even a reconnecting client's own, connecting to itself), and the
 * restarted server could not bind it.
 */
export async function stablePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000–29999');
}

export interface ClusterNode {
  url: string;
  process: NodeProcess;
}

/** Starts `count` built server processes sharing the run's PostgreSQL and `redisUrl`. */
export async function startNodes(
  count: number,
  redisUrl: string,
  extra: Record<string, string> = {},
): Promise<ClusterNode[]> {
  const ports = await freePorts(count);
  const nodes = ports.map((port, i) => {
    const env = childEnv({
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      REDIS_URL: redisUrl,
      JWT_SECRET: process.env.JWT_SECRET ?? '',
      MIGRATIONS_RUN: 'false',
      ARGON2_MEMORY_KIB: '1024',
      ARGON2_PASSES: '1',
      LOG_LEVEL: 'warn',
      SCHEDULER_INTERVAL_SECONDS: '0',
      // The one limit raised: every test signs its people up from this one loopback address,
      // and sign-ups are limited per address. Every other limit is the shipped default.
      AUTH_RATE_LIMIT: '100000',
      ...extra,
    });
    return {
      url: `http://127.0.0.1:${port}`,
      process: new NodeProcess(`node-${i + 1}`, builtFile('main.js'), [], env),
    };
  });
  await Promise.all(nodes.map((n) => waitForOk(`${n.url}/health/ready`, n.process, 30_000)));
  return nodes;
}

/** Runs a test body; on failure prints what the server processes said, then fails. */
export async function reportingNodes<T>(nodes: ClusterNode[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    for (const node of nodes)
      console.error(node.process.report(Number(process.env.REPORT_LINES ?? 80)));
    throw error;
  }
}

export async function stopNodes(nodes: ClusterNode[]): Promise<void> {
  // A node that died on its own is a failure worth seeing in the test output.
  for (const node of nodes) {
    if (!node.process.running && node.process.exit?.signal !== 'SIGTERM') {
      console.error(node.process.report());
    }
  }
  await Promise.all(nodes.map((n) => n.process.stop('SIGTERM', 10_000)));
  await Promise.all(nodes.map((n) => n.process.kill()));
}

export interface ClusterUser {
  id: string;
  token: string;
  auth: { Authorization: string };
}

let registered = 0;

/** Registers through node's public API. */
export async function registerOn(node: ClusterNode, displayName: string): Promise<ClusterUser> {
  const res = await request(node.url)
    .post('/api/v1/auth/register')
    .send({
      email: `cluster-${Date.now()}-${registered++}@cluster.test`,
      password: 'cluster password',
      displayName,
    })
    .expect(201);
  const token = (res.body as { accessToken: string }).accessToken;
  return {
    id: (res.body as { user: { id: string } }).user.id,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

/**
 * Two server processes on a private Redis (the run's PostgreSQL), with an administrator, a
 * space, its facilitator (registered on node A) and a citizen (registered on node B).
 */
export interface Cluster {
  redis: PrivateRedis;
  nodes: ClusterNode[];
  a: ClusterNode;
  b: ClusterNode;
  db: DataSource;
  admin: ClusterUser;
  facilitator: ClusterUser;
  citizen: ClusterUser;
  spaceId: string;
}

export async function startCluster(extra: Record<string, string> = {}): Promise<Cluster> {
  const redis = new PrivateRedis(await stablePort());
  await redis.start();
  const nodes = await startNodes(2, redis.url, extra);
  const [a, b] = nodes as [ClusterNode, ClusterNode];
  const db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2));
  await db.initialize();
  const email = `cluster-admin-${Date.now()}-${registered++}@cluster.test`;
  await new AdminAccounts(
    db,
    new PasswordHasher({ ARGON2_MEMORY_KIB: 1024, ARGON2_PASSES: 1 }),
  ).ensureAdmin(email, 'cluster admin password');
  const login = await request(a.url)
    .post('/api/v1/auth/login')
    .send({ email, password: 'cluster admin password' })
    .expect(200);
  const token = (login.body as { accessToken: string }).accessToken;
  const admin = {
    id: (login.body as { user: { id: string } }).user.id,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
  const facilitator = await registerOn(a, '진행자');
  const citizen = await registerOn(b, '시민');
  const space = await request(a.url)
    .post('/api/v1/spaces')
    .set(admin.auth)
    .send({ slug: `cluster-${Date.now()}-${registered++}`, name: '클러스터' })
    .expect(201);
  const spaceId = (space.body as { id: string }).id;
  await request(a.url)
    .put(`/api/v1/spaces/${spaceId}/facilitators/${facilitator.id}`)
    .set(admin.auth)
    .expect(200);
  return { redis, nodes, a, b, db, admin, facilitator, citizen, spaceId };
}

export async function stopCluster(cluster: Cluster | undefined): Promise<void> {
  if (!cluster) return;
  await stopNodes(cluster.nodes);
  await cluster.redis.stop();
  await cluster.db.destroy();
}

/**
 * `count` users written straight to the database, with access tokens signed as the server signs
 * them (the nodes share the run's JWT_SECRET): crowds of a thousand without a thousand sign-ups.
 */
export async function bulkUsers(
  db: DataSource,
  count: number,
  prefix = 'crowd',
): Promise<ClusterUser[]> {
  const run = randomUUID().slice(0, 8);
  const emails = Array.from({ length: count }, (_, i) => `${prefix}-${run}-${i}@cluster.test`);
  const rows: { id: string }[] = await db.query(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT e, 'not-a-login', '시민 ' || ord FROM unnest($1::text[]) WITH ORDINALITY AS x(e, ord)
     RETURNING id`,
    [emails],
  );
  const secret = process.env.JWT_SECRET;
  if (!secret) throw new Error('JWT_SECRET is not set (see config/test.env)');
  const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256', expiresIn: 3600 } });
  return rows.map(({ id }) => {
    const token = jwt.sign({ sub: id, ver: 0 });
    return { id, token, auth: { Authorization: `Bearer ${token}` } };
  });
}
