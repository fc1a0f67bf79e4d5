import request from 'supertest';
import { type Socket } from 'socket.io-client';
import { type Ack, closeAll, connected, request as ask } from '../utils/live-client';
import {
  bulkUsers,
  type Cluster,
  type ClusterNode,
  reportingNodes,
  startCluster,
  stopCluster,
} from '../cluster/helpers';

/** A topic and a live room on it, made by the cluster's facilitator. */
async function liveRoomOn(cluster: Cluster, node: ClusterNode): Promise<string> {
  const topic = await request(node.url)
    .post(`/api/v1/spaces/${cluster.spaceId}/topics`)
    .set(cluster.citizen.auth)
    .send({ title: '군중 속의 타운홀', body: '본문' })
    .expect(201);
  const room = await request(node.url)
    .post(`/api/v1/topics/${(topic.body as { id: string }).id}/rooms`)
    .set(cluster.facilitator.auth)
    .send({ title: '천 명의 타운홀' })
    .expect(201);
  const roomId = (room.body as { id: string }).id;
  await request(node.url)
    .post(`/api/v1/rooms/${roomId}/start`)
    .set(cluster.facilitator.auth)
    .expect(200);
  return roomId;
}

/** The code of every answer that was not `ok` (an unanswered event rejects instead). */
const refusals = (acks: Ack[]): string[] =>
  acks.filter((a) => !a.ok).map((a) => (a.ok ? 'ok' : a.error.code));

/**
 * A town hall at the sizes it exists for, on two nodes sharing one Redis, with the shipped
 * limits. The HTTP limiter used to run on socket events too, where it found neither a user nor
 * an address: every socket of the cluster shared one bucket per event, and past it the event
 * was never answered.
 */
describe('cluster: a crowd in one room at the shipped defaults', () => {
  describe('with a tight HTTP limit', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      // RATE_LIMIT=5 makes the old shared bucket run out at the sixth event; sockets are not
      // HTTP requests and must not be counted by it at all.
      cluster = await startCluster({ RATE_LIMIT: '5' });
    }, 60_000);
    afterEach(() => closeAll());
    afterAll(async () => {
      closeAll();
      await stopCluster(cluster);
    });

    it('six users on two nodes each join and chat: every event is answered ok', async () => {
      await reportingNodes(cluster.nodes, async () => {
        const roomId = await liveRoomOn(cluster, cluster.a);
        const users = await bulkUsers(cluster.db, 6);
        const sockets = await Promise.all(
          users.map((u, i) => connected(cluster.nodes[i % 2]!.url, { token: u.token })),
        );
        const joins = await Promise.all(sockets.map((s) => ask(s, 'room:join', { roomId })));
        expect(refusals(joins)).toEqual([]);
        const chats = await Promise.all(
          sockets.map((s, i) => ask(s, 'chat:send', { roomId, body: `안녕하세요 ${i}` })),
        );
        expect(refusals(chats)).toEqual([]);
      });
    });
  });

  describe('at the defaults', () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster();
    }, 60_000);
    afterEach(() => closeAll());
    afterAll(async () => {
      closeAll();
      await stopCluster(cluster);
    });

    it('1,000 users join one room and chat once within a minute on two nodes: all acked ok (L4)', async () => {
      await reportingNodes(cluster.nodes, async () => {
        const roomId = await liveRoomOn(cluster, cluster.b);
        const users = await bulkUsers(cluster.db, 1000);
        const started = Date.now();
        const sockets: Socket[] = [];
        for (let i = 0; i < users.length; i += 100) {
          sockets.push(
            ...(await Promise.all(
              users
                .slice(i, i + 100)
                .map((u, j) => connected(cluster.nodes[(i + j) % 2]!.url, { token: u.token })),
            )),
          );
        }
        // Everyone arrives within a few seconds, as at the start of a session.
        const joins = await Promise.all(sockets.map((s) => ask(s, 'room:join', { roomId })));
        expect(refusals(joins)).toEqual([]);
        // Then everyone says one thing, spread over the rest of the minute.
        const chats: Ack[] = [];
        for (let i = 0; i < sockets.length; i += 50) {
          chats.push(
            ...(await Promise.all(
              sockets
                .slice(i, i + 50)
                .map((s, j) => ask(s, 'chat:send', { roomId, body: `한마디 ${i + j}` })),
            )),
          );
        }
        expect(refusals(chats)).toEqual([]);
        expect(chats).toHaveLength(1000);
        // Reported, not asserted: the point is every answer being ok, within the limits' windows.
        console.log(
          `L4: 1,000 joins and 1,000 chat messages acked ok in ${Date.now() - started} ms`,
        );
        const [{ n }] = await cluster.db.query<[{ n: number }]>(
          `SELECT count(*)::int AS n FROM comments WHERE room_id = $1`,
          [roomId],
        );
        expect(n).toBe(1000);
      });
    }, 120_000);
  });
});
