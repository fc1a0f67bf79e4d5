import { JwtService } from '@nestjs/jwt';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source';

export const JWT_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const ADMIN_URL =
  process.env.BENCH_DATABASE_ADMIN_URL ??
  process.env.TEST_DATABASE_ADMIN_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database with the schema applied; `drop` removes it again. */
export async function createDatabase(
  tag: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `madang_bench_${tag}_${Date.now()}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const setup = new DataSource(dataSourceOptions(url, 2));
  await setup.initialize();
  await setup.runMigrations();
  await setup.destroy();
  return {
    url,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface BenchUser {
  id: string;
  token: string;
}

const jwt = new JwtService({});

export function signToken(userId: string, version = 0): string {
  return jwt.sign(
    { sub: userId, ver: version },
    { secret: JWT_SECRET, algorithm: 'HS256', expiresIn: 6 * 3600 },
  );
}

/**
 * Users written straight into the table with tokens signed by the server's secret: thousands
 * of registrations through the API would measure password hashing, not what is benchmarked.
 */
export async function createUsers(
  url: string,
  count: number,
  role: 'citizen' | 'admin' = 'citizen',
): Promise<BenchUser[]> {
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name, role)
       SELECT 'bench-' || $1 || '-' || g || '@bench.test', 'not-a-hash', '벤치 ' || g, $3
         FROM generate_series(1, $2) g
       RETURNING id`,
      [tag, count, role],
    );
    return rows.map((r) => ({ id: r.id, token: signToken(r.id) }));
  } finally {
    await pool.end();
  }
}

/** JSON over HTTP with a bearer token; throws on any status but the expected one. */
export async function api<T>(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  expected = [200, 201],
): Promise<T> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!expected.includes(res.status)) {
    throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

export interface World {
  admin: BenchUser;
  spaceId: string;
  topicId: string;
  roomId: string;
}

/** An administrator, a space, an open topic and a live room, made through the API. */
export async function createWorld(
  serverUrl: string,
  databaseUrl: string,
  thresholds?: Record<string, number>,
): Promise<World> {
  const [admin] = await createUsers(databaseUrl, 1, 'admin');
  if (!admin) throw new Error('no admin');
  const space = await api<{ id: string }>(serverUrl, 'POST', '/spaces', admin.token, {
    slug: `bench-${Date.now()}`,
    name: '벤치',
    ...(thresholds ? { thresholds } : {}),
  });
  const topic = await api<{ id: string }>(
    serverUrl,
    'POST',
    `/spaces/${space.id}/topics`,
    admin.token,
    { title: '벤치마크 주제', body: '측정용 주제입니다.' },
  );
  const room = await api<{ id: string }>(
    serverUrl,
    'POST',
    `/topics/${topic.id}/rooms`,
    admin.token,
    { title: '벤치마크 타운홀' },
  );
  await api(serverUrl, 'POST', `/rooms/${room.id}/start`, admin.token, {});
  return { admin, spaceId: space.id, topicId: topic.id, roomId: room.id };
}

/** Environment for the product server under test (one node unless REDIS_URL is given). */
export function subjectEnv(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    LOG_LEVEL: 'error',
    SCHEDULER_INTERVAL_SECONDS: '0',
    // The shipped limits stay on: a load generator spreads its load over enough users (and, for
    // anonymous readers, enough client addresses) to keep each one under them, as a crowd does.
    // A benchmark that must raise one per-user limit passes it in `extra` and says so in its row.
    ...extra,
  };
}
