import { DataSource } from 'typeorm';
import { type DomainEventName } from '../../src/core/events/domain-events';
import { EventBus } from '../../src/core/events/event-bus';
import { AgreesService } from '../../src/reactions/agrees.service';
import { DeadlineScheduler } from '../../src/topics/deadline-scheduler';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { bulkUsers, createTopic, openDeliberation, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { racingCommit } from '../utils/locks';
import { expectFieldErrors, expectProblem } from '../utils/problem';

describe('topics', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let citizen: TestUser;
  let space: { id: string; slug: string };
  /** Topics in this file's space (other files write topics concurrently). */
  const topicCount = async (): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM topics WHERE space_id = $1', [space.id]))[0].n;
  const timelineTypes = async (id: string): Promise<string[]> =>
    (
      await t.http.get(`/api/v1/topics/${id}/timeline`).query({ limit: 100 }).expect(200)
    ).body.items.map(
      (e: { type: string; data: { rung?: string; to?: string } }) =>
        `${e.type}${e.data.rung ? `:${e.data.rung}` : ''}${e.data.to ? `:${e.data.to}` : ''}`,
    );

  /** A topic's agree counter beside its agree rows, as PostgreSQL has them. */
  const agreeRows = async (id: string): Promise<{ agree_count: number; rows: number }> =>
    (
      await db.query(
        `SELECT agree_count, (SELECT count(*)::int FROM topic_agrees WHERE topic_id = $1) AS rows
           FROM topics WHERE id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    citizen = await registerUser(t, { displayName: '김시민' });
    space = await createSpace(t, admin, { name: '서울시 시민참여예산' });
    await makeFacilitator(t, admin, space.id, facilitator);
  });
  afterAll(() => t.close());

  describe('create and read', () => {
    it('creates a proposal with its ladder progress and timeline', async () => {
      const topic = await createTopic(t, citizen, space.id, {
        title: '시민참여예산으로 마을 도서관 확충',
        body: '동네마다 작은 도서관을\n만들어 주세요.',
        tags: ['도서관', '교육', '도서관'],
      });
      expect(topic).toMatchObject({
        spaceId: space.id,
        author: { id: citizen.id, displayName: '김시민' },
        title: '시민참여예산으로 마을 도서관 확충',
        body: '동네마다 작은 도서관을\n만들어 주세요.',
        tags: ['도서관', '교육'],
        status: 'proposed',
        counts: {
          agrees: 0,
          comments: 0,
          participants: 0,
          stances: { for: 0, against: 0, neutral: 0 },
        },
        ladder: { rung: 0, next: 'review', needed: 50 },
        myAgree: false,
        myStance: null,
        response: null,
        seq: 1,
      });
      const window = new Date(topic.proposalExpiresAt as string).getTime() - Date.now();
      expect(Math.round(window / 86_400_000)).toBe(30);
      const anonymous = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect(anonymous.body.myAgree).toBeNull();
      const timeline = await t.http.get(`/api/v1/topics/${topic.id}/timeline`).expect(200);
      expect(timeline.body.items).toEqual([
        {
          seq: 1,
          type: 'created',
          actor: { id: citizen.id, displayName: '김시민' },
          data: expect.any(Object),
          createdAt: expect.any(String),
        },
      ]);
    });

    const valid = { title: '다섯 글자 이상', body: '본문' };
    const cases: [string, unknown, string[]][] = [
      ['missing fields', {}, ['title', 'body']],
      ['unknown field', { ...valid, status: 'deliberating' }, ['status']],
      ['title too short', { ...valid, title: '네 글자' }, ['title']],
      ['title too long', { ...valid, title: '가'.repeat(201) }, ['title']],
      ['title with a newline', { ...valid, title: '첫 줄\n둘째 줄' }, ['title']],
      ['empty body', { ...valid, body: '   ' }, ['body']],
      ['body too long', { ...valid, body: 'x'.repeat(20001) }, ['body']],
      ['body with control characters', { ...valid, body: 'a\u0000b' }, ['body']],
      ['wrong types', { title: 5, body: {} }, ['title', 'body']],
      ['bad tags', { ...valid, tags: ['<script>'] }, ['tags']],
      [
        'too many tags',
        { ...valid, tags: Array.from({ length: 11 }, (_, i) => `태그${i}`) },
        ['tags'],
      ],
    ];
    it.each(cases)(
      'create: %s → 400 naming the field, nothing written',
      async (_name, body, fields) => {
        const before = await topicCount();
        expectFieldErrors(
          await t.http
            .post(`/api/v1/spaces/${space.id}/topics`)
            .set(citizen.auth)
            .send(body as object),
          fields,
        );
        expect(await topicCount()).toBe(before);
      },
    );

    it('create: a bad or unknown space, or no sign-in', async () => {
      expectFieldErrors(
        await t.http.post('/api/v1/spaces/nope/topics').set(citizen.auth).send(valid),
        ['spaceId'],
      );
      expectProblem(
        await t.http
          .post('/api/v1/spaces/00000000-0000-4000-8000-000000000000/topics')
          .set(citizen.auth)
          .send(valid),
        404,
        'not_found',
      );
      expectProblem(
        await t.http.post(`/api/v1/spaces/${space.id}/topics`).send(valid),
        401,
        'unauthorized',
      );
    });

    it('create: Idempotency-Key returns the first topic and writes one row', async () => {
      const key = `topic-${Date.now()}`;
      const body = { title: '멱등 제안 제목입니다', body: '한 번만' };
      const a = await t.http
        .post(`/api/v1/spaces/${space.id}/topics`)
        .set(citizen.auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      const b = await t.http
        .post(`/api/v1/spaces/${space.id}/topics`)
        .set(citizen.auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(201);
      expect(b.body.id).toBe(a.body.id);
      expectProblem(
        await t.http
          .post(`/api/v1/spaces/${space.id}/topics`)
          .set(citizen.auth)
          .set('Idempotency-Key', key)
          .send({ ...body, body: '다른 본문' }),
        422,
        'idempotency_key_reused',
      );
      const [row] = await db.query(`SELECT count(*) FROM topics WHERE title = $1`, [body.title]);
      expect(Number(row.count)).toBe(1);
    });
  });

  describe('list, filter, sort, search', () => {
    let listSpace: { id: string };
    let ids: Record<string, string>;
    beforeAll(async () => {
      listSpace = await createSpace(t, admin, { name: '목록 공간' });
      const a = await createTopic(t, citizen, listSpace.id, {
        title: '성북구 마을재생 공론장',
        body: '골목길 정비',
      });
      const b = await createTopic(t, citizen, listSpace.id, {
        title: '시민참여예산 확대 제안',
        body: '예산을 늘려 주세요',
      });
      const c = await createTopic(t, citizen, listSpace.id, {
        title: '100% 재생에너지 전환',
        body: '태양광 설치',
      });
      ids = { a: a.id, b: b.id, c: c.id };
      const users = await bulkUsers(t, 3);
      for (const u of users)
        await t.http.put(`/api/v1/topics/${b.id}/agree`).set(u.auth).expect(200);
      await t.http.put(`/api/v1/topics/${a.id}/agree`).set(users[0]!.auth).expect(200);
    });

    const list = async (query: Record<string, unknown>): Promise<string[]> =>
      (
        await t.http
          .get('/api/v1/topics')
          .query({ spaceId: listSpace.id, ...query })
          .expect(200)
      ).body.items.map((i: { id: string }) => i.id);

    it('sorts by recency, agrees and activity', async () => {
      expect(await list({})).toEqual([ids.c, ids.b, ids.a]);
      expect(await list({ sort: 'agrees' })).toEqual([ids.b, ids.a, ids.c]);
      expect((await list({ sort: 'active' }))[0]).toBe(ids.a);
    });

    it('finds Korean substrings and treats wildcards literally', async () => {
      expect(await list({ q: '참여예산' })).toEqual([ids.b]);
      expect(await list({ q: '마을재생' })).toEqual([ids.a]);
      expect(await list({ q: '골목' })).toEqual([ids.a]);
      expect(await list({ q: '100%' })).toEqual([ids.c]);
      expect(await list({ q: '%' })).toEqual([ids.c]);
      expect(await list({ q: '없는말' })).toEqual([]);
    });

    it('filters by status and pages with cursors', async () => {
      expect(await list({ status: 'proposed' })).toHaveLength(3);
      expect(await list({ status: 'deliberating' })).toEqual([]);
      for (const sort of ['recent', 'agrees', 'active']) {
        const first = await t.http
          .get('/api/v1/topics')
          .query({ spaceId: listSpace.id, sort, limit: 2 })
          .expect(200);
        expect(first.body.items).toHaveLength(2);
        const second = await t.http
          .get('/api/v1/topics')
          .query({ spaceId: listSpace.id, sort, limit: 2, cursor: first.body.nextCursor })
          .expect(200);
        expect(second.body.nextCursor).toBeNull();
        const all = [...first.body.items, ...second.body.items].map((i: { id: string }) => i.id);
        expect(new Set(all)).toEqual(new Set(Object.values(ids)));
      }
    });

    it('rejects parameters outside the allowlist', async () => {
      expectFieldErrors(await t.http.get('/api/v1/topics').query({ sort: 'hot' }), ['sort']);
      expectFieldErrors(await t.http.get('/api/v1/topics').query({ status: 'open' }), ['status']);
      expectFieldErrors(await t.http.get('/api/v1/topics').query({ spaceId: 'x' }), ['spaceId']);
      expectFieldErrors(await t.http.get('/api/v1/topics').query({ q: 'x'.repeat(101) }), ['q']);
      expectFieldErrors(await t.http.get('/api/v1/topics').query({ orderBy: 'title' }), [
        'orderBy',
      ]);
      expectFieldErrors(
        await t.http
          .get('/api/v1/topics')
          .query({ cursor: Buffer.from('["x"]').toString('base64url') }),
        ['cursor'],
      );
      // Well-formed cursors with values of the wrong kind are refused too, not left to SQL.
      const id = '00000000-0000-4000-8000-000000000000';
      for (const [sort, position] of [
        ['recent', ['garbage', id]],
        ['agrees', ['2026-11-21 00:00:00+00', id]],
        ['recent', [42, id]],
        ['active', ['2026-11-21 00:00:00+00', 'not-a-uuid']],
      ] as const)
        expectFieldErrors(
          await t.http
            .get('/api/v1/topics')
            .query({ sort, cursor: Buffer.from(JSON.stringify(position)).toString('base64url') }),
          ['cursor'],
        );
      expectFieldErrors(await t.http.get('/api/v1/topics/not-a-uuid'), ['id']);
      expectProblem(
        await t.http.get('/api/v1/topics/00000000-0000-4000-8000-000000000000'),
        404,
        'not_found',
      );
    });
  });

  describe('editing', () => {
    it('the author edits while proposed; a facilitator always (audited); others never', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const other = await registerUser(t);
      await t.http
        .patch(`/api/v1/topics/${topic.id}`)
        .set(citizen.auth)
        .send({ title: '고친 제목입니다' })
        .expect(200);
      expectProblem(
        await t.http
          .patch(`/api/v1/topics/${topic.id}`)
          .set(other.auth)
          .send({ title: '남의 제목 바꾸기' }),
        403,
        'forbidden',
      );
      expectProblem(
        await t.http.patch(`/api/v1/topics/${topic.id}`).send({ title: '익명 제목 바꾸기' }),
        401,
        'unauthorized',
      );
      expectFieldErrors(
        await t.http.patch(`/api/v1/topics/${topic.id}`).set(citizen.auth).send({ title: '짧음' }),
        ['title'],
      );
      expectFieldErrors(
        await t.http
          .patch(`/api/v1/topics/${topic.id}`)
          .set(citizen.auth)
          .send({ status: 'closed' }),
        ['status'],
      );
      await openDeliberation(t, facilitator, topic.id);
      expectProblem(
        await t.http
          .patch(`/api/v1/topics/${topic.id}`)
          .set(citizen.auth)
          .send({ body: '늦은 수정' }),
        409,
        'topic_not_open',
      );
      const edited = await t.http
        .patch(`/api/v1/topics/${topic.id}`)
        .set(facilitator.auth)
        .send({ body: '진행자가 정리한 본문' })
        .expect(200);
      expect(edited.body).toMatchObject({ title: '고친 제목입니다', body: '진행자가 정리한 본문' });
      const audit = await db.query(
        `SELECT actor_id, action, before, after FROM audit_log WHERE target_id = $1 AND action = 'topic.edit'`,
        [topic.id],
      );
      expect(audit).toEqual([
        {
          actor_id: facilitator.id,
          action: 'topic.edit',
          before: expect.objectContaining({ body: '빈 땅을 주민 텃밭으로 만들어 주세요.' }),
          after: expect.objectContaining({ body: '진행자가 정리한 본문' }),
        },
      ]);
    });
    it('refuses an author banned from the space (403 banned) and leaves the topic as it was', async () => {
      const author = await registerUser(t);
      const topic = await createTopic(t, author, space.id, { tags: ['텃밭'] });
      const row = async (): Promise<unknown> =>
        (
          await db.query(`SELECT title, body, tags, updated_at FROM topics WHERE id = $1`, [
            topic.id,
          ])
        )[0];
      await t.http
        .put(`/api/v1/spaces/${space.id}/bans/${author.id}`)
        .set(facilitator.auth)
        .send({ reason: '반복된 도배' })
        .expect(200);
      const before = await row();
      expectProblem(
        await t.http
          .patch(`/api/v1/topics/${topic.id}`)
          .set(author.auth)
          .send({ title: '차단된 뒤에 고친 제목', tags: ['우회'] }),
        403,
        'banned',
      );
      expect(await row()).toEqual(before);

      // Once the ban is lifted the same edit goes through.
      await t.http
        .delete(`/api/v1/spaces/${space.id}/bans/${author.id}`)
        .set(facilitator.auth)
        .expect(204);
      await t.http
        .patch(`/api/v1/topics/${topic.id}`)
        .set(author.auth)
        .send({ title: '차단이 풀린 뒤에 고친 제목' })
        .expect(200);
    });

    it('normalises edited tags like new ones: NFC, trimmed, once each', async () => {
      const topic = await createTopic(t, citizen, space.id, { tags: ['텃밭'] });
      const decomposed = '도서관'.normalize('NFD');
      expect(decomposed).not.toBe('도서관');
      const res = await t.http
        .patch(`/api/v1/topics/${topic.id}`)
        .set(citizen.auth)
        .send({ tags: ['  도서관 ', decomposed, ' 마을 공동체'] })
        .expect(200);
      expect(res.body.tags).toEqual(['도서관', '마을 공동체']);
      const stored: { tags: string[] }[] = await db.query(`SELECT tags FROM topics WHERE id = $1`, [
        topic.id,
      ]);
      expect(stored[0]!.tags).toEqual(['도서관', '마을 공동체']);
      expect(stored[0]!.tags.every((tag) => tag === tag.normalize('NFC'))).toBe(true);
    });
  });

  describe('lifecycle', () => {
    it('a facilitator opens a deliberation below the threshold, with the reason on the timeline', async () => {
      const topic = await createTopic(t, citizen, space.id);
      expectFieldErrors(
        await t.http
          .post(`/api/v1/topics/${topic.id}/transitions`)
          .set(facilitator.auth)
          .send({ to: 'deliberating' }),
        ['reason'],
      );
      const closesAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const res = await t.http
        .post(`/api/v1/topics/${topic.id}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'deliberating', reason: '우수제안 선정', closesAt })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'deliberating',
        closesAt,
        ladder: { rung: 2, next: 'response', needed: 1000 },
      });
      const timeline = await t.http.get(`/api/v1/topics/${topic.id}/timeline`).expect(200);
      expect(timeline.body.items[1]).toMatchObject({
        type: 'transitioned',
        actor: { id: facilitator.id, displayName: '진행자' },
        data: { from: 'proposed', to: 'deliberating', reason: '우수제안 선정' },
      });
      const audit = await db.query(`SELECT action, reason FROM audit_log WHERE target_id = $1`, [
        topic.id,
      ]);
      expect(audit).toEqual([{ action: 'topic.open_deliberation', reason: '우수제안 선정' }]);
    });

    it('refuses illegal moves with 409 illegal_transition and changes nothing', async () => {
      const topic = await createTopic(t, citizen, space.id);
      expectProblem(
        await t.http
          .post(`/api/v1/topics/${topic.id}/transitions`)
          .set(facilitator.auth)
          .send({ to: 'closed' }),
        409,
        'illegal_transition',
      );
      await t.http
        .post(`/api/v1/topics/${topic.id}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'rejected', reason: '중복 제안' })
        .expect(200);
      expectProblem(
        await t.http
          .post(`/api/v1/topics/${topic.id}/transitions`)
          .set(facilitator.auth)
          .send({ to: 'deliberating', reason: 'x' }),
        409,
        'illegal_transition',
      );
      const read = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect(read.body).toMatchObject({ status: 'rejected', rejectedReason: '중복 제안' });
      expectProblem(
        await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(citizen.auth),
        409,
        'topic_not_open',
      );
    });

    it('validates transitions', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const url = `/api/v1/topics/${topic.id}/transitions`;
      expectFieldErrors(await t.http.post(url).set(facilitator.auth).send({ to: 'answered' }), [
        'to',
      ]);
      expectFieldErrors(await t.http.post(url).set(facilitator.auth).send({}), ['to']);
      expectFieldErrors(await t.http.post(url).set(facilitator.auth).send({ to: 'rejected' }), [
        'reason',
      ]);
      expectFieldErrors(
        await t.http
          .post(url)
          .set(facilitator.auth)
          .send({ to: 'deliberating', reason: 'x', closesAt: 'tomorrow' }),
        ['closesAt'],
      );
      expectFieldErrors(
        await t.http
          .post(url)
          .set(facilitator.auth)
          .send({ to: 'deliberating', reason: 'x', closesAt: '2020-01-01T00:00:00Z' }),
        ['closesAt'],
      );
      expectFieldErrors(
        await t.http
          .post(url)
          .set(facilitator.auth)
          .send({ to: 'rejected', reason: 'x', extra: 1 }),
        ['extra'],
      );
      const read = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect(read.body.status).toBe('proposed');
      expect(await timelineTypes(topic.id)).toEqual(['created']);
    });

    it('stances are taken only during deliberation, counted publicly, and changeable', async () => {
      const topic = await createTopic(t, citizen, space.id);
      expectProblem(
        await t.http
          .put(`/api/v1/topics/${topic.id}/stance`)
          .set(citizen.auth)
          .send({ stance: 'for' }),
        409,
        'topic_not_open',
      );
      await openDeliberation(t, facilitator, topic.id);
      expectFieldErrors(
        await t.http
          .put(`/api/v1/topics/${topic.id}/stance`)
          .set(citizen.auth)
          .send({ stance: 'maybe' }),
        ['stance'],
      );
      const other = await registerUser(t);
      await t.http
        .put(`/api/v1/topics/${topic.id}/stance`)
        .set(citizen.auth)
        .send({ stance: 'for' })
        .expect(200);
      await t.http
        .put(`/api/v1/topics/${topic.id}/stance`)
        .set(other.auth)
        .send({ stance: 'against' })
        .expect(200);
      const changed = await t.http
        .put(`/api/v1/topics/${topic.id}/stance`)
        .set(citizen.auth)
        .send({ stance: 'neutral' })
        .expect(200);
      expect(changed.body.counts).toMatchObject({
        stances: { for: 0, against: 1, neutral: 1 },
        participants: 2,
      });
      expect(changed.body.myStance).toBe('neutral');
      await t.http
        .put(`/api/v1/topics/${topic.id}/stance`)
        .set(citizen.auth)
        .send({ stance: 'neutral' })
        .expect(200);
      const read = await t.http.get(`/api/v1/topics/${topic.id}`).set(other.auth).expect(200);
      expect(read.body.counts.stances).toEqual({ for: 0, against: 1, neutral: 1 });
      expect(read.body.myStance).toBe('against');
    });

    it('an official response answers a closed topic and settles owed answers', async () => {
      const topic = await createTopic(t, citizen, space.id);
      expectProblem(
        await t.http
          .post(`/api/v1/topics/${topic.id}/response`)
          .set(facilitator.auth)
          .send({ body: '답변' }),
        409,
        'illegal_transition',
      );
      await openDeliberation(t, facilitator, topic.id);
      await t.http
        .post(`/api/v1/topics/${topic.id}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'closed' })
        .expect(200);
      expectFieldErrors(
        await t.http
          .post(`/api/v1/topics/${topic.id}/response`)
          .set(facilitator.auth)
          .send({ body: '' }),
        ['body'],
      );
      expectProblem(
        await t.http
          .post(`/api/v1/topics/${topic.id}/response`)
          .set(citizen.auth)
          .send({ body: '시민 답변' }),
        403,
        'forbidden',
      );
      const res = await t.http
        .post(`/api/v1/topics/${topic.id}/response`)
        .set(facilitator.auth)
        .send({ body: '예산 5억 원을 배정하겠습니다.', role: '서울시 주민자치과' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'answered',
        response: {
          body: '예산 5억 원을 배정하겠습니다.',
          role: '서울시 주민자치과',
          author: { id: facilitator.id },
        },
      });
      expect(await timelineTypes(topic.id)).toEqual([
        'created',
        'transitioned:deliberating',
        'transitioned:closed',
        'transitioned:answered',
        'answered',
      ]);
      expectProblem(
        await t.http
          .post(`/api/v1/topics/${topic.id}/response`)
          .set(facilitator.auth)
          .send({ body: '두 번째' }),
        409,
        'illegal_transition',
      );
    });
  });

  describe('the ladder', () => {
    it('climbs 3 / 5 agrees and 4 participants exactly once each, with owed answers', async () => {
      const small = await createSpace(t, admin, {
        thresholds: { review: 3, deliberation: 5, response: 4, deliberationDays: 10 },
      });
      await makeFacilitator(t, admin, small.id, facilitator);
      const topic = await createTopic(t, citizen, small.id);
      const users = await bulkUsers(t, 6);
      for (const u of users.slice(0, 3))
        await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(u.auth).expect(200);
      let read = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect(read.body).toMatchObject({
        status: 'under_review',
        ladder: { rung: 1, next: 'deliberation', needed: 2 },
      });
      expect(read.body.owedAnswers).toEqual([
        { rung: 'review', dueAt: expect.any(String), answeredAt: null },
      ]);
      // Withdrawing does not undo a crossing.
      await t.http.delete(`/api/v1/topics/${topic.id}/agree`).set(users[0]!.auth).expect(200);
      await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(users[0]!.auth).expect(200);
      for (const u of users.slice(3, 5))
        await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(u.auth).expect(200);
      read = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect(read.body).toMatchObject({
        status: 'deliberating',
        counts: { agrees: 5, participants: 0 },
        ladder: { rung: 2, next: 'response', needed: 4 },
      });
      expect(Math.round((new Date(read.body.closesAt).getTime() - Date.now()) / 86_400_000)).toBe(
        10,
      );

      // Participants: comment, agree, stance, each counted once per person.
      await postComment(t, users[0]!, topic.id);
      await postComment(t, users[0]!, topic.id);
      await t.http
        .put(`/api/v1/topics/${topic.id}/stance`)
        .set(users[1]!.auth)
        .send({ stance: 'for' })
        .expect(200);
      await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(users[5]!.auth).expect(200);
      read = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect(read.body).toMatchObject({
        counts: { participants: 3 },
        ladder: { rung: 2, needed: 1 },
      });
      await postComment(t, citizen, topic.id);
      await postComment(t, users[2]!, topic.id);
      read = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect(read.body).toMatchObject({
        counts: { participants: 5 },
        ladder: { rung: 3, next: null, needed: null },
      });
      expect(read.body.owedAnswers.map((o: { rung: string }) => o.rung)).toEqual([
        'review',
        'response',
      ]);
      expect((await timelineTypes(topic.id)).filter((e) => e.startsWith('ladder_crossed'))).toEqual(
        ['ladder_crossed:review', 'ladder_crossed:deliberation', 'ladder_crossed:response'],
      );
    });

    it('under 250 concurrent agrees (with retries) the count is exact and each rung is crossed once', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const users = await bulkUsers(t, 200);
      const requests = [...users, ...users.slice(0, 50)].map((u) =>
        t.http.put(`/api/v1/topics/${topic.id}/agree`).set(u.auth),
      );
      const results = await Promise.all(requests);
      expect(results.filter((r) => r.status !== 200).map((r) => r.status)).toEqual([]);
      const [{ rows }] = await db.query(
        `SELECT count(*)::int AS rows FROM topic_agrees WHERE topic_id = $1`,
        [topic.id],
      );
      const read = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      expect({ rows, count: read.body.counts.agrees }).toEqual({ rows: 200, count: 200 });
      expect(read.body.status).toBe('deliberating');
      const crossings = (await timelineTypes(topic.id)).filter((e) =>
        e.startsWith('ladder_crossed'),
      );
      expect(crossings).toEqual(['ladder_crossed:review', 'ladder_crossed:deliberation']);
      const owed = await db.query(`SELECT rung FROM owed_answers WHERE topic_id = $1`, [topic.id]);
      expect(owed).toEqual([{ rung: 'review' }]);

      // Concurrent withdrawals, with repeats.
      const leaving = users.slice(0, 120);
      const withdrawn = await Promise.all(
        [...leaving, ...leaving.slice(0, 30)].map((u) =>
          t.http.delete(`/api/v1/topics/${topic.id}/agree`).set(u.auth),
        ),
      );
      expect(withdrawn.every((r) => r.status === 200)).toBe(true);
      const after = await t.http.get(`/api/v1/topics/${topic.id}`).expect(200);
      const [{ left }] = await db.query(
        `SELECT count(*)::int AS left FROM topic_agrees WHERE topic_id = $1`,
        [topic.id],
      );
      expect({ left, count: after.body.counts.agrees }).toEqual({ left: 80, count: 80 });
    });

    it('one user firing 50 parallel agrees makes one row and +1; 50 parallel withdrawals make -1', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const [user] = await bulkUsers(t, 1);
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http.put(`/api/v1/topics/${topic.id}/agree`).set(user!.auth),
        ),
      );
      expect(
        new Set(results.map((r) => `${r.status}:${r.body.agreed}:${r.body.agreeCount}`)),
      ).toEqual(new Set(['200:true:1']));
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM topic_agrees WHERE topic_id = $1 AND user_id = $2`,
        [topic.id, user!.id],
      );
      expect(n).toBe(1);
      const withdrawn = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http.delete(`/api/v1/topics/${topic.id}/agree`).set(user!.auth),
        ),
      );
      expect(
        new Set(withdrawn.map((r) => `${r.status}:${r.body.agreed}:${r.body.agreeCount}`)),
      ).toEqual(new Set(['200:false:0']));
      const read = await t.http.get(`/api/v1/topics/${topic.id}`).set(user!.auth).expect(200);
      expect(read.body).toMatchObject({ counts: { agrees: 0 }, myAgree: false });
    });

    it('an agree that meets the topic being rejected under it is refused whole: no row, no count', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const [user] = await bulkUsers(t, 1);
      const answer = await racingCommit(
        db,
        { sql: `UPDATE topics SET status = 'rejected' WHERE id = $1`, params: [topic.id] },
        'INSERT INTO topic_agrees',
        // The agree reads the topic as still open, adds its row, then waits for the row lock.
        async () => t.http.put(`/api/v1/topics/${topic.id}/agree`).set(user!.auth),
      );
      expectProblem(answer, 409, 'topic_not_open');
      const row = await agreeRows(topic.id);
      expect(row).toEqual({ agree_count: 0, rows: 0 });
    });

    it('agrees with one topic in the same turn are one statement: one count for all, a banned user refused alone', async () => {
      const topic = await createTopic(t, citizen, space.id);
      const users = await bulkUsers(t, 12);
      const banned = users[11]!;
      await db.query(
        `INSERT INTO space_bans (space_id, user_id, reason, banned_by) VALUES ($1, $2, '도배', $3)`,
        [space.id, banned.id, admin.id],
      );
      const agrees = t.app.get(AgreesService);
      // Called in one turn of the event loop, as concurrent requests arrive; one user twice.
      const answers = await Promise.allSettled(
        [...users, users[0]!].map((u) =>
          agrees.setTopicAgree(
            { id: u.id, role: 'citizen', displayName: u.displayName },
            topic.id,
            true,
          ),
        ),
      );
      const ok = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      const refused = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
      // Serial statements would have answered 1, 2, …, 11; one statement answers its count to all.
      expect(ok).toEqual(Array.from({ length: 12 }, () => ({ agreed: true, agreeCount: 11 })));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ status: 403, code: 'banned' });
      const row = await agreeRows(topic.id);
      expect(row).toEqual({ agree_count: 11, rows: 11 });
    });

    it('agree routes validate and authorize', async () => {
      const topic = await createTopic(t, citizen, space.id);
      expectProblem(await t.http.put(`/api/v1/topics/${topic.id}/agree`), 401, 'unauthorized');
      expectFieldErrors(await t.http.put('/api/v1/topics/123/agree').set(citizen.auth), ['id']);
      expectProblem(
        await t.http
          .put('/api/v1/topics/00000000-0000-4000-8000-000000000000/agree')
          .set(citizen.auth),
        404,
        'not_found',
      );
      const ok = await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(citizen.auth).expect(200);
      expect(ok.body).toEqual({ agreed: true, agreeCount: 1 });
    });
  });

  describe('deadlines', () => {
    it('expires stale proposals and closes due deliberations exactly once, even when run concurrently', async () => {
      const stale = await createTopic(t, citizen, space.id);
      const due = await createTopic(t, citizen, space.id);
      const fresh = await createTopic(t, citizen, space.id);
      await openDeliberation(t, facilitator, due.id);
      await db.query(
        `UPDATE topics SET proposal_expires_at = now() - interval '1 minute' WHERE id = $1`,
        [stale.id],
      );
      await db.query(`UPDATE topics SET closes_at = now() - interval '1 minute' WHERE id = $1`, [
        due.id,
      ]);
      const other = await startTestApp();
      try {
        // Three runs on two nodes at once: each due topic moves once.
        await Promise.all([
          t.app.get(DeadlineScheduler).runOnce(),
          t.app.get(DeadlineScheduler).runOnce(),
          other.app.get(DeadlineScheduler).runOnce(),
        ]);
      } finally {
        await other.close();
      }
      const status = async (id: string): Promise<string> =>
        (await t.http.get(`/api/v1/topics/${id}`).expect(200)).body.status;
      expect(await status(stale.id)).toBe('expired');
      expect(await status(due.id)).toBe('closed');
      expect(await status(fresh.id)).toBe('proposed');
      expect(await timelineTypes(stale.id)).toEqual(['created', 'transitioned:expired']);
      expect(await timelineTypes(due.id)).toEqual([
        'created',
        'transitioned:deliberating',
        'transitioned:closed',
      ]);
      // A second pass moves neither again. (Other test files share the database, so the
      // pass itself may find their topics; only these two are checked.)
      await t.app.get(DeadlineScheduler).runOnce();
      expect(await timelineTypes(stale.id)).toEqual(['created', 'transitioned:expired']);
      expect(await timelineTypes(due.id)).toEqual([
        'created',
        'transitioned:deliberating',
        'transitioned:closed',
      ]);
    });

    it('applies a rung a crash left owed (agrees counted, climb not run) before expiring anything', async () => {
      const small = await createSpace(t, admin, { thresholds: { review: 2, deliberation: 3 } });
      const owed = await createTopic(t, citizen, small.id);
      const below = await createTopic(t, citizen, small.id);
      const voters = await bulkUsers(t, 2);
      // What a node leaves when it dies between an agree's commit and its climb.
      for (const [topic, n] of [
        [owed, 2],
        [below, 1],
      ] as const) {
        for (const v of voters.slice(0, n))
          await db.query(`INSERT INTO topic_agrees (topic_id, user_id) VALUES ($1, $2)`, [
            topic.id,
            v.id,
          ]);
        await db.query(
          `UPDATE topics SET agree_count = $2, proposal_expires_at = now() - interval '1 minute' WHERE id = $1`,
          [topic.id, n],
        );
      }
      await t.app.get(DeadlineScheduler).runOnce();
      const read = await t.http.get(`/api/v1/topics/${owed.id}`).expect(200);
      expect(read.body).toMatchObject({ status: 'under_review', ladder: { rung: 1 } });
      expect(await timelineTypes(owed.id)).toEqual([
        'created',
        'ladder_crossed:review',
        'transitioned:under_review',
      ]);
      expect(await timelineTypes(below.id)).toEqual(['created', 'transitioned:expired']);
    });
  });

  describe('domain events', () => {
    it('publishes typed events after commit, and none for a refused write', async () => {
      const bus = t.app.get(EventBus);
      const seen: { name: DomainEventName; payload: unknown }[] = [];
      const names: DomainEventName[] = [
        'topic.created',
        'comment.created',
        'agree.changed',
        'topic.transitioned',
        'topic.ladder_crossed',
      ];
      const unsubscribe = names.map((name) =>
        bus.subscribe(name, (payload) => void seen.push({ name, payload })),
      );
      try {
        const small = await createSpace(t, admin, { thresholds: { review: 1, deliberation: 2 } });
        const topic = await createTopic(t, citizen, small.id);
        await postComment(t, citizen, topic.id);
        await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(citizen.auth).expect(200);
        await t.http
          .post(`/api/v1/topics/${topic.id}/comments`)
          .set(citizen.auth)
          .send({ body: '' })
          .expect(400);
        expect(seen.map((e) => e.name)).toEqual([
          'topic.created',
          'comment.created',
          'agree.changed',
          'topic.ladder_crossed',
          'topic.transitioned',
        ]);
        expect(seen[1]!.payload).toMatchObject({
          topicId: topic.id,
          spaceId: small.id,
          parentId: null,
          seq: 2,
        });
        expect(seen[3]!.payload).toMatchObject({ rung: 'review', count: 1, seq: 3 });
      } finally {
        unsubscribe.forEach((off) => off());
      }
    });
  });
});
