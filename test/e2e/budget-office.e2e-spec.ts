import { addHeading, createBudget, openVoting, proposeProject } from '../factories/budgets';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { startTestApp, type TestApp } from '../utils/app';
import { expectFieldErrors, expectProblem } from '../utils/problem';

/**
 * What the budget office reads beyond the citizens' routes: the review queue in the order the
 * proposals came (`sort=oldest`), and the paper totals entered so far, for the space's
 * facilitators and administrators only, without the counts per project (no count before
 * results, to facilitators too).
 */
describe('participatory budgets: the office’s reads', () => {
  let t: TestApp;
  let admin: TestUser;
  let facilitator: TestUser;
  let foreign: TestUser;
  let citizen: TestUser;
  let budgetId: string;
  let headingId: string;
  const projects: string[] = [];

  const api = (path: string): string => `/api/v1${path}`;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '예산 진행자' });
    foreign = await registerUser(t, { displayName: '다른 공간 진행자' });
    citizen = await registerUser(t, { displayName: '주민' });
    const space = await createSpace(t, admin);
    const other = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, other.id, foreign);
    budgetId = (
      await createBudget(t, facilitator, space.id, {
        title: '성북구 시민참여예산',
        totalAmount: 100_000_000,
        rule: { kind: 'approval', maxChoices: 2 },
        electorate: 'roll',
        voterClasses: [
          { key: 'citizen', name: '일반 시민', weight: 70 },
          { key: 'committee', name: '참여예산위원', weight: 30 },
        ],
      })
    ).id;
    headingId = await addHeading(t, facilitator, budgetId, { name: '정릉동', amount: 50_000_000 });
    for (const title of ['첫 번째 제안 사업', '두 번째 제안 사업', '세 번째 제안 사업']) {
      projects.push(
        await proposeProject(t, citizen, budgetId, {
          headingId,
          title,
          summary: '요약',
          body: '본문',
          amount: 10_000_000,
        }),
      );
    }
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('lists the review queue oldest first, and refuses an unknown sort', async () => {
    const ids = async (sort: string): Promise<string[]> =>
      (
        await t.http
          .get(api(`/budgets/${budgetId}/projects?status=submitted&sort=${sort}`))
          .set(facilitator.auth)
          .expect(200)
      ).body.items.map((p: { id: string }) => p.id);
    expect(await ids('oldest')).toEqual(projects);
    expect(await ids('newest')).toEqual([...projects].reverse());
    expectFieldErrors(await t.http.get(api(`/budgets/${budgetId}/projects?sort=earliest`)), [
      'sort',
    ]);
  });

  it('lists the paper totals entered for facilitators and admins only, never their counts', async () => {
    const url = api(`/budgets/${budgetId}/paper-totals`);
    expectProblem(await t.http.get(url), 401, 'unauthorized');
    expectProblem(await t.http.get(url).set(citizen.auth), 403, 'forbidden');
    expectProblem(await t.http.get(url).set(foreign.auth), 403, 'forbidden');
    expectProblem(
      await t.http
        .get(api('/budgets/00000000-0000-4000-8000-000000000000/paper-totals'))
        .set(facilitator.auth),
      404,
      'not_found',
    );
    expectFieldErrors(
      await t.http.get(api('/budgets/not-a-uuid/paper-totals')).set(facilitator.auth),
      ['id'],
    );
    expect((await t.http.get(url).set(facilitator.auth).expect(200)).body).toEqual({ items: [] });

    // To voting, with two projects on the ballot; two stations' totals.
    await openVoting(
      t,
      facilitator,
      budgetId,
      projects.slice(0, 2).map((id) => [id, { feasible: true, explanation: '적격입니다.' }]),
    );
    for (const [station, classKey, ballots] of [
      ['정릉1동 주민센터', 'committee', 12],
      ['정릉2동 주민센터', 'citizen', 30],
    ] as const)
      await t.http
        .post(api(`/budgets/${budgetId}/paper-totals`))
        .set(facilitator.auth)
        .send({
          station,
          headingId,
          ballots,
          classKey,
          counts: { [projects[0]!]: ballots - 2, [projects[1]!]: 1 },
        })
        .expect(201);

    const listed = (await t.http.get(url).set(facilitator.auth).expect(200)).body;
    expect(listed.items).toEqual([
      {
        id: expect.any(String),
        station: '정릉1동 주민센터',
        headingId,
        headingName: '정릉동',
        classKey: 'committee',
        ballots: 12,
        enteredBy: { id: facilitator.id, displayName: '예산 진행자' },
        createdAt: expect.any(String),
      },
      {
        id: expect.any(String),
        station: '정릉2동 주민센터',
        headingId,
        headingName: '정릉동',
        classKey: 'citizen',
        ballots: 30,
        enteredBy: { id: facilitator.id, displayName: '예산 진행자' },
        createdAt: expect.any(String),
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(projects[0]!);
    // The site's administrators read it too; the others are still refused while voting.
    expect((await t.http.get(url).set(admin.auth).expect(200)).body.items).toHaveLength(2);
    expectProblem(await t.http.get(url).set(citizen.auth), 403, 'forbidden');
    expectProblem(await t.http.get(url).set(foreign.auth), 403, 'forbidden');
  });
});
