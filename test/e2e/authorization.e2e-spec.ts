import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createTopic, openDeliberation, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';

/**
 * Every write route against every kind of caller. A refused call must leave its target
 * exactly as it was: the fingerprint (the target's database row) is compared before/after.
 */
type Role = 'anonymous' | 'citizen' | 'author' | 'facilitator' | 'otherFacilitator' | 'admin';
const ROLES: Role[] = [
  'anonymous',
  'citizen',
  'author',
  'facilitator',
  'otherFacilitator',
  'admin',
];

interface Fixture {
  spaceId: string;
  topicId: string;
  commentId: string;
  reportId?: string;
  victimId: string;
}

interface Case {
  name: string;
  method: 'post' | 'put' | 'patch' | 'delete';
  url: (f: Fixture) => string;
  body?: Record<string, unknown> | (() => Record<string, unknown>);
  /** Prepares the fixture (e.g. closes the topic) before the call. */
  setup?: (f: Fixture) => Promise<void>;
  /** The row(s) that must not change when the call is refused. */
  fingerprint: (f: Fixture) => Promise<unknown>;
  allowed: Partial<Record<Role, number>>;
}

describe('authorization matrix', () => {
  let t: TestApp;
  let db: DataSource;
  let users: Record<Exclude<Role, 'anonymous'>, TestUser>;
  let spaceId: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    const admin = await createAdmin(t);
    users = {
      admin,
      citizen: await registerUser(t, { displayName: '시민' }),
      author: await registerUser(t, { displayName: '작성자' }),
      facilitator: await registerUser(t, { displayName: '진행자' }),
      otherFacilitator: await registerUser(t, { displayName: '다른 공간 진행자' }),
    };
    spaceId = (await createSpace(t, admin)).id;
    const otherSpace = await createSpace(t, admin);
    await makeFacilitator(t, admin, spaceId, users.facilitator);
    await makeFacilitator(t, admin, otherSpace.id, users.otherFacilitator);
  });
  afterAll(() => t.close());

  const row = (table: string, id: string) => async (): Promise<unknown> =>
    (await db.query(`SELECT * FROM ${table} WHERE id = $1`, [id]))[0];
  const topicRow = (f: Fixture): Promise<unknown> => row('topics', f.topicId)();
  const commentRow = (f: Fixture): Promise<unknown> => row('comments', f.commentId)();
  const spaceRow = (f: Fixture): Promise<unknown> => row('spaces', f.spaceId)();
  const banRows = async (f: Fixture): Promise<unknown> =>
    db.query('SELECT * FROM space_bans WHERE space_id = $1 AND user_id = $2', [
      f.spaceId,
      f.victimId,
    ]);
  const facilitatorRows = async (f: Fixture): Promise<unknown> =>
    db.query('SELECT * FROM space_facilitators WHERE space_id = $1 AND user_id = $2', [
      f.spaceId,
      f.victimId,
    ]);

  const fixture = async (): Promise<Fixture> => {
    const topic = await createTopic(t, users.author, spaceId);
    const comment = await postComment(t, users.author, topic.id, { body: '매트릭스 댓글' });
    const victim = await registerUser(t, { displayName: '대상' });
    return { spaceId, topicId: topic.id, commentId: comment.id, victimId: victim.id };
  };

  const cases: Case[] = [
    {
      name: 'PATCH /spaces/:id',
      method: 'patch',
      url: (f) => `/api/v1/spaces/${f.spaceId}`,
      // The space is shared by every row of this case, so each call writes a new value.
      body: () => ({ description: `바뀐 설명 ${Date.now()}-${Math.random()}` }),
      fingerprint: spaceRow,
      allowed: { facilitator: 200, admin: 200 },
    },
    {
      name: 'PUT /spaces/:id/facilitators/:userId',
      method: 'put',
      url: (f) => `/api/v1/spaces/${f.spaceId}/facilitators/${f.victimId}`,
      fingerprint: facilitatorRows,
      allowed: { admin: 200 },
    },
    {
      name: 'PATCH /topics/:id',
      method: 'patch',
      url: (f) => `/api/v1/topics/${f.topicId}`,
      body: { title: '권한 확인용 제목' },
      fingerprint: topicRow,
      allowed: { author: 200, facilitator: 200, admin: 200 },
    },
    {
      name: 'POST /topics/:id/transitions',
      method: 'post',
      url: (f) => `/api/v1/topics/${f.topicId}/transitions`,
      body: { to: 'rejected', reason: '권한 확인' },
      fingerprint: topicRow,
      allowed: { facilitator: 200, admin: 200 },
    },
    {
      name: 'POST /topics/:id/response',
      method: 'post',
      url: (f) => `/api/v1/topics/${f.topicId}/response`,
      body: { body: '공식 답변' },
      setup: async (f) => {
        await openDeliberation(t, users.facilitator, f.topicId);
        await t.http
          .post(`/api/v1/topics/${f.topicId}/transitions`)
          .set(users.facilitator.auth)
          .send({ to: 'closed' })
          .expect(200);
      },
      fingerprint: topicRow,
      allowed: { facilitator: 200, admin: 200 },
    },
    {
      name: 'PATCH /comments/:id',
      method: 'patch',
      url: (f) => `/api/v1/comments/${f.commentId}`,
      body: { body: '고친 댓글' },
      fingerprint: commentRow,
      allowed: { author: 200 },
    },
    {
      name: 'DELETE /comments/:id',
      method: 'delete',
      url: (f) => `/api/v1/comments/${f.commentId}`,
      fingerprint: commentRow,
      allowed: { author: 204 },
    },
    {
      name: 'POST /comments/:id/hide',
      method: 'post',
      url: (f) => `/api/v1/comments/${f.commentId}/hide`,
      body: { reason: '운영 원칙 위반' },
      fingerprint: commentRow,
      allowed: { facilitator: 200, admin: 200 },
    },
    {
      name: 'POST /comments/:id/restore',
      method: 'post',
      url: (f) => `/api/v1/comments/${f.commentId}/restore`,
      body: { reason: '검토 후 복구' },
      setup: async (f) => {
        await t.http
          .post(`/api/v1/comments/${f.commentId}/hide`)
          .set(users.facilitator.auth)
          .send({ reason: '검토' })
          .expect(200);
      },
      fingerprint: commentRow,
      allowed: { facilitator: 200, admin: 200 },
    },
    {
      name: 'POST /reports/:id/resolve',
      method: 'post',
      url: (f) => `/api/v1/reports/${f.reportId!}/resolve`,
      body: { action: 'hide' },
      setup: async (f) => {
        const reporter = await registerUser(t);
        const res = await t.http
          .post(`/api/v1/comments/${f.commentId}/reports`)
          .set(reporter.auth)
          .send({ reason: 'spam' })
          .expect(201);
        f.reportId = res.body.id;
      },
      fingerprint: async (f) => [
        await commentRow(f),
        (await db.query('SELECT * FROM reports WHERE id = $1', [f.reportId]))[0],
      ],
      allowed: { facilitator: 200, admin: 200 },
    },
    {
      name: 'PUT /spaces/:id/bans/:userId',
      method: 'put',
      url: (f) => `/api/v1/spaces/${f.spaceId}/bans/${f.victimId}`,
      body: { reason: '반복적인 욕설' },
      fingerprint: banRows,
      allowed: { facilitator: 200, admin: 200 },
    },
    {
      name: 'DELETE /spaces/:id/bans/:userId',
      method: 'delete',
      url: (f) => `/api/v1/spaces/${f.spaceId}/bans/${f.victimId}`,
      setup: async (f) => {
        await t.http
          .put(`/api/v1/spaces/${f.spaceId}/bans/${f.victimId}`)
          .set(users.facilitator.auth)
          .send({ reason: '테스트' })
          .expect(200);
      },
      fingerprint: banRows,
      allowed: { facilitator: 204, admin: 204 },
    },
  ];

  describe.each(cases)('$name', (c) => {
    it.each(ROLES)('as %s', async (role) => {
      const f = await fixture();
      await c.setup?.(f);
      const before = await c.fingerprint(f);
      let req = t.http[c.method](c.url(f));
      if (role !== 'anonymous') req = req.set(users[role].auth);
      const body = typeof c.body === 'function' ? c.body() : c.body;
      const res = await (body ? req.send(body) : req);
      const expected = c.allowed[role] ?? (role === 'anonymous' ? 401 : 403);
      expect({ status: res.status, code: res.body?.code }).toEqual({
        status: expected,
        code: expected === 401 ? 'unauthorized' : expected === 403 ? 'forbidden' : undefined,
      });
      if (expected >= 400) expect(await c.fingerprint(f)).toEqual(before);
      else expect(await c.fingerprint(f)).not.toEqual(before);
    });
  });
});
