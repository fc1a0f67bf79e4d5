import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source';
import { closeAll, connected, request as ask, sleep } from '../utils/live-client';
import { PrivatePostgres } from '../utils/private-postgres';
import {
  bulkUsers,
  type ClusterNode,
  type ClusterUser,
  reportingNodes,
  stablePort,
  startNodes,
  stopNodes,
} from '../cluster/helpers';

interface Attempt {
  via: 'http' | 'socket';
  body: string;
  /** HTTP status, or the socket ack's `ok` / error code. */
  outcome: string;
  retryAfter?: string | number;
  at: number;
}

/**
 * F5: PostgreSQL restarts while people write. Every write that was answered as a success is in
 * the database, every failure is a retryable 503 (`service_unavailable` on the socket) with
 * Retry-After — never a 500 — and once PostgreSQL is back the pool recovers by itself.
 */
describe('faults: PostgreSQL restarts during writes (F5)', () => {
  let pg: PrivatePostgres;
  let nodes: ClusterNode[];
  let db: DataSource;

  beforeAll(async () => {
    pg = new PrivatePostgres(await stablePort());
    await pg.init();
    await pg.start();
    nodes = await startNodes(1, '', {
      DATABASE_URL: pg.url,
      MIGRATIONS_RUN: 'true',
      ADMIN_EMAIL: 'f5-admin@cluster.test',
      ADMIN_PASSWORD: 'f5 admin password',
    });
    db = new DataSource(dataSourceOptions(pg.url, 2));
    await db.initialize();
  }, 90_000);

  afterAll(async () => {
    closeAll();
    await stopNodes(nodes ?? []);
    await db?.destroy().catch(() => undefined);
    await pg?.destroy();
  });

  it('every success is in the database, every failure is a 503, and the pool recovers', async () => {
    const [node] = nodes as [ClusterNode];
    await reportingNodes(nodes, async () => {
      const login = await request(node.url)
        .post('/api/v1/auth/login')
        .send({ email: 'f5-admin@cluster.test', password: 'f5 admin password' })
        .expect(200);
      const admin = {
        Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}`,
      };
      const space = await request(node.url)
        .post('/api/v1/spaces')
        .set(admin)
        .send({ slug: 'f5-space', name: '장애 시험' })
        .expect(201);
      const spaceId = (space.body as { id: string }).id;
      const adminId = (login.body as { user: { id: string } }).user.id;
      await request(node.url)
        .put(`/api/v1/spaces/${spaceId}/facilitators/${adminId}`)
        .set(admin)
        .expect(200);
      const writers = await bulkUsers(db, 12, 'f5');
      const topic = await request(node.url)
        .post(`/api/v1/spaces/${spaceId}/topics`)
        .set(writers[0]!.auth)
        .send({ title: '재시작 중의 글쓰기', body: '본문' })
        .expect(201);
      const topicId = (topic.body as { id: string }).id;
      const room = await request(node.url)
        .post(`/api/v1/topics/${topicId}/rooms`)
        .set(admin)
        .send({ title: '재시작 타운홀' })
        .expect(201);
      const roomId = (room.body as { id: string }).id;
      await request(node.url).post(`/api/v1/rooms/${roomId}/start`).set(admin).expect(200);

      const chatters = await Promise.all(
        writers.slice(6).map(async (user) => {
          const socket = await connected(node.url, { token: user.token });
          const joined = await ask(socket, 'room:join', { roomId });
          expect(joined.ok).toBe(true);
          return { user, socket };
        }),
      );

      const attempts: Attempt[] = [];
      let writing = true;
      const started = Date.now();
      const overHttp = (user: ClusterUser, w: number) => async (): Promise<void> => {
        for (let i = 0; writing; i++) {
          const body = `http-${w}-${i}`;
          const res = await request(node.url)
            .post(`/api/v1/topics/${topicId}/comments`)
            .set(user.auth)
            .send({ body })
            .timeout(15_000)
            .catch((err: { response?: request.Response }) => err.response);
          attempts.push({
            via: 'http',
            body,
            outcome: res ? String(res.status) : 'no answer',
            retryAfter: res?.headers['retry-after'],
            at: Date.now() - started,
          });
          await sleep(40);
        }
      };
      const overSocket =
        (socket: (typeof chatters)[number]['socket'], w: number) => async (): Promise<void> => {
          for (let i = 0; writing; i++) {
            const body = `chat-${w}-${i}`;
            const ack = await ask(socket, 'chat:send', { roomId, body }).catch(() => undefined);
            attempts.push({
              via: 'socket',
              body,
              outcome: ack === undefined ? 'no answer' : ack.ok ? 'ok' : ack.error.code,
              retryAfter: ack && !ack.ok ? ack.error.retryAfter : undefined,
              at: Date.now() - started,
            });
            // Stay within the shipped socket limit (100 events per 10 s per user).
            await sleep(150);
          }
        };
      const loops = [
        ...writers.slice(0, 6).map((u, w) => overHttp(u, w)()),
        ...chatters.map(({ socket }, w) => overSocket(socket, w)()),
      ];

      await sleep(1500);
      const stoppedAt = Date.now() - started;
      await pg.stop('fast');
      await sleep(3000);
      await pg.start();
      const restartedAt = Date.now() - started;
      // Writes go on until the pool has found its feet again, then a while longer.
      await sleep(6000);
      writing = false;
      await Promise.all(loops);

      const byOutcome = new Map<string, number>();
      for (const a of attempts)
        byOutcome.set(`${a.via}:${a.outcome}`, (byOutcome.get(`${a.via}:${a.outcome}`) ?? 0) + 1);
      console.log(
        `F5: PostgreSQL down from ${stoppedAt} to ${restartedAt} ms; ${attempts.length} writes: ${JSON.stringify(Object.fromEntries(byOutcome))}`,
      );

      // Only successes and retryable refusals, each refusal saying when to retry.
      const allowed = new Set(['http:201', 'http:503', 'socket:ok', 'socket:service_unavailable']);
      expect([...byOutcome.keys()].filter((k) => !allowed.has(k))).toEqual([]);
      const refused = attempts.filter(
        (a) => a.outcome === '503' || a.outcome === 'service_unavailable',
      );
      expect(refused.length).toBeGreaterThan(0);
      for (const a of refused) expect(Number(a.retryAfter)).toBeGreaterThan(0);

      // Every write answered as a success is in the database.
      const succeeded = attempts
        .filter((a) => a.outcome === '201' || a.outcome === 'ok')
        .map((a) => a.body);
      const stored = new Set(
        (
          await db.query<
            {
              body: string;
            }[]
          >(`SELECT body FROM comments WHERE topic_id = $1`, [topicId])
        ).map((r) => r.body),
      );
      expect(succeeded.filter((b) => !stored.has(b))).toEqual([]);

      // The pool recovered: the last write of every writer succeeded.
      const last = new Map<string, Attempt>();
      for (const a of attempts) last.set(a.body.replace(/-\d+$/, ''), a);
      expect(
        [...last.values()].map((a) => a.outcome).filter((o) => o !== '201' && o !== 'ok'),
      ).toEqual([]);
      const firstAfter = attempts.find(
        (a) => a.at > restartedAt && (a.outcome === '201' || a.outcome === 'ok'),
      );
      console.log(
        `F5: first success ${firstAfter ? firstAfter.at - restartedAt : 'never'} ms after the restart`,
      );
    });
  }, 120_000);
});
