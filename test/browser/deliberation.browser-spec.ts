import { createAdmin, createSpace, uniqueEmail } from '../factories/identity';
import { type Namespace } from 'socket.io';
import { LiveServer } from '../../src/core/realtime/live-server';
import { Rooms } from '../../src/core/realtime/live-socket';
import { bulkUsers } from '../factories/topics';
import { type TestApp, startTestApp } from '../utils/app';
import {
  eventually,
  launchBrowser,
  screenshot,
  type TestBrowser,
  watchPage,
} from '../utils/browser';

/**
 * A citizen signs up and proposes a topic in the browser; others agree over the API until
 * it climbs the ladder, and the open topic page follows live, without a reload.
 */
describe('browser: proposing a topic and watching it climb the ladder', () => {
  let t: TestApp;
  let b: TestBrowser;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('registers, proposes, and shows agrees, rung crossings and the new status live', async () => {
    const admin = await createAdmin(t);
    const space = await createSpace(t, admin, {
      name: '브라우저 시험 공간',
      thresholds: { review: 2, deliberation: 4, response: 6 },
    });
    const context = await b.context();
    const page = await context.newPage();
    const seen = watchPage(page);

    // Registration through the page, as a citizen would.
    await page.goto(`${t.url}/register`);
    await page.getByLabel('이메일').fill(uniqueEmail('browser'));
    await page.getByLabel('비밀번호').fill('correct horse battery');
    await page.getByLabel('이름(별명)').fill('제안하는 시민');
    await page.getByRole('button', { name: '회원가입' }).last().click();
    await page.getByTestId('whoami').filter({ hasText: '제안하는 시민' }).waitFor();

    await page.goto(`${t.url}/spaces/${space.slug}`);
    await page.getByRole('button', { name: /새 제안 쓰기/ }).click();
    await page.getByLabel('제목').fill('한강공원에 그늘막을 늘려 주세요');
    await page.getByLabel('내용').fill('여름 한낮에 쉴 곳이 부족합니다.');
    await page.getByRole('button', { name: '등록' }).click();
    await page.waitForURL(/\/topics\/[0-9a-f-]{36}$/);
    const topicId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: '한강공원에 그늘막을 늘려 주세요' }).waitFor();
    await page.locator('.badge.status-proposed').waitFor();
    await screenshot(page, 'topic-proposed');

    // The page is watching: each agree over the API shows up, and so do the crossings.
    const others = await bulkUsers(t, 4, 'agree-browser');
    await t.http.put(`/api/v1/topics/${topicId}/agree`).set(others[0]!.auth).expect(200);
    await page.getByTestId('topic-agrees').filter({ hasText: /^1$/ }).waitFor();
    await t.http.put(`/api/v1/topics/${topicId}/agree`).set(others[1]!.auth).expect(200);
    await page.locator('.badge.status-under_review').waitFor();
    await page.getByTestId('topic-agrees').filter({ hasText: /^2$/ }).waitFor();
    for (const user of others.slice(2))
      await t.http.put(`/api/v1/topics/${topicId}/agree`).set(user.auth).expect(200);
    await page.locator('.badge.status-deliberating').waitFor();
    await page.getByTestId('topic-agrees').filter({ hasText: /^4$/ }).waitFor();
    // The last rung counts participants of the deliberation (none yet), not agrees.
    await page.getByTestId('ladder-text').filter({ hasText: '시장 답변 0 / 6' }).waitFor();
    // The timeline gained the crossings without a reload.
    await page.locator('.timeline li[data-type="ladder_crossed"]').nth(1).waitFor();
    // And the proposer can agree too, from the page.
    await page.locator('button.agree-topic').click();
    await page.getByTestId('topic-agrees').filter({ hasText: /^5$/ }).waitFor();
    const stored = await t.http.get(`/api/v1/topics/${topicId}`).expect(200);
    expect(stored.body.counts.agrees).toBe(5);
    expect(stored.body.status).toBe('deliberating');
    await screenshot(page, 'topic-deliberating');
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('a new comment from someone else appears on the open page, and the phone layout works', async () => {
    const admin = await createAdmin(t);
    const space = await createSpace(t, admin);
    const [author, other] = await bulkUsers(t, 2, 'thread-browser');
    const topic = await t.http
      .post(`/api/v1/spaces/${space.id}/topics`)
      .set(author!.auth)
      .send({ title: '마을버스 배차 간격', body: '배차 간격을 줄여 주세요.' })
      .expect(201);
    const context = await b.context({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(`${t.url}/topics/${topic.body.id}`);
    await page.getByRole('heading', { name: '마을버스 배차 간격' }).waitFor();
    const posted = await t.http
      .post(`/api/v1/topics/${topic.body.id}/comments`)
      .set(other!.auth)
      .send({ body: '저녁 시간대가 특히 불편합니다' })
      .expect(201);
    const item = page.locator(`li[data-comment-id="${posted.body.id}"]`);
    await item.getByText('저녁 시간대가 특히 불편합니다').waitFor();
    await page.getByRole('heading', { name: '토론 (1)' }).waitFor();
    // The live region announced it for screen readers.
    await page
      .getByTestId('live-region')
      .filter({ hasText: '저녁 시간대가 특히 불편합니다' })
      .waitFor();
    // Nothing overflows sideways at phone width.
    const overflow = await page.evaluate<number>(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'topic-phone');
    // English switch.
    await page.getByRole('button', { name: /언어 바꾸기/ }).click();
    await page.getByRole('button', { name: /Change language/ }).waitFor();
    await page.getByRole('heading', { name: /^Discussion/ }).waitFor();
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('is keyboard operable and every control has an accessible name', async () => {
    const admin = await createAdmin(t);
    const space = await createSpace(t, admin);
    const [author, reader] = await bulkUsers(t, 2, 'a11y-browser');
    const topic = await t.http
      .post(`/api/v1/spaces/${space.id}/topics`)
      .set(author!.auth)
      .send({ title: '키보드로 공감하기', body: '본문' })
      .expect(201);
    await t.http
      .post(`/api/v1/topics/${topic.body.id}/comments`)
      .set(author!.auth)
      .send({ body: '의견' })
      .expect(201);
    const context = await b.context();
    const page = await context.newPage();
    // Signed in by handing the page its token, the way a returning visitor's storage would.
    await page.goto(`${t.url}/`);
    await page.evaluate(`localStorage.setItem('madang.token', ${JSON.stringify(reader!.token)})`);
    await page.goto(`${t.url}/topics/${topic.body.id}`);
    await page.getByRole('heading', { name: '키보드로 공감하기' }).waitFor();

    const unnamed = await page.evaluate<string[]>(`
      [...document.querySelectorAll('button, input, select, textarea, a[href]')]
        .filter((el) => {
          const labelled = el.getAttribute('aria-label') || (el.labels && el.labels.length) ||
            el.closest('label') || (el.textContent || '').trim() || el.getAttribute('title');
          return !labelled;
        })
        .map((el) => el.outerHTML)`);
    expect(unnamed).toEqual([]);

    // Tab from the top of the page to the agree button and press it with the keyboard.
    await page.locator('body').focus();
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate<boolean>(
        `document.activeElement?.classList.contains('agree-topic') ?? false`,
      );
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Space');
    await page.getByTestId('topic-agrees').filter({ hasText: /^1$/ }).waitFor();
    await page.locator('button.agree-topic[aria-pressed="true"]').waitFor();
    // And write a comment without a mouse.
    await page.getByRole('textbox', { name: '의견 쓰기' }).focus();
    await page.keyboard.type('키보드로 쓴 의견');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.comment-body', { hasText: '키보드로 쓴 의견' }).waitFor();
    await context.close();
  });

  it('shows the connection state and catches up after the connection comes back', async () => {
    const admin = await createAdmin(t);
    const space = await createSpace(t, admin);
    const [author] = await bulkUsers(t, 1, 'reconnect-browser');
    const topic = await t.http
      .post(`/api/v1/spaces/${space.id}/topics`)
      .set(author!.auth)
      .send({ title: '다시 연결되는 페이지', body: '본문' })
      .expect(201);
    const context = await b.context();
    const page = await context.newPage();
    // Every WebSocket of the page goes through this switch: open, it passes to the server;
    // closed, a reconnect attempt fails as it would while the network is down.
    let networkDown = false;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (networkDown) void ws.close();
      else ws.connectToServer();
    });
    await page.goto(`${t.url}/topics/${topic.body.id}`);
    await page.locator('.conn[data-state="online"]').waitFor();

    // The server's side of every live connection drops at the transport, as a network cut or
    // a node restart would; the page says so, and keeps trying.
    const live: { nsp: Namespace } = t.app.get(LiveServer, { strict: false });
    // The page has joined the topic's stream before the cut.
    await eventually(
      () => live.nsp.adapter.rooms.get(Rooms.topic(topic.body.id))?.size ?? 0,
      (n) => n > 0,
    );
    networkDown = true;
    for (const socket of live.nsp.sockets.values()) socket.conn.close();
    await page.locator('.conn[data-state="offline"]').waitFor();
    const missed = await t.http
      .post(`/api/v1/topics/${topic.body.id}/comments`)
      .set(author!.auth)
      .send({ body: '끊긴 동안 올라온 의견' })
      .expect(201);
    await t.http.put(`/api/v1/topics/${topic.body.id}/agree`).set(author!.auth).expect(200);
    expect(await page.locator(`li[data-comment-id="${missed.body.id}"]`).count()).toBe(0);
    // Back: it reconnects by itself and replays what it missed, without a reload.
    networkDown = false;
    await page.locator('.conn[data-state="online"]').waitFor({ timeout: 20_000 });
    await page.locator(`li[data-comment-id="${missed.body.id}"]`).waitFor();
    expect(await page.locator(`li[data-comment-id="${missed.body.id}"]`).count()).toBe(1);
    // Counts are snapshots; the page reads them again after the reconnect.
    await page.getByTestId('topic-agrees').filter({ hasText: /^1$/ }).waitFor();
    await context.close();
  });
});
