import request from 'supertest';
import { type Socket } from 'socket.io-client';
import {
  closeAll,
  connected,
  nextEvent,
  record,
  request as ask,
  sleep,
} from '../utils/live-client';
import {
  bulkUsers,
  type Cluster,
  type ClusterNode,
  type ClusterUser,
  reportingNodes,
  startCluster,
  stopCluster,
} from '../cluster/helpers';

type JoinAnswer = { seq: number; missed: { event: string; payload: { seq: number } }[] };

/**
 * F2: Redis is down for 30 seconds under two nodes. Each node keeps serving its own sockets
 * (joins answer, its own broadcasts arrive, writes persist); when Redis returns, cross-node
 * delivery resumes — also for a room that first came to a node during the outage, whose
 * subscription used to fail silently and never be made again — and clients close their gaps
 * from PostgreSQL by `seq`.
 */
describe('faults: Redis down for 30 s under two nodes (F2)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    closeAll();
    await stopCluster(cluster);
  });

  async function liveRoom(
    node: ClusterNode,
    title: string,
  ): Promise<{ topicId: string; roomId: string }> {
    const topic = await request(node.url)
      .post(`/api/v1/spaces/${cluster.spaceId}/topics`)
      .set(cluster.citizen.auth)
      .send({ title, body: '본문' })
      .expect(201);
    const topicId = (topic.body as { id: string }).id;
    const room = await request(node.url)
      .post(`/api/v1/topics/${topicId}/rooms`)
      .set(cluster.facilitator.auth)
      .send({ title })
      .expect(201);
    const roomId = (room.body as { id: string }).id;
    await request(node.url)
      .post(`/api/v1/rooms/${roomId}/start`)
      .set(cluster.facilitator.auth)
      .expect(200);
    return { topicId, roomId };
  }

  const say = async (socket: Socket, roomId: string, body: string): Promise<number> => {
    const ack = await ask<{ comment: { id: string } }>(socket, 'chat:send', { roomId, body });
    if (!ack.ok) throw new Error(`chat:send refused: ${ack.error.code}`);
    return 0;
  };

  it('local service goes on, writes persist, and everything crosses again afterwards', async () => {
    const { a, b, db } = cluster;
    await reportingNodes(cluster.nodes, async () => {
      const before = await liveRoom(a, 'Redis 장애 전부터 열린 방');
      const during = await liveRoom(a, 'Redis 장애 중에 처음 들어온 방');
      const [onA, onB, speakerA, speakerB, lateA, lateB] = (await bulkUsers(db, 6, 'f2')) as [
        ClusterUser,
        ClusterUser,
        ClusterUser,
        ClusterUser,
        ClusterUser,
        ClusterUser,
      ];
      const listenerA = await connected(a.url, { token: onA.token });
      const listenerB = await connected(b.url, { token: onB.token });
      const talkerA = await connected(a.url, { token: speakerA.token });
      const talkerB = await connected(b.url, { token: speakerB.token });
      const joinedB = await ask<JoinAnswer>(listenerB, 'room:join', { roomId: before.roomId });
      for (const s of [listenerA, talkerA, talkerB])
        expect((await ask(s, 'room:join', { roomId: before.roomId })).ok).toBe(true);
      if (!joinedB.ok) throw new Error('join failed');
      const seenB = record(listenerB);

      await cluster.redis.stop();
      const outageStarted = Date.now();

      // Node A serves its own sockets: its broadcasts reach them.
      const localA = nextEvent<{ comment: { body: string } }>(
        listenerA,
        'comment:new',
        (p) => p.comment.body === 'A에서, 장애 중',
      );
      await say(talkerA, before.roomId, 'A에서, 장애 중');
      expect((await localA).comment.body).toBe('A에서, 장애 중');
      await say(talkerB, before.roomId, 'B에서, 장애 중');

      // Joins answer on both nodes, also for a room new to the node (no subscription possible).
      const joinerA = await connected(a.url, { token: lateA.token });
      const joinerB = await connected(b.url, { token: lateB.token });
      const newOnA = await ask<JoinAnswer>(joinerA, 'room:join', { roomId: during.roomId });
      const newOnB = await ask<JoinAnswer>(joinerB, 'room:join', { roomId: during.roomId });
      expect(newOnA).toMatchObject({ ok: true });
      expect(newOnB).toMatchObject({ ok: true });

      // Writes persist over HTTP too.
      const written = await request(b.url)
        .post(`/api/v1/topics/${before.topicId}/comments`)
        .set(cluster.citizen.auth)
        .send({ body: 'HTTP로, 장애 중' })
        .expect(201);

      await sleep(Math.max(0, 30_000 - (Date.now() - outageStarted)));
      await cluster.redis.start();
      const returned = Date.now();

      // Cross-node delivery resumes in both rooms, within seconds. Keep talking until it does.
      const crosses = async (
        room: string,
        from: Socket,
        to: Socket,
        label: string,
      ): Promise<number> => {
        const received = record(to);
        for (let i = 0; Date.now() - returned < 15_000; i++) {
          await say(from, room, `${label} ${i}`);
          await sleep(250);
          if (received.some((e) => e.event === 'comment:new')) return Date.now() - returned;
        }
        throw new Error(`${label}: no cross-node delivery within 15 s of Redis returning`);
      };
      const beforeCrossed = await crosses(before.roomId, talkerA, listenerB, '복구 확인 (기존 방)');
      const duringCrossed = await crosses(
        during.roomId,
        joinerB,
        joinerA,
        '복구 확인 (장애 중 방)',
      );
      const duringBack = await crosses(
        during.roomId,
        joinerA,
        joinerB,
        '복구 확인 (장애 중 방, 반대로)',
      );
      console.log(
        `F2: Redis down ${returned - outageStarted} ms; cross-node delivery back after ${beforeCrossed} ms (room joined before), ${duringCrossed} / ${duringBack} ms (room first joined during the outage, both ways)`,
      );

      // Node B's listener missed node A's messages of the outage: it closes the gap by seq.
      const firstLive = seenB.find(
        (e) =>
          e.event === 'comment:new' &&
          (e.payload as { comment: { body: string } }).comment.body.startsWith('복구'),
      );
      const firstSeq = firstLive?.payload.seq as number;
      expect(firstSeq).toBeGreaterThan(joinedB.data.seq + 1);
      const caught = await ask<JoinAnswer>(listenerB, 'room:join', {
        roomId: before.roomId,
        sinceSeq: joinedB.data.seq,
      });
      if (!caught.ok) throw new Error('catch-up failed');
      const seqs = caught.data.missed.map((m) => m.payload.seq);
      expect(seqs).toEqual(seqs.map((_, i) => joinedB.data.seq + 1 + i));
      expect(seqs.at(-1)).toBe(caught.data.seq);
      const bodies = await db.query<{ body: string }[]>(
        `SELECT body FROM comments WHERE topic_id = $1`,
        [before.topicId],
      );
      expect(bodies.map((r) => r.body)).toEqual(
        expect.arrayContaining([
          'A에서, 장애 중',
          'B에서, 장애 중',
          (written.body as { body: string }).body,
        ]),
      );
    });
  }, 120_000);
});
