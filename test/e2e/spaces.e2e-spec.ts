import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
  uniqueSlug,
} from '../factories/identity';
import { startTestApp, type TestApp } from '../utils/app';
import { expectFieldErrors, expectProblem } from '../utils/problem';

describe('spaces', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let citizen: TestUser;
  /** Spaces with this slug: other test files create spaces concurrently, so counts are scoped. */
  const withSlug = async (slug: unknown): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM spaces WHERE slug = $1', [String(slug)]))[0].n;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    citizen = await registerUser(t);
  });
  afterAll(() => t.close());

  it('an admin creates a space with Seoul defaults', async () => {
    const slug = uniqueSlug('budget');
    const res = await t.http
      .post('/api/v1/spaces')
      .set(admin.auth)
      .send({
        slug,
        name: '서울시 시민참여예산',
        description: '시민이 예산을 제안합니다.\n둘째 줄',
      })
      .expect(201);
    expect(res.body).toMatchObject({
      slug,
      name: '서울시 시민참여예산',
      description: '시민이 예산을 제안합니다.\n둘째 줄',
      thresholds: {
        review: 50,
        deliberation: 100,
        response: 1000,
        proposalWindowDays: 30,
        deliberationDays: 30,
      },
      embedOrigins: [],
      reportsToHide: 3,
    });
    const bySlug = await t.http.get(`/api/v1/spaces/${slug}`).expect(200);
    const byId = await t.http.get(`/api/v1/spaces/${res.body.id}`).expect(200);
    expect(bySlug.body).toEqual(res.body);
    expect(byId.body).toEqual(res.body);
  });

  it('expresses the earlier Seoul ladder 50 / 500 / 5,000', async () => {
    const res = await t.http
      .post('/api/v1/spaces')
      .set(admin.auth)
      .send({
        slug: uniqueSlug('old'),
        name: '협치 공론장',
        thresholds: { review: 50, deliberation: 500, response: 5000 },
      })
      .expect(201);
    expect(res.body.thresholds).toEqual({
      review: 50,
      deliberation: 500,
      response: 5000,
      proposalWindowDays: 30,
      deliberationDays: 30,
    });
  });

  it('lists spaces with stable cursor pages', async () => {
    for (let i = 0; i < 3; i++) await createSpace(t, admin, { name: `목록 ${i}` });
    const existing: string[] = (await db.query('SELECT id FROM spaces')).map(
      (r: { id: string }) => r.id,
    );
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/api/v1/spaces')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      for (const item of res.body.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    // Every space that existed before paging began was seen exactly once.
    for (const id of existing) expect(seen.has(id)).toBe(true);
  });

  it('rejects bad list parameters', async () => {
    expectFieldErrors(await t.http.get('/api/v1/spaces').query({ limit: 0 }), ['limit']);
    expectFieldErrors(await t.http.get('/api/v1/spaces').query({ limit: 101 }), ['limit']);
    expectFieldErrors(await t.http.get('/api/v1/spaces').query({ limit: 'ten' }), ['limit']);
    expectFieldErrors(await t.http.get('/api/v1/spaces').query({ cursor: 'not*valid' }), [
      'cursor',
    ]);
    expectFieldErrors(await t.http.get('/api/v1/spaces').query({ cursor: 'bm90LWpzb24' }), [
      'cursor',
    ]);
    expectFieldErrors(await t.http.get('/api/v1/spaces').query({ sort: 'name' }), ['sort']);
  });

  it('answers 404 for an unknown space', async () => {
    expectProblem(await t.http.get('/api/v1/spaces/no-such-space'), 404, 'not_found');
    expectProblem(
      await t.http.get('/api/v1/spaces/00000000-0000-4000-8000-000000000000'),
      404,
      'not_found',
    );
  });

  describe('create: bad input writes nothing', () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['missing fields', {}, ['slug', 'name']],
      ['unknown field', { slug: 'ok-slug', name: 'x', owner: 'me' }, ['owner']],
      ['bad slug', { slug: 'Bad Slug!', name: 'x' }, ['slug']],
      ['too short slug', { slug: 'ab', name: 'x' }, ['slug']],
      ['double hyphen slug', { slug: 'a--b', name: 'x' }, ['slug']],
      ['too long name', { slug: 'ok-slug', name: '가'.repeat(101) }, ['name']],
      ['name with control chars', { slug: 'ok-slug', name: 'a\u0000b' }, ['name']],
      [
        'threshold not an integer',
        { slug: 'ok-slug', name: 'x', thresholds: { review: 1.5 } },
        ['thresholds.review'],
      ],
      [
        'threshold below one',
        { slug: 'ok-slug', name: 'x', thresholds: { deliberation: 0 } },
        ['thresholds.deliberation'],
      ],
      [
        'unknown threshold',
        { slug: 'ok-slug', name: 'x', thresholds: { mayor: 5 } },
        ['thresholds.mayor'],
      ],
      [
        'thresholds not an object',
        { slug: 'ok-slug', name: 'x', thresholds: 'high' },
        ['thresholds'],
      ],
      [
        'rungs out of order',
        { slug: 'ok-slug', name: 'x', thresholds: { review: 200, deliberation: 100 } },
        ['thresholds.deliberation'],
      ],
      [
        'origin with a path',
        { slug: 'ok-slug', name: 'x', embedOrigins: ['https://city.example/page'] },
        ['embedOrigins'],
      ],
      [
        'wildcard origin',
        { slug: 'ok-slug', name: 'x', embedOrigins: ['https://*.city.example'] },
        ['embedOrigins'],
      ],
      [
        'origins not a list',
        { slug: 'ok-slug', name: 'x', embedOrigins: 'https://city.example' },
        ['embedOrigins'],
      ],
      ['reportsToHide zero', { slug: 'ok-slug', name: 'x', reportsToHide: 0 }, ['reportsToHide']],
      [
        'reportsToHide a string',
        { slug: 'ok-slug', name: 'x', reportsToHide: '3' },
        ['reportsToHide'],
      ],
    ];
    it.each(cases)('%s → 400 naming the field', async (_name, body, fields) => {
      expectFieldErrors(await t.http.post('/api/v1/spaces').set(admin.auth).send(body), fields);
      expect(await withSlug(body.slug)).toBe(0);
    });

    it('a taken slug → 409 slug_taken', async () => {
      const space = await createSpace(t, admin);
      expectProblem(
        await t.http
          .post('/api/v1/spaces')
          .set(admin.auth)
          .send({ slug: space.slug, name: '다른 이름' }),
        409,
        'slug_taken',
      );
      expect(await withSlug(space.slug)).toBe(1);
      const [row] = await db.query('SELECT name FROM spaces WHERE slug = $1', [space.slug]);
      expect(row.name).toBe('서울시 시민참여예산');
    });
  });

  describe('authorization', () => {
    it('a citizen or anonymous caller cannot create a space', async () => {
      const slugs = [uniqueSlug(), uniqueSlug()];
      expectProblem(
        await t.http
          .post('/api/v1/spaces')
          .set(citizen.auth)
          .send({ slug: slugs[0], name: '몰래' }),
        403,
        'forbidden',
      );
      expectProblem(
        await t.http.post('/api/v1/spaces').send({ slug: slugs[1], name: '몰래' }),
        401,
        'unauthorized',
      );
      for (const slug of slugs) expect(await withSlug(slug)).toBe(0);
    });

    it('a facilitator edits their own space but not another', async () => {
      const a = await createSpace(t, admin, { name: '공간 A' });
      const b = await createSpace(t, admin, { name: '공간 B' });
      const facilitator = await registerUser(t, { displayName: '진행자' });
      await makeFacilitator(t, admin, a.id, facilitator);

      const me = await t.http.get('/api/v1/me').set(facilitator.auth).expect(200);
      expect(me.body.spaces).toEqual([
        { spaceId: a.id, slug: a.slug, name: '공간 A', role: 'facilitator' },
      ]);

      const ok = await t.http
        .patch(`/api/v1/spaces/${a.id}`)
        .set(facilitator.auth)
        .send({
          description: '새 설명',
          thresholds: { review: 40 },
          embedOrigins: ['https://committee.seoul.example'],
        })
        .expect(200);
      expect(ok.body).toMatchObject({
        description: '새 설명',
        thresholds: { review: 40, deliberation: 100, response: 1000 },
        embedOrigins: ['https://committee.seoul.example'],
      });

      const before = await t.http.get(`/api/v1/spaces/${b.id}`).expect(200);
      expectProblem(
        await t.http
          .patch(`/api/v1/spaces/${b.id}`)
          .set(facilitator.auth)
          .send({ name: '가로채기' }),
        403,
        'forbidden',
      );
      expectProblem(
        await t.http.patch(`/api/v1/spaces/${b.id}`).set(citizen.auth).send({ name: '가로채기' }),
        403,
        'forbidden',
      );
      expectProblem(
        await t.http.patch(`/api/v1/spaces/${b.id}`).send({ name: '가로채기' }),
        401,
        'unauthorized',
      );
      const after = await t.http.get(`/api/v1/spaces/${b.id}`).expect(200);
      expect(after.body).toEqual(before.body);

      // Facilitators cannot hand out roles.
      expectProblem(
        await t.http.put(`/api/v1/spaces/${a.id}/facilitators/${citizen.id}`).set(facilitator.auth),
        403,
        'forbidden',
      );
    });

    it('the slug cannot be changed and patches are validated', async () => {
      const space = await createSpace(t, admin);
      expectFieldErrors(
        await t.http.patch(`/api/v1/spaces/${space.id}`).set(admin.auth).send({ slug: 'new-slug' }),
        ['slug'],
      );
      expectFieldErrors(
        await t.http
          .patch(`/api/v1/spaces/${space.id}`)
          .set(admin.auth)
          .send({ thresholds: { review: 500 } }),
        ['thresholds.deliberation'],
      );
      expectFieldErrors(
        await t.http.patch('/api/v1/spaces/not-a-uuid').set(admin.auth).send({ name: 'x' }),
        ['id'],
      );
      const [row] = await db.query('SELECT slug, thresholds FROM spaces WHERE id = $1', [space.id]);
      expect(row.slug).toBe(space.slug);
      expect(row.thresholds.review).toBe(50);
    });

    it('grant and revoke are admin-only and idempotent', async () => {
      const space = await createSpace(t, admin);
      const user = await registerUser(t);
      await makeFacilitator(t, admin, space.id, user);
      await makeFacilitator(t, admin, space.id, user);
      const list = await t.http
        .get(`/api/v1/spaces/${space.id}/facilitators`)
        .set(admin.auth)
        .expect(200);
      expect(list.body.map((f: { userId: string }) => f.userId)).toEqual([user.id]);
      expectProblem(
        await t.http.get(`/api/v1/spaces/${space.id}/facilitators`).set(citizen.auth),
        403,
        'forbidden',
      );

      await t.http
        .delete(`/api/v1/spaces/${space.id}/facilitators/${user.id}`)
        .set(admin.auth)
        .expect(204);
      await t.http
        .delete(`/api/v1/spaces/${space.id}/facilitators/${user.id}`)
        .set(admin.auth)
        .expect(204);
      expectProblem(
        await t.http.patch(`/api/v1/spaces/${space.id}`).set(user.auth).send({ name: 'x' }),
        403,
        'forbidden',
      );

      expectProblem(
        await t.http
          .put(`/api/v1/spaces/${space.id}/facilitators/00000000-0000-4000-8000-000000000000`)
          .set(admin.auth),
        404,
        'not_found',
      );
      expectFieldErrors(
        await t.http.put(`/api/v1/spaces/${space.id}/facilitators/nope`).set(admin.auth),
        ['userId'],
      );
      expectProblem(
        await t.http.delete(`/api/v1/spaces/${space.id}/facilitators/${user.id}`).set(citizen.auth),
        403,
        'forbidden',
      );
    });
  });
});
