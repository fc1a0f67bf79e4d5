import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source';
import { PasswordHasher } from '../../src/identity/auth/password-hasher';
import { AdminAccounts } from '../../src/identity/users/admin-accounts';
import { closeAll, connected, nextEvent, request as ask } from '../utils/live-client';
import {
  bulkUsers,
  type ClusterNode,
  PrivateRedisCluster,
  reportingNodes,
  stablePort,
  startNodes,
  stopNodes,
} from '../cluster/helpers';

/**
 * Three server nodes on a Redis Cluster of three masters, with the sharded adapter: a room's
 * broadcasts travel on a sharded channel of the cluster, keys (limits, presence) are spread
 * over its slots. What must hold on one Redis holds here: cross-node delivery, bans that close
 * every socket of the banned user on every node, presence counted over all nodes, and limits
 * counted once for a user wherever their events arrive.
 */
describe('cluster: three nodes on a Redis Cluster of three masters', () => {
  let redis: PrivateRedisCluster;
  let nodes: ClusterNode[];
  let db: DataSource;

  beforeAll(async () => {
    const ports: number[] = [];
    while (ports.length < 3) {
      const port = await stablePort();
      // A cluster node also listens on port + 10000 (its bus): keep both free and distinct.
      if (!ports.some((p) => Math.abs(p - port) < 2) && port + 10000 < 65536) ports.push(port);
    }
    redis = new PrivateRedisCluster(ports);
    await redis.start();
    nodes = await startNodes(3, redis.url, {
      REDIS_CLUSTER: 'true',
      SOCKET_ADAPTER: 'sharded',
      RATE_LIMIT: '6',
    });
    db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2));
    await db.initialize();
  }, 90_000);

  afterAll(async () => {
    closeAll();
    await stopNodes(nodes ?? []);
    await redis?.stop();
    await db?.destroy();
  });

  it('delivers across nodes, holds bans, counts presence and limits across all three', async () => {
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    await reportingNodes(nodes, async () => {
      const ready = await request(c.url).get('/health/ready').expect(200);
      expect(ready.body.checks.redis).toBe('up');

      const email = `rc-admin-${Date.now()}@cluster.test`;
      await new AdminAccounts(
        db,
        new PasswordHasher({ ARGON2_MEMORY_KIB: 1024, ARGON2_PASSES: 1 }),
      ).ensureAdmin(email, 'rc admin password');
      const login = await request(a.url)
        .post('/api/v1/auth/login')
        .send({ email, password: 'rc admin password' })
        .expect(200);
      const admin = {
        Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}`,
      };
      const adminId = (login.body as { user: { id: string } }).user.id;
      const space = await request(a.url)
        .post('/api/v1/spaces')
        .set(admin)
        .send({ slug: `rc-${Date.now()}`, name: '레디스 클러스터' })
        .expect(201);
      const spaceId = (space.body as { id: string }).id;
      await request(b.url)
        .put(`/api/v1/spaces/${spaceId}/facilitators/${adminId}`)
        .set(admin)
        .expect(200);
      const [author, onA, onB, onC, troll] = await bulkUsers(db, 5, 'rc');
      const topic = await request(c.url)
        .post(`/api/v1/spaces/${spaceId}/topics`)
        .set(author!.auth)
        .send({ title: '세 노드의 주제', body: '본문' })
        .expect(201);
      const topicId = (topic.body as { id: string }).id;
      const room = await request(a.url)
        .post(`/api/v1/topics/${topicId}/rooms`)
        .set(admin)
        .send({ title: '세 노드 타운홀' })
        .expect(201);
      const roomId = (room.body as { id: string }).id;
      await request(b.url).post(`/api/v1/rooms/${roomId}/start`).set(admin).expect(200);

      // One person on each node, and a troll on every node at once.
      const sockets = await Promise.all([
        connected(a.url, { token: onA!.token }),
        connected(b.url, { token: onB!.token }),
        connected(c.url, { token: onC!.token }),
      ]);
      for (const s of sockets) expect((await ask(s, 'room:join', { roomId })).ok).toBe(true);
      const trolls = await Promise.all(nodes.map((n) => connected(n.url, { token: troll!.token })));
      for (const s of trolls) expect((await ask(s, 'room:join', { roomId })).ok).toBe(true);

      // A message said on node C reaches every node.
      const heard = sockets.map((s) =>
        nextEvent<{ comment: { body: string } }>(
          s,
          'comment:new',
          (p) => p.comment.body === '세 노드 모두에게',
        ),
      );
      expect((await ask(sockets[2], 'chat:send', { roomId, body: '세 노드 모두에게' })).ok).toBe(
        true,
      );
      expect((await Promise.all(heard)).map((p) => p.comment.body)).toEqual([
        '세 노드 모두에게',
        '세 노드 모두에게',
        '세 노드 모두에게',
      ]);

      // Presence counts the people of all three nodes (four distinct users).
      await nextEvent<{ count: number }>(sockets[0], 'presence', (p) => p.count === 4, 15_000);

      // A ban given on node B closes the troll's sockets on every node, and a rejoin is refused.
      const mod = await connected(b.url, {
        token: (login.body as { accessToken: string }).accessToken,
      });
      expect((await ask(mod, 'room:join', { roomId })).ok).toBe(true);
      const closed = trolls.map(
        (s) => new Promise<void>((resolve) => s.once('disconnect', () => resolve())),
      );
      expect((await ask(mod, 'mod:ban', { roomId, userId: troll!.id, reason: '도배' })).ok).toBe(
        true,
      );
      await Promise.all(closed);
      const back = await connected(c.url, { token: troll!.token });
      expect(await ask(back, 'room:join', { roomId })).toMatchObject({
        ok: false,
        error: { code: 'banned' },
      });

      // One user's socket events count once, whichever node they arrive on (SOCKET_RATE_LIMIT
      // is 100 per 10 s): 100 spread over the three nodes pass, the next is refused.
      const spread = await Promise.all(
        nodes.map((n) => connected(n.url, { token: author!.token })),
      );
      const codes: string[] = [];
      for (let i = 0; i < 100; i++) {
        const ack = await ask(spread[i % 3]!, 'topic:watch', { topicId });
        codes.push(ack.ok ? 'ok' : ack.error.code);
      }
      expect(codes.filter((code) => code !== 'ok')).toEqual([]);
      expect(await ask(spread[1]!, 'topic:watch', { topicId })).toMatchObject({
        ok: false,
        error: { code: 'rate_limited' },
      });

      // And HTTP limits too (RATE_LIMIT=6 for this test, to see the seventh refused).
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (
            await request(nodes[i % 3]!.url)
              .get('/api/v1/me')
              .set(onA!.auth)
          ).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expect((await request(c.url).get('/api/v1/me').set(onA!.auth)).status).toBe(429);
    });
  }, 120_000);
});
