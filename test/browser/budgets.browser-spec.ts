import { type Page } from 'playwright-core';
import {
  addHeading,
  createBudget,
  importRoll,
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
import { type TestApp, startTestApp } from '../utils/app';
import {
  DESKTOP,
  judgePage,
  launchBrowser,
  MOBILE,
  openPage,
  type TestBrowser,
} from '../utils/browser';

/**
 * The budget pages as a resident meets them: the budget, a project, the ballot on a phone (claim
 * a code, fill the basket, be stopped at the cap, cast, change) and the results. axe-core finds
 * nothing on each page at desktop and phone size; each is kept as a screenshot.
 */
describe('browser: participatory budget pages', () => {
  let t: TestApp;
  let b: TestBrowser;
  let facilitator: TestUser;
  let voter: TestUser;
  let budgetId: string;
  let projects: Record<string, string>;
  let code: string;

  const api = (path: string): string => `/api/v1${path}`;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    const admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '예산 진행자' });
    voter = await registerUser(t, { displayName: '정릉 주민' });
    const space = await createSpace(t, admin, { name: '성북구 마을공동체' });
    await makeFacilitator(t, admin, space.id, facilitator);
    budgetId = (
      await createBudget(t, facilitator, space.id, {
        title: '정릉3동 마을총회',
        description: '동 한도 3천만원 안에서 주민이 사업을 고릅니다.',
        totalAmount: 30_000_000,
        rule: { kind: 'knapsack' },
        electorate: 'roll',
        phases: [
          {
            phase: 'voting',
            startsAt: '2030-07-15T10:00:00+09:00',
            endsAt: '2030-07-15T16:00:00+09:00',
          },
        ],
      })
    ).id;
    const headingId = await addHeading(t, facilitator, budgetId, {
      name: '정릉3동',
      amount: 30_000_000,
    });
    projects = {};
    for (const [key, title, amount, category] of [
      ['lights', '골목 안심 귀갓길 조성', 15_000_000, '안전'],
      ['garden', '북한산 자락 마을 텃밭 조성', 12_000_000, '환경'],
      ['school', '어르신 디지털 배움터', 8_000_000, '교육'],
      ['news', '마을 소식지 발간', 4_000_000, '소통'],
    ] as const) {
      projects[key] = await proposeProject(t, voter, budgetId, {
        headingId,
        title,
        summary: `${title} 요약`,
        body: `${title} 본문입니다.`,
        amount,
        category,
        location: '정릉3동',
      });
    }
    await openVoting(
      t,
      facilitator,
      budgetId,
      Object.values(projects).map((id) => [
        id,
        { feasible: true, explanation: '현장 확인을 마쳤습니다.' },
      ]),
    );
    const codes = await importRoll(t, facilitator, budgetId, [
      { ref: 'JR-001', heading: '정릉3동' },
      { ref: 'JR-002', heading: '정릉3동' },
    ]);
    code = codes['JR-001']!;
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const open = (
    path: string,
    viewport: { width: number; height: number },
    who?: TestUser,
    colorScheme: 'light' | 'dark' = 'light',
  ) => openPage(b, t.url, path, { viewport, token: who?.token, colorScheme });

  const judge = (page: Page, name: string, size: string): Promise<void> =>
    judgePage(page, `${name} ${size}`, `budget-${name}-${size}`);

  it('the budget and project pages pass axe at desktop and phone size', async () => {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['mobile', MOBILE],
    ] as const) {
      const budget = await open(`/budgets/${budgetId}`, viewport);
      await budget.page.getByTestId('project-list').getByRole('listitem').first().waitFor();
      expect(await budget.page.getByRole('heading', { level: 1 }).innerText()).toBe(
        '정릉3동 마을총회',
      );
      expect(await budget.page.locator('body').innerText()).toContain('3,000만원');
      await judge(budget.page, 'budget', size);
      const project = await open(`/projects/${projects.lights}`, viewport);
      await project.page.getByRole('heading', { name: '검토 결과' }).waitFor();
      expect(await project.page.locator('body').innerText()).toContain('1,500만원');
      await judge(project.page, 'project', size);
      expect([...budget.seen.errors, ...project.seen.errors]).toEqual([]);
      await budget.page.context().close();
      await project.page.context().close();
    }
    // The dark scheme too.
    for (const [name, path, ready] of [
      ['budget', `/budgets/${budgetId}`, 'project-list'],
      ['project', `/projects/${projects.lights}`, ''],
    ] as const) {
      const { page } = await open(path, DESKTOP, undefined, 'dark');
      if (ready) await page.getByTestId(ready).getByRole('listitem').first().waitFor();
      else await page.getByRole('heading', { name: '검토 결과' }).waitFor();
      await judge(page, name, 'desktop-dark');
      await page.context().close();
    }
  });

  it('a resident follows the budget and a project from their pages', async () => {
    const reader = await registerUser(t, { displayName: '관심 주민' });
    const followed = async (path: string): Promise<boolean> =>
      (await t.http.get(api(path)).set(reader.auth).expect(200)).body.following;
    const budget = await open(`/budgets/${budgetId}`, MOBILE, reader);
    const follow = budget.page.getByTestId('follow');
    await follow.waitFor();
    expect(await follow.getAttribute('aria-pressed')).toBe('false');
    await follow.click();
    await budget.page.waitForSelector('[data-testid="follow"][aria-pressed="true"]');
    expect(await follow.innerText()).toBe('팔로우 중');
    expect(await followed(`/budgets/${budgetId}/follow`)).toBe(true);
    await judge(budget.page, 'budget-following', 'mobile');
    const project = await open(`/projects/${projects.lights}`, DESKTOP, reader);
    await project.page.getByTestId('follow').click();
    await project.page.waitForSelector('[data-testid="follow"][aria-pressed="true"]');
    const topicId = (await t.http.get(api(`/projects/${projects.lights}`)).expect(200)).body
      .topicId as string;
    expect(await followed(`/topics/${topicId}/follow`)).toBe(true);
    await judge(project.page, 'project-following', 'desktop');
    expect([...budget.seen.errors, ...project.seen.errors]).toEqual([]);
    await budget.page.context().close();
    await project.page.context().close();
  });

  it('a resident claims a code, fills the basket on a phone, is stopped at the cap, casts and changes it', async () => {
    const { page, seen } = await open(`/budgets/${budgetId}/ballot`, MOBILE, voter);
    await page.getByRole('textbox', { name: '투표 코드' }).fill(code);
    await page.getByRole('button', { name: '등록' }).click();
    const basket = page.getByTestId('basket-정릉3동');
    await basket.waitFor();
    await judge(page, 'ballot-empty', 'mobile');
    const card = (title: string) => page.locator('.project-card', { hasText: title });
    await card('골목 안심 귀갓길 조성').getByRole('button', { name: '담기' }).click();
    await card('북한산 자락 마을 텃밭 조성').getByRole('button', { name: '담기' }).click();
    await expect(basket.innerText()).resolves.toContain('남은 금액 300만원');
    // 800만원 no longer fits in the 300만원 left: refused before anything is sent.
    const school = card('어르신 디지털 배움터');
    expect(await school.getByRole('button', { name: '담기' }).isDisabled()).toBe(true);
    expect(await school.innerText()).toContain('한도를 넘어 담을 수 없습니다');
    await judge(page, 'ballot-full', 'mobile');
    await page.getByTestId('cast').click();
    await page.getByTestId('ballot-confirmed').waitFor();
    expect(await page.getByTestId('ballot-confirmed').innerText()).toContain(
      '골목 안심 귀갓길 조성',
    );
    let mine = await t.http
      .get(api(`/budgets/${budgetId}/ballot`))
      .set(voter.auth)
      .expect(200);
    expect(mine.body.ballots[0].projectIds.sort()).toEqual(
      [projects.lights, projects.garden].sort(),
    );
    // Change it: take the garden out, the school and the newsletter in.
    await card('북한산 자락 마을 텃밭 조성').getByRole('button', { name: '빼기' }).click();
    await school.getByRole('button', { name: '담기' }).click();
    await card('마을 소식지 발간').getByRole('button', { name: '담기' }).click();
    await expect(basket.innerText()).resolves.toContain('남은 금액 300만원');
    await page.getByRole('button', { name: /투표 바꾸기/ }).click();
    await page
      .waitForFunction(
        () => !document.body.innerText.includes('북한산 자락 마을 텃밭 조성\n'),
        undefined,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    mine = await t.http
      .get(api(`/budgets/${budgetId}/ballot`))
      .set(voter.auth)
      .expect(200);
    expect(mine.body.ballots[0].projectIds.sort()).toEqual(
      [projects.lights, projects.school, projects.news].sort(),
    );
    await judge(page, 'ballot-cast', 'mobile');
    expect(seen.errors).toEqual([]);
    await page.context().close();

    const desktop = await open(`/budgets/${budgetId}/ballot`, DESKTOP, voter);
    await desktop.page.getByTestId('ballot-confirmed').waitFor();
    await judge(desktop.page, 'ballot-cast', 'desktop');
    await desktop.page.context().close();
  });

  it('an officer records an on-site ballot, and the results page shows selected, did not fit and the money spent', async () => {
    // The officer's kiosk at the booth, on a tablet-sized screen.
    const kiosk = await open(`/budgets/${budgetId}/kiosk`, DESKTOP, facilitator);
    await kiosk.page.getByRole('textbox', { name: '명부 번호' }).waitFor();
    await judge(kiosk.page, 'kiosk', 'desktop');
    // A line that voted online is refused, and the refusal is shown in Korean.
    await kiosk.page.getByRole('textbox', { name: '명부 번호' }).fill('JR-001');
    await kiosk.page.getByLabel(/마을 소식지 발간/).check();
    await kiosk.page.getByRole('button', { name: /현장 투표 기록/ }).click();
    await kiosk.page.locator('.form-error[data-code="already_voted"]').waitFor();
    await kiosk.page.getByRole('textbox', { name: '명부 번호' }).fill('JR-002');
    await kiosk.page.getByLabel(/마을 소식지 발간/).uncheck();
    await kiosk.page.getByLabel(/북한산 자락 마을 텃밭 조성/).check();
    await kiosk.page.getByLabel(/어르신 디지털 배움터/).check();
    await kiosk.page.getByRole('button', { name: /현장 투표 기록/ }).click();
    await kiosk.page.getByTestId('kiosk-recorded').waitFor();
    expect(await kiosk.page.getByTestId('kiosk-recorded').innerText()).toContain('JR-002');
    await judge(kiosk.page, 'kiosk-recorded', 'desktop');
    expect(kiosk.seen.errors).toEqual([]);
    await kiosk.page.context().close();
    const phone = await open(`/budgets/${budgetId}/kiosk`, MOBILE, facilitator);
    await phone.page.getByRole('textbox', { name: '명부 번호' }).waitFor();
    await judge(phone.page, 'kiosk', 'mobile');
    await phone.page.context().close();
    const before = await open(`/budgets/${budgetId}/results`, DESKTOP);
    await before.page.getByText('결과는 투표가 끝난 뒤에 공개됩니다.').waitFor();
    await before.page.context().close();
    await movePhase(t, facilitator, budgetId, 'results');
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['mobile', MOBILE],
    ] as const) {
      const { page, seen } = await open(`/budgets/${budgetId}/results`, viewport);
      const list = page.getByTestId('result-정릉3동');
      await list.waitFor();
      const body = await page.locator('body').innerText();
      expect(body).toContain('확정 결과');
      expect(body).toContain('한도 초과로 제외');
      expect(body).toContain('온라인 1 · 현장 1 · 종이 0표');
      await judge(page, 'results', size);
      expect(seen.errors).toEqual([]);
      await page.context().close();
    }
    const dark = await open(`/budgets/${budgetId}/results`, DESKTOP, undefined, 'dark');
    await dark.page.getByTestId('result-정릉3동').waitFor();
    await judge(dark.page, 'results', 'desktop-dark');
    await dark.page.context().close();
  });
});
