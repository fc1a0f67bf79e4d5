import request from 'supertest';
import { type DataSource } from 'typeorm';
import {
  closeAll,
  connected,
  nextEvent,
  record,
  request as ask,
  sleep,
} from '../utils/live-client';
import {
  type Cluster,
  type ClusterNode,
  type ClusterUser,
  registerOn,
  reportingNodes,
  startCluster,
  stopCluster,
} from './helpers';
import { USER_CACHE_MS } from '../../src/identity/auth/token.service';

/**
 * Two server processes sharing one PostgreSQL and one Redis, as deployed behind a load
 * balancer: what happens on one node must reach the sockets of the other.
 */
describe.each(['sharded', 'classic'])('cluster: two nodes, one Redis, %s adapter', (adapter) => {
  let cluster: Cluster;
  let a: ClusterNode;
  let b: ClusterNode;
  let db: DataSource;
  let facilitator: ClusterUser;
  let citizen: ClusterUser;
  let spaceId: string;

  const register = (node: ClusterNode, name: string): Promise<ClusterUser> =>
    registerOn(node, name);

  const newTopic = async (node: ClusterNode): Promise<string> =>
    (
      await request(node.url)
        .post(`/api/v1/spaces/${spaceId}/topics`)
        .set(citizen.auth)
        .send({ title: '클러스터 주제입니다', body: '본문' })
        .expect(201)
    ).body.id;

  beforeAll(async () => {
    cluster = await startCluster({ SOCKET_ADAPTER: adapter });
    ({ a, b, db, facilitator, citizen, spaceId } = cluster);
  }, 60_000);

  afterEach(() => closeAll());

  afterAll(async () => {
    closeAll();
    await stopCluster(cluster);
  });

  it('a comment posted over HTTP on node A reaches a socket on node B, and hides/agrees too', async () => {
    const topicId = await newTopic(a);
    const viewer = await connected(b.url);
    await ask(viewer, 'topic:watch', { topicId });

    const created = nextEvent<{ comment: { id: string; body: string } }>(viewer, 'comment:new');
    const comment = (
      await request(a.url)
        .post(`/api/v1/topics/${topicId}/comments`)
        .set(citizen.auth)
        .send({ body: '노드 A에서 작성' })
        .expect(201)
    ).body;
    expect((await created).comment).toMatchObject({ id: comment.id, body: '노드 A에서 작성' });

    const counted = nextEvent<{ count: number }>(viewer, 'agree:count', (p) => p.count === 1);
    await request(a.url)
      .put(`/api/v1/comments/${comment.id}/agree`)
      .set(facilitator.auth)
      .expect(200);
    expect(await counted).toMatchObject({ targetId: comment.id, count: 1 });

    const hidden = nextEvent(viewer, 'comment:hidden');
    await request(a.url)
      .post(`/api/v1/comments/${comment.id}/hide`)
      .set(facilitator.auth)
      .send({ reason: '중복' })
      .expect(200);
    expect(await hidden).toMatchObject({ commentId: comment.id, hiddenReason: '중복' });
  });

  it('presence counts the sockets of both nodes, with names for facilitators', async () => {
    const topicId = await newTopic(a);
    const room = (
      await request(a.url)
        .post(`/api/v1/topics/${topicId}/rooms`)
        .set(facilitator.auth)
        .send({ title: '두 노드 타운홀' })
        .expect(201)
    ).body as { id: string };
    await request(b.url).post(`/api/v1/rooms/${room.id}/start`).set(facilitator.auth).expect(200);
    const mod = await connected(a.url, { token: facilitator.token });
    await ask(mod, 'room:join', { roomId: room.id });
    const detail = nextEvent<{
      count: number;
      users: { displayName: string }[];
      anonymous: number;
    }>(mod, 'presence:detail', (p) => p.count === 3, 8000);
    const citizenSocket = await connected(b.url, { token: citizen.token });
    const anonymous = await connected(b.url);
    const joined = await ask<{ presence: { count: number } }>(citizenSocket, 'room:join', {
      roomId: room.id,
    });
    await ask(anonymous, 'room:join', { roomId: room.id });
    // A join answers from what its node knows (never waiting for the other node); the
    // cluster-wide count follows in the background.
    expect(joined.ok && joined.data.presence.count).toBeGreaterThanOrEqual(1);
    const seen = await detail;
    expect(seen.users.map((u) => u.displayName).sort()).toEqual(['시민', '진행자']);
    expect(seen.anonymous).toBe(1);
    const count = nextEvent<{ count: number }>(anonymous, 'presence', (p) => p.count === 2, 8000);
    citizenSocket.disconnect();
    expect(await count).toEqual({ roomId: room.id, count: 2 });
  });

  it("a logout on node B closes the same user's socket on node A within 5 s (A3)", async () => {
    const user = await register(a, '로그아웃');
    const socket = await connected(a.url, { token: user.token });
    const closed = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    const started = Date.now();
    await request(b.url).post('/api/v1/auth/logout').set(user.auth).expect(204);
    await closed;
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a logout on node B stops the token on node A at once, though node A had just checked it', async () => {
    const user = await register(a, '캐시 확인');
    // Node A has just read the user to check this token (and keeps the row for a while).
    await request(a.url).get('/api/v1/me').set(user.auth).expect(200);
    const loggedOut = Date.now();
    await request(b.url).post('/api/v1/auth/logout').set(user.auth).expect(204);
    // The revocation crosses to node A over Redis; polled so that a few milliseconds of
    // bridge delay do not fail the test, but well inside the cache lifetime.
    let status = 200;
    while (status !== 401 && Date.now() - loggedOut < USER_CACHE_MS / 2) {
      status = (await request(a.url).get('/api/v1/me').set(user.auth)).status;
      if (status !== 401) await sleep(20);
    }
    expect(status).toBe(401);
    expect(Date.now() - loggedOut).toBeLessThan(USER_CACHE_MS / 2);
    await expect(connected(a.url, { token: user.token })).rejects.toMatchObject({
      data: { code: 'unauthorized' },
    });
  });

  it('survives a Redis restart: later broadcasts arrive within 5 s and the gap is closed from PostgreSQL (F1)', async () => {
    await reportingNodes(cluster.nodes, async () => {
      const topicId = await newTopic(a);
      const viewer = await connected(b.url);
      const watched = await ask<{ seq: number }>(viewer, 'topic:watch', { topicId });
      if (!watched.ok) throw new Error('watch failed');
      const seen = record(viewer);

      // A socket on node A itself keeps getting node A's broadcasts while Redis is down (F2).
      const local = await connected(a.url);
      await ask(local, 'topic:watch', { topicId });
      const localDelivery = nextEvent<{ comment: { body: string } }>(local, 'comment:new');

      await cluster.redis.stop();
      // Written while Redis is down: persisted, but its broadcast cannot cross nodes.
      await request(a.url)
        .post(`/api/v1/topics/${topicId}/comments`)
        .set(citizen.auth)
        .send({ body: 'Redis 없이 저장' })
        .expect(201);
      expect((await localDelivery).comment.body).toBe('Redis 없이 저장');
      await cluster.redis.start();

      // Keep posting until a broadcast crosses again (the clients reconnect with backoff).
      const started = Date.now();
      let arrived = false;
      while (!arrived && Date.now() - started < 10_000) {
        await request(a.url)
          .post(`/api/v1/topics/${topicId}/comments`)
          .set(citizen.auth)
          .send({ body: `복구 확인 ${Date.now()}` })
          .expect(201);
        await sleep(250);
        arrived = seen.some((e) => e.event === 'comment:new');
      }
      expect(arrived).toBe(true);
      expect(Date.now() - started).toBeLessThan(5000);

      // The client sees a gap in seq and closes it from PostgreSQL.
      const firstLive = seen.find((e) => e.event === 'comment:new')?.payload.seq as number;
      expect(firstLive).toBeGreaterThan(watched.data.seq + 1);
      const catchUp = await ask<{
        missed: { event: string; payload: { seq: number; comment?: { body: string } } }[];
      }>(viewer, 'topic:watch', {
        topicId,
        sinceSeq: watched.data.seq,
      });
      if (!catchUp.ok) throw new Error('catch-up failed');
      const seqs = catchUp.data.missed.map((e) => e.payload.seq);
      expect(seqs[0]).toBe(watched.data.seq + 1);
      expect(seqs).toEqual(seqs.map((_, i) => watched.data.seq + 1 + i));
      expect(catchUp.data.missed[0]?.payload.comment?.body).toBe('Redis 없이 저장');
      const rows = await db.query(`SELECT count(*)::int AS n FROM comments WHERE topic_id = $1`, [
        topicId,
      ]);
      expect(rows[0].n).toBe(seqs.length);
    });
  }, 30_000);
});
