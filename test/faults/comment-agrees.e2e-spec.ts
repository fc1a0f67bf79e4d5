import request from 'supertest';
import { type Socket } from 'socket.io-client';
import { type Ack, closeAll, connected, request as ask, sleep } from '../utils/live-client';
import {
  bulkUsers,
  type Cluster,
  type ClusterUser,
  reportingNodes,
  startCluster,
  stopCluster,
} from '../cluster/helpers';

interface Tally {
  /** Users whose agree was accepted (by one of their tries). */
  landed: number;
  /** Answers per status or ack code, over every try. */
  answers: Map<string, number>;
}

const note = (tally: Tally, what: string): void => {
  tally.answers.set(what, (tally.answers.get(what) ?? 0) + 1);
};

/** Up to `tries` tries, waiting the server's Retry-After (or 1 s) after a 503 or a lost answer. */
async function withRetries(
  tally: Tally,
  tries: number,
  attempt: () => Promise<{ outcome: string; retryAfter?: number }>,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const { outcome, retryAfter } = await attempt().catch(() => ({
      outcome: 'no answer',
      retryAfter: undefined,
    }));
    note(tally, outcome);
    if (outcome === 'ok') {
      tally.landed++;
      return;
    }
    if (outcome !== 'service_unavailable' && outcome !== 'no answer' && outcome !== '503') return;
    await sleep((retryAfter ?? 1) * 1000);
  }
}

/**
 * L2: 2,000 people agree with one comment at once, half over HTTP and half over the socket,
 * spread over two nodes, each trying up to three times as a client does (after a 503, once its
 * Retry-After has passed). The comment's agrees used to take its row lock one by one, each
 * holding a pool connection while it waited: between 585 and 1,649 of the 2,000 landed.
 */
describe('load: 2,000 users agree with one comment over HTTP and the socket (L2)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    closeAll();
    await stopCluster(cluster);
  });

  it("every user's agree lands: rows = distinct users = the displayed count, no 5xx but 503", async () => {
    await reportingNodes(cluster.nodes, async () => {
      const { a, b, db, facilitator, citizen, spaceId } = cluster;
      const topic = await request(a.url)
        .post(`/api/v1/spaces/${spaceId}/topics`)
        .set(citizen.auth)
        .send({ title: '공감이 몰리는 댓글', body: '본문' })
        .expect(201);
      const topicId = (topic.body as { id: string }).id;
      const room = await request(a.url)
        .post(`/api/v1/topics/${topicId}/rooms`)
        .set(facilitator.auth)
        .send({ title: '공감 타운홀' })
        .expect(201);
      const roomId = (room.body as { id: string }).id;
      await request(a.url).post(`/api/v1/rooms/${roomId}/start`).set(facilitator.auth).expect(200);
      const comment = await request(b.url)
        .post(`/api/v1/topics/${topicId}/comments`)
        .set(citizen.auth)
        .send({ body: '모두가 공감할 댓글' })
        .expect(201);
      const commentId = (comment.body as { id: string }).id;

      const users = await bulkUsers(db, 2000, 'agree');
      const overHttp = users.slice(0, 1000);
      const overSocket = users.slice(1000);
      const sockets: { user: ClusterUser; socket: Socket }[] = [];
      for (let i = 0; i < overSocket.length; i += 100) {
        const batch = overSocket.slice(i, i + 100);
        const opened = await Promise.all(
          batch.map((u, j) => connected((i + j) % 2 ? a.url : b.url, { token: u.token })),
        );
        batch.forEach((user, j) => sockets.push({ user, socket: opened[j]! }));
      }
      const joins = await Promise.all(
        sockets.map(({ socket }) => ask(socket, 'room:join', { roomId })),
      );
      expect(joins.filter((j) => !j.ok)).toEqual([]);

      const tally: Tally = { landed: 0, answers: new Map() };
      const started = Date.now();
      await Promise.all([
        ...overHttp.map((user, i) =>
          withRetries(tally, 3, async () => {
            const res = await request(i % 2 ? a.url : b.url)
              .put(`/api/v1/comments/${commentId}/agree`)
              .set(user.auth);
            const retryAfter = Number(res.headers['retry-after']) || undefined;
            return { outcome: res.status === 200 ? 'ok' : String(res.status), retryAfter };
          }),
        ),
        ...sockets.map(({ socket }) =>
          withRetries(tally, 3, async () => {
            const ack: Ack = await ask(socket, 'agree:set', { roomId, commentId, agreed: true });
            return ack.ok
              ? { outcome: 'ok' }
              : { outcome: ack.error.code, retryAfter: ack.error.retryAfter };
          }),
        ),
      ]);
      const elapsed = Date.now() - started;
      console.log(
        `L2: ${tally.landed} of 2,000 agrees landed in ${elapsed} ms; answers ${JSON.stringify(
          Object.fromEntries(tally.answers),
        )}`,
      );

      const [{ rows, distinct }] = await db.query<[{ rows: number; distinct: number }]>(
        `SELECT count(*)::int AS rows, count(DISTINCT user_id)::int AS distinct FROM comment_agrees WHERE comment_id = $1`,
        [commentId],
      );
      const shown = await request(a.url).get(`/api/v1/comments/${commentId}`).expect(200);
      expect(tally.landed).toBe(2000);
      expect(rows).toBe(2000);
      expect(distinct).toBe(2000);
      expect((shown.body as { agreeCount: number }).agreeCount).toBe(2000);
      // Overload may answer 503 (with Retry-After); nothing else of the 5xx kind, ever.
      const otherServerErrors = [...tally.answers.keys()].filter(
        (k) => (/^5\d\d$/.test(k) && k !== '503') || k === 'internal_error',
      );
      expect(otherServerErrors).toEqual([]);
    });
  }, 180_000);
});
