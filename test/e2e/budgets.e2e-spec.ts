import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import {
  addHeading,
  claimCode,
  createBudget,
  importRoll,
  movePhase,
  openVoting,
  proposeProject,
} from '../factories/budgets';
import { BudgetPhaseScheduler } from '../../src/budgets/budget-phase-scheduler';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, ok, record, sleep } from '../utils/live-client';
import { eventually } from '../utils/eventually';
import { expectFieldErrors, expectProblem } from '../utils/problem';

/**
 * Participatory budgets over HTTP and the socket, on two nodes sharing PostgreSQL and Redis:
 * every write route with its bad inputs and refusals (which write nothing), the ballot rules,
 * one ballot per voter under real concurrency (online on both nodes and on site at once), the
 * tally equal to a recount from the ballot rows, no count before results, and a result worked
 * by hand with a skip and a tie.
 */
describe('participatory budgets', () => {
  let a: TestApp;
  let b: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let foreign: TestUser;
  let citizen: TestUser;
  let space: { id: string };

  const api = (path: string): string => `/api/v1${path}`;
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db.query<{ n: string }[]>(sql, params))[0]!.n);

  beforeAll(async () => {
    const redis = { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
    a = await startTestApp(redis);
    b = await startTestApp(redis);
    db = a.app.get(DataSource);
    admin = await createAdmin(a);
    facilitator = await registerUser(a, { displayName: '예산 진행자' });
    foreign = await registerUser(a, { displayName: '다른 공간 진행자' });
    citizen = await registerUser(a, { displayName: '주민' });
    space = await createSpace(a, admin);
    const other = await createSpace(a, admin);
    await makeFacilitator(a, admin, space.id, facilitator);
    await makeFacilitator(a, admin, other.id, foreign);
  });
  afterEach(() => closeAll());
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  interface Setup {
    id: string;
    headings: Record<string, string>;
    projects: Record<string, string>;
  }

  const baseBudget = {
    title: '성북구 시민참여예산',
    totalAmount: 100,
    rule: { kind: 'approval', maxChoices: 3 },
    electorate: 'roll',
  };

  /** A budget taken to `voting`: headings, projects (all feasible unless listed), reviewed. */
  async function votingBudget(
    body: Record<string, unknown>,
    headings: { name: string; amount: number; group?: string; maxChoices?: number }[],
    projects: {
      key: string;
      heading: string;
      amount: number;
      unfeasible?: boolean;
      cost?: number;
    }[],
  ): Promise<Setup> {
    const { id } = await createBudget(a, facilitator, space.id, { ...baseBudget, ...body });
    const hs: Record<string, string> = {};
    for (const h of headings) hs[h.name] = await addHeading(a, facilitator, id, h);
    const ps: Record<string, string> = {};
    for (const p of projects) {
      ps[p.key] = await proposeProject(a, citizen, id, {
        headingId: hs[p.heading]!,
        title: `사업 ${p.key} 제안입니다`,
        summary: `${p.key} 요약`,
        body: `${p.key} 본문`,
        amount: p.amount,
        category: '안전',
        location: '성북구',
      });
    }
    await openVoting(
      a,
      facilitator,
      id,
      projects.map((p) => [
        ps[p.key]!,
        {
          feasible: !p.unfeasible,
          explanation: '검토했습니다.',
          ...(p.cost ? { cost: p.cost } : {}),
        },
      ]),
    );
    return { id, headings: hs, projects: ps };
  }

  /** Imports a roll line per ref and has each user claim theirs. */
  async function roll(
    budgetId: string,
    lines: { ref: string; heading?: string; class?: string; user?: TestUser }[],
  ): Promise<Record<string, string>> {
    const codes = await importRoll(a, facilitator, budgetId, lines);
    for (const l of lines) if (l.user) await claimCode(a, l.user, budgetId, codes[l.ref]!);
    return codes;
  }

  describe('budgets, phases and headings', () => {
    it('creates a budget for facilitators only, refusing bad input and writing nothing', async () => {
      const before = await count(`SELECT count(*) AS n FROM budgets`);
      const url = api(`/spaces/${space.id}/budgets`);
      expectProblem(await a.http.post(url).send(baseBudget), 401, 'unauthorized');
      expectProblem(await a.http.post(url).set(citizen.auth).send(baseBudget), 403, 'forbidden');
      expectProblem(await a.http.post(url).set(foreign.auth).send(baseBudget), 403, 'forbidden');
      expectFieldErrors(
        await a.http
          .post(url)
          .set(facilitator.auth)
          .send({ ...baseBudget, title: '' }),
        ['title'],
      );
      expectFieldErrors(
        await a.http
          .post(url)
          .set(facilitator.auth)
          .send({ ...baseBudget, rule: { kind: 'borda' } }),
        ['rule.kind'],
      );
      expectFieldErrors(
        await a.http
          .post(url)
          .set(facilitator.auth)
          .send({ ...baseBudget, totalAmount: -5, extra: 1 }),
        ['totalAmount', 'extra'],
      );
      expectFieldErrors(
        await a.http
          .post(url)
          .set(facilitator.auth)
          .send({
            ...baseBudget,
            voterClasses: [
              { key: 'a', name: '시민', weight: 50 },
              { key: 'b', name: '위원', weight: 30 },
            ],
          }),
        ['voterClasses'],
      );
      expectFieldErrors(
        await a.http
          .post(url)
          .set(facilitator.auth)
          .send({ ...baseBudget, rule: { kind: 'approval', minSpendRatio: 0.7 } }),
        ['rule.minSpendRatio'],
      );
      expectFieldErrors(
        await a.http
          .post(url)
          .set(facilitator.auth)
          .send({ ...baseBudget, phases: [{ phase: 'voting' }, { phase: 'review' }] }),
        ['phases'],
      );
      expectProblem(
        await a.http
          .post(api(`/spaces/00000000-0000-4000-8000-000000000000/budgets`))
          .set(facilitator.auth)
          .send(baseBudget),
        404,
        'not_found',
      );
      expect(await count(`SELECT count(*) AS n FROM budgets`)).toBe(before);

      const res = await a.http
        .post(url)
        .set(facilitator.auth)
        .send({
          ...baseBudget,
          phases: [
            { phase: 'voting', startsAt: '2026-08-05T00:00:00Z', endsAt: '2026-08-31T07:00:00Z' },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({
        phase: 'proposals',
        rule: { kind: 'approval', maxChoices: 3, minSpendRatio: null },
        voterClasses: [{ key: 'all', weight: 100 }],
        timeline: [{ seq: 1, type: 'created' }],
        viewer: { canManage: true },
      });
      const anon = await b.http.get(api(`/budgets/${res.body.id}`)).expect(200);
      expect(anon.body.viewer.canManage).toBe(false);
      const list = await b.http.get(api(`/spaces/${space.id}/budgets`)).expect(200);
      expect(list.body.items.map((x: { id: string }) => x.id)).toContain(res.body.id);
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'budget.create' AND target_id = $1`,
          [res.body.id],
        ),
      ).toBe(1);
    });

    it('moves phase by phase (objection may be skipped), refusing illegal moves, and locks the rule once voting', async () => {
      const s = await votingBudget(
        {},
        [{ name: '동', amount: 100 }],
        [{ key: 'A', heading: '동', amount: 10 }],
      );
      const url = api(`/budgets/${s.id}/phase`);
      expectProblem(
        await a.http.post(url).set(facilitator.auth).send({ to: 'execution' }),
        409,
        'illegal_transition',
      );
      expectProblem(
        await a.http.post(url).set(facilitator.auth).send({ to: 'proposals' }),
        409,
        'illegal_transition',
      );
      expectProblem(
        await a.http.post(url).set(citizen.auth).send({ to: 'results' }),
        403,
        'forbidden',
      );
      expectProblem(
        await a.http.post(url).set(foreign.auth).send({ to: 'results' }),
        403,
        'forbidden',
      );
      expectProblem(await a.http.post(url).send({ to: 'results' }), 401, 'unauthorized');
      expectFieldErrors(await a.http.post(url).set(facilitator.auth).send({ to: 'later' }), ['to']);
      const patch = api(`/budgets/${s.id}`);
      expectProblem(
        await a.http
          .patch(patch)
          .set(facilitator.auth)
          .send({ rule: { kind: 'ranked' } }),
        409,
        'budget_locked',
      );
      expectProblem(
        await a.http.patch(patch).set(citizen.auth).send({ title: '바꾼 제목' }),
        403,
        'forbidden',
      );
      await a.http
        .patch(patch)
        .set(facilitator.auth)
        .send({ title: '바꾼 제목', liveTally: false })
        .expect(200);
      expectProblem(
        await a.http
          .post(api(`/budgets/${s.id}/headings`))
          .set(facilitator.auth)
          .send({ name: '새 단위', amount: 5 }),
        409,
        'budget_phase',
      );
      const got = await b.http.get(patch).expect(200);
      expect(
        got.body.timeline.map((e: { type: string; data: { to?: string } }) => e.data.to ?? e.type),
      ).toEqual(['created', 'review', 'voting']);
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'budget.phase' AND target_id = $1`,
          [s.id],
        ),
      ).toBe(2);
    });

    it('moves a budget on by its dates, one phase a pass, to objection only when it is dated', async () => {
      const past = new Date(Date.now() - 3600_000).toISOString();
      const later = new Date(Date.now() + 86_400_000).toISOString();
      const dated = async (phases: unknown[]): Promise<string> =>
        (await createBudget(a, facilitator, space.id, { ...baseBudget, phases })).id;
      const skip = await dated([
        { phase: 'proposals', endsAt: past },
        { phase: 'voting', startsAt: past, endsAt: later },
      ]);
      const objection = await dated([
        { phase: 'proposals', endsAt: past },
        { phase: 'objection', startsAt: past },
      ]);
      const undated = await dated([{ phase: 'proposals', endsAt: later }]);
      const scheduler = b.app.get(BudgetPhaseScheduler);
      const phase = async (id: string): Promise<string> =>
        (await a.http.get(api(`/budgets/${id}`)).expect(200)).body.phase;
      await scheduler.runOnce();
      expect([await phase(skip), await phase(objection), await phase(undated)]).toEqual([
        'review',
        'review',
        'proposals',
      ]);
      await scheduler.runOnce();
      expect([await phase(skip), await phase(objection), await phase(undated)]).toEqual([
        'voting',
        'objection',
        'proposals',
      ]);
      await scheduler.runOnce();
      // Voting ends tomorrow: nothing moves before.
      expect(await phase(skip)).toBe('voting');
      const timeline = (await a.http.get(api(`/budgets/${skip}`)).expect(200)).body.timeline;
      expect(timeline.at(-1)).toMatchObject({
        type: 'phase',
        actorName: null,
        data: { from: 'review', to: 'voting' },
      });
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'budget.phase' AND target_id = $1 AND actor_id IS NULL`,
          [skip],
        ),
      ).toBe(2);
    });

    it('adds headings for facilitators only, refusing bad input and duplicate names', async () => {
      const created = await createBudget(a, facilitator, space.id, baseBudget);
      const url = api(`/budgets/${created.id}/headings`);
      expectProblem(
        await a.http.post(url).set(citizen.auth).send({ name: '종로구', amount: 10 }),
        403,
        'forbidden',
      );
      expectProblem(
        await a.http.post(url).set(foreign.auth).send({ name: '종로구', amount: 10 }),
        403,
        'forbidden',
      );
      expectFieldErrors(
        await a.http.post(url).set(facilitator.auth).send({ name: '', amount: 0, maxChoices: 0 }),
        ['name', 'amount', 'maxChoices'],
      );
      await a.http
        .post(url)
        .set(facilitator.auth)
        .send({ name: '종로구', amount: 10, group: '자치구' })
        .expect(201);
      expectProblem(
        await a.http.post(url).set(facilitator.auth).send({ name: '종로구', amount: 20 }),
        409,
        'conflict',
      );
      expect(
        await count(`SELECT count(*) AS n FROM budget_headings WHERE budget_id = $1`, [created.id]),
      ).toBe(1);
    });
  });

  describe('projects and their threads', () => {
    it('takes proposals only while proposals are open, each with its own discussion thread', async () => {
      const { id } = await createBudget(a, facilitator, space.id, baseBudget);
      const headingId = await addHeading(a, facilitator, id, { name: '동', amount: 100 });
      const url = api(`/budgets/${id}/projects`);
      const good = {
        headingId,
        title: '골목 가로등 정비 사업',
        summary: '어두운 골목',
        body: '가로등을 고칩니다.',
        amount: 30,
      };
      expectProblem(await a.http.post(url).send(good), 401, 'unauthorized');
      expectFieldErrors(
        await a.http
          .post(url)
          .set(citizen.auth)
          .send({ ...good, title: 'x', amount: 0, color: 'red' }),
        ['title', 'amount', 'color'],
      );
      expectFieldErrors(
        await a.http
          .post(url)
          .set(citizen.auth)
          .send({ ...good, headingId: '00000000-0000-4000-8000-000000000000' }),
        ['headingId'],
      );
      const res = await b.http.post(url).set(citizen.auth).send(good).expect(201);
      expect(res.body).toMatchObject({
        status: 'submitted',
        amount: 30,
        cost: 30,
        review: null,
        milestones: [],
      });
      // The thread is a topic: comments and agrees work as on any topic, and it stays off the topic list.
      const topicId = res.body.topicId as string;
      await a.http
        .post(api(`/topics/${topicId}/comments`))
        .set(citizen.auth)
        .send({ body: '좋은 사업입니다.' })
        .expect(201);
      await a.http
        .put(api(`/topics/${topicId}/agree`))
        .set(facilitator.auth)
        .expect(200);
      const project = await b.http.get(api(`/projects/${res.body.id}`)).expect(200);
      expect(project.body).toMatchObject({ commentCount: 1, agreeCount: 1 });
      const topics = await a.http.get(api(`/topics?spaceId=${space.id}&limit=100`)).expect(200);
      expect(topics.body.items.map((t: { id: string }) => t.id)).not.toContain(topicId);

      await movePhase(a, facilitator, id, 'review');
      expectProblem(await a.http.post(url).set(citizen.auth).send(good), 409, 'budget_phase');
      // Review: facilitators only, in `review`.
      const review = api(`/projects/${res.body.id}/review`);
      expectProblem(
        await a.http.post(review).set(citizen.auth).send({ feasible: true, explanation: '좋음' }),
        403,
        'forbidden',
      );
      expectProblem(
        await a.http.post(review).set(foreign.auth).send({ feasible: true, explanation: '좋음' }),
        403,
        'forbidden',
      );
      expectFieldErrors(
        await a.http.post(review).set(facilitator.auth).send({ feasible: 'yes', explanation: '' }),
        ['feasible', 'explanation'],
      );
      const reviewed = await a.http
        .post(review)
        .set(facilitator.auth)
        .send({ feasible: true, cost: 25, explanation: '현장 확인 결과 25원이면 됩니다.' })
        .expect(200);
      expect(reviewed.body).toMatchObject({
        status: 'feasible',
        cost: 25,
        review: { feasible: true, cost: 25 },
      });
      expect(
        await count(`SELECT count(*) AS n FROM budget_projects WHERE budget_id = $1`, [id]),
      ).toBe(1);
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'project.review' AND target_id = $1`,
          [res.body.id],
        ),
      ).toBe(1);
      const listed = await a.http
        .get(api(`/budgets/${id}/projects?status=feasible&sort=amount`))
        .expect(200);
      expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
      await movePhase(a, facilitator, id, 'voting');
      expectProblem(
        await a.http
          .post(review)
          .set(facilitator.auth)
          .send({ feasible: false, explanation: '취소' }),
        409,
        'budget_phase',
      );
    });
  });

  describe('the voter roll', () => {
    it('imports by ref with one-time codes, rejects bad lines by number, keeps codes on re-import', async () => {
      const s = await votingBudget(
        {
          voterClasses: [
            { key: 'citizen', name: '일반 시민', weight: 60 },
            { key: 'committee', name: '위원', weight: 40 },
          ],
        },
        [
          { name: '종로구', amount: 100, group: '자치구' },
          { name: '중구', amount: 100, group: '자치구' },
        ],
        [{ key: 'A', heading: '종로구', amount: 10 }],
      );
      const url = api(`/budgets/${s.id}/voters`);
      const csv =
        'ref,heading,class\nR-1,종로구,citizen\nR-2,없는구,citizen\nR-3,중구,nobody\nR-1,중구,citizen\n\nR-4,,committee\n';
      expectProblem(
        await a.http.put(url).set(citizen.auth).set('Content-Type', 'text/csv').send(csv),
        403,
        'forbidden',
      );
      expectProblem(
        await a.http.put(url).set(foreign.auth).set('Content-Type', 'text/csv').send(csv),
        403,
        'forbidden',
      );
      expectProblem(
        await a.http.put(url).set(facilitator.auth).send({ ref: 'R-1' }),
        415,
        'unsupported_media_type',
      );
      expectFieldErrors(
        await a.http
          .put(url)
          .set(facilitator.auth)
          .set('Content-Type', 'text/csv')
          .send('name,area\nx,y'),
        ['body'],
      );
      expect(
        await count(`SELECT count(*) AS n FROM budget_voters WHERE budget_id = $1`, [s.id]),
      ).toBe(0);
      const first = await a.http
        .put(url)
        .set(facilitator.auth)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(200);
      expect(first.body.imported).toBe(2);
      expect(first.body.codes.map((c: { ref: string }) => c.ref).sort()).toEqual(['R-1', 'R-4']);
      expect(first.body.rejected).toEqual([
        { line: 3, reason: 'unknown_heading' },
        { line: 4, reason: 'unknown_class' },
        { line: 5, reason: 'duplicate' },
      ]);
      const code1 = first.body.codes.find((c: { ref: string }) => c.ref === 'R-1').code as string;
      // Re-import: R-1 moves to 중구 and keeps its code; only the new ref gets one.
      const again = await a.http
        .put(url)
        .set(facilitator.auth)
        .set('Content-Type', 'text/csv')
        .send('ref,heading,class\nR-1,중구,committee\nR-5,종로구,citizen')
        .expect(200);
      expect(again.body.codes.map((c: { ref: string }) => c.ref)).toEqual(['R-5']);
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'budget.roll_import' AND target_id = $1`,
          [s.id],
        ),
      ).toBe(2);

      const claim = api(`/budgets/${s.id}/voters/claim`);
      expectProblem(await a.http.post(claim).send({ code: code1 }), 401, 'unauthorized');
      expectFieldErrors(await a.http.post(claim).set(citizen.auth).send({ code: 'bad code!' }), [
        'code',
      ]);
      expectProblem(
        await a.http.post(claim).set(citizen.auth).send({ code: 'ZZZZ-ZZZZ-ZZZZ' }),
        404,
        'not_found',
      );
      const claimed = await b.http.post(claim).set(citizen.auth).send({ code: code1 }).expect(200);
      expect(claimed.body).toEqual({
        ref: 'R-1',
        headingId: s.headings['중구'],
        classKey: 'committee',
      });
      const other = await registerUser(a);
      expectProblem(
        await a.http.post(claim).set(other.auth).send({ code: code1 }),
        409,
        'code_claimed',
      );
      const code5 = again.body.codes[0].code as string;
      expectProblem(
        await a.http.post(claim).set(citizen.auth).send({ code: code5 }),
        409,
        'code_claimed',
      );
      const budget = await a.http
        .get(api(`/budgets/${s.id}`))
        .set(citizen.auth)
        .expect(200);
      expect(budget.body.viewer).toMatchObject({ onRoll: true, voted: false });
    });
  });

  describe('ballots', () => {
    it('names every broken rule, refuses the ineligible and the wrong phase, and writes nothing', async () => {
      const s = await votingBudget(
        { rule: { kind: 'knapsack', minSpendRatio: 0.5, maxChoices: 2 } },
        [
          { name: '시 전체', amount: 100 },
          { name: '종로구', amount: 50, group: '자치구' },
          { name: '중구', amount: 50, group: '자치구' },
        ],
        [
          { key: 'A', heading: '시 전체', amount: 60 },
          { key: 'B', heading: '시 전체', amount: 50 },
          { key: 'C', heading: '시 전체', amount: 10 },
          { key: 'X', heading: '시 전체', amount: 10, unfeasible: true },
          { key: 'J', heading: '종로구', amount: 30 },
          { key: 'K', heading: '중구', amount: 30 },
        ],
      );
      const voter = await registerUser(a);
      const stranger = await registerUser(a);
      await roll(s.id, [{ ref: 'V-1', heading: '종로구', user: voter }]);
      const url = api(`/budgets/${s.id}/ballot`);
      const h = s.headings['시 전체']!;
      const p = s.projects;
      const broken = async (
        body: object,
      ): Promise<{ field: string; path: string; rule: string }[]> => {
        const res = await b.http.put(url).set(voter.auth).send(body);
        expectProblem(res, 422, 'ballot_invalid');
        return res.body.errors;
      };
      const rules = async (body: object): Promise<string[]> =>
        (await broken(body)).map((e) => `${e.path}:${e.field}`);
      expect(await rules({ headingId: h, projectIds: [p.A, p.B] })).toEqual([
        'ballots[0].projectIds:over_cap',
      ]);
      expect(await rules({ headingId: h, projectIds: [p.C] })).toEqual([
        'ballots[0].projectIds:under_min_spend',
      ]);
      expect(await rules({ headingId: h, projectIds: [p.A, p.C, p.C] })).toEqual([
        'ballots[0].projectIds[2]:duplicate',
        'ballots[0].projectIds:too_many',
      ]);
      expect(await rules({ headingId: h, projectIds: [p.X, p.A] })).toEqual([
        'ballots[0].projectIds[0]:not_on_ballot',
      ]);
      expect(await rules({ headingId: h, projectIds: [p.J] })).toEqual([
        'ballots[0].projectIds[0]:not_on_ballot',
        'ballots[0].projectIds:under_min_spend',
      ]);
      expect(
        await rules({ ballots: [{ headingId: s.headings['중구'], projectIds: [p.K] }] }),
      ).toEqual(['ballots[0].headingId:heading_not_allowed']);
      expect(
        await rules({
          ballots: [
            { headingId: s.headings['종로구'], projectIds: [p.J] },
            { headingId: s.headings['중구'], projectIds: [p.K] },
          ],
        }),
      ).toEqual([
        'ballots[1].headingId:heading_not_allowed',
        'ballots[1].headingId:two_headings_in_group',
      ]);
      // Each error carries the rule by name, and a sentence in the reader's language.
      const [error] = await broken({ headingId: h, projectIds: [p.A, p.B] });
      expect(error).toMatchObject({
        field: 'over_cap',
        rule: 'over_cap',
        message: expect.stringContaining('한도'),
      });
      expectFieldErrors(
        await a.http
          .put(url)
          .set(voter.auth)
          .send({ headingId: h, projectIds: [p.A], ballots: [] }),
        ['ballots'],
      );
      expectFieldErrors(
        await a.http
          .put(url)
          .set(voter.auth)
          .send({ headingId: h, projectIds: ['nope'] }),
        ['projectIds'],
      );
      expectFieldErrors(await a.http.put(url).set(voter.auth).send({ headingId: h }), [
        'projectIds',
      ]);
      expectProblem(
        await a.http.put(url).send({ headingId: h, projectIds: [p.A] }),
        401,
        'unauthorized',
      );
      expectProblem(
        await a.http
          .put(url)
          .set(stranger.auth)
          .send({ headingId: h, projectIds: [p.A] }),
        403,
        'not_eligible',
      );
      // A line's holder banned from the space is refused too.
      const banned = await registerUser(a);
      await roll(s.id, [{ ref: 'V-2', user: banned }]);
      await db.query(
        `INSERT INTO space_bans (space_id, user_id, reason, banned_by) VALUES ($1, $2, '도배', $3)`,
        [space.id, banned.id, admin.id],
      );
      expectProblem(
        await a.http
          .put(url)
          .set(banned.auth)
          .send({ headingId: h, projectIds: [p.C, p.B] }),
        403,
        'banned',
      );
      expect(
        await count(`SELECT count(*) AS n FROM budget_ballots WHERE budget_id = $1`, [s.id]),
      ).toBe(0);

      const cast = await a.http
        .put(url)
        .set(voter.auth)
        .send({
          ballots: [
            { headingId: h, projectIds: [p.A, p.C] },
            { headingId: s.headings['종로구'], projectIds: [p.J] },
          ],
        })
        .expect(200);
      expect(cast.body).toMatchObject({ valid: true, channel: 'online' });
      expect(cast.body.ballots).toHaveLength(2);
      // The answer is the ballot as it is read back.
      const stored = await b.http.get(url).set(voter.auth).expect(200);
      expect({ ...cast.body, valid: undefined }).toEqual({ ...stored.body, valid: undefined });
      // Changing replaces it whole.
      await a.http
        .put(url)
        .set(voter.auth)
        .send({ headingId: h, projectIds: [p.B] })
        .expect(200);
      const mine = await b.http.get(url).set(voter.auth).expect(200);
      expect(mine.body.ballots).toEqual([{ headingId: h, projectIds: [p.B] }]);
      expect(
        await count(`SELECT count(*) AS n FROM budget_ballot_choices WHERE budget_id = $1`, [s.id]),
      ).toBe(1);
      await a.http.delete(url).set(voter.auth).expect(200);
      expect(
        await count(`SELECT count(*) AS n FROM budget_ballots WHERE budget_id = $1`, [s.id]),
      ).toBe(0);
      await a.http
        .put(url)
        .set(voter.auth)
        .send({ headingId: h, projectIds: [p.B] })
        .expect(200);

      // No count leaks before results: not the API, not the export, not the socket.
      expectProblem(await a.http.get(api(`/budgets/${s.id}/results`)), 409, 'results_not_public');
      expectProblem(
        await a.http.get(api(`/budgets/${s.id}/export?what=results`)),
        409,
        'results_not_public',
      );
      expectProblem(
        await a.http.get(api(`/open-data/budget-results?budgetId=${s.id}`)),
        409,
        'results_not_public',
      );
      const open = await a.http
        .get(api(`/open-data/budget-results?spaceId=${space.id}`))
        .expect(200);
      expect(open.body.map((r: { budget_id: string }) => r.budget_id)).not.toContain(s.id);
      expectFieldErrors(await a.http.get(api(`/open-data/budget-results?budgetId=x`)), [
        'budgetId',
      ]);
      const projectsCsv = await a.http
        .get(api(`/budgets/${s.id}/export?what=projects&format=csv`))
        .expect(200);
      expect(projectsCsv.text.split('\r\n')[0]).not.toMatch(/vote|score|ballot|points/);
      const socket = await connected(b.url);
      const seen = record(socket);
      const watch = await ok<{ tally: unknown; phase: string }>(socket, 'budget:watch', {
        budgetId: s.id,
      });
      expect(watch).toMatchObject({ phase: 'voting', tally: null });
      await a.http
        .put(url)
        .set(voter.auth)
        .send({ headingId: h, projectIds: [p.A] })
        .expect(200);
      await sleep(1200);
      expect(seen.filter((e) => e.event === 'budget:tally')).toEqual([]);

      await movePhase(a, facilitator, s.id, 'results');
      expectProblem(
        await a.http
          .put(url)
          .set(voter.auth)
          .send({ headingId: h, projectIds: [p.A] }),
        409,
        'budget_phase',
      );
      expectProblem(await a.http.delete(url).set(voter.auth), 409, 'budget_phase');
      await eventually(
        () => seen.map((e) => e.event),
        (events) => events.includes('budget:phase') && events.includes('budget:tally'),
      );
    });

    it('an open electorate: any signed-in resident votes once, under their own key, and may change it', async () => {
      const s = await votingBudget(
        { electorate: 'open' },
        [{ name: '동', amount: 100 }],
        ['A', 'B'].map((key) => ({ key, heading: '동', amount: 10 })),
      );
      const resident = await registerUser(a);
      const url = api(`/budgets/${s.id}/ballot`);
      const h = s.headings['동']!;
      const first = await a.http
        .put(url)
        .set(resident.auth)
        .send({ headingId: h, projectIds: [s.projects.A] })
        .expect(200);
      expect(first.body).toMatchObject({
        valid: true,
        channel: 'online',
        ballots: [{ headingId: h, projectIds: [s.projects.A] }],
      });
      await b.http
        .put(url)
        .set(resident.auth)
        .send({ headingId: h, projectIds: [s.projects.B, s.projects.A] })
        .expect(200);
      const rows = await db.query<{ voter_key: string; class_key: string; projects: string[] }[]>(
        `SELECT bb.voter_key, bb.class_key, array_agg(c.project_id::text ORDER BY c.rank) AS projects
           FROM budget_ballots bb JOIN budget_ballot_choices c ON c.ballot_id = bb.id
          WHERE bb.budget_id = $1 GROUP BY bb.id`,
        [s.id],
      );
      expect(rows).toEqual([
        {
          voter_key: `user:${resident.id}`,
          class_key: 'all',
          projects: [s.projects.B, s.projects.A],
        },
      ]);
      expectProblem(
        await a.http
          .post(api(`/budgets/${s.id}/onsite-ballots`))
          .set(facilitator.auth)
          .send({ ref: 'R-1', ballots: [{ headingId: h, projectIds: [s.projects.A] }] }),
        409,
        'conflict',
      );
    });

    it('one ballot per voter under 200 concurrent submissions over both nodes and on site at once', async () => {
      const s = await votingBudget(
        {},
        [{ name: '동', amount: 100 }],
        ['A', 'B', 'C', 'D'].map((key) => ({ key, heading: '동', amount: 10 })),
      );
      const voter = await registerUser(a);
      await roll(s.id, [{ ref: 'L-1', user: voter }]);
      const h = s.headings['동']!;
      const variants = [['A'], ['B', 'C'], ['D', 'A', 'B'], ['C']].map((keys) =>
        keys.map((k) => s.projects[k]!),
      );
      const online = Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? a : b).http
          .put(api(`/budgets/${s.id}/ballot`))
          .set(voter.auth)
          .send({ headingId: h, projectIds: variants[i % variants.length] }),
      );
      const onsite = Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? b : a).http
          .post(api(`/budgets/${s.id}/onsite-ballots`))
          .set(facilitator.auth)
          .send({ ref: 'L-1', ballots: [{ headingId: h, projectIds: variants[0] }] }),
      );
      const results = await Promise.all([...online, ...onsite]);
      const onlineStatus = results.slice(0, 200).map((r) => r.status);
      const onsiteStatus = results.slice(200).map((r) => r.status);
      // On site at most once; every other on-site attempt sees the line voted.
      expect(onsiteStatus.filter((x) => x === 201).length).toBeLessThanOrEqual(1);
      expect(onsiteStatus.filter((x) => x !== 201).every((x) => x === 409)).toBe(true);
      expect(onlineStatus.every((x) => x === 200 || x === 409)).toBe(true);
      expect(
        await count(`SELECT count(*) AS n FROM budget_ballots WHERE budget_id = $1`, [s.id]),
      ).toBe(1);
      const ballot = await a.http
        .get(api(`/budgets/${s.id}/ballot`))
        .set(voter.auth)
        .expect(200);
      // Whole: exactly one of the submitted variants, never a mixture of two.
      expect(variants.map((v) => JSON.stringify(v))).toContain(
        JSON.stringify(ballot.body.ballots[0].projectIds),
      );
      expect(
        await count(`SELECT count(*) AS n FROM budget_ballot_choices WHERE budget_id = $1`, [s.id]),
      ).toBe(ballot.body.ballots[0].projectIds.length);
      if (ballot.body.channel === 'onsite') {
        // Voted on site: nothing online after that moment got in, and now nothing can.
        expectProblem(
          await a.http
            .put(api(`/budgets/${s.id}/ballot`))
            .set(voter.auth)
            .send({ headingId: h, projectIds: variants[1] }),
          409,
          'already_voted',
        );
        expectProblem(
          await a.http.delete(api(`/budgets/${s.id}/ballot`)).set(voter.auth),
          409,
          'already_voted',
        );
      } else {
        expect(onsiteStatus.every((x) => x === 409)).toBe(true);
      }
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'budget.onsite_ballot' AND space_id = $1 AND after->>'ref' = 'L-1'`,
          [space.id],
        ),
      ).toBe(onsiteStatus.filter((x) => x === 201).length);
    });

    it('first ballots sent together get each its own answer: the valid written, the banned, the unlisted and the broken refused', async () => {
      // Sent at once to one node, these arrive in the same turns and share the read of the
      // budget with every voter's ban and line, and the one statement writing the ballots.
      const s = await votingBudget(
        {},
        [{ name: '동', amount: 100 }],
        ['A', 'B'].map((key) => ({ key, heading: '동', amount: 20 })),
      );
      const h = s.headings['동']!;
      const p = s.projects;
      const valid = await Promise.all(Array.from({ length: 24 }, () => registerUser(a)));
      const broken = await Promise.all(Array.from({ length: 4 }, () => registerUser(a)));
      const banned = await Promise.all(Array.from({ length: 4 }, () => registerUser(a)));
      const unlisted = await Promise.all(Array.from({ length: 4 }, () => registerUser(a)));
      await roll(
        s.id,
        [...valid, ...broken, ...banned].map((user, i) => ({ ref: `T-${i}`, user })),
      );
      for (const u of banned) {
        await db.query(
          `INSERT INTO space_bans (space_id, user_id, reason, banned_by) VALUES ($1, $2, '도배', $3)`,
          [space.id, u.id, admin.id],
        );
      }
      const ballotOf = (i: number): string[] => (i % 2 ? [p.A!, p.B!] : [p.B!]);
      const send = (u: TestUser, projectIds: string[]) =>
        a.http
          .put(api(`/budgets/${s.id}/ballot`))
          .set(u.auth)
          .send({ headingId: h, projectIds });
      // One of the valid voters sends twice at once: one ballot is kept, whole.
      const [answers, brokenAnswers, bannedAnswers, unlistedAnswers, twice] = await Promise.all([
        Promise.all(valid.map((u, i) => send(u, ballotOf(i)))),
        Promise.all(broken.map((u) => send(u, [p.A!, randomUUID()]))),
        Promise.all(banned.map((u) => send(u, [p.A!]))),
        Promise.all(unlisted.map((u) => send(u, [p.A!]))),
        send(valid[0]!, [p.A!]),
      ]);
      answers.forEach((r, i) => {
        expect(r.status).toBe(200);
        expect(r.body.ballots).toEqual([{ headingId: h, projectIds: ballotOf(i) }]);
        expect(r.body.channel).toBe('online');
      });
      expect(twice.status).toBe(200);
      for (const r of brokenAnswers) {
        expect(expectProblem(r, 422, 'ballot_invalid')).toEqual(['not_on_ballot']);
      }
      for (const r of bannedAnswers) expectProblem(r, 403, 'banned');
      for (const r of unlistedAnswers) expectProblem(r, 403, 'not_eligible');
      const rows = await db.query<{ user_id: string; projects: string[] }[]>(
        `SELECT bb.user_id, array_agg(c.project_id::text ORDER BY c.rank) AS projects
           FROM budget_ballots bb JOIN budget_ballot_choices c ON c.ballot_id = bb.id
          WHERE bb.budget_id = $1 GROUP BY bb.user_id`,
        [s.id],
      );
      expect(rows).toHaveLength(valid.length);
      const stored = new Map(rows.map((r) => [r.user_id, r.projects]));
      valid.slice(1).forEach((u, i) => expect(stored.get(u.id)).toEqual(ballotOf(i + 1)));
      // The voter who sent twice holds one of their two ballots, never a mixture.
      expect([JSON.stringify(ballotOf(0)), JSON.stringify([p.A])]).toContain(
        JSON.stringify(stored.get(valid[0]!.id)),
      );
      const mine = await a.http
        .get(api(`/budgets/${s.id}/ballot`))
        .set(valid[0]!.auth)
        .expect(200);
      expect(mine.body.ballots[0].projectIds).toEqual(stored.get(valid[0]!.id));
    });

    it('many voters at once on both nodes: ballot rows = voters, tally = recount of the rows', async () => {
      const s = await votingBudget(
        {
          liveTally: true,
          voterClasses: [
            { key: 'citizen', name: '시민', weight: 70 },
            { key: 'committee', name: '위원', weight: 30 },
          ],
        },
        [{ name: '동', amount: 100 }],
        ['A', 'B', 'C', 'D', 'E'].map((key, i) => ({ key, heading: '동', amount: 10 + i * 10 })),
      );
      const n = 60;
      const voters = await Promise.all(Array.from({ length: n }, () => registerUser(a)));
      await roll(
        s.id,
        voters.map((v, i) => ({
          ref: `M-${i}`,
          class: i % 4 === 0 ? 'committee' : 'citizen',
          user: v,
        })),
      );
      const socket = await connected(b.url);
      const seen = record(socket);
      const watch = await ok<{ tally: { final: boolean } }>(socket, 'budget:watch', {
        budgetId: s.id,
      });
      expect(watch.tally.final).toBe(false);
      const keys = ['A', 'B', 'C', 'D', 'E'];
      const pick = (i: number, round: number): string[] =>
        [keys[(i + round) % 5]!, keys[(i * 3 + round + 1) % 5]!]
          .filter((k, j, all) => all.indexOf(k) === j)
          .map((k) => s.projects[k]!);
      // Cast, then change, all at once (each voter's change after their first answer).
      const started = Date.now();
      await Promise.all(
        voters.map(async (v, i) => {
          const node = i % 2 ? a : b;
          await node.http
            .put(api(`/budgets/${s.id}/ballot`))
            .set(v.auth)
            .send({ headingId: s.headings['동'], projectIds: pick(i, 0) })
            .expect(200);
          await (i % 2 ? b : a).http
            .put(api(`/budgets/${s.id}/ballot`))
            .set(v.auth)
            .send({ headingId: s.headings['동'], projectIds: pick(i, 1) })
            .expect(200);
        }),
      );
      const took = Date.now() - started;
      expect(
        await count(`SELECT count(*) AS n FROM budget_ballots WHERE budget_id = $1`, [s.id]),
      ).toBe(n);
      expect(
        await count(
          `SELECT count(DISTINCT voter_key) AS n FROM budget_ballots WHERE budget_id = $1`,
          [s.id],
        ),
      ).toBe(n);

      // The recount, worked here from the intended ballots, not from the server's code.
      const points: Record<string, Record<string, number>> = {};
      const classBallots: Record<string, number> = { citizen: 0, committee: 0 };
      voters.forEach((_, i) => {
        const cls = i % 4 === 0 ? 'committee' : 'citizen';
        classBallots[cls]!++;
        for (const id of pick(i, 1)) {
          points[id] ??= { citizen: 0, committee: 0 };
          points[id][cls]!++;
        }
      });
      const results = await a.http.get(api(`/budgets/${s.id}/results`)).expect(200);
      expect(results.body.final).toBe(false);
      const [heading] = results.body.headings;
      expect(heading.ballots).toEqual({ online: n, onsite: 0, paper: 0 });
      for (const proj of heading.projects as {
        projectId: string;
        points: Record<string, number>;
        score: number;
      }[]) {
        const want = points[proj.projectId] ?? { citizen: 0, committee: 0 };
        expect(proj.points).toEqual(want);
        const score =
          (70 * want.citizen!) / classBallots.citizen! +
          (30 * want.committee!) / classBallots.committee!;
        expect(proj.score).toBeCloseTo(score, 3);
      }
      // The live tally moved on the other node's socket, at most two a second, and its last
      // message is the final count.
      await eventually(
        () => seen.filter((e) => e.event === 'budget:tally').at(-1)?.payload,
        (last) =>
          JSON.stringify((last as { headings?: unknown } | undefined)?.headings) ===
          JSON.stringify(results.body.headings),
        5000,
      );
      const tallies = seen.filter((e) => e.event === 'budget:tally').length;
      expect(tallies).toBeGreaterThan(0);
      expect(tallies).toBeLessThanOrEqual(Math.ceil((took + 1500) / 500) + 1);
    });
  });

  describe('on-site ballots, paper totals, results and execution', () => {
    it('draws the result by hand: a skip, a tie by cost, paper totals counted apart, unfeasible listed', async () => {
      const s = await votingBudget(
        {},
        [{ name: '동', amount: 100 }],
        [
          { key: 'A', heading: '동', amount: 60 },
          { key: 'B', heading: '동', amount: 50 },
          { key: 'C', heading: '동', amount: 30 },
          { key: 'D', heading: '동', amount: 20 },
          { key: 'E', heading: '동', amount: 10 },
          { key: 'X', heading: '동', amount: 5, unfeasible: true },
        ],
      );
      const p = s.projects;
      const h = s.headings['동']!;
      const voters = await Promise.all(Array.from({ length: 5 }, () => registerUser(a)));
      await roll(s.id, [...voters.map((v, i) => ({ ref: `H-${i}`, user: v })), { ref: 'H-site' }]);
      // Online: A,B,C ×3 ; A,D ×1 ; B,D,E ×1. On site: A,D. Paper: 2 ballots, C 1, D 1, E 2.
      // Votes: A 3+1+1 = 5, B 4, C 3+1 = 4, D 1+1+1+1 = 4, E 1+2 = 3.
      // Order: A 5; then B, C, D tie at 4 → by cost D 20, C 30, B 50; then E 3.
      // Cap 100: A (40 left), D (20 left), C 30 does not fit, B 50 does not fit, E 10 fits (10 left).
      const choose = [
        [p.A, p.B, p.C],
        [p.A, p.B, p.C],
        [p.A, p.B, p.C],
        [p.A, p.D],
        [p.B, p.D, p.E],
      ];
      await Promise.all(
        voters.map((v, i) =>
          (i % 2 ? a : b).http
            .put(api(`/budgets/${s.id}/ballot`))
            .set(v.auth)
            .send({ headingId: h, projectIds: choose[i] })
            .expect(200),
        ),
      );
      const onsiteUrl = api(`/budgets/${s.id}/onsite-ballots`);
      expectProblem(
        await a.http
          .post(onsiteUrl)
          .set(citizen.auth)
          .send({ ref: 'H-site', ballots: [{ headingId: h, projectIds: [p.A] }] }),
        403,
        'forbidden',
      );
      expectProblem(
        await a.http
          .post(onsiteUrl)
          .set(foreign.auth)
          .send({ ref: 'H-site', ballots: [{ headingId: h, projectIds: [p.A] }] }),
        403,
        'forbidden',
      );
      expectFieldErrors(
        await a.http.post(onsiteUrl).set(facilitator.auth).send({ ref: '', ballots: [] }),
        ['ref', 'ballots'],
      );
      expectProblem(
        await a.http
          .post(onsiteUrl)
          .set(facilitator.auth)
          .send({ ref: 'nobody', ballots: [{ headingId: h, projectIds: [p.A] }] }),
        404,
        'not_found',
      );
      expectProblem(
        await a.http
          .post(onsiteUrl)
          .set(facilitator.auth)
          .send({ ref: 'H-site', ballots: [{ headingId: h, projectIds: [p.X] }] }),
        422,
        'ballot_invalid',
      );
      expectProblem(
        await a.http
          .post(onsiteUrl)
          .set(facilitator.auth)
          .send({ ref: 'H-0', ballots: [{ headingId: h, projectIds: [p.A] }] }),
        409,
        'already_voted',
      );
      await b.http
        .post(onsiteUrl)
        .set(facilitator.auth)
        .send({ ref: 'H-site', ballots: [{ headingId: h, projectIds: [p.A, p.D] }] })
        .expect(201);

      const paperUrl = api(`/budgets/${s.id}/paper-totals`);
      const paper = {
        station: '성북구청 1층',
        headingId: h,
        ballots: 2,
        counts: { [p.C!]: 1, [p.D!]: 1, [p.E!]: 2 },
      };
      expectProblem(await a.http.post(paperUrl).set(citizen.auth).send(paper), 403, 'forbidden');
      expectProblem(await a.http.post(paperUrl).set(foreign.auth).send(paper), 403, 'forbidden');
      expectFieldErrors(
        await a.http
          .post(paperUrl)
          .set(facilitator.auth)
          .send({ ...paper, ballots: -1, counts: 'x' }),
        ['ballots', 'counts'],
      );
      expectFieldErrors(
        await a.http
          .post(paperUrl)
          .set(facilitator.auth)
          .send({ ...paper, counts: { [p.X!]: 1 } }),
        [`counts.${p.X}`],
      );
      expectFieldErrors(
        await a.http
          .post(paperUrl)
          .set(facilitator.auth)
          .send({ ...paper, classKey: 'nobody' }),
        ['classKey'],
      );
      expectProblem(
        await a.http
          .post(paperUrl)
          .set(facilitator.auth)
          .send({ ...paper, counts: { [p.E!]: 3 } }),
        422,
        'unprocessable',
      );
      expect(
        await count(`SELECT count(*) AS n FROM budget_paper_totals WHERE budget_id = $1`, [s.id]),
      ).toBe(0);
      await a.http.post(paperUrl).set(facilitator.auth).send(paper).expect(201);
      expectProblem(
        await a.http.post(paperUrl).set(facilitator.auth).send(paper),
        409,
        'already_entered',
      );

      await movePhase(a, facilitator, s.id, 'results');
      const res = await b.http.get(api(`/budgets/${s.id}/results`)).expect(200);
      expect(res.body.final).toBe(true);
      const [heading] = res.body.headings;
      const key = Object.fromEntries(Object.entries(p).map(([k, id]) => [id, k]));
      expect(
        heading.projects.map(
          (x: { projectId: string; points: { all: number }; reason: string }) => [
            key[x.projectId],
            x.points.all,
            x.reason,
          ],
        ),
      ).toEqual([
        ['A', 5, 'selected'],
        ['D', 4, 'selected'],
        ['C', 4, 'did_not_fit'],
        ['B', 4, 'did_not_fit'],
        ['E', 3, 'selected'],
        ['X', 0, 'unfeasible'],
      ]);
      expect(heading).toMatchObject({
        amount: 100,
        spent: 90,
        remaining: 10,
        ballots: { online: 5, onsite: 1, paper: 2 },
      });
      const selected = await a.http
        .get(api(`/budgets/${s.id}/projects?status=selected&limit=100`))
        .expect(200);
      expect(selected.body.items.map((x: { id: string }) => key[x.id]).sort()).toEqual([
        'A',
        'D',
        'E',
      ]);
      const csv = await a.http
        .get(api(`/budgets/${s.id}/export?what=results&format=csv`))
        .expect(200);
      expect(csv.text).toContain('did_not_fit');
      expect(csv.text).not.toMatch(/H-\d|@test\.madang/);
      const openData = await a.http
        .get(api(`/open-data/budget-results?budgetId=${s.id}`))
        .expect(200);
      expect(
        openData.body.map((r: { project_id: string; reason: string }) => [
          key[r.project_id],
          r.reason,
        ]),
      ).toEqual([
        ['A', 'selected'],
        ['D', 'selected'],
        ['C', 'did_not_fit'],
        ['B', 'did_not_fit'],
        ['E', 'selected'],
        ['X', 'unfeasible'],
      ]);
      expect(openData.body[0]).toMatchObject({
        space_id: space.id,
        heading_spent: 90,
        ballots_paper: 2,
        points: 'all=5',
      });
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'budget.paper_totals' AND space_id = $1`,
          [space.id],
        ),
      ).toBeGreaterThanOrEqual(1);

      // Execution milestones: facilitators, in `execution`.
      const milestoneUrl = api(`/projects/${p.A}/milestones`);
      const milestone = { title: '착수 보고', date: '2027-03-02', progress: 10 };
      expectProblem(
        await a.http.post(milestoneUrl).set(facilitator.auth).send(milestone),
        409,
        'budget_phase',
      );
      await movePhase(a, facilitator, s.id, 'execution');
      expectProblem(
        await a.http.post(milestoneUrl).set(citizen.auth).send(milestone),
        403,
        'forbidden',
      );
      expectProblem(
        await a.http.post(milestoneUrl).set(foreign.auth).send(milestone),
        403,
        'forbidden',
      );
      expectFieldErrors(
        await a.http
          .post(milestoneUrl)
          .set(facilitator.auth)
          .send({ title: '', date: '2027-02-30', progress: 101 }),
        ['title', 'progress'],
      );
      expectFieldErrors(
        await a.http
          .post(milestoneUrl)
          .set(facilitator.auth)
          .send({ ...milestone, date: '2027-02-30' }),
        ['date'],
      );
      const done = await a.http
        .post(milestoneUrl)
        .set(facilitator.auth)
        .send(milestone)
        .expect(201);
      expect(done.body.milestones).toEqual([
        expect.objectContaining({ title: '착수 보고', date: '2027-03-02', progress: 10 }),
      ]);
      expect(
        await count(
          `SELECT count(*) AS n FROM audit_log WHERE action = 'project.milestone' AND target_id = $1`,
          [p.A],
        ),
      ).toBe(1);
    });
  });
});
