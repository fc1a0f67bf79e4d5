import { DataSource } from 'typeorm';
import {
  IdempotencyService,
  LEASE_SECONDS,
} from '../../src/core/http/idempotency/idempotency.service';
import { underIdempotencyKey, UnitOfWork } from '../../src/core/events/unit-of-work';
import { requestHash } from '../../src/core/http/idempotency/idempotency.interceptor';
import { createAdmin, registerUser, type TestUser, uniqueSlug } from '../factories/identity';
import { type Pool, type PoolOptions } from 'pg';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, request } from '../utils/live-client';
import { expectFieldErrors, expectProblem } from '../utils/problem';

describe('cross-cutting HTTP', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  const spacesWithSlug = async (slug: string): Promise<number> =>
    Number((await db.query('SELECT count(*) FROM spaces WHERE slug = $1', [slug]))[0].count);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
  });
  afterAll(() => t.close());

  describe('idempotency keys', () => {
    it('the same key and body return the first result and write once', async () => {
      const body = { slug: uniqueSlug('idem'), name: '멱등 공간' };
      const first = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', 'key-1-' + body.slug)
        .send(body)
        .expect(201);
      // Same body with keys in another order is the same request.
      const again = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', 'key-1-' + body.slug)
        .send({ name: body.name, slug: body.slug })
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await spacesWithSlug(body.slug)).toBe(1);
    });

    it('the same key with another body → 422 and nothing written', async () => {
      const key = `key-2-${uniqueSlug()}`;
      const slug = uniqueSlug('idem');
      await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send({ slug, name: 'A' })
        .expect(201);
      const other = uniqueSlug('idem');
      const res = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send({ slug: other, name: 'B' });
      expectProblem(res, 422, 'idempotency_key_reused');
      expect(await spacesWithSlug(other)).toBe(0);
    });

    it('a key still in flight → 409', async () => {
      const key = `key-3-${uniqueSlug()}`;
      const body = { slug: uniqueSlug('idem'), name: '처리 중' };
      const claim = await t.app
        .get(IdempotencyService)
        .claim(admin.id, key, requestHash('POST', '/api/v1/spaces', body));
      expect(claim.kind).toBe('claimed');
      const res = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send(body);
      expectProblem(res, 409, 'idempotency_in_flight');
      expect(await spacesWithSlug(body.slug)).toBe(0);
    });

    it('concurrent retries with one key create exactly one row', async () => {
      const key = `key-4-${uniqueSlug()}`;
      const body = { slug: uniqueSlug('race'), name: '동시 요청' };
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http.post('/api/v1/spaces').set(admin.auth).set('Idempotency-Key', key).send(body),
        ),
      );
      const created = results.filter((r) => r.status === 201);
      const inFlight = results.filter(
        (r) => r.status === 409 && r.body.code === 'idempotency_in_flight',
      );
      expect(created.length + inFlight.length).toBe(results.length);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      expect(await spacesWithSlug(body.slug)).toBe(1);
    });

    it('a failed request frees its key for a corrected retry', async () => {
      const key = `key-5-${uniqueSlug()}`;
      const taken = uniqueSlug('taken');
      await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .send({ slug: taken, name: 'x' })
        .expect(201);
      expectProblem(
        await t.http
          .post('/api/v1/spaces')
          .set(admin.auth)
          .set('Idempotency-Key', key)
          .send({ slug: taken, name: 'y' }),
        409,
        'slug_taken',
      );
      const fixed = uniqueSlug('fixed');
      await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send({ slug: fixed, name: 'y' })
        .expect(201);
      expect(await spacesWithSlug(fixed)).toBe(1);
    });

    it('keys are scoped per user', async () => {
      const other = await createAdmin(t);
      const key = `key-6-${uniqueSlug()}`;
      const a = uniqueSlug('scope');
      const b = uniqueSlug('scope');
      await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send({ slug: a, name: 'a' })
        .expect(201);
      await t.http
        .post('/api/v1/spaces')
        .set(other.auth)
        .set('Idempotency-Key', key)
        .send({ slug: b, name: 'b' })
        .expect(201);
      expect(await spacesWithSlug(b)).toBe(1);
    });

    it('a node that dies after the commit but before storing the response: the retry writes nothing', async () => {
      const idempotency = t.app.get(IdempotencyService);
      // Storing the response fails as it would if the node died right after the commit.
      const complete = jest
        .spyOn(idempotency, 'complete')
        .mockRejectedValueOnce(new Error('node died'));
      const key = `key-lost-${uniqueSlug()}`;
      const body = { slug: uniqueSlug('lost'), name: '응답 유실' };
      try {
        await t.http
          .post('/api/v1/spaces')
          .set(admin.auth)
          .set('Idempotency-Key', key)
          .send(body)
          .expect(500);
      } finally {
        complete.mockRestore();
      }
      expect(await spacesWithSlug(body.slug)).toBe(1);
      // While the first request could still be finishing, a retry is told to wait, and when…
      const waiting = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send(body);
      expectProblem(waiting, 409, 'idempotency_in_flight');
      expect(Number(waiting.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(waiting.headers['retry-after'])).toBeLessThanOrEqual(LEASE_SECONDS);
      // …and once its lease has run out unrenewed, that the result was lost — never a second write.
      await db.query(
        `UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second' WHERE key = $1`,
        [key],
      );
      const retry = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send(body);
      expectProblem(retry, 409, 'idempotency_result_lost');
      expect(await spacesWithSlug(body.slug)).toBe(1);
    });

    it('a claim whose owner died before its commit: a retry takes it over once the lease runs out', async () => {
      const key = `key-dead-${uniqueSlug()}`;
      const body = { slug: uniqueSlug('dead'), name: '주인 없는 키' };
      const idempotency = t.app.get(IdempotencyService);
      const dead = await idempotency.claim(
        admin.id,
        key,
        requestHash('POST', '/api/v1/spaces', body),
      );
      if (dead.kind !== 'claimed') throw new Error(`expected a claim, got ${dead.kind}`);
      // Nobody renews it: as if its node was killed mid-request.
      await db.query(
        `UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second' WHERE key = $1`,
        [key],
      );
      const retry = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      expect(await spacesWithSlug(body.slug)).toBe(1);
      // The first owner, had it only been frozen, can no longer mark the key and commit.
      const uow = t.app.get(UnitOfWork);
      await expect(
        underIdempotencyKey({ userId: admin.id, key, owner: dead.owner }, () =>
          uow.run(({ tx }) =>
            tx.query(`UPDATE spaces SET name = 'second write' WHERE slug = $1`, [body.slug]),
          ),
        ),
      ).rejects.toMatchObject({ code: 'idempotency_in_flight' });
      const [space] = await db.query<[{ name: string }]>(
        `SELECT name FROM spaces WHERE slug = $1`,
        [body.slug],
      );
      expect(space.name).toBe(body.name);
      // And the retry's answer is the one replayed from now on.
      const replay = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      expect(replay.body).toEqual(retry.body);
    });

    it('a long request keeps its claim by renewing the lease', async () => {
      const key = `key-long-${uniqueSlug()}`;
      const idempotency = t.app.get(IdempotencyService);
      const claim = await idempotency.claim(admin.id, key, 'b'.repeat(64));
      if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
      await db.query(
        `UPDATE idempotency_keys SET lease_expires_at = now() + interval '1 second' WHERE key = $1`,
        [key],
      );
      await idempotency.renew(admin.id, key, claim.owner);
      const [row] = await db.query<[{ left: number }]>(
        `SELECT extract(epoch FROM lease_expires_at - now())::float8 AS left FROM idempotency_keys WHERE key = $1`,
        [key],
      );
      expect(row.left).toBeGreaterThan(LEASE_SECONDS - 2);
      // Another owner's renewal changes nothing.
      await db.query(
        `UPDATE idempotency_keys SET lease_expires_at = now() - interval '1 second' WHERE key = $1`,
        [key],
      );
      await idempotency.renew(admin.id, key, '00000000-0000-4000-8000-000000000000');
      expect((await idempotency.claim(admin.id, key, 'b'.repeat(64))).kind).toBe('claimed');
    });

    it('a malformed key → 400 naming the header', async () => {
      const slug = uniqueSlug('badkey');
      expectFieldErrors(
        await t.http
          .post('/api/v1/spaces')
          .set(admin.auth)
          .set('Idempotency-Key', 'x'.repeat(256))
          .send({ slug, name: 'x' }),
        ['Idempotency-Key'],
      );
      expectFieldErrors(
        await t.http
          .post('/api/v1/spaces')
          .set(admin.auth)
          .set('Idempotency-Key', 'has a space')
          .send({ slug, name: 'x' }),
        ['Idempotency-Key'],
      );
      expect(await spacesWithSlug(slug)).toBe(0);
    });

    it('expired keys are swept', async () => {
      await db.query(
        `INSERT INTO idempotency_keys (user_id, key, request_hash, state, expires_at)
         VALUES ($1, 'old-key', $2, 'done', now() - interval '1 hour')`,
        [admin.id, 'a'.repeat(64)],
      );
      expect(await t.app.get(IdempotencyService).sweep()).toBeGreaterThanOrEqual(1);
      const rows = await db.query(
        `SELECT 1 FROM idempotency_keys WHERE user_id = $1 AND key = 'old-key'`,
        [admin.id],
      );
      expect(rows).toHaveLength(0);
    });
  });

  describe('headers, errors and operations', () => {
    it('sends security headers and a request id', async () => {
      const res = await t.http.get('/health/live').set('X-Request-Id', 'trace-abc.123').expect(200);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-request-id']).toBe('trace-abc.123');
      const generated = await t.http.get('/health/live').set('X-Request-Id', 'bad id with spaces');
      expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('keeps CORS closed by default', async () => {
      const res = await t.http
        .options('/api/v1/spaces')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('a request that finds no free database connection in time: 503 with Retry-After, nothing written', async () => {
      const socket = await connected(t.url, { token: admin.token });
      // The app's own pool, with every connection taken and a short wait for a free one.
      const pool = (db.driver as unknown as { master: Pool & { options: PoolOptions } }).master;
      const wait = pool.options.connectionTimeoutMillis;
      pool.options.connectionTimeoutMillis = 100;
      const held = await Promise.all(
        Array.from({ length: pool.options.max ?? 10 }, () => pool.connect()),
      );
      const slug = uniqueSlug();
      try {
        const res = await t.http
          .post('/api/v1/spaces')
          .set(admin.auth)
          .send({ slug, name: '붐비는 공간' });
        expectProblem(res, 503, 'service_unavailable');
        expect(res.headers['retry-after']).toBe('1');
        expect(
          await request(socket, 'room:join', { roomId: '00000000-0000-4000-8000-000000000000' }),
        ).toMatchObject({ ok: false, error: { code: 'service_unavailable' } });
      } finally {
        for (const client of held) client.release();
        pool.options.connectionTimeoutMillis = wait;
        closeAll();
      }
      expect(await db.query('SELECT 1 FROM spaces WHERE slug = $1', [slug])).toEqual([]);
      // And once connections are free again, the same request goes through.
      await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .send({ slug, name: '붐비는 공간' })
        .expect(201);
    });

    it('answers unknown routes with a 404 problem', async () => {
      expectProblem(await t.http.get('/api/v1/nowhere'), 404, 'not_found');
    });

    it('reports readiness of its database', async () => {
      const res = await t.http.get('/health/ready').expect(200);
      expect(res.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'disabled' } });
    });

    it('exposes Prometheus metrics', async () => {
      await t.http.get('/api/v1/spaces').expect(200);
      const res = await t.http.get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(
        /madang_http_requests_total\{method="GET",route="\/api\/v1\/spaces",status="200"\} \d+/,
      );
      expect(res.text).toContain('nodejs_eventloop_lag_p99_seconds');
      expect(res.text).toContain('madang_socket_connections');
    });

    it('publishes the OpenAPI document generated from the code', async () => {
      const res = await t.http.get('/api/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      for (const path of [
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/me',
        '/api/v1/spaces',
        '/api/v1/spaces/{id}/facilitators/{userId}',
      ]) {
        expect(Object.keys(res.body.paths)).toContain(path);
      }
      const ui = await t.http.get('/api/docs').expect(200);
      expect(ui.text).toContain('swagger');
    });
  });
});

describe('configured CORS and metrics token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      CORS_ORIGINS: 'https://committee.seoul.example',
      METRICS_TOKEN: 'scrape-token-0123456789',
    });
  });
  afterAll(() => t.close());

  it('allows exactly the configured origins', async () => {
    const ok = await t.http
      .options('/api/v1/spaces')
      .set('Origin', 'https://committee.seoul.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe('https://committee.seoul.example');
    const lookalike = await t.http
      .options('/api/v1/spaces')
      .set('Origin', 'https://committee.seoul.example.evil.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(lookalike.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('guards /metrics with its token', async () => {
    expectProblem(await t.http.get('/metrics'), 401, 'unauthorized');
    expectProblem(
      await t.http.get('/metrics').set('X-Metrics-Token', 'wrong'),
      401,
      'unauthorized',
    );
    await t.http.get('/metrics').set('X-Metrics-Token', 'scrape-token-0123456789').expect(200);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After past the limit (single node)', async () => {
    const t = await startTestApp({ RATE_LIMIT: '5', AUTH_RATE_LIMIT: '1000' });
    try {
      const user = await registerUser(t);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await t.http.get('/api/v1/me').set(user.auth)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200]);
      const limited = await t.http.get('/api/v1/me').set(user.auth);
      expectProblem(limited, 429, 'rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another user keeps their own budget.
      const other = await registerUser(t);
      await t.http.get('/api/v1/me').set(other.auth).expect(200);
    } finally {
      await t.close();
    }
  });

  it('limits sign-in attempts per address', async () => {
    const t = await startTestApp({ AUTH_RATE_LIMIT: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push(
          (
            await t.http
              .post('/api/v1/auth/login')
              .send({ email: 'guess@test.madang', password: `guess-${i}` })
          ).status,
        );
      }
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await t.close();
    }
  });

  it('holds one limit across two nodes sharing Redis', async () => {
    const overrides = {
      RATE_LIMIT: '6',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      // A deployment of their own on the shared Redis: the suite's other apps sign people up
      // from the same address at the same time, and would share this pair's counters.
      REDIS_PREFIX: `http-limits-${process.pid}-${Date.now()}`,
    };
    const a = await startTestApp(overrides);
    const b = await startTestApp(overrides);
    try {
      const ready = await a.http.get('/health/ready').expect(200);
      expect(ready.body.checks.redis).toBe('up');
      const user = await registerUser(a);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push((await (i % 2 ? b : a).http.get('/api/v1/me').set(user.auth)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expectProblem(await b.http.get('/api/v1/me').set(user.auth), 429, 'rate_limited');
      expectProblem(await a.http.get('/api/v1/me').set(user.auth), 429, 'rate_limited');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
