import request from 'supertest';
import { type DataSource } from 'typeorm';
import { closeAll, data, connected, nextEvent, request as ask, sleep } from '../utils/live-client';
import {
  type Cluster,
  type ClusterNode,
  type ClusterUser,
  registerOn,
  startCluster,
  stopCluster,
} from './helpers';

/**
 * Live rooms on two server processes sharing one PostgreSQL and one Redis: chat crosses
 * nodes, and a mute or ban given on one node holds on the other (A3, A6).
 */
describe.each(['sharded', 'classic'])('cluster: room chat and sanctions, %s adapter', (adapter) => {
  let cluster: Cluster;
  let a: ClusterNode;
  let b: ClusterNode;
  let db: DataSource;
  let facilitator: ClusterUser;
  let topicId: string;

  const register = (node: ClusterNode, name: string): Promise<ClusterUser> =>
    registerOn(node, name);

  const liveRoom = async (): Promise<string> => {
    const room = await request(a.url)
      .post(`/api/v1/topics/${topicId}/rooms`)
      .set(facilitator.auth)
      .send({ title: '클러스터 타운홀' })
      .expect(201);
    await request(a.url)
      .post(`/api/v1/rooms/${room.body.id}/start`)
      .set(facilitator.auth)
      .expect(200);
    return room.body.id;
  };

  beforeAll(async () => {
    cluster = await startCluster({ SOCKET_ADAPTER: adapter });
    ({ a, b, db, facilitator } = cluster);
    topicId = (
      await request(b.url)
        .post(`/api/v1/spaces/${cluster.spaceId}/topics`)
        .set(cluster.citizen.auth)
        .send({ title: '클러스터 타운홀 주제', body: '본문' })
        .expect(201)
    ).body.id;
  }, 60_000);

  afterEach(() => closeAll());

  afterAll(async () => {
    closeAll();
    await stopCluster(cluster);
  });

  it('a chat message sent on node A reaches a socket on node B, numbered', async () => {
    const roomId = await liveRoom();
    const writer = await register(a, '작성자');
    const viewer = await connected(b.url);
    const joined = data(await ask<{ seq: number }>(viewer, 'room:join', { roomId }));
    const pushed = nextEvent<{ seq: number; comment: { id: string; body: string } }>(
      viewer,
      'comment:new',
    );
    const socket = await connected(a.url, { token: writer.token });
    const sent = data(
      await ask<{ comment: { id: string } }>(socket, 'chat:send', {
        roomId,
        body: '노드 A에서 보낸 메시지',
      }),
    );
    const live = await pushed;
    expect(live.seq).toBe(joined.seq + 1);
    expect(live.comment).toMatchObject({ id: sent.comment.id, body: '노드 A에서 보낸 메시지' });
  });

  it("a mute given on node A refuses the user's chat on node B, and tells their socket there (A6)", async () => {
    const roomId = await liveRoom();
    const target = await register(b, '음소거 대상');
    const onB = await connected(b.url, { token: target.token });
    data(await ask(onB, 'room:join', { roomId }));
    data(await ask(onB, 'chat:send', { roomId, body: '음소거 전' }));
    const told = nextEvent<{ roomId: string; until: string }>(onB, 'you:muted');
    const mod = await connected(a.url, { token: facilitator.token });
    const muted = data(
      await ask<{ mutedUntil: string }>(mod, 'mod:mute', {
        roomId,
        userId: target.id,
        minutes: 5,
        reason: '도배',
      }),
    );
    expect(await told).toMatchObject({ roomId, until: muted.mutedUntil });
    expect(await ask(onB, 'chat:send', { roomId, body: '음소거 후' })).toMatchObject({
      ok: false,
      error: { code: 'muted' },
    });
    // And after reconnecting, on either node.
    onB.disconnect();
    for (const node of [b, a]) {
      const again = await connected(node.url, { token: target.token });
      expect(await ask(again, 'chat:send', { roomId, body: '다시 접속' })).toMatchObject({
        ok: false,
        error: { code: 'muted' },
      });
    }
    const rows = await db.query(
      `SELECT count(*)::int AS n FROM comments WHERE room_id = $1 AND author_id = $2`,
      [roomId, target.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it("a ban given on node A closes the user's socket on node B within 5 s, and a rejoin on B is refused (A3, A6)", async () => {
    const roomId = await liveRoom();
    const target = await register(b, '차단 대상');
    const onB = await connected(b.url, { token: target.token });
    data(await ask(onB, 'room:join', { roomId }));
    const alsoOnB = await connected(b.url, { token: target.token });
    const told = nextEvent(onB, 'you:banned');
    const closed = [onB, alsoOnB].map(
      (socket) =>
        new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now()))),
    );
    const mod = await connected(a.url, { token: facilitator.token });
    const started = Date.now();
    data(await ask(mod, 'mod:ban', { roomId, userId: target.id, reason: '위협' }));
    expect(await told).toMatchObject({ roomId, reason: '위협' });
    for (const at of await Promise.all(closed)) expect(at - started).toBeLessThan(5000);

    const back = await connected(b.url, { token: target.token });
    expect(await ask(back, 'room:join', { roomId })).toMatchObject({
      ok: false,
      error: { code: 'banned' },
    });
    expect(await ask(back, 'chat:send', { roomId, body: '돌아왔다' })).toMatchObject({
      ok: false,
      error: { code: 'banned' },
    });
  });

  it('reactions from both nodes add up in the room totals', async () => {
    const roomId = await liveRoom();
    const [onA, onB] = await Promise.all([register(a, '반응 A'), register(b, '반응 B')]);
    const sockets = [
      await connected(a.url, { token: onA.token }),
      await connected(b.url, { token: onB.token }),
    ];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ask(sockets[i % 2]!, 'react', { roomId, emoji: i % 2 ? '👏' : '🤔' }),
      ),
    );
    await sleep(800);
    const rows = await db.query(`SELECT reaction_totals FROM rooms WHERE id = $1`, [roomId]);
    expect(rows[0].reaction_totals).toEqual({ '👏': 20, '🤔': 20 });
  });
});
