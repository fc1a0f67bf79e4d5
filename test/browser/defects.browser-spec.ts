/// <reference lib="dom" />
import { type Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { registerUser } from '../factories/identity';
import { createTopic, postComment } from '../factories/topics';
import { DeadlineScheduler } from '../../src/topics/deadline-scheduler';
import { type TestApp, startTestApp } from '../utils/app';
import { closeAll, connected, ok } from '../utils/live-client';
import { launchBrowser, screenshot, signIn, type TestBrowser, watchPage } from '../utils/browser';
import { PASSWORD, pageWorld, type PageWorld } from './world';

/** The ten defects of "The citizen's Madang", each as a resident would meet it. */
describe('browser: the citizen’s Madang', () => {
  let t: TestApp;
  let b: TestBrowser;
  let w: PageWorld;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    w = await pageWorld(t);
  }, 120_000);
  afterAll(async () => {
    closeAll();
    await b?.close();
    await t?.close();
  });

  async function open(
    path: string,
    user?: { email: string },
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await b.context({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const seen = watchPage(page);
    if (user) await signIn(page, t.url, user.email, PASSWORD);
    await page.goto(`${t.url}${path}`);
    return { page, errors: seen.errors };
  }

  it('1. every reply at any depth can be reached, and a reply to a reply shows after a reload', async () => {
    const topic = await createTopic(t, w.citizen, w.space.id, {
      title: '골목 가로등을 밝게 해 주세요',
    });
    // 10 comments: a top-level one, a chain five deep below it, and four more replies.
    const top = await postComment(t, w.citizen, topic.id, { body: '첫 의견' });
    let parent = top.id;
    const ids = [top.id];
    for (let i = 1; i <= 5; i++) {
      const c = await postComment(t, w.neighbour, topic.id, {
        body: `${i}단계 답글`,
        parentId: parent,
      });
      ids.push(c.id);
      parent = c.id;
    }
    for (let i = 0; i < 4; i++)
      ids.push(
        (await postComment(t, w.citizen, topic.id, { body: `형제 답글 ${i}`, parentId: top.id }))
          .id,
      );
    const { page, errors } = await open(`/topics/${topic.id}`);
    await page.getByRole('heading', { name: '토론 (10)' }).waitFor();
    // The reply to a reply (depth 2) is there without a click.
    await page.locator(`[data-comment-id="${ids[2]}"]`).waitFor();
    // Every "more" button opens the rest, until all ten are on the page.
    for (let round = 0; round < 10; round++) {
      const more = page.locator('button.load-replies');
      if ((await more.count()) === 0) break;
      await more.first().click();
      await page.waitForTimeout(300);
    }
    for (const id of ids) await page.locator(`[data-comment-id="${id}"]`).waitFor();
    expect(await page.locator('li.comment').count()).toBe(10);
    // Deeper than four levels, replies are flattened and say whom they answer.
    await page.locator(`[data-comment-id="${ids[5]}"]`).getByText('↳').waitFor();
    await screenshot(page, 'defect-1-deep-thread');
    expect(errors).toEqual([]);
  });

  it('2. server messages and the timeline read in Korean, built from their data', async () => {
    const { page } = await open('/signin');
    await page.getByLabel('이메일').fill(w.citizen.email);
    await page.getByLabel('비밀번호').fill('not the password');
    await page.getByRole('button', { name: '로그인' }).last().click();
    await page
      .locator('.form-error', { hasText: '이메일 또는 비밀번호가 맞지 않습니다.' })
      .waitFor();
    await page.goto(`${t.url}/topics/${w.deliberating}`);
    const timeline = page.locator('.timeline');
    await timeline.getByText('공감 기준 도달').first().waitFor();
    expect(await timeline.innerText()).not.toMatch(/threshold|review|deliberating/);
    // The API speaks Korean by default and English when asked.
    const ko = await t.http
      .post('/api/v1/auth/login')
      .send({ email: w.citizen.email, password: 'x' });
    expect(ko.body).toMatchObject({
      code: 'invalid_credentials',
      detail: '이메일 또는 비밀번호가 맞지 않습니다.',
    });
    const en = await t.http
      .post('/api/v1/auth/login')
      .set('Accept-Language', 'en')
      .send({ email: w.citizen.email, password: 'x' });
    expect(en.body).toMatchObject({
      code: 'invalid_credentials',
      detail: 'Email or password is incorrect.',
    });
  });

  it('3. ladder figures add up, for agrees and for participants, live and after the end', async () => {
    const { page } = await open(`/topics/${w.deliberating}`);
    const ladder = page.getByTestId('ladder-text');
    await ladder.waitFor();
    const check = async () => {
      const text = await ladder.innerText();
      const m = /(\d+) \/ (\d+).*?(\d+) 남음/.exec(text);
      expect(m).not.toBeNull();
      expect(Number(m![1]) + Number(m![3])).toBe(Number(m![2]));
      return Number(m![1]);
    };
    const topic = (await t.http.get(`/api/v1/topics/${w.deliberating}`)).body;
    expect(await check()).toBe(topic.counts.participants);
    // An agree moves the agree count, not the participant figure of the response rung.
    const agreer = await registerUser(t, { displayName: '새 시민' });
    await t.http.put(`/api/v1/topics/${w.deliberating}/agree`).set(agreer.auth).expect(200);
    await page
      .getByTestId('topic-agrees')
      .filter({ hasText: String(topic.counts.agrees + 1) })
      .waitFor();
    await page.waitForTimeout(500);
    const after = (await t.http.get(`/api/v1/topics/${w.deliberating}`)).body;
    expect(await check()).toBe(after.counts.participants);
    // Expired and rejected topics say so, not "every step reached".
    const expiring = await createTopic(t, w.neighbour, w.space.id, {
      title: '기간이 지난 제안입니다',
    });
    await t.app
      .get(DataSource)
      .query(`UPDATE topics SET proposal_expires_at = now() - interval '1 minute' WHERE id = $1`, [
        expiring.id,
      ]);
    await t.app.get(DeadlineScheduler).runOnce();
    await page.goto(`${t.url}/topics/${expiring.id}`);
    await page.getByText('제안 기간 안에 첫 기준에 이르지 못해 마감되었습니다').waitFor();
    const rejected = await createTopic(t, w.neighbour, w.space.id, { title: '반려될 제안입니다' });
    await t.http
      .post(`/api/v1/topics/${rejected.id}/transitions`)
      .set(w.facilitator.auth)
      .send({ to: 'rejected', reason: '중복 제안' })
      .expect(200);
    await page.goto(`${t.url}/topics/${rejected.id}`);
    await page.getByText('반려되어 더 이상 단계를 오르지 않습니다').waitFor();
    expect(await page.locator('body').innerText()).not.toContain('모든 단계');
  });

  it('4. stances move the chart at once and live; a pressed agree is clearly pressed', async () => {
    const voter = await registerUser(t, { displayName: '입장 시민', password: PASSWORD });
    const { page } = await open(`/topics/${w.deliberating}`, voter);
    const forCount = page.locator('[data-stance="for"] .stance-count');
    const before = Number(await forCount.innerText());
    await page.locator('button.stance-choice[data-stance="for"]').click();
    await forCount.filter({ hasText: String(before + 1) }).waitFor();
    await page.locator('button.stance-choice[data-stance="for"][aria-pressed="true"]').waitFor();
    // Someone else's stance arrives live.
    const other = await registerUser(t, { displayName: '반대 시민' });
    const against = page.locator('[data-stance="against"] .stance-count');
    const was = Number(await against.innerText());
    await t.http
      .put(`/api/v1/topics/${w.deliberating}/stance`)
      .set(other.auth)
      .send({ stance: 'against' })
      .expect(200);
    await against.filter({ hasText: String(was + 1) }).waitFor();
    // Agree: the pressed state says 공감함 and its colours meet AA (4.5:1).
    await page.locator('button.agree-topic').click();
    const pressed = page.locator('button.agree-topic[aria-pressed="true"]');
    await pressed.filter({ hasText: '공감함' }).waitFor();
    // The colours are read once the button's transition has run, not halfway through it.
    await pressed.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    const ratio = await pressed.evaluate((el) => {
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: number[]) => {
        const [r, g, bl] = c.map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
      };
      const style = getComputedStyle(el);
      const a = lum(rgb(style.color));
      const z = lum(rgb(style.backgroundColor));
      return (Math.max(a, z) + 0.05) / (Math.min(a, z) + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(4.5);
  });

  it('5. reporting asks why, refuses one’s own words, shows failures, and works in the live chat', async () => {
    const { page } = await open(`/topics/${w.deliberating}`, w.citizen);
    // Their own comment (chain[0]) has no report button; someone else's (chain[1]) does.
    const own = page.locator(`[data-comment-id="${w.chain[0]}"] > .comment-actions`);
    await own.locator('.edit-comment').waitFor();
    expect(await own.locator('.report-comment').count()).toBe(0);
    const theirs = page.locator(`[data-comment-id="${w.chain[1]}"] > .comment-actions`);
    await theirs.locator('.report-comment').click();
    const dialog = page.locator('#report-dialog');
    for (const reason of ['스팸·광고', '욕설·혐오·괴롭힘', '주제와 무관', '기타'])
      await dialog.getByLabel(reason).waitFor();
    await dialog.getByLabel('주제와 무관').check();
    await dialog.getByLabel('자세한 내용(선택)').fill('그늘막과 관계없는 이야기입니다');
    await dialog.getByRole('button', { name: '신고 보내기' }).click();
    await theirs.getByRole('button', { name: '신고됨' }).waitFor();
    const reports = await t.http
      .get(`/api/v1/spaces/${w.space.id}/reports?status=open`)
      .set(w.facilitator.auth)
      .expect(200);
    expect(reports.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'off_topic', detail: '그늘막과 관계없는 이야기입니다' }),
      ]),
    );
    // A second report of the same comment (after a reload) is refused, and the page says why.
    await page.reload();
    await theirs.locator('.report-comment').click();
    await dialog.getByRole('button', { name: '신고 보내기' }).click();
    await dialog
      .locator('.form-error[data-code="already_reported"]', { hasText: '이미 신고한 댓글' })
      .waitFor();
    // The server refuses one's own comment too.
    const self = await t.http
      .post(`/api/v1/comments/${w.chain[0]}/reports`)
      .set(w.citizen.auth)
      .send({ reason: 'spam' });
    expect(self.status).toBe(409);
    // The live chat has a report action.
    await page.goto(`${t.url}/rooms/${w.liveRoom}`);
    const neighbourSocket = await connected(t.url, { token: w.neighbour.token });
    await ok(neighbourSocket, 'room:join', { roomId: w.liveRoom });
    await ok(neighbourSocket, 'chat:send', { roomId: w.liveRoom, body: '신고해 볼 채팅입니다' });
    await page
      .locator('.message', { hasText: '신고해 볼 채팅입니다' })
      .locator('.report-comment')
      .click();
    await page.locator('#report-dialog').getByRole('button', { name: '신고 보내기' }).click();
    await page
      .locator('.message', { hasText: '신고해 볼 채팅입니다' })
      .getByRole('button', { name: '신고됨' })
      .waitFor();
  });

  it('6. authors edit and delete their own comments; the placeholder keeps its place', async () => {
    const mine = await postComment(t, w.neighbour, w.deliberating, { body: '고치기 전 의견' });
    const { page } = await open(`/topics/${w.deliberating}`, w.neighbour);
    const item = page.locator(`[data-comment-id="${mine.id}"]`);
    await item.locator('.edit-comment').click();
    await item.locator('textarea').fill('고친 뒤 의견');
    await item.getByRole('button', { name: '저장' }).click();
    await item.getByText('고친 뒤 의견').waitFor();
    await item.getByText('(수정됨)').waitFor();
    await item.locator('.delete-comment').click();
    await page.getByTestId('confirm').click();
    await page
      .locator(`[data-comment-id="${mine.id}"][data-status="deleted"]`)
      .getByText('작성자가 삭제한 댓글입니다')
      .waitFor();
    const stored = await t.http.get(`/api/v1/comments/${mine.id}`).expect(200);
    expect(stored.body).toMatchObject({ status: 'deleted', body: null });
  });

  it('7. pages never strand a person: 404, titles, whole words, a shell before the script, empty states, search as one types, proposing at the top, chat times', async () => {
    const missing = await fetch(`${t.url}/no/such/page`, { headers: { Accept: 'text/html' } });
    expect(missing.status).toBe(404);
    const html = await missing.text();
    expect(html).toContain('페이지를 찾을 수 없습니다');
    expect(html).not.toContain('Cannot GET');
    // The home page's HTML paints a shell (header and skeleton) before any script runs.
    const home = await (await fetch(`${t.url}/`)).text();
    expect(home).toMatch(/class="site-header"[\s\S]*class="skeleton"/);

    const { page } = await open(`/topics/${w.deliberating}`, w.citizen);
    await page.getByRole('heading', { name: '한강공원 그늘막을 늘려 주세요' }).waitFor();
    expect(await page.title()).toBe('한강공원 그늘막을 늘려 주세요 — 마당');
    expect(await page.locator('h1').evaluate((el) => getComputedStyle(el).wordBreak)).toBe(
      'keep-all',
    );
    await page.goto(`${t.url}/spaces/${w.space.slug}`);
    await page.locator('.topic-card').first().waitFor();
    expect(await page.title()).toBe('서울시 시민참여예산 — 마당');
    // Proposing opens at the top of the page, with tags.
    await page.getByRole('button', { name: /새 제안 쓰기/ }).click();
    await page.locator('#propose').getByLabel(/태그/).waitFor();
    await page.keyboard.press('Escape');
    // Search runs as one types.
    await page.getByRole('searchbox').fill('없는낱말검색');
    await page.getByTestId('empty').getByText('"없는낱말검색"에 맞는 제안이 없습니다').waitFor();
    await page.getByRole('searchbox').fill('그늘막');
    await page.locator(`[data-topic-id="${w.deliberating}"]`).waitFor();
    // 회원가입 keeps where one came from.
    const signedOut = await open(`/topics/${w.proposed}`);
    await signedOut.page.getByRole('link', { name: '회원가입' }).click();
    expect(signedOut.page.url()).toContain(`next=${encodeURIComponent(`/topics/${w.proposed}`)}`);
    await signedOut.page.getByLabel('이메일').fill(`next-${Date.now()}@test.madang`);
    await signedOut.page.getByLabel('비밀번호').fill(PASSWORD);
    await signedOut.page.getByLabel('이름(별명)').fill('돌아온 시민');
    await signedOut.page.getByRole('button', { name: '회원가입' }).last().click();
    await signedOut.page.waitForURL(new RegExp(`/topics/${w.proposed}$`));
    // Chat lines carry their time.
    await page.goto(`${t.url}/rooms/${w.liveRoom}`);
    await page.locator('.messages .message time').first().waitFor();
  });

  it('8. an ended room is shown as ended: minutes link, no live state, no live controls', async () => {
    const { page } = await open(`/rooms/${w.endedRoom}/console`, w.facilitator);
    await page.getByTestId('ended-note').waitFor();
    expect(await page.getByTestId('presence').count()).toBe(0);
    expect(await page.locator('.countdown, [data-testid="queue"], .hand').count()).toBe(0);
    expect(await page.getByRole('button', { name: '숨기기' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '채팅 잠금' }).count()).toBe(0);
    await page.getByRole('link', { name: '회의록 보기' }).first().click();
    await page.getByTestId('minutes').waitFor();
  });

  it('9. the minutes are a page: local times, names, duration, attendance, questions, downloads', async () => {
    const { page } = await open(`/rooms/${w.endedRoom}/minutes`);
    await page.getByTestId('attendance-chart').waitFor();
    expect(await page.title()).toBe('회의록: 지난 타운홀: 그늘막 설명회 — 마당');
    const text = await page.locator('main').innerText();
    expect(text).toContain('김진행');
    expect(text).toContain('공사는 언제 시작하나요?');
    expect(text).toContain('1분 미만');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T|[0-9a-f]{8}-[0-9a-f]{4}-/);
    await page.getByRole('link', { name: /Markdown 내려받기/ }).waitFor();
    await page.getByRole('link', { name: /JSON 내려받기/ }).waitFor();
    const md = await t.http.get(`/api/v1/rooms/${w.endedRoom}/minutes?format=md`).expect(200);
    expect(md.text).toContain('진행 시간: 1분 미만');
    expect(md.text).not.toMatch(/시작: \d{4}-\d{2}-\d{2}T/);
  });

  it('10. the look is the design system’s, not default controls', async () => {
    const { page } = await open('/');
    await page.locator('.brand-mark').waitFor();
    const style = await page.evaluate(() => {
      const button = document.querySelector('.site-header button')!;
      const s = getComputedStyle(button);
      return {
        radius: s.borderRadius,
        font: getComputedStyle(document.body).fontFamily,
        primary: getComputedStyle(document.documentElement).getPropertyValue('--c-primary').trim(),
      };
    });
    expect(style.radius).toBe('6px');
    expect(style.font).toContain('Noto Sans KR');
    expect(style.primary).toBe('#0a55a6');
  });
});
