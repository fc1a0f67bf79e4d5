import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { createAdmin, createSpace, registerUser, type TestUser } from '../factories/identity';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, request as ask } from '../utils/live-client';
import { expectProblem } from '../utils/problem';
import { RawLiveSocket } from '../utils/raw-socket';

/** A JSON text nested `depth` objects deep: `{"a":{"a":…1…}}`. */
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * Input that used to get past the checks (B7): depth bombs, prototype keys, bodies of another
 * type, an empty ladder, and tokens whose subject is not a user id. Each is refused with a 4xx
 * naming what is wrong, and nothing is written.
 */
describe('bad input that used to answer 500 or pass silently', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let citizen: TestUser;
  let space: { id: string; slug: string };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    citizen = await registerUser(t);
    space = await createSpace(t, admin);
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  // Counted where only this file writes (other files add spaces and topics at the same time).
  const count = async (rows: string, params: unknown[]): Promise<number> =>
    (await db.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM ${rows}`, params))[0].n;

  describe('a body nested 5,000 levels deep', () => {
    it.each([
      ['POST', '/api/v1/auth/login', false],
      ['POST', '/api/v1/auth/register', false],
      ['POST', '/api/v1/spaces', true],
      ['PATCH', '/api/v1/spaces/:space', true],
    ])('%s %s → 400 validation_failed, not 500', async (method, path, signedIn) => {
      const req = t.http[method === 'POST' ? 'post' : 'patch'](path.replace(':space', space.id))
        .set('Content-Type', 'application/json')
        .send(nested(5000));
      const res = await (signedIn ? req.set(admin.auth) : req);
      const fields = expectProblem(res, 400, 'validation_failed');
      expect(fields).toHaveLength(1);
      expect(fields[0]).toMatch(/^a(\.a)+$/);
      expect(res.body.errors[0].message).toMatch(/32/);
    });

    it('32 levels are still fine (refused by validation as an unknown field, not by depth)', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(nested(32));
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('a');
      expect(JSON.stringify(res.body.errors)).not.toMatch(/nest deeper/);
    });
  });

  describe('prototype keys', () => {
    it.each([
      ['__proto__', '{"__proto__":{"admin":true},"slug":"proto-a","name":"원형"}', '__proto__'],
      ['constructor', '{"constructor":{"x":1},"slug":"proto-b","name":"원형"}', 'constructor'],
      [
        'nested prototype',
        '{"slug":"proto-c","name":"원형","thresholds":{"prototype":{"review":1}}}',
        'thresholds.prototype',
      ],
    ])('%s → 400 naming it, and nothing written', async (_name, body, field) => {
      const slug = (JSON.parse(body) as { slug: string }).slug;
      const before = await count('spaces WHERE slug = $1', [slug]);
      const res = await t.http
        .post('/api/v1/spaces')
        .set(admin.auth)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(expectProblem(res, 400, 'validation_failed')).toEqual([field]);
      expect(await count('spaces WHERE slug = $1', [slug])).toBe(before);
    });
  });

  describe('bodies that are not JSON', () => {
    it('a text/plain PATCH → 415 and the space is unchanged', async () => {
      const res = await t.http
        .patch(`/api/v1/spaces/${space.id}`)
        .set(admin.auth)
        .set('Content-Type', 'text/plain')
        .send('{"name":"바뀐 이름"}');
      expect(expectProblem(res, 415, 'unsupported_media_type')).toEqual(['Content-Type']);
      const after = await t.http.get(`/api/v1/spaces/${space.id}`).expect(200);
      expect(after.body.name).toBe('서울시 시민참여예산');
    });

    it('a form-encoded topic → 415 and no topic', async () => {
      const before = await count('topics WHERE space_id = $1', [space.id]);
      const res = await t.http
        .post(`/api/v1/spaces/${space.id}/topics`)
        .set(citizen.auth)
        .type('form')
        .send({ title: '양식으로 보낸 제안', body: '본문' });
      expectProblem(res, 415, 'unsupported_media_type');
      expect(await count('topics WHERE space_id = $1', [space.id])).toBe(before);
    });

    it('a JSON body without a Content-Type → 415', async () => {
      const res = await t.http
        .post('/api/v1/auth/login')
        .set('Content-Type', '')
        .send(Buffer.from('{"email":"a@b.c","password":"x"}'));
      expectProblem(res, 415, 'unsupported_media_type');
    });

    it('a request with no body at all still works where none is needed', async () => {
      await t.http
        .post('/api/v1/auth/logout')
        .set((await registerUser(t)).auth)
        .expect(204);
    });
  });

  describe('the threshold ladder', () => {
    it.each([
      ['[]', []],
      ['an array of numbers', [50, 100, 1000]],
      ['a string', '50/100/1000'],
    ])('thresholds as %s → 400 thresholds, nothing written', async (_name, thresholds) => {
      const res = await t.http
        .patch(`/api/v1/spaces/${space.id}`)
        .set(admin.auth)
        .send({ thresholds });
      expect(expectProblem(res, 400, 'validation_failed')).toContain('thresholds');
      const after = await t.http.get(`/api/v1/spaces/${space.id}`).expect(200);
      expect(after.body.thresholds).toMatchObject({
        review: 50,
        deliberation: 100,
        response: 1000,
      });
    });

    it('room settings as [] → 400 settings', async () => {
      const topic = await t.http
        .post(`/api/v1/spaces/${space.id}/topics`)
        .set(citizen.auth)
        .send({ title: '배열 설정 시험', body: '본문' })
        .expect(201);
      await t.http
        .put(`/api/v1/spaces/${space.id}/facilitators/${admin.id}`)
        .set(admin.auth)
        .expect(200);
      const res = await t.http
        .post(`/api/v1/topics/${topic.body.id}/rooms`)
        .set(admin.auth)
        .send({ title: '타운홀', settings: [] });
      expect(expectProblem(res, 400, 'validation_failed')).toContain('settings');
    });
  });

  describe('a correctly signed token whose subject is not a user id', () => {
    const forge = (sub: unknown): string =>
      new JwtService({ secret: t.config.JWT_SECRET }).sign(
        { sub, ver: 0 },
        { algorithm: 'HS256', expiresIn: 600 },
      );

    it.each([['not-a-uuid'], ["x' OR '1'='1"], [42]])('sub %p → 401 unauthorized', async (sub) => {
      const res = await t.http.get('/api/v1/me').set('Authorization', `Bearer ${forge(sub)}`);
      expectProblem(res, 401, 'unauthorized');
    });

    it('sent at the same moment as good requests, it changes nothing for them', async () => {
      const bad = forge('not-a-uuid');
      const people = await Promise.all(Array.from({ length: 6 }, () => registerUser(t)));
      const answers = await Promise.all([
        ...people.map((p) => t.http.get('/api/v1/me').set(p.auth)),
        t.http.get('/api/v1/me').set('Authorization', `Bearer ${bad}`),
        ...people.map((p) => t.http.get('/api/v1/me').set(p.auth)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([
        ...people.map(() => 200),
        401,
        ...people.map(() => 200),
      ]);
    });

    it('on the socket: connect_error unauthorized', async () => {
      await expect(connected(t.url, { token: forge('not-a-uuid') })).rejects.toMatchObject({
        data: { code: 'unauthorized' },
      });
    });
  });

  describe('socket payloads', () => {
    it('nested 5,000 levels deep → validation_failed, and the socket still works', async () => {
      // The real client's encoder cannot even send this (it recurses): a hand-made packet.
      const socket = await RawLiveSocket.open(t.url, citizen.token);
      try {
        const roomId = '00000000-0000-4000-8000-000000000000';
        const ack = await socket.emitRaw(
          'room:join',
          `{"roomId":"${roomId}","deep":${nested(5000)}}`,
        );
        expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
        const after = await socket.emitRaw('room:join', JSON.stringify({ roomId }));
        expect(after).toMatchObject({ ok: false, error: { code: 'not_found' } });
      } finally {
        socket.close();
      }
    });

    it('a prototype key → validation_failed naming it', async () => {
      const socket = await connected(t.url, { token: citizen.token });
      const payload = JSON.parse(
        '{"roomId":"00000000-0000-4000-8000-000000000000","__proto__":{"x":1}}',
      ) as unknown;
      const ack = await ask(socket, 'room:join', payload);
      expect(ack).toMatchObject({
        ok: false,
        error: { code: 'validation_failed', message: expect.stringContaining('__proto__') },
      });
    });
  });
});
