import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createRoom, liveRoom } from '../factories/rooms';
import { createTopic, openDeliberation, postComment } from '../factories/topics';
import { AttendanceSampler } from '../../src/rooms/minutes/attendance-sampler';
import { type TestApp, startTestApp } from '../utils/app';
import { closeAll, connected, ok, request } from '../utils/live-client';
import { expectFieldErrors, expectProblem } from '../utils/problem';

/**
 * The server side of the citizen's pages: messages in the reader's language, the thread at
 * any depth, a person's own page and account, the home page's figures, a room's stream and
 * the minutes' attendance; each write path with its bad inputs and its authorization.
 */
describe('citizen pages: routes and fields', () => {
  let t: TestApp;
  let admin: TestUser;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let citizen: TestUser;
  let neighbour: TestUser;
  let space: { id: string; slug: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    otherFacilitator = await registerUser(t, { displayName: '다른 진행자' });
    citizen = await registerUser(t, { displayName: '시민' });
    neighbour = await registerUser(t, { displayName: '이웃' });
    space = await createSpace(t, admin, {
      thresholds: { review: 2, deliberation: 3, response: 5 },
    });
    const other = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, other.id, otherFacilitator);
  });
  afterAll(async () => {
    closeAll();
    await t?.close();
  });

  describe('messages in the reader’s language', () => {
    it('problem+json is Korean by default, English on request, with the same code and fields', async () => {
      const body = { title: '짧', body: '' };
      const ko = await t.http
        .post(`/api/v1/spaces/${space.id}/topics`)
        .set(citizen.auth)
        .send(body);
      expectFieldErrors(ko, ['title', 'body']);
      expect(ko.headers['content-language']).toBe('ko');
      expect(ko.body.title).toBe('잘못된 요청');
      expect(ko.body.detail).toContain('제목(title): 5자 이상 입력해 주세요');
      expect(ko.body.errors).toEqual(
        expect.arrayContaining([{ field: 'title', message: '5자 이상 입력해 주세요' }]),
      );
      const en = await t.http
        .post(`/api/v1/spaces/${space.id}/topics`)
        .set(citizen.auth)
        .set('Accept-Language', 'en-US,en;q=0.9')
        .send(body);
      expectFieldErrors(en, ['title', 'body']);
      expect(en.body.title).toBe('Bad Request');
      expect(en.body.detail).toBe('Invalid input: title, body');
      expect(en.headers['content-language']).toBe('en');
      const missing = await t.http.get('/api/v1/topics/00000000-0000-4000-8000-000000000000');
      expectProblem(missing, 404, 'not_found');
      expect(missing.body.detail).toBe('의제를 찾을 수 없습니다.');
      const route = await t.http.get('/api/v1/no-such-route');
      expectProblem(route, 404, 'not_found');
      expect(route.body.detail).toBe('/api/v1/no-such-route 주소를 찾을 수 없습니다.');
    });

    it('socket acks follow auth.lang, Korean by default', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const room = await createRoom(t, facilitator, topic.id);
      const ko = await connected(t.url, { token: citizen.token });
      await ok(ko, 'room:join', { roomId: room.id });
      const koAck = await request(ko, 'chat:send', { roomId: room.id, body: '안녕하세요' });
      expect(koAck).toEqual({
        ok: false,
        error: { code: 'room_not_live', message: '이 타운홀은 예정 상태입니다.' },
      });
      const en = await connected(t.url, { token: citizen.token, lang: 'en' });
      await ok(en, 'room:join', { roomId: room.id });
      const enAck = await request(en, 'chat:send', { roomId: room.id, body: 'hello' });
      expect(enAck).toEqual({
        ok: false,
        error: { code: 'room_not_live', message: 'This room is scheduled.' },
      });
      const bad = await request(ko, 'chat:send', { roomId: room.id, body: '', extra: 1 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect((bad as { error: { message: string } }).error.message).toContain(
        '알 수 없는 항목입니다',
      );
    });

    it('the timeline writes system moves in the reader’s language and keeps their cause as data', async () => {
      const topic = await createTopic(t, citizen, space.id);
      for (const u of [neighbour, facilitator])
        await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(u.auth).expect(200);
      const ko = await t.http.get(`/api/v1/topics/${topic.id}/timeline`).expect(200);
      const moved = ko.body.items.find((e: { type: string }) => e.type === 'transitioned');
      expect(moved.data).toMatchObject({
        from: 'proposed',
        to: 'under_review',
        cause: { kind: 'threshold', rung: 'review', count: 2 },
        reason: '검토 기준 도달(2)',
      });
      const en = await t.http
        .get(`/api/v1/topics/${topic.id}/timeline`)
        .set('Accept-Language', 'en')
        .expect(200);
      expect(
        en.body.items.find((e: { type: string }) => e.type === 'transitioned').data.reason,
      ).toBe('review threshold reached (2)');
    });
  });

  describe('the thread at any depth', () => {
    let topicId: string;
    const chain: string[] = [];
    beforeAll(async () => {
      topicId = (await createTopic(t, citizen, space.id)).id;
      let parentId: string | undefined;
      for (let i = 0; i < 6; i++) {
        const c = await postComment(t, i % 2 ? neighbour : citizen, topicId, {
          body: `${i}단계`,
          ...(parentId ? { parentId } : {}),
        });
        chain.push(c.id);
        parentId = c.id;
      }
    });

    it('nests replies down to `depth` levels in the list', async () => {
      const res = await t.http.get(`/api/v1/topics/${topicId}/comments?depth=3`).expect(200);
      const top = res.body.items[0];
      expect(top.replies[0].id).toBe(chain[1]);
      expect(top.replies[0].replies[0].id).toBe(chain[2]);
      expect(top.replies[0].replies[0].replies[0]).toMatchObject({ id: chain[3], moreReplies: 1 });
      const shallow = await t.http.get(`/api/v1/topics/${topicId}/comments`).expect(200);
      expect(shallow.body.items[0].replies[0].replies).toBeUndefined();
      for (const depth of ['0', '4', 'x'])
        expectFieldErrors(await t.http.get(`/api/v1/topics/${topicId}/comments?depth=${depth}`), [
          'depth',
        ]);
    });

    it('lists every reply below a comment, oldest first, paged', async () => {
      const first = await t.http.get(`/api/v1/comments/${chain[3]}/thread?limit=1`).expect(200);
      expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([chain[4]]);
      const next = await t.http
        .get(`/api/v1/comments/${chain[3]}/thread?limit=1&cursor=${first.body.nextCursor}`)
        .expect(200);
      expect(
        next.body.items.map((c: { id: string; parentId: string }) => [c.id, c.parentId]),
      ).toEqual([[chain[5], chain[4]]]);
      expect(next.body.nextCursor).toBeNull();
      expectFieldErrors(await t.http.get('/api/v1/comments/not-a-uuid/thread'), ['id']);
      expectProblem(
        await t.http.get('/api/v1/comments/00000000-0000-4000-8000-000000000000/thread'),
        404,
        'not_found',
      );
      expectFieldErrors(await t.http.get(`/api/v1/comments/${chain[3]}/thread?limit=0`), ['limit']);
      expectFieldErrors(await t.http.get(`/api/v1/comments/${chain[3]}/thread?cursor=%%%`), [
        'cursor',
      ]);
    });

    it('refuses a report of one’s own comment', async () => {
      const res = await t.http
        .post(`/api/v1/comments/${chain[0]}/reports`)
        .set(citizen.auth)
        .send({ reason: 'spam' });
      expectProblem(res, 409, 'conflict');
      expect(res.body.detail).toBe('자신이 쓴 댓글은 신고할 수 없습니다.');
      const rows = await t.app
        .get(DataSource)
        .query(`SELECT 1 FROM reports WHERE comment_id = $1`, [chain[0]]);
      expect(rows).toHaveLength(0);
    });
  });

  describe('a person’s own page and account', () => {
    it('lists my topics, comments and agrees, and only mine', async () => {
      const me = await registerUser(t, { displayName: '내 마당' });
      const mine = await createTopic(t, me, space.id, { title: '내가 낸 제안입니다' });
      const theirs = await createTopic(t, neighbour, space.id, { title: '남이 낸 제안입니다' });
      await t.http.put(`/api/v1/topics/${theirs.id}/agree`).set(me.auth).expect(200);
      const comment = await postComment(t, me, theirs.id, { body: '내 댓글' });
      const topics = await t.http.get('/api/v1/me/topics').set(me.auth).expect(200);
      expect(topics.body.items.map((x: { id: string }) => x.id)).toEqual([mine.id]);
      const agrees = await t.http.get('/api/v1/me/agrees').set(me.auth).expect(200);
      expect(agrees.body.items.map((x: { id: string }) => x.id)).toEqual([theirs.id]);
      const comments = await t.http.get('/api/v1/me/comments').set(me.auth).expect(200);
      expect(comments.body.items).toEqual([
        expect.objectContaining({
          id: comment.id,
          topic: { id: theirs.id, title: '남이 낸 제안입니다' },
        }),
      ]);
      for (const path of ['/api/v1/me/topics', '/api/v1/me/comments', '/api/v1/me/agrees'])
        expectProblem(await t.http.get(path), 401, 'unauthorized');
      expectFieldErrors(await t.http.get('/api/v1/me/topics?limit=1000').set(me.auth), ['limit']);
    });

    it('renames with PATCH /me; refuses bad names, unknown fields and anonymous callers', async () => {
      const me = await registerUser(t, { displayName: '옛 이름' });
      for (const [body, fields] of [
        [{ displayName: '' }, ['displayName']],
        [{ displayName: '가'.repeat(51) }, ['displayName']],
        [{ displayName: 'a\u0007b' }, ['displayName']],
        [{ displayName: '새 이름', role: 'admin' }, ['role']],
        [{}, ['displayName']],
      ] as const)
        expectFieldErrors(await t.http.patch('/api/v1/me').set(me.auth).send(body), [...fields]);
      expectProblem(
        await t.http.patch('/api/v1/me').send({ displayName: '누구' }),
        401,
        'unauthorized',
      );
      const res = await t.http
        .patch('/api/v1/me')
        .set(me.auth)
        .send({ displayName: '  새 이름 ' })
        .expect(200);
      expect(res.body).toMatchObject({ id: me.id, displayName: '새 이름', role: 'citizen' });
    });

    it('changes the password after checking the current one, and ends the other sessions', async () => {
      const me = await registerUser(t, { password: 'first password 1' });
      const url = '/api/v1/me/password';
      expectProblem(
        await t.http
          .put(url)
          .set(me.auth)
          .send({ currentPassword: 'wrong password', newPassword: 'second password 2' }),
        401,
        'invalid_credentials',
      );
      expectFieldErrors(
        await t.http
          .put(url)
          .set(me.auth)
          .send({ currentPassword: 'first password 1', newPassword: 'short' }),
        ['newPassword'],
      );
      expectFieldErrors(
        await t.http
          .put(url)
          .set(me.auth)
          .send({ currentPassword: 'first password 1', newPassword: 'first password 1' }),
        ['newPassword'],
      );
      expectFieldErrors(
        await t.http.put(url).set(me.auth).send({ newPassword: 'second password 2' }),
        ['currentPassword'],
      );
      expectProblem(
        await t.http.put(url).send({ currentPassword: 'a', newPassword: 'second password 2' }),
        401,
        'unauthorized',
      );
      const res = await t.http
        .put(url)
        .set(me.auth)
        .send({ currentPassword: 'first password 1', newPassword: 'second password 2' })
        .expect(200);
      expectProblem(await t.http.get('/api/v1/me').set(me.auth), 401, 'unauthorized');
      await t.http
        .get('/api/v1/me')
        .set({ Authorization: `Bearer ${res.body.accessToken}` })
        .expect(200);
      await t.http
        .post('/api/v1/auth/login')
        .send({ email: me.email, password: 'second password 2' })
        .expect(200);
      expectProblem(
        await t.http
          .post('/api/v1/auth/login')
          .send({ email: me.email, password: 'first password 1' }),
        401,
        'invalid_credentials',
      );
    });
  });

  describe('home page figures', () => {
    it('sorts open topics by what their next rung still asks, and counts each space', async () => {
      const s = await createSpace(t, admin, {
        thresholds: { review: 3, deliberation: 5, response: 5 },
      });
      await makeFacilitator(t, admin, s.id, facilitator);
      const far = await createTopic(t, citizen, s.id, { title: '공감이 먼 제안입니다' });
      const close = await createTopic(t, citizen, s.id, { title: '공감이 가까운 제안' });
      for (const u of [neighbour, facilitator])
        await t.http.put(`/api/v1/topics/${close.id}/agree`).set(u.auth).expect(200);
      const gone = await createTopic(t, citizen, s.id, { title: '반려될 제안입니다' });
      await t.http
        .post(`/api/v1/topics/${gone.id}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'rejected', reason: '중복' })
        .expect(200);
      const near = await t.http.get(`/api/v1/topics?spaceId=${s.id}&sort=near`).expect(200);
      expect(near.body.items.map((x: { id: string }) => x.id)).toEqual([close.id, far.id]);
      const paged = await t.http
        .get(`/api/v1/topics?spaceId=${s.id}&sort=near&limit=1`)
        .expect(200);
      const second = await t.http
        .get(`/api/v1/topics?spaceId=${s.id}&sort=near&limit=1&cursor=${paged.body.nextCursor}`)
        .expect(200);
      expect(second.body.items.map((x: { id: string }) => x.id)).toEqual([far.id]);
      expectFieldErrors(await t.http.get('/api/v1/topics?sort=closest'), ['sort']);
      await openDeliberation(t, facilitator, far.id);
      await liveRoom(t, facilitator, far.id);
      const view = await t.http.get(`/api/v1/spaces/${s.id}`).expect(200);
      expect(view.body.counts).toEqual({ topics: 3, open: 2, live: 1 });
    });

    it('gives live rooms in lists their presence', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const room = await liveRoom(t, facilitator, topic.id);
      const a = await connected(t.url, { token: citizen.token });
      await ok(a, 'room:join', { roomId: room.id });
      const list = await t.http.get(`/api/v1/rooms?status=live&topicId=${topic.id}`).expect(200);
      expect(list.body.items[0]).toMatchObject({ id: room.id, presence: 1 });
    });
  });

  describe('a room’s stream', () => {
    it('accepts YouTube, Vimeo, HLS and MP4 addresses only, from the room’s facilitators only', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const room = await createRoom(t, facilitator, topic.id);
      const patch = (user: TestUser | null, body: unknown) => {
        const req = t.http.patch(`/api/v1/rooms/${room.id}`);
        return (user ? req.set(user.auth) : req).send(body as object);
      };
      for (const streamUrl of [
        'javascript:alert(1)',
        'http://www.youtube.com/watch?v=dQw4w9WgXcQ',
        'https://evil.example/watch?v=dQw4w9WgXcQ',
        'https://www.youtube.com/watch?v=short',
        'https://example.org/video.avi',
        'https://user:pw@example.org/live.m3u8',
        42,
      ])
        expectFieldErrors(await patch(facilitator, { settings: { streamUrl } }), [
          'settings.streamUrl',
        ]);
      expectFieldErrors(await patch(facilitator, { settings: { colour: 'red' } }), [
        'settings.colour',
      ]);
      expectFieldErrors(await patch(facilitator, { title: '' }), ['title']);
      expectProblem(await patch(null, { title: '새 제목' }), 401, 'unauthorized');
      expectProblem(await patch(citizen, { title: '새 제목' }), 403, 'forbidden');
      expectProblem(await patch(otherFacilitator, { title: '새 제목' }), 403, 'forbidden');
      expect((await t.http.get(`/api/v1/rooms/${room.id}`)).body.title).toBe('시민참여예산 타운홀');
      for (const streamUrl of [
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
        'https://youtu.be/dQw4w9WgXcQ',
        'https://vimeo.com/76979871',
        'https://stream.seoul.example/live/index.m3u8',
      ]) {
        const res = await patch(facilitator, { settings: { streamUrl } }).expect(200);
        expect(res.body.settings).toMatchObject({ streamUrl, chat: true });
      }
      const cleared = await patch(facilitator, {
        title: '새 제목',
        settings: { streamUrl: null },
      }).expect(200);
      expect(cleared.body.title).toBe('새 제목');
      expect(cleared.body.settings.streamUrl).toBeUndefined();
      const audit = await t.app
        .get(DataSource)
        .query(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'room.update' AND target_id = $1`,
          [room.id],
        );
      expect(audit[0].n).toBe(5);
    });

    it('lets exactly the stream’s hosts through the Content-Security-Policy', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const room = await createRoom(t, facilitator, topic.id, {
        settings: { streamUrl: 'https://media.seoul.example/townhall.mp4' },
      });
      const page = await t.http.get(`/rooms/${room.id}`).expect(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain(
        "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com",
      );
      expect(csp).toMatch(/media-src 'self' https:\/\/media\.seoul\.example(;|$)/);
      const widget = await t.http.get(`/embed/rooms/${room.id}`).expect(200);
      expect(String(widget.headers['content-security-policy'])).toContain(
        'https://media.seoul.example',
      );
      const home = await t.http.get('/').expect(200);
      expect(String(home.headers['content-security-policy'])).not.toContain('media.seoul.example');
    });
  });

  it('answers a page of its own for unknown paths a browser asks for, JSON for the API', async () => {
    const page = await t.http.get('/nowhere/at/all').set('Accept', 'text/html').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('data-page="not-found"');
    const api = await t.http.get('/api/v1/nowhere').set('Accept', 'text/html');
    expectProblem(api, 404, 'not_found');
    const tool = await t.http.get('/nowhere').set('Accept', 'application/json');
    expectProblem(tool, 404, 'not_found');
  });

  it('samples attendance each minute and draws it in the minutes', async () => {
    const topic = await createTopic(t, citizen, space.id);
    const room = await liveRoom(t, facilitator, topic.id);
    const a = await connected(t.url, { token: citizen.token });
    const c = await connected(t.url, { token: neighbour.token });
    await ok(a, 'room:join', { roomId: room.id });
    await ok(c, 'room:join', { roomId: room.id });
    await t.app.get(AttendanceSampler).sample();
    await t.http.post(`/api/v1/rooms/${room.id}/end`).set(facilitator.auth).expect(200);
    const minutes = await t.http.get(`/api/v1/rooms/${room.id}/minutes`).expect(200);
    expect(minutes.body.attendance.timeline).toEqual([{ at: expect.any(String), count: 2 }]);
    const md = await t.http.get(`/api/v1/rooms/${room.id}/minutes?format=md`).expect(200);
    expect(md.text).toContain('- 진행 시간: 1분 미만');
  });
});
