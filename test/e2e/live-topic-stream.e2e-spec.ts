import { JwtService } from '@nestjs/jwt';
import WebSocket from 'ws';
import { type Socket } from 'socket.io-client';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createTopic, postComment } from '../factories/topics';
import { domainEvent } from '../../src/core/events/domain-events';
import { EventBus } from '../../src/core/events/event-bus';
import { startTestApp, type TestApp } from '../utils/app';
import {
  closeAll,
  connect,
  connected,
  liveClient,
  nextEvent,
  record,
  request,
  sleep,
} from '../utils/live-client';

const EMBED_ORIGIN = 'http://committee.embed.test:8080';

describe('live: handshake and topic stream', () => {
  let t: TestApp;
  let admin: TestUser;
  let facilitator: TestUser;
  let citizen: TestUser;
  let space: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    citizen = await registerUser(t, { displayName: '시민' });
    space = await createSpace(t, admin, { embedOrigins: [EMBED_ORIGIN] });
    await makeFacilitator(t, admin, space.id, facilitator);
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  describe('origin allowlist (A1), on WebSocket and polling', () => {
    for (const transport of ['websocket', 'polling'] as const) {
      it(`${transport}: refuses foreign, look-alike, null and missing origins`, async () => {
        for (const origin of [
          'https://evil.example',
          'http://committee.embed.test:8080.evil.com',
          'http://committee.embed.test',
          'null',
          null,
        ]) {
          await expect(
            connect(liveClient(t.url, { origin, transports: [transport] })),
          ).rejects.toThrow();
        }
      });

      it(`${transport}: accepts its own origin and a space's embed origin`, async () => {
        const own = await connected(t.url, { transports: [transport] });
        expect(own.connected).toBe(true);
        const embed = await connected(t.url, { origin: EMBED_ORIGIN, transports: [transport] });
        expect(embed.connected).toBe(true);
      });
    }
  });

  describe('tokens (A2)', () => {
    it('refuses missing-signature, alg:none, forged and expired tokens with a code', async () => {
      const [header, payload] = citizen.token.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      const forged = `${header}.${payload}.${Buffer.from('forged').toString('base64url')}`;
      const expired = new JwtService().sign(
        { sub: citizen.id, ver: 0, exp: Math.floor(Date.now() / 1000) - 10 },
        { secret: t.config.JWT_SECRET, algorithm: 'HS256' },
      );
      const cases: [string, string][] = [
        ['garbage', 'unauthorized'],
        [none, 'unauthorized'],
        [forged, 'unauthorized'],
        [expired, 'token_expired'],
      ];
      for (const [token, code] of cases) {
        const error = (await connect(liveClient(t.url, { token })).catch((e: unknown) => e)) as {
          data?: { code?: string };
        };
        expect(error.data?.code).toBe(code);
      }
    });

    it('connects signed-in users and anonymous viewers', async () => {
      expect((await connected(t.url, { token: citizen.token })).connected).toBe(true);
      expect((await connected(t.url)).connected).toBe(true);
    });

    it('logout closes every socket of the user within 5 s, and the token is refused afterwards (A3)', async () => {
      const user = await registerUser(t);
      const a = await connected(t.url, { token: user.token });
      const b = await connected(t.url, { token: user.token, transports: ['polling'] });
      const closed = Promise.all(
        [a, b].map((s) => new Promise<void>((resolve) => s.once('disconnect', () => resolve()))),
      );
      const started = Date.now();
      await t.http.post('/api/v1/auth/logout').set(user.auth).expect(204);
      await closed;
      expect(Date.now() - started).toBeLessThan(5000);
      const error = (await connect(liveClient(t.url, { token: user.token })).catch(
        (e: unknown) => e,
      )) as { data?: { code?: string } };
      expect(error.data?.code).toBe('unauthorized');
    });
  });

  describe('topic:watch', () => {
    it('sends the agree count as PostgreSQL has it at the flush, not an older one an event carried', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const viewer = await connected(t.url);
      await request(viewer, 'topic:watch', { topicId: topic.id });
      const users = await Promise.all([1, 2, 3].map(() => registerUser(t)));
      for (const u of users)
        await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(u.auth).expect(200);
      await sleep(400);
      const counts = record(viewer);
      // An agree event published late (after a newer count went out), as parallel commits can.
      t.app.get(EventBus).publish([
        domainEvent('agree.changed', {
          targetType: 'topic',
          targetId: topic.id,
          topicId: topic.id,
          spaceId: space.id,
          userId: users[0]!.id,
          agreed: true,
          count: 1,
        }),
      ]);
      await sleep(400);
      expect(counts.filter((e) => e.event === 'agree:count').map((e) => e.payload)).toEqual([
        { topicId: topic.id, targetType: 'topic', targetId: topic.id, count: 3 },
      ]);
    });

    it('streams comments, agree counts and status changes with increasing seq', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const viewer = await connected(t.url);
      const ack = await request<{ seq: number; missed: unknown[] }>(viewer, 'topic:watch', {
        topicId: topic.id,
      });
      expect(ack).toEqual({
        ok: true,
        data: { topicId: topic.id, seq: 1, missed: [], reset: false },
      });

      const comment = nextEvent<{ seq: number; comment: { body: string } }>(viewer, 'comment:new');
      await postComment(t, citizen, topic.id, { body: '실시간 댓글' });
      expect(await comment).toMatchObject({
        topicId: topic.id,
        seq: 2,
        comment: { body: '실시간 댓글', author: { displayName: '시민' } },
      });

      // A burst of agrees arrives as few messages, the last with the exact count.
      const counts = record(viewer);
      const users = await Promise.all([1, 2, 3, 4, 5].map(() => registerUser(t)));
      await Promise.all(
        users.map((u) => t.http.put(`/api/v1/topics/${topic.id}/agree`).set(u.auth).expect(200)),
      );
      await sleep(600);
      const agreeEvents = counts.filter((e) => e.event === 'agree:count');
      expect(agreeEvents.length).toBeGreaterThanOrEqual(1);
      expect(agreeEvents.length).toBeLessThan(5);
      expect(agreeEvents[agreeEvents.length - 1]?.payload).toEqual({
        topicId: topic.id,
        targetType: 'topic',
        targetId: topic.id,
        count: 5,
      });

      const status = nextEvent(viewer, 'topic:status');
      await t.http
        .post(`/api/v1/topics/${topic.id}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'rejected', reason: '범위 밖' })
        .expect(200);
      expect(await status).toEqual({
        topicId: topic.id,
        seq: 3,
        from: 'proposed',
        to: 'rejected',
        reason: '범위 밖',
      });
    });

    it('replays what a reconnecting client missed, in order, without gaps, hidden text withheld (A5)', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const first = await connected(t.url, { token: citizen.token });
      const watched = await request<{ seq: number }>(first, 'topic:watch', { topicId: topic.id });
      if (!watched.ok) throw new Error('watch failed');
      const since = watched.data.seq;
      first.disconnect();

      const a = await postComment(t, citizen, topic.id, { body: '첫째' });
      const b = await postComment(t, citizen, topic.id, { body: '숨겨질 둘째' });
      await postComment(t, citizen, topic.id, { body: '셋째 (답글)', parentId: a.id });
      await t.http
        .post(`/api/v1/comments/${b.id}/hide`)
        .set(facilitator.auth)
        .send({ reason: '개인정보' })
        .expect(200);

      for (const [viewer, sees] of [
        [citizen, null],
        [undefined, null],
        [facilitator, '숨겨질 둘째'],
      ] as const) {
        const socket = await connected(t.url, viewer ? { token: viewer.token } : {});
        const ack = await request<{
          seq: number;
          missed: {
            event: string;
            payload: { seq: number; comment?: { id: string; body: string | null } };
          }[];
        }>(socket, 'topic:watch', { topicId: topic.id, sinceSeq: since });
        if (!ack.ok) throw new Error(ack.error.message);
        const seqs = ack.data.missed.map((e) => e.payload.seq);
        expect(seqs).toEqual([since + 1, since + 2, since + 3, since + 4]);
        expect(ack.data.seq).toBe(since + 4);
        expect(ack.data.missed.map((e) => e.event)).toEqual([
          'comment:new',
          'comment:new',
          'comment:new',
          'comment:hidden',
        ]);
        const hidden = ack.data.missed[1]?.payload.comment;
        expect(hidden).toMatchObject({ id: b.id, status: 'hidden', body: sees });
        if (sees === null) expect(JSON.stringify(ack.data)).not.toContain('숨겨질');
      }
    });

    it('hides and restores live', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const c = await postComment(t, citizen, topic.id, { body: '곧 숨김' });
      const viewer = await connected(t.url);
      await request(viewer, 'topic:watch', { topicId: topic.id });
      const hidden = nextEvent(viewer, 'comment:hidden');
      await t.http
        .post(`/api/v1/comments/${c.id}/hide`)
        .set(facilitator.auth)
        .send({ reason: '욕설' })
        .expect(200);
      expect(await hidden).toMatchObject({ commentId: c.id, hiddenReason: '욕설' });
      const restored = nextEvent<{ comment: { body: string } }>(viewer, 'comment:restored');
      await t.http
        .post(`/api/v1/comments/${c.id}/restore`)
        .set(facilitator.auth)
        .send({ reason: '검토 완료' })
        .expect(200);
      expect((await restored).comment.body).toBe('곧 숨김');
    });

    it('answers bad input with an error code and keeps the socket', async () => {
      const socket = await connected(t.url);
      const cases: [unknown, string][] = [
        [{}, 'validation_failed'],
        [{ topicId: 'nope' }, 'validation_failed'],
        [{ topicId: '00000000-0000-4000-8000-000000000000', extra: 1 }, 'validation_failed'],
        [{ topicId: '00000000-0000-4000-8000-000000000000', sinceSeq: -1 }, 'validation_failed'],
        ['a string', 'validation_failed'],
        [[1, 2], 'validation_failed'],
        [null, 'validation_failed'],
        [undefined, 'validation_failed'],
        [{ topicId: '00000000-0000-4000-8000-000000000000' }, 'not_found'],
      ];
      for (const [payload, code] of cases) {
        const ack = await request(socket, 'topic:watch', payload);
        expect(ack).toMatchObject({ ok: false, error: { code } });
      }
      expect(socket.connected).toBe(true);
    });

    it('closes only the connection that sends a malformed packet (B1)', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const bystander = await connected(t.url);
      await request(bystander, 'topic:watch', { topicId: topic.id });
      const raw = new WebSocket(
        `${t.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`,
        {
          headers: { origin: t.url },
        },
      );
      const frames: string[] = [];
      raw.on('message', (data: Buffer) => frames.push(data.toString()));
      await new Promise((resolve) => raw.once('open', resolve));
      raw.send('40/live,');
      for (let i = 0; i < 50 && !frames.some((f) => f.startsWith('40/live,')); i++) await sleep(20);
      expect(frames.some((f) => f.startsWith('40/live,'))).toBe(true);
      const closed = new Promise((resolve) => raw.once('close', resolve));
      raw.send('42/live,["topic:watch",{"topicId":'); // cut-off JSON
      await closed;
      const comment = nextEvent(bystander, 'comment:new');
      await postComment(t, citizen, topic.id, { body: '여전히 동작' });
      expect(await comment).toMatchObject({ comment: { body: '여전히 동작' } });
      await t.http.get('/health/live').expect(200);
    });

    it('closes only the socket that sends an oversized packet (B1)', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const bystander = await connected(t.url);
      await request(bystander, 'topic:watch', { topicId: topic.id });
      const offender = await connected(t.url);
      const gone = new Promise<string>((resolve) =>
        offender.once('disconnect', (reason) => resolve(reason)),
      );
      offender.emit('topic:watch', { topicId: topic.id, padding: 'x'.repeat(100 * 1024) });
      expect(await gone).toBe('transport close');
      const comment = nextEvent(bystander, 'comment:new');
      await postComment(t, citizen, topic.id, { body: '아직 살아 있음' });
      expect(await comment).toMatchObject({ comment: { body: '아직 살아 있음' } });
      await t.http.get('/health/live').expect(200);
    });
  });
});

describe('live: per-user socket rate limit', () => {
  it('refuses events past the limit with rate_limited', async () => {
    const t = await startTestApp({ SOCKET_RATE_LIMIT: '5' });
    let socket: Socket | undefined;
    try {
      const user = await registerUser(t);
      socket = await connected(t.url, { token: user.token });
      const codes: string[] = [];
      for (let i = 0; i < 7; i++) {
        const ack = await request(socket, 'topic:watch', {
          topicId: '00000000-0000-4000-8000-000000000000',
        });
        codes.push(ack.ok ? 'ok' : ack.error.code);
      }
      expect(codes).toEqual([
        'not_found',
        'not_found',
        'not_found',
        'not_found',
        'not_found',
        'rate_limited',
        'rate_limited',
      ]);
    } finally {
      socket?.disconnect();
      await t.close();
    }
  });
});
