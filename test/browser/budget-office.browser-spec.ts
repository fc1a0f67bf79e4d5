import { readFileSync } from 'node:fs';
import { type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { proposeProject } from '../factories/budgets';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createRoom } from '../factories/rooms';
import { createTopic } from '../factories/topics';
import { type TestApp, startTestApp } from '../utils/app';
import {
  axeViolations,
  DESKTOP,
  launchBrowser,
  MOBILE,
  screenshot,
  type TestBrowser,
  typeKoreanDate,
  openPage,
} from '../utils/browser';

/**
 * A budget committee's staff runs a participatory budget from the pages only: creates it in the
 * space's management page (Seoul's weighted classes), adds a heading, moves it through its
 * phases with a confirmation, reviews the proposals (one feasible, one not, with the reason),
 * imports the roll from a CSV file and downloads the new codes, enters a station's paper totals
 * while voting (a count over the ballots is named next to its field), and writes a milestone of
 * a selected project. Every tab passes axe-core at desktop and phone size and is kept as a
 * screenshot (test-artifacts/screenshots/bud-office-*.png); residents are turned away.
 */
describe('browser: the budget office, a committee’s budget from the pages', () => {
  let t: TestApp;
  let b: TestBrowser;
  let facilitator: TestUser;
  let citizen: TestUser;
  let space: { id: string; slug: string };
  let budgetId = '';
  let assemblyRoomId = '';

  const api = (path: string): string => `/api/v1${path}`;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    const admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '강북 진행자' });
    citizen = await registerUser(t, { displayName: '수유동 주민' });
    space = await createSpace(t, admin, { name: '강북구 주민참여예산위원회' });
    await makeFacilitator(t, admin, space.id, facilitator);
    const topic = await createTopic(t, facilitator, space.id, { title: '수유동 주민총회' });
    assemblyRoomId = (await createRoom(t, facilitator, topic.id, { title: '수유동 주민총회 현장' }))
      .id;
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  /** A page of the office's people, or of an anonymous reader (on the home page first). */
  async function pageAs(user: TestUser | null): Promise<{ page: Page; errors: string[] }> {
    const { page, seen } = await openPage(b, t.url, '/', {
      viewport: DESKTOP,
      ...(user ? { token: user.token } : {}),
    });
    return { page, errors: seen.errors };
  }

  /** axe finds nothing at both sizes, nothing overflows, no English on the Korean page. */
  async function check(page: Page, name: string): Promise<void> {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['mobile', MOBILE],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(200);
      expect({ name, size, violations: await axeViolations(page) }).toEqual({
        name,
        size,
        violations: [],
      });
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect({ name, size, overflow }).toEqual({ name, size, overflow: 0 });
      expect(await page.locator('main').innerText()).not.toMatch(
        /\b(Phase|Headings|Review|Voter roll|Paper|Execution|Manage|must|not found|Something went wrong)\b/,
      );
      await screenshot(page, `bud-office-${name}-${size}`);
    }
    await page.setViewportSize(DESKTOP);
  }

  const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true }).click();
  const toast = (page: Page, text: string) =>
    page.getByTestId('toast').filter({ hasText: text }).first().waitFor();

  it('creates, runs and executes a budget from the pages', async () => {
    const { page, errors } = await pageAs(facilitator);

    // ---- The space's management page: no budget yet, then the form.
    await page.goto(`${t.url}/spaces/${space.slug}/manage`);
    await tab(page, '참여예산');
    await page.getByRole('heading', { name: '아직 만든 참여예산이 없습니다.' }).waitFor();
    const form = page.getByRole('form', { name: '새 예산' });
    await form.getByLabel('예산 과정 이름').fill('2031 강북구 주민참여예산');
    await form.getByLabel('설명').fill('동마다 한도 안에서 주민이 사업을 고릅니다.');
    await form.getByLabel('총액(원)').fill('50000000');
    await form.getByLabel('최소 사용 비율(%)').fill('30');
    await page.getByTestId('seoul-classes').click();
    expect(await page.getByTestId('class-row').count()).toBe(4);
    expect(await page.getByTestId('weight-sum').innerText()).toBe('가중치 합 100 / 100');
    await typeKoreanDate(form, '제안 접수 끝', '2031-04-30T18:00');
    await typeKoreanDate(form, '투표 시작', '2031-06-01T09:00');
    await typeKoreanDate(form, '투표 끝', '2031-06-20T18:00');
    // Weights that do not add up: the server's answer is shown where the classes are.
    await page.getByTestId('class-row').nth(3).getByLabel('가중치').fill('20');
    await form.getByRole('button', { name: '예산 만들기' }).click();
    const classError = form.locator('[data-field="voterClasses"]');
    await classError.waitFor();
    expect(await classError.innerText()).toMatch(/100/);
    expect(await form.locator('.form-error').innerText()).toBe('표시한 칸을 고쳐 주세요.');
    await check(page, 'space-new-budget-error');
    // Dates out of order: named at the phases' dates.
    await page.getByTestId('seoul-classes').click();
    await typeKoreanDate(form, '투표 끝', '2031-05-20T18:00');
    await form.getByRole('button', { name: '예산 만들기' }).click();
    await form.locator('[data-field="phases"]').waitFor();
    expect(await classError.count()).toBe(0);
    await typeKoreanDate(form, '투표 끝', '2031-06-20T18:00');
    await form.getByRole('button', { name: '예산 만들기' }).click();
    await page.waitForURL(/\/budgets\/[0-9a-f-]{36}\/manage$/);
    budgetId = page.url().split('/').slice(-2)[0]!;
    const created = (await t.http.get(api(`/budgets/${budgetId}`)).expect(200)).body;
    expect(created.voterClasses).toEqual([
      { key: 'citizen', name: '일반 시민', weight: 50 },
      { key: 'committee', name: '참여예산위원', weight: 30 },
      { key: 'school', name: '예산학교 수료자', weight: 10 },
      { key: 'proposer', name: '사업 제안자', weight: 10 },
    ]);
    expect(created.rule).toEqual({ kind: 'knapsack', maxChoices: null, minSpendRatio: 0.3 });
    expect(created.electorate).toBe('roll');

    // ---- The office: the phase tab says where it is and what may come next.
    await page.getByRole('heading', { name: '예산 관리: 2031 강북구 주민참여예산' }).waitFor();
    expect(await page.getByTestId('office-phase').innerText()).toBe('제안 접수');
    await page.getByTestId('move-review').waitFor();
    await check(page, 'phase');

    // The assembly's town hall: one of the space's rooms, linked from the phase tab.
    const assembly = page.getByRole('form', { name: '총회 타운홀' });
    await assembly.getByLabel('연결할 타운홀').selectOption({ label: '수유동 주민총회 현장' });
    await assembly.getByRole('button', { name: '타운홀 연결 저장' }).click();
    await page.getByRole('link', { name: '총회 화면(프로젝터) 열기' }).waitFor();
    expect((await t.http.get(api(`/budgets/${budgetId}`)).expect(200)).body.roomId).toBe(
      assemblyRoomId,
    );
    await check(page, 'phase-assembly');

    // ---- 분야: a heading with its cap.
    await tab(page, '분야');
    const headingForm = page.getByRole('form', { name: '분야 추가' });
    await headingForm.getByLabel('분야 이름').fill('수유동');
    await headingForm.getByLabel('한도(원)').fill('30000000');
    await headingForm.getByLabel('묶음').fill('강북구');
    await headingForm.getByRole('button', { name: '분야 추가' }).click();
    await page.getByTestId('office-headings').getByRole('cell', { name: '수유동' }).waitFor();
    await check(page, 'headings');
    await page.getByRole('heading', { name: '분야 추가' }).waitFor();
    const budget = (await t.http.get(api(`/budgets/${budgetId}`)).expect(200)).body;
    const headingId = budget.headings[0].id as string;
    expect(budget.headings[0]).toMatchObject({
      name: '수유동',
      amount: 30_000_000,
      group: '강북구',
    });

    // ---- 설정: the budget's settings after creation, with the server's refusal at its field.
    await tab(page, '설정');
    const settings = page.getByRole('form', { name: '예산 설정' });
    expect(await settings.getByLabel('예산 과정 이름').inputValue()).toBe(
      '2031 강북구 주민참여예산',
    );
    expect(await settings.getByLabel('최소 사용 비율(%)').inputValue()).toBe('30');
    expect(await settings.getByTestId('class-row').count()).toBe(4);
    await settings
      .getByLabel('설명')
      .fill('동마다 한도 안에서 주민이 사업을 고릅니다. 결과는 총회에서 발표합니다.');
    await settings.getByLabel('최소 사용 비율(%)').fill('25');
    await settings.getByTestId('class-row').nth(2).getByLabel('가중치').fill('20');
    await settings.getByRole('button', { name: '설정 저장' }).click();
    await settings.locator('[data-field="voterClasses"]').waitFor();
    expect(await settings.locator('.form-error').innerText()).toBe('표시한 칸을 고쳐 주세요.');
    expect(
      (await t.http.get(api(`/budgets/${budgetId}`)).expect(200)).body.rule.minSpendRatio,
    ).toBe(0.3);
    await settings.getByTestId('class-row').nth(2).getByLabel('가중치').fill('10');
    await settings.getByRole('button', { name: '설정 저장' }).click();
    await toast(page, '설정을 저장했습니다');
    const edited = (await t.http.get(api(`/budgets/${budgetId}`)).expect(200)).body;
    expect(edited).toMatchObject({
      description: '동마다 한도 안에서 주민이 사업을 고릅니다. 결과는 총회에서 발표합니다.',
      rule: { kind: 'knapsack', maxChoices: null, minSpendRatio: 0.25 },
      electorate: 'roll',
      liveTally: false,
    });
    expect(edited.voterClasses.map((c: { weight: number }) => c.weight)).toEqual([50, 30, 10, 10]);
    await check(page, 'settings');

    // Residents propose three projects, the oldest first.
    const projects: Record<string, string> = {};
    for (const [key, title, amount] of [
      ['park', '수유동 어린이공원 그늘막 설치', 15_000_000],
      ['bridge', '우이천 징검다리 새로 놓기', 900_000_000],
      ['library', '작은도서관 주말 개방', 12_000_000],
    ] as const) {
      projects[key] = await proposeProject(t, citizen, budgetId, {
        headingId,
        title,
        summary: `${title} 요약`,
        body: `${title} 본문`,
        amount,
      });
    }

    // ---- 단계: to review, after a confirmation.
    await tab(page, '단계');
    await page.getByTestId('move-review').click();
    await page.getByRole('dialog').getByText('되돌릴 수 없습니다').waitFor();
    await check(page, 'phase-confirm');
    await page.getByTestId('confirm').click();
    await toast(page, '‘검토’ 단계로 넘겼습니다');
    expect(await page.getByTestId('office-phase').innerText()).toBe('검토');
    // From review: objection, or straight to voting.
    await page.getByTestId('move-objection').waitFor();
    await page.getByTestId('move-voting').waitFor();

    // ---- 심사: the queue, oldest first; one feasible, one unfeasible with its reason.
    await tab(page, '심사');
    const queue = page.getByTestId('review-queue');
    await queue.getByTestId('review-card').first().waitFor();
    expect(await queue.locator('.card-title').allInnerTexts()).toEqual([
      '수유동 어린이공원 그늘막 설치',
      '우이천 징검다리 새로 놓기',
      '작은도서관 주말 개방',
    ]);
    await check(page, 'review');
    const card = (title: string) => queue.getByTestId('review-card').filter({ hasText: title });
    const park = card('수유동 어린이공원 그늘막 설치');
    await park.getByLabel('적격 — 투표 대상').check();
    await park
      .getByLabel('검토 설명(공개)')
      .fill('현장 확인을 마쳤습니다. 공원녹지과와 협의했습니다.');
    await park.getByRole('button', { name: '심사 결과 저장' }).click();
    await toast(page, '수유동 어린이공원 그늘막 설치');
    await park.waitFor({ state: 'detached' });
    const bridge = card('우이천 징검다리 새로 놓기');
    await bridge.getByLabel('부적격').check();
    await bridge
      .getByLabel('부적격 사유(공개)')
      .fill('하천 구조물은 서울시 사업으로 동 예산 한도를 넘습니다.');
    await bridge.getByRole('button', { name: '심사 결과 저장' }).click();
    await bridge.waitFor({ state: 'detached' });
    const library = card('작은도서관 주말 개방');
    await library.getByLabel('적격 — 투표 대상').check();
    await library.getByLabel('검토 금액(원)').fill('10000000');
    await library
      .getByLabel('검토 설명(공개)')
      .fill('운영 인력을 포함해 1천만원으로 조정했습니다.');
    await library.getByRole('button', { name: '심사 결과 저장' }).click();
    await page.getByRole('heading', { name: '심사를 기다리는 사업이 없습니다.' }).waitFor();
    const reviewed = (await t.http.get(api(`/projects/${projects.bridge}`)).expect(200)).body;
    expect(reviewed.status).toBe('unfeasible');
    expect(reviewed.review.explanation).toBe(
      '하천 구조물은 서울시 사업으로 동 예산 한도를 넘습니다.',
    );
    expect((await t.http.get(api(`/projects/${projects.library}`)).expect(200)).body.cost).toBe(
      10_000_000,
    );

    // ---- 투표인 명부: from a CSV file; a bad line is named with its reason; codes downloaded.
    await tab(page, '투표인 명부');
    const rollForm = page.getByRole('form', { name: '명부 올리기' });
    await rollForm.getByLabel('CSV 파일').setInputFiles({
      name: 'roll.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        '\uFEFFref,heading,class\nSY-001,수유동,citizen\nSY-002,,committee\nSY-003,없는동,citizen\n',
      ),
    });
    await expect(rollForm.getByLabel('명부 내용').inputValue()).resolves.toContain('SY-003');
    await rollForm.getByRole('button', { name: '명부 올리기' }).click();
    const result = page.getByTestId('roll-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('등록 2줄');
    expect(await result.innerText()).toContain('새 투표 코드 2개');
    expect(await page.getByTestId('rejected-lines').innerText()).toBe(
      '4번째 줄: 없는 분야 이름입니다',
    );
    await check(page, 'roll');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-codes').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/투표코드\.csv$/);
    const codesCsv = readFileSync(await download.path(), 'utf8');
    const lines = codesCsv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('ref,code');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['SY-001', 'SY-002']);
    for (const l of lines.slice(1))
      expect(l.split(',')[1]).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // The downloaded code is a real one: the resident claims it.
    const claimed = await t.http
      .post(api(`/budgets/${budgetId}/voters/claim`))
      .set(citizen.auth)
      .send({ code: lines[1]!.split(',')[1] })
      .expect(200);
    expect(claimed.body).toMatchObject({ ref: 'SY-001', classKey: 'citizen' });

    // ---- 단계: straight to voting.
    await tab(page, '단계');
    await page.getByTestId('move-voting').click();
    await page.getByTestId('confirm').click();
    await toast(page, '‘투표’ 단계로 넘겼습니다');

    // ---- 설정 while voting: the rule, the electorate and the classes are shown, not editable;
    // the rest still saves.
    await tab(page, '설정');
    await page.getByTestId('settings-locked').waitFor();
    const lockedForm = page.getByRole('form', { name: '예산 설정' });
    expect(await lockedForm.getByLabel('투표 방식').isDisabled()).toBe(true);
    expect(await lockedForm.getByLabel('최소 사용 비율(%)').isDisabled()).toBe(true);
    await lockedForm.getByLabel('예산 과정 이름').fill('2031 강북구 주민참여예산');
    await lockedForm.getByRole('button', { name: '설정 저장' }).click();
    await toast(page, '설정을 저장했습니다');
    await check(page, 'settings-locked');

    // ---- 현장 투표: the link to the kiosk.
    await tab(page, '현장 투표');
    const kiosk = page.getByRole('link', { name: /현장 투표 화면 열기/ });
    expect(await kiosk.getAttribute('href')).toBe(`/budgets/${budgetId}/kiosk`);
    await check(page, 'kiosk');

    // ---- 종이 투표: a count over the ballots is refused next to that project's field.
    await tab(page, '종이 투표');
    const paper = page.getByRole('form', { name: '투표소별 종이 투표 집계' });
    await paper.getByLabel('‘수유동 어린이공원 그늘막 설치’ 선택 수').waitFor();
    expect(await paper.getByLabel(/우이천/).count()).toBe(0);
    await paper.getByLabel('투표소').fill('수유1동 주민센터');
    await paper.getByLabel('계층').selectOption('committee');
    await paper.getByLabel('투표지 수').fill('40');
    await paper.getByLabel('‘수유동 어린이공원 그늘막 설치’ 선택 수').fill('52');
    await paper.getByLabel('‘작은도서관 주말 개방’ 선택 수').fill('25');
    await paper.getByRole('button', { name: '집계 입력' }).click();
    const over = paper.locator(`[data-field="counts.${projects.park}"]`);
    await over.waitFor();
    expect(await over.innerText()).toMatch(/40/);
    expect(
      await paper
        .getByLabel('‘수유동 어린이공원 그늘막 설치’ 선택 수')
        .getAttribute('aria-invalid'),
    ).toBe('true');
    await check(page, 'paper-error');
    await paper.getByLabel('‘수유동 어린이공원 그늘막 설치’ 선택 수').fill('32');
    await paper.getByRole('button', { name: '집계 입력' }).click();
    await toast(page, '수유1동 주민센터 투표소 집계를 입력했습니다');
    expect(await over.count()).toBe(0);
    // The entries so far: station, heading, class and ballots, never the counts.
    const entered = page.getByTestId('paper-entries').getByRole('row').nth(1);
    await entered.waitFor();
    expect(await entered.innerText()).toMatch(
      /수유1동 주민센터\s+수유동\s+참여예산위원\s+40\s+강북 진행자/,
    );
    await check(page, 'paper');
    const rows: { station: string; class_key: string; ballots: number; counts: unknown }[] =
      await t.app
        .get(DataSource)
        .query(
          `SELECT station, class_key, ballots, counts FROM budget_paper_totals WHERE budget_id = $1`,
          [budgetId],
        );
    expect(rows).toEqual([
      {
        station: '수유1동 주민센터',
        class_key: 'committee',
        ballots: 40,
        counts: { [projects.park!]: 32, [projects.library!]: 25 },
      },
    ]);
    // The same station, heading and class twice: refused, said in Korean.
    await paper.getByLabel('투표소').fill('수유1동 주민센터');
    await paper.getByLabel('계층').selectOption('committee');
    await paper.getByLabel('투표지 수').fill('5');
    await paper.getByRole('button', { name: '집계 입력' }).click();
    await paper.locator('.form-error[data-code="already_entered"]').waitFor();

    // ---- 단계: results (the draw), then execution.
    await tab(page, '단계');
    await page.getByTestId('move-results').click();
    await page.getByRole('dialog').getByText('결과를 확정합니다').waitFor();
    await page.getByTestId('confirm').click();
    await toast(page, '‘결과’ 단계로 넘겼습니다');
    await page.getByTestId('move-execution').click();
    await page.getByTestId('confirm').click();
    await toast(page, '‘집행’ 단계로 넘겼습니다');
    expect(await page.getByTestId('office-timeline').locator('li').count()).toBe(5);
    await check(page, 'phase-execution');

    // ---- 집행: a milestone on a selected project.
    await tab(page, '집행');
    const list = page.getByTestId('execution-list');
    await list.getByTestId('execution-card').first().waitFor();
    expect((await list.locator('.card-title').allInnerTexts()).sort()).toEqual([
      '수유동 어린이공원 그늘막 설치',
      '작은도서관 주말 개방',
    ]);
    const parkCard = list.getByTestId('execution-card').filter({ hasText: '그늘막' });
    await parkCard.getByLabel('경과 제목').fill('설계 용역 착수');
    await typeKoreanDate(parkCard, '날짜', '2031-08-01');
    await parkCard.getByLabel('진행률(%)').fill('15');
    await parkCard.getByLabel('내용').fill('그늘막 위치를 주민과 함께 정했습니다.');
    await parkCard.getByRole('button', { name: '경과 추가' }).click();
    await parkCard.getByText('진행 15%').waitFor();
    await check(page, 'execution');
    const executed = (await t.http.get(api(`/projects/${projects.park}`)).expect(200)).body;
    expect(executed.milestones).toEqual([
      expect.objectContaining({ title: '설계 용역 착수', date: '2031-08-01', progress: 15 }),
    ]);

    // ---- The space's tab lists it with its phase and the link here.
    await page.goto(`${t.url}/spaces/${space.slug}/manage`);
    await tab(page, '참여예산');
    const row = page.getByTestId('space-budgets').getByRole('row', { name: /2031 강북구/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('집행');
    expect(await row.getByRole('link', { name: /관리하기/ }).getAttribute('href')).toBe(
      `/budgets/${budgetId}/manage`,
    );
    await check(page, 'space-budgets');

    // ---- The budget page links here for the facilitator.
    await page.goto(`${t.url}/budgets/${budgetId}`);
    await page.getByRole('link', { name: '⚙️ 관리', exact: true }).click();
    await page.getByRole('heading', { name: '예산 관리: 2031 강북구 주민참여예산' }).waitFor();
    expect(errors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('turns away residents and anonymous readers, and shows them no 관리 link', async () => {
    const resident = await pageAs(citizen);
    await resident.page.goto(`${t.url}/budgets/${budgetId}/manage`);
    await resident.page
      .getByRole('heading', { name: '이 공간의 진행자와 관리자만 예산을 관리할 수 있습니다.' })
      .waitFor();
    expect(await resident.page.getByRole('tab').count()).toBe(0);
    await check(resident.page, 'refused');
    await resident.page.goto(`${t.url}/budgets/${budgetId}`);
    await resident.page.getByTestId('project-list').getByRole('listitem').first().waitFor();
    expect(await resident.page.getByRole('link', { name: '⚙️ 관리' }).count()).toBe(0);
    await resident.page.context().close();

    const anonymous = await pageAs(null);
    await anonymous.page.goto(`${t.url}/budgets/${budgetId}/manage`);
    await anonymous.page.getByRole('link', { name: '로그인' }).last().waitFor();
    expect(await anonymous.page.getByRole('tab').count()).toBe(0);
    await anonymous.page.context().close();
  }, 60_000);
});
