/**
 * One broadcast to N sockets spread over two server processes sharing Redis: the sharded
 * (SPUBLISH, a channel per room) and the classic (one channel) Socket.IO adapters, measured
 * in the same run, alternating. A comment is posted over HTTP on node A at a fixed rate; every
 * socket (half on A, half on B) watching the topic records the time from the comment's
 * `createdAt` (set by PostgreSQL on this machine's clock) to its arrival. This is the whole
 * path a citizen sees: write, commit, domain event, adapter, fan-out.
 *
 *   npm run build && node -r ts-node/register/transpile-only bench/broadcast-two-nodes.ts
 *   (SOCKETS=500 MESSAGES=40 RATE=5 ROUNDS=2)
 *
 * Needs the test database server (TEST_DATABASE_ADMIN_URL, default local) and redis-server.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source';
import { PasswordHasher } from '../src/identity/auth/password-hasher';
import { AdminAccounts } from '../src/identity/users/admin-accounts';
import { PrivateRedis, stablePort, startNodes, stopNodes } from '../test/cluster/helpers';
import { closeAll, connected, request as ask } from '../test/utils/live-client';

const SOCKETS = Number(process.env.SOCKETS ?? 500);
const MESSAGES = Number(process.env.MESSAGES ?? 40);
const RATE = Number(process.env.RATE ?? 5);
const ROUNDS = Number(process.env.ROUNDS ?? 2);

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function round(
  adapter: 'sharded' | 'classic',
  databaseUrl: string,
): Promise<{
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
  p50A: number;
  p50B: number;
}> {
  const redis = new PrivateRedis(await stablePort());
  await redis.start();
  const secret = 'bench-secret-0123456789abcdef0123456789abcdef';
  process.env.DATABASE_URL = databaseUrl;
  process.env.JWT_SECRET = secret;
  const nodes = await startNodes(2, redis.url, {
    SOCKET_ADAPTER: adapter,
    LOG_LEVEL: 'error',
    SOCKET_RATE_LIMIT: '100000',
  });
  const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
  try {
    const db = new DataSource(dataSourceOptions(databaseUrl, 2));
    await db.initialize();
    const email = `bench-${Date.now()}@bench.test`;
    await new AdminAccounts(
      db,
      new PasswordHasher({ ARGON2_MEMORY_KIB: 1024, ARGON2_PASSES: 1 }),
    ).ensureAdmin(email, 'bench password 1');
    await db.destroy();
    const login = await request(a.url)
      .post('/api/v1/auth/login')
      .send({ email, password: 'bench password 1' })
      .expect(200);
    const auth = { Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
    const space: { body: { id: string } } = await request(a.url)
      .post('/api/v1/spaces')
      .set(auth)
      .send({ slug: `bench-${Date.now()}`, name: '벤치' })
      .expect(201);
    const topic: { body: { id: string } } = await request(a.url)
      .post(`/api/v1/spaces/${space.body.id}/topics`)
      .set(auth)
      .send({ title: '방송 지연 측정', body: '벤치' })
      .expect(201);

    const latencies: number[] = [];
    const byNode: [number[], number[]] = [[], []];
    let delivered = 0;
    const sockets = [];
    for (let i = 0; i < SOCKETS; i++) {
      const socket = await connected(i % 2 ? b.url : a.url);
      await ask(socket, 'topic:watch', { topicId: topic.body.id });
      socket.on('comment:new', (p: { comment: { createdAt: string } }) => {
        delivered++;
        const latency = Date.now() - Date.parse(p.comment.createdAt);
        latencies.push(latency);
        byNode[i % 2]!.push(latency);
      });
      sockets.push(socket);
    }
    // Open loop: comments are posted on schedule whatever the deliveries do.
    const started = Date.now();
    const posts: Promise<unknown>[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const due = started + (i * 1000) / RATE;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      posts.push(
        request(a.url)
          .post(`/api/v1/topics/${topic.body.id}/comments`)
          .set(auth)
          .send({ body: `측정 ${i}` })
          .expect(201),
      );
    }
    await Promise.all(posts);
    await new Promise((r) => setTimeout(r, 2000));
    closeAll();
    latencies.sort((x, y) => x - y);
    for (const list of byNode) list.sort((x, y) => x - y);
    return {
      p50A: percentile(byNode[0], 50),
      p50B: percentile(byNode[1], 50),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
      delivered,
      expected: SOCKETS * MESSAGES,
    };
  } finally {
    closeAll();
    await stopNodes(nodes);
    await redis.stop();
  }
}

async function main(): Promise<void> {
  const admin =
    process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `madang_bench_${Date.now()}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  const url = admin.replace(/\/[^/]*$/, `/${name}`);
  const setup = new DataSource(dataSourceOptions(url, 2));
  await setup.initialize();
  await setup.runMigrations();
  await setup.destroy();
  try {
    console.log(
      `${SOCKETS} sockets over 2 nodes, ${MESSAGES} messages at ${RATE}/s, ${ROUNDS} rounds per adapter (alternating)`,
    );
    for (let r = 0; r < ROUNDS; r++) {
      for (const adapter of ['sharded', 'classic'] as const) {
        const result = await round(adapter, url);
        console.log(
          `${adapter.padEnd(8)} round ${r + 1}: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms (p50 on the writing node ${result.p50A} ms, on the other ${result.p50B} ms), delivered ${result.delivered}/${result.expected}`,
        );
      }
    }
  } finally {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
