import { type Page } from 'playwright-core';
import {
  addHeading,
  createBudget,
  movePhase,
  openVoting,
  proposeProject,
} from '../factories/budgets';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { liveRoom } from '../factories/rooms';
import { createTopic } from '../factories/topics';
import { type TestApp, startTestApp } from '../utils/app';
import {
  DESKTOP,
  judgePage,
  eventually,
  launchBrowser,
  MOBILE,
  openPage,
  type TestBrowser,
} from '../utils/browser';

const PROJECTOR = { width: 1920, height: 1080 };

/**
 * The assembly (마을총회) as the hall lives it: the live room attached to the budget shows the
 * countdown and the live tally beside its chat and Q&A; the projector view moves when a
 * resident casts a ballot over HTTP, reads "투표 마감" and the final result when the vote
 * closes, and shows no count at all for a budget without a public tally; the results page
 * charts each outcome and gives the same figures as a table. axe-core finds nothing on each.
 */
describe('browser: the assembly, its projector view and the results chart', () => {
  let t: TestApp;
  let b: TestBrowser;
  let facilitator: TestUser;
  let early: TestUser;
  let late: TestUser;
  let budgetId: string;
  let sealedId: string;
  let headingId: string;
  let roomId: string;
  let projects: Record<string, string>;

  const api = (path: string): string => `/api/v1${path}`;
  // Two hours from now, so the countdown runs during the test.
  const closes = new Date(Date.now() + 2 * 3600_000 + 5 * 60_000).toISOString();

  async function votingBudget(space: string, title: string, liveTally: boolean) {
    const { id } = await createBudget(t, facilitator, space, {
      title,
      description: '동 한도 3천만원 안에서 주민이 사업을 고릅니다.',
      totalAmount: 30_000_000,
      rule: { kind: 'knapsack' },
      electorate: 'open',
      liveTally,
      phases: [{ phase: 'voting', endsAt: closes }],
    });
    const heading = await addHeading(t, facilitator, id, { name: '정릉3동', amount: 30_000_000 });
    const made: Record<string, string> = {};
    for (const [key, name, amount] of [
      ['lights', '골목 안심 귀갓길 조성', 15_000_000],
      ['garden', '북한산 자락 마을 텃밭 조성', 12_000_000],
      ['school', '어르신 디지털 배움터', 8_000_000],
      ['news', '마을 소식지 발간', 4_000_000],
      ['bridge', '정릉천 보행교 신설', 25_000_000],
    ] as const) {
      made[key] = await proposeProject(t, early, id, {
        headingId: heading,
        title: name,
        summary: `${name} 요약`,
        body: `${name} 본문`,
        amount,
      });
    }
    await openVoting(
      t,
      facilitator,
      id,
      Object.entries(made).map(([key, pid]) => [
        pid,
        key === 'bridge'
          ? {
              feasible: false,
              explanation: '하천 점용 허가가 필요해 주민참여예산 대상이 아닙니다.',
            }
          : { feasible: true, explanation: '현장 확인을 마쳤습니다.' },
      ]),
    );
    return { id, heading, made };
  }

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    const admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '총회 진행자' });
    early = await registerUser(t, { displayName: '정릉 주민' });
    late = await registerUser(t, { displayName: '늦게 온 주민' });
    const space = await createSpace(t, admin, { name: '성북구 정릉3동 주민자치회' });
    await makeFacilitator(t, admin, space.id, facilitator);
    const topic = await createTopic(t, early, space.id, {
      title: '2030 정릉3동 마을총회',
      body: '올해 마을 의제를 함께 정합니다.',
    });
    const room = await liveRoom(t, facilitator, topic.id);
    roomId = room.id;
    const live = await votingBudget(space.id, '정릉3동 마을총회 주민투표', true);
    budgetId = live.id;
    headingId = live.heading;
    projects = live.made;
    await t.http
      .patch(api(`/budgets/${budgetId}`))
      .set(facilitator.auth)
      .send({ roomId })
      .expect(200);
    sealedId = (await votingBudget(space.id, '정릉3동 비공개 집계 투표', false)).id;
    // The first ballot: the garden and the lights both fit under the cap for now.
    await t.http
      .put(api(`/budgets/${budgetId}/ballot`))
      .set(early.auth)
      .send({ headingId, projectIds: [projects.lights, projects.garden] })
      .expect(200);
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const open = (path: string, viewport: { width: number; height: number }, who?: TestUser) =>
    openPage(b, t.url, path, { viewport, token: who?.token });

  const judge = (page: Page, name: string, size: string): Promise<void> =>
    judgePage(page, `${name} ${size}`, `assembly-${name}-${size}`);

  const outcomeOf = (page: Page, title: string) =>
    page.locator('.tally-row', { hasText: title }).getAttribute('data-outcome');

  it('the room attached to the budget shows the countdown and the live tally beside its chat and Q&A', async () => {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['mobile', MOBILE],
    ] as const) {
      const { page, seen } = await open(`/rooms/${roomId}`, viewport, late);
      const panel = page.getByTestId('assembly');
      await panel.getByTestId('tally-state').waitFor();
      expect(await panel.getByRole('heading', { level: 2 }).innerText()).toBe(
        '정릉3동 마을총회 주민투표',
      );
      // The countdown: a clock face a little over two hours, ticking.
      const face = panel.getByTestId('countdown');
      const first = await face.innerText();
      expect(first).toMatch(/^02:0\d:\d\d$/);
      await eventually(
        () => face.innerText(),
        (v) => v !== first,
      );
      expect(await panel.innerText()).toContain('투표 마감까지');
      expect(await panel.getByTestId('tally-voters').innerText()).toBe('투표 1명');
      expect(await outcomeOf(page, '골목 안심 귀갓길 조성')).toBe('selected');
      // The room is still a room: its chat and its questions are there.
      await page.getByRole('heading', { name: '채팅' }).waitFor();
      await page.getByRole('heading', { name: '질문' }).first().waitFor();
      await judge(page, 'room', size);
      expect(seen.errors).toEqual([]);
      await page.context().close();
    }
  });

  it('the projector view moves when a resident casts a ballot, reads 투표 마감 and the result at the close', async () => {
    const { page, seen } = await open(`/budgets/${budgetId}/screen`, PROJECTOR);
    const screen = page.getByTestId('screen');
    await screen.getByTestId('tally-state').waitFor();
    // No chrome: no site header, navigation, footer, buttons or links.
    expect(await page.locator('header.site-header, nav, footer, button, a').count()).toBe(0);
    expect(await screen.getByTestId('countdown').innerText()).toMatch(/^02:0\d:\d\d$/);
    expect(await screen.getByTestId('tally-voters').innerText()).toBe('투표 1명');
    expect(await outcomeOf(page, '골목 안심 귀갓길 조성')).toBe('selected');
    expect(await screen.innerText()).not.toContain('정릉천 보행교 신설');
    await judge(page, 'screen', 'projector');
    // Another resident votes over HTTP: the garden, the newsletter and the school. The tie at
    // one vote goes to the cheaper: the lights no longer fit what is left.
    await t.http
      .put(api(`/budgets/${budgetId}/ballot`))
      .set(late.auth)
      .send({ headingId, projectIds: [projects.school, projects.news, projects.garden] })
      .expect(200);
    await eventually(
      () => screen.getByTestId('tally-voters').innerText(),
      (v) => v === '투표 2명',
    );
    await eventually(
      () => outcomeOf(page, '골목 안심 귀갓길 조성'),
      (v) => v === 'did_not_fit',
    );
    expect(await outcomeOf(page, '마을 소식지 발간')).toBe('selected');
    expect(
      await page.locator('.tally-row', { hasText: '골목 안심 귀갓길 조성' }).innerText(),
    ).toContain('한도 초과');
    expect(await screen.innerText()).toContain('2,400만원 / 한도 3,000만원');
    await judge(page, 'screen-moved', 'projector');
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['mobile', MOBILE],
    ] as const) {
      const other = await open(`/budgets/${budgetId}/screen`, viewport);
      await other.page.getByTestId('tally-voters').waitFor();
      await judge(other.page, 'screen', size);
      await other.page.context().close();
    }
    // The close: the screen says so and shows the final result, without a reload.
    await movePhase(t, facilitator, budgetId, 'results');
    await eventually(
      () => screen.getByTestId('vote-state').getAttribute('data-state'),
      (v) => v === 'closed',
    );
    await eventually(
      () => screen.getByTestId('tally-state').innerText(),
      (v) => v === '확정 결과',
    );
    const closed = await screen.getByTestId('vote-state').innerText();
    expect(closed).toContain('투표 마감');
    expect(closed).toContain('최종 결과 발표');
    expect(await screen.getByTestId('countdown').count()).toBe(0);
    expect(await outcomeOf(page, '골목 안심 귀갓길 조성')).toBe('did_not_fit');
    expect(
      await page.locator('.tally-row', { hasText: '골목 안심 귀갓길 조성' }).innerText(),
    ).toContain('한도 초과로 제외');
    await judge(page, 'screen-closed', 'projector');
    expect(seen.errors).toEqual([]);
    await page.context().close();
  });

  it('without a public tally the projector view shows the countdown and no count at all', async () => {
    await t.http
      .put(api(`/budgets/${sealedId}/ballot`))
      .set(late.auth)
      .send({
        headingId: (await t.http.get(api(`/budgets/${sealedId}`)).expect(200)).body.headings[0].id,
        projectIds: [
          (
            await t.http
              .get(api(`/budgets/${sealedId}/projects?status=feasible&sort=amount`))
              .expect(200)
          ).body.items[0].id,
        ],
      })
      .expect(200);
    // The API gives no count before the results; the screen adds none.
    await t.http.get(api(`/budgets/${sealedId}/results`)).expect(409);
    const { page, seen } = await open(`/budgets/${sealedId}/screen`, PROJECTOR);
    await page.getByTestId('no-tally').waitFor();
    expect(await page.getByTestId('countdown').innerText()).toMatch(/^02:0\d:\d\d$/);
    expect(await page.getByTestId('tally-voters').count()).toBe(0);
    expect(await page.locator('.tally-row').count()).toBe(0);
    expect(await page.getByTestId('screen').innerText()).not.toMatch(/\d+\s*명|\d+\s*표/);
    await judge(page, 'screen-sealed', 'projector');
    expect(seen.errors).toEqual([]);
    await page.context().close();
  });

  it('the results page charts each outcome under the cap and gives the same figures as a table', async () => {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['mobile', MOBILE],
    ] as const) {
      const { page, seen } = await open(`/budgets/${budgetId}/results`, viewport);
      const chart = page.getByTestId('result-정릉3동');
      await chart.waitFor();
      const bar = (title: string) => chart.locator('.rchart-row', { hasText: title });
      expect(await bar('북한산 자락 마을 텃밭 조성').getAttribute('data-outcome')).toBe('selected');
      expect(await bar('마을 소식지 발간').getAttribute('data-outcome')).toBe('selected');
      expect(await bar('어르신 디지털 배움터').getAttribute('data-outcome')).toBe('selected');
      expect(await bar('골목 안심 귀갓길 조성').getAttribute('data-outcome')).toBe('did_not_fit');
      expect(await bar('정릉천 보행교 신설').getAttribute('data-outcome')).toBe('unfeasible');
      // A bar's length is its cost on the cap's scale: 1,500만원 of 3,000만원 is half of it.
      const widths = await page.evaluate(() => {
        const track = document.querySelector<HTMLElement>('.rchart-track')!;
        const spent = document.querySelector<HTMLElement>('.rchart-spent')!;
        const lights = [...document.querySelectorAll<HTMLElement>('.rchart-row')].find((r) =>
          r.innerText.includes('골목 안심 귀갓길 조성'),
        )!;
        return {
          spent: spent.offsetWidth / track.offsetWidth,
          // Against the cap's own bar: the two are drawn on one scale.
          lights: lights.querySelector<HTMLElement>('.rchart-bar')!.offsetWidth / track.offsetWidth,
        };
      });
      expect(widths.spent).toBeCloseTo(24 / 30, 1);
      expect(widths.lights).toBeCloseTo(0.5, 1);
      const legend = await chart.locator('.rchart-legend').innerText();
      for (const word of ['선정', '한도 초과로 제외', '부적격']) expect(legend).toContain(word);
      // The table: one row per project with its cost and outcome, and the cap split.
      const table = page.getByRole('table', { name: '정릉3동 사업별 결과 표' });
      const rows = table.locator('tbody tr');
      expect(await rows.count()).toBe(5);
      const lights = await table.getByRole('row', { name: /골목 안심 귀갓길 조성/ }).innerText();
      expect(lights).toContain('1,500만원');
      expect(lights).toContain('한도 초과로 제외');
      expect(await table.getByRole('row', { name: /정릉천 보행교 신설/ }).innerText()).toContain(
        '부적격',
      );
      const foot = await table.locator('tfoot').innerText();
      expect(foot).toContain('선정 사업비 2,400만원');
      expect(foot).toContain('남은 금액 600만원');
      expect(await page.locator('body').innerText()).toContain('온라인 2 · 현장 0 · 종이 0표');
      await judge(page, 'results', size);
      expect(seen.errors).toEqual([]);
      await page.context().close();
    }
  });
});
