import { Client } from 'pg';
import request from 'supertest';
import { createClient } from 'redis';
import {
  closeAll,
  connected,
  nextEvent,
  record,
  request as ask,
  sleep,
} from '../utils/live-client';
import { PRESENCE_STALE_MS } from '../../src/rooms/presence.service';
import {
  bulkUsers,
  type Cluster,
  type ClusterNode,
  reportingNodes,
  startCluster,
  startNodes,
  stopCluster,
  stopNodes,
} from '../cluster/helpers';

/**
 * F6: a node that stops answering — frozen by SIGSTOP, the way a wedged process or a paused VM
 * behaves — and a foreign deployment (another city's, with a database of its own) on the same
 * Redis. A room's first join used to wait for a presence count that asked every subscriber of
 * the adapter's channel, foreign ones included, and failed after 5 s when one did not answer.
 * Now joins answer at once from what their node knows, presence converges without the silent
 * node, and the deployments never see each other's channels or keys.
 */
describe('faults: a silent node and a foreign deployment on the same Redis (F6)', () => {
  let cluster: Cluster;
  let foreign: ClusterNode[] = [];
  const foreignDb = `${process.env.MADANG_TEST_DATABASE ?? 'madang_test'}_foreign`;
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });

  beforeAll(async () => {
    cluster = await startCluster();
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${foreignDb}"`);
    await admin.query(`CREATE DATABASE "${foreignDb}"`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${foreignDb}`;
    // Another deployment: its own database, no REDIS_PREFIX set — the default keeps it apart.
    foreign = await startNodes(1, cluster.redis.url, {
      DATABASE_URL: url.toString(),
      MIGRATIONS_RUN: 'true',
      ADMIN_EMAIL: 'foreign-admin@cluster.test',
      ADMIN_PASSWORD: 'foreign admin password',
    });
  }, 90_000);

  afterAll(async () => {
    closeAll();
    for (const node of [...cluster.nodes, ...foreign]) node.process.child.kill('SIGCONT');
    await stopNodes(foreign);
    await stopCluster(cluster);
    await admin.query(`DROP DATABASE IF EXISTS "${foreignDb}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  });

  async function liveRoom(node: ClusterNode, title: string): Promise<string> {
    const topic = await request(node.url)
      .post(`/api/v1/spaces/${cluster.spaceId}/topics`)
      .set(cluster.citizen.auth)
      .send({ title, body: '본문' })
      .expect(201);
    const room = await request(node.url)
      .post(`/api/v1/topics/${(topic.body as { id: string }).id}/rooms`)
      .set(cluster.facilitator.auth)
      .send({ title })
      .expect(201);
    const roomId = (room.body as { id: string }).id;
    await request(node.url)
      .post(`/api/v1/rooms/${roomId}/start`)
      .set(cluster.facilitator.auth)
      .expect(200);
    return roomId;
  }

  it('joins answer at once, presence converges, and the deployments stay apart', async () => {
    const { a, b, db } = cluster;
    const [foreignNode] = foreign as [ClusterNode];
    await reportingNodes([...cluster.nodes, ...foreign], async () => {
      // The foreign deployment has a room with people in it, on the same Redis.
      const login = await request(foreignNode.url)
        .post('/api/v1/auth/login')
        .send({ email: 'foreign-admin@cluster.test', password: 'foreign admin password' })
        .expect(200);
      const foreignAuth = {
        Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}`,
      };
      const foreignAdminId = (login.body as { user: { id: string } }).user.id;
      const fSpace = await request(foreignNode.url)
        .post('/api/v1/spaces')
        .set(foreignAuth)
        .send({ slug: 'other-city', name: '다른 도시' })
        .expect(201);
      const fSpaceId = (fSpace.body as { id: string }).id;
      await request(foreignNode.url)
        .put(`/api/v1/spaces/${fSpaceId}/facilitators/${foreignAdminId}`)
        .set(foreignAuth)
        .expect(200);
      const fTopic = await request(foreignNode.url)
        .post(`/api/v1/spaces/${fSpaceId}/topics`)
        .set(foreignAuth)
        .send({ title: '다른 도시의 주제', body: '본문' })
        .expect(201);
      const fRoom = await request(foreignNode.url)
        .post(`/api/v1/topics/${(fTopic.body as { id: string }).id}/rooms`)
        .set(foreignAuth)
        .send({ title: '다른 도시 타운홀' })
        .expect(201);
      const fRoomId = (fRoom.body as { id: string }).id;
      await request(foreignNode.url)
        .post(`/api/v1/rooms/${fRoomId}/start`)
        .set(foreignAuth)
        .expect(200);
      const fSocket = await connected(foreignNode.url, {
        token: (login.body as { accessToken: string }).accessToken,
      });
      expect((await ask(fSocket, 'room:join', { roomId: fRoomId })).ok).toBe(true);

      // Our room, with two people on node B and one on node A.
      const roomId = await liveRoom(a, '조용한 노드가 있는 방');
      const [u1, u2, u3, u4, u5] = await bulkUsers(db, 5, 'f6');
      const onB = await Promise.all([u1!, u2!].map((u) => connected(b.url, { token: u.token })));
      for (const s of onB) expect((await ask(s, 'room:join', { roomId })).ok).toBe(true);
      const watcher = await connected(a.url, { token: u3!.token });
      const counts = record(watcher);
      expect((await ask(watcher, 'room:join', { roomId })).ok).toBe(true);
      await nextEvent<{ count: number }>(watcher, 'presence', (p) => p.count === 3, 10_000);

      // Node B and the foreign node stop answering anything.
      b.process.child.kill('SIGSTOP');
      foreignNode.process.child.kill('SIGSTOP');
      const frozen = Date.now();

      // A room that is new to node A: its first join answers at once, not after a timeout.
      const fresh = await liveRoom(a, '새로 여는 방');
      const joiner = await connected(a.url, { token: u4!.token });
      const started = Date.now();
      const first = await ask<{ presence: { count: number } }>(joiner, 'room:join', {
        roomId: fresh,
      });
      const firstJoinMs = Date.now() - started;
      expect(first).toMatchObject({ ok: true, data: { presence: { count: 1 } } });
      // And more joins of the busy room on node A, while B's people are still counted.
      const another = await connected(a.url, { token: u5!.token });
      expect((await ask(another, 'room:join', { roomId })).ok).toBe(true);

      // Presence converges without node B: its entry goes stale and stops counting.
      const converged = await nextEvent<{ count: number }>(
        watcher,
        'presence',
        (p) => p.count === 2,
        PRESENCE_STALE_MS + 10_000,
      );
      const convergedMs = Date.now() - frozen;
      console.log(
        `F6: first join of a new room on node A answered in ${firstJoinMs} ms with node B and a foreign node frozen; presence converged to ${converged.count} after ${convergedMs} ms`,
      );
      expect(
        counts.filter((e) => e.event === 'presence').every((e) => (e.payload.count as number) <= 4),
      ).toBe(true);

      // The deployments' Redis keys and channels are apart: two prefixes, no shared names.
      const redis = createClient({ url: cluster.redis.url });
      await redis.connect();
      try {
        const keys = await redis.keys('*presence:*');
        const prefixes = new Set(keys.map((k) => k.slice(0, k.indexOf('presence:'))));
        expect(prefixes.size).toBe(2);
        const channels = await redis.sendCommand<string[]>(['PUBSUB', 'SHARDCHANNELS', '*']);
        const ours = channels.filter((c) => c.includes(roomId));
        const theirs = channels.filter((c) => c.includes(fRoomId));
        expect(ours.length).toBeGreaterThan(0);
        expect(theirs.length).toBeGreaterThan(0);
        const prefixOf = (c: string): string => c.slice(0, c.indexOf('#'));
        expect(new Set(ours.map(prefixOf))).not.toEqual(new Set(theirs.map(prefixOf)));
      } finally {
        await redis.close();
      }

      // Node B comes back: it counts again.
      b.process.child.kill('SIGCONT');
      foreignNode.process.child.kill('SIGCONT');
      await sleep(100);
      const back = await connected(b.url, { token: u1!.token });
      expect((await ask(back, 'room:join', { roomId })).ok).toBe(true);
      await nextEvent<{ count: number }>(watcher, 'presence', (p) => p.count >= 3, 15_000);
    });
  }, 120_000);
});
