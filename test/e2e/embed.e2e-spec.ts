import { gzipSync } from 'node:zlib';
import { createAdmin, createSpace, registerUser, type TestUser } from '../factories/identity';
import { liveRoom } from '../factories/rooms';
import { type TestApp, startTestApp } from '../utils/app';
import { closeAll, connected, expectRefused, liveClient, request } from '../utils/live-client';

const A = 'https://council.seoul.example';
const B = 'http://127.0.0.1:8081';

const frameAncestors = (csp: string | undefined): string | undefined =>
  csp
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors'));

/** The embed over plain HTTP and sockets: framing rules (E1), origins (E2), visibility (E5). */
describe('embed routes', () => {
  let t: TestApp;
  let admin: TestUser;
  let citizen: TestUser;
  let space: { id: string };
  let bare: { id: string };
  let topicId: string;
  let bareTopicId: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    citizen = await registerUser(t);
    space = await createSpace(t, admin, { embedOrigins: [A, B] });
    bare = await createSpace(t, admin);
    const topic = await t.http
      .post(`/api/v1/spaces/${space.id}/topics`)
      .set(citizen.auth)
      .send({ title: '임베드 시험 주제', body: '본문' })
      .expect(201);
    topicId = topic.body.id;
    const other = await t.http
      .post(`/api/v1/spaces/${bare.id}/topics`)
      .set(citizen.auth)
      .send({ title: '임베드 없는 공간', body: '본문' })
      .expect(201);
    bareTopicId = other.body.id;
  });
  afterAll(async () => {
    closeAll();
    await t.close();
  });

  describe('E1 frame-ancestors', () => {
    it('the widget page may be framed by exactly the space allowlist, without X-Frame-Options', async () => {
      const res = await t.http.get(`/embed/topics/${topicId}`).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(frameAncestors(res.headers['content-security-policy'])).toBe(
        `frame-ancestors ${A} ${B}`,
      );
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.text).toContain('id="widget"');
    });

    it("the back office's preview (?preview=1) may be framed by Madang's own pages too, and only it", async () => {
      const preview = await t.http.get(`/embed/topics/${topicId}?preview=1`).expect(200);
      expect(frameAncestors(preview.headers['content-security-policy'])).toBe(
        `frame-ancestors 'self' ${A} ${B}`,
      );
      const bare = await t.http.get(`/embed/topics/${bareTopicId}?preview=1`).expect(200);
      expect(frameAncestors(bare.headers['content-security-policy'])).toBe(
        "frame-ancestors 'self'",
      );
      // Any other value is the plain widget.
      for (const value of ['0', 'true', '1&preview=1'])
        expect(
          frameAncestors(
            (await t.http.get(`/embed/topics/${topicId}?preview=${value}`).expect(200)).headers[
              'content-security-policy'
            ],
          ),
        ).toBe(`frame-ancestors ${A} ${B}`);
      const room = await liveRoom(t, admin, topicId);
      const roomPreview = await t.http.get(`/embed/rooms/${room.id}?preview=1`).expect(200);
      expect(frameAncestors(roomPreview.headers['content-security-policy'])).toBe(
        `frame-ancestors 'self' ${A} ${B}`,
      );
    });

    it("a space without embed origins gets 'none'", async () => {
      const res = await t.http.get(`/embed/topics/${bareTopicId}`).expect(200);
      expect(frameAncestors(res.headers['content-security-policy'])).toBe("frame-ancestors 'none'");
    });

    it('a removed origin is no longer allowed on the next request', async () => {
      const s = await createSpace(t, admin, { embedOrigins: [A] });
      const topic = await t.http
        .post(`/api/v1/spaces/${s.id}/topics`)
        .set(citizen.auth)
        .send({ title: '목록 변경 시험', body: '본문' })
        .expect(201);
      await t.http
        .patch(`/api/v1/spaces/${s.id}`)
        .set(admin.auth)
        .send({ embedOrigins: [B] })
        .expect(200);
      const res = await t.http.get(`/embed/topics/${topic.body.id}`).expect(200);
      expect(frameAncestors(res.headers['content-security-policy'])).toBe(`frame-ancestors ${B}`);
    });

    it.each([
      '/',
      `/topics/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      '/signin',
      '/embed/signin',
      '/api/v1/spaces',
    ])("%s says frame-ancestors 'none'", async (path) => {
      const res = await t.http.get(path);
      expect(frameAncestors(res.headers['content-security-policy'])).toBe("frame-ancestors 'none'");
    });

    it('the room widget follows its space too', async () => {
      const room = await liveRoom(t, admin, topicId);
      const res = await t.http.get(`/embed/rooms/${room.id}`).expect(200);
      expect(frameAncestors(res.headers['content-security-policy'])).toBe(
        `frame-ancestors ${A} ${B}`,
      );
    });
  });

  describe('E5 what embeds may show', () => {
    it('rejected topics and their rooms are 404; unknown ids 404; malformed ids 400 naming the field', async () => {
      const topic = await t.http
        .post(`/api/v1/spaces/${space.id}/topics`)
        .set(citizen.auth)
        .send({ title: '반려될 주제입니다', body: '본문' })
        .expect(201);
      const room = await liveRoom(t, admin, topic.body.id);
      await t.http.post(`/api/v1/rooms/${room.id}/end`).set(admin.auth).expect(200);
      await t.http
        .post(`/api/v1/topics/${topic.body.id}/transitions`)
        .set(admin.auth)
        .send({ to: 'rejected', reason: '중복 제안' })
        .expect(200);
      const gone = await t.http.get(`/embed/topics/${topic.body.id}`).expect(404);
      expect(gone.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(gone.body.code).toBe('not_found');
      await t.http.get(`/embed/rooms/${room.id}`).expect(404);
      await t.http.get(`/embed/topics/00000000-0000-4000-8000-000000000000`).expect(404);
      await t.http.get(`/embed/rooms/00000000-0000-4000-8000-000000000000`).expect(404);
      const bad = await t.http.get(`/embed/topics/not-a-uuid`).expect(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    });
  });

  describe('the loader and the sign-in popup', () => {
    it('/embed.js is small JavaScript that other sites may load', async () => {
      const res = await t.http.get('/embed.js').expect(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      const size = gzipSync(Buffer.from(res.text)).length;
      expect(size).toBeLessThanOrEqual(10 * 1024);
      // It never posts to '*' and checks the origin of what it receives.
      expect(res.text).not.toContain('"*"');
      expect(res.text).toContain('.origin');
    });

    it('the popup keeps its opener and cannot be framed', async () => {
      const res = await t.http.get('/embed/signin').expect(200);
      expect(res.headers['cross-origin-opener-policy']).toBe('unsafe-none');
      expect(frameAncestors(res.headers['content-security-policy'])).toBe("frame-ancestors 'none'");
    });

    it('pages answer with the client; assets are cached for good; other paths stay 404 problems', async () => {
      const page = await t.http.get(`/topics/${topicId}`).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      const asset = page.text.match(/\/assets\/[^"]+\.js/)?.[0];
      expect(asset).toBeDefined();
      const js = await t.http.get(asset!).expect(200);
      expect(js.headers['cache-control']).toMatch(/immutable/);
      await t.http.get('/no-such-page').expect(404);
      const missing = await t.http.get('/api/v1/no-such-route').expect(404);
      expect(missing.headers['content-type']).toMatch(/problem\+json/);
    });
  });

  describe('E2 sockets of embedded widgets', () => {
    it('watching is allowed for an origin on the list and refused for any other', async () => {
      const okSocket = await connected(t.url, { embed: A });
      const watched = await request(okSocket, 'topic:watch', { topicId });
      expect(watched).toMatchObject({ ok: true });

      const evil = await connected(t.url, { embed: 'https://council.seoul.example.evil.com' });
      expectRefused(await request(evil, 'topic:watch', { topicId }), 'forbidden');
      const other = await connected(t.url, { embed: A, token: citizen.token });
      expectRefused(await request(other, 'topic:watch', { topicId: bareTopicId }), 'forbidden');
    });

    it('room:join from a widget follows the same list', async () => {
      const room = await liveRoom(t, admin, topicId);
      const allowed = await connected(t.url, { embed: B });
      expect(await request(allowed, 'room:join', { roomId: room.id })).toMatchObject({ ok: true });
      const refused = await connected(t.url, { embed: 'https://elsewhere.example' });
      expectRefused(await request(refused, 'room:join', { roomId: room.id }), 'forbidden');
    });

    it.each([['not an origin'], ['https://council.seoul.example/path'], [42], ['*']])(
      'a malformed auth.embed (%p) is refused at the handshake',
      async (embed) => {
        const socket = liveClient(t.url, { embed });
        const error = await new Promise<Error & { data?: { code: string } }>((resolve) => {
          socket.once('connect_error', resolve);
          socket.connect();
        });
        expect(error.data?.code).toBe('invalid_embed');
      },
    );

    it('a page on a foreign origin cannot open a socket at all', async () => {
      await expect(connected(t.url, { origin: 'https://elsewhere.example' })).rejects.toBeDefined();
    });
  });
});
