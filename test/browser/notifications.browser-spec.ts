import { type Page } from 'playwright-core';
import { createAdmin, createSpace, registerUser, type TestUser } from '../factories/identity';
import { createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import {
  axeViolations,
  DESKTOP,
  launchBrowser,
  MOBILE,
  screenshot,
  type TestBrowser,
  watchPage,
} from '../utils/browser';

/**
 * The notification pages: the bell in the header counts live when someone replies, the inbox
 * marks read, the settings save; both pages pass axe at desktop and phone size, light and dark.
 */
describe('browser: notifications', () => {
  let t: TestApp;
  let b: TestBrowser;
  let author: TestUser;
  let replier: TestUser;
  let topicId: string;
  let commentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    const admin = await createAdmin(t);
    const space = await createSpace(t, admin, { name: '성북구 주민참여' });
    author = await registerUser(t, { displayName: '박시민' });
    replier = await registerUser(t, { displayName: '이웃 최' });
    topicId = (await createTopic(t, author, space.id, { title: '마을 도서관 야간 개방' })).id;
    commentId = (await postComment(t, author, topicId, { body: '밤에도 공부할 곳이 필요해요.' }))
      .id;
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  async function signedIn(
    path: string,
    viewport = DESKTOP,
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
    const context = await b.context({ viewport, colorScheme });
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(`${t.url}/signin`);
    await page.evaluate(`localStorage.setItem('madang.token', ${JSON.stringify(author.token)})`);
    await page.goto(`${t.url}${path}`);
    return { page, errors: seen.errors, close: () => context.close() };
  }

  it('the bell counts a reply live, the inbox shows it, and marking it read clears the count', async () => {
    const { page, errors, close } = await signedIn(`/topics/${topicId}`);
    await page.getByTestId('whoami').waitFor();
    const bell = page.locator('a.bell');
    await bell.waitFor();
    expect(await page.getByTestId('unread-count').count()).toBe(0);
    // The live connection is up before the reply is written.
    await page.locator('.conn[data-state="online"]').waitFor();
    await postComment(t, replier, topicId, { parentId: commentId, body: '저도 찬성합니다!' });
    await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    expect((await bell.textContent())?.replace('🔔', '')).toBe('알림1개 읽지 않음');

    await bell.click();
    const item = page.locator('[data-type="comment.reply"]');
    await item.waitFor();
    expect(await item.innerText()).toContain(
      '이웃 최님이 「마을 도서관 야간 개방」에서 내 의견에 답글을 남겼습니다',
    );
    expect(await item.innerText()).toContain('저도 찬성합니다!');

    // A second reply arrives while the inbox is open: on top, without a reload.
    await postComment(t, replier, topicId, { parentId: commentId, body: '두 번째 답글' });
    await page.getByTestId('unread-count').filter({ hasText: '2' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-type="comment.reply"]').nth(1).waitFor();
    expect(await page.locator('[data-type="comment.reply"]').first().innerText()).toContain(
      '두 번째 답글',
    );

    await page
      .locator('[data-type="comment.reply"]')
      .first()
      .getByRole('button', { name: '읽음으로 표시' })
      .click();
    await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('mark-all-read').click();
    await page.getByTestId('unread-count').waitFor({ state: 'detached' });
    const left = await t.http.get('/api/v1/me/notifications/unread').set(author.auth).expect(200);
    expect(left.body).toEqual({ unread: 0 });
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('settings save what is chosen', async () => {
    const { page, errors, close } = await signedIn('/me/notification-settings');
    await page.getByLabel('일주일에 한 번 모아 받기').check();
    await page.getByLabel('팔로우한 제안의 타운홀이 시작될 때').uncheck();
    await page.getByRole('button', { name: '설정 저장' }).click();
    await page.getByText('저장했습니다').first().waitFor();
    const saved = await t.http.get('/api/v1/me/notification-settings').set(author.auth).expect(200);
    expect(saved.body).toMatchObject({ email: 'weekly', types: { room: false, reply: true } });
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('inbox and settings pass axe at both sizes, light and dark, and are kept as screenshots', async () => {
    // Something to show in the inbox: one read, one unread.
    await postComment(t, replier, topicId, {
      parentId: commentId,
      body: '주말에도 열면 좋겠어요.',
    });
    await t.http.put(`/api/v1/topics/${topicId}/follow`).set(replier.auth).expect(200);
    for (const [name, path, ready] of [
      ['inbox', '/me/notifications', '[data-testid="inbox"]'],
      ['notification-settings', '/me/notification-settings', 'form.settings-form'],
    ] as const) {
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['mobile', MOBILE],
      ] as const) {
        for (const scheme of ['light', 'dark'] as const) {
          const { page, errors, close } = await signedIn(path, viewport, scheme);
          await page.locator(ready).waitFor();
          await page.waitForTimeout(300);
          expect({
            page: `${name} ${size} ${scheme}`,
            violations: await axeViolations(page),
          }).toEqual({
            page: `${name} ${size} ${scheme}`,
            violations: [],
          });
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - window.innerWidth',
          );
          expect({ page: `${name} ${size}`, overflow }).toEqual({
            page: `${name} ${size}`,
            overflow: 0,
          });
          if (scheme === 'light') {
            expect(await page.locator('body').innerText()).not.toMatch(
              /Notifications|Mark as read|Something went wrong|not found/,
            );
            await screenshot(page, `page-${name}-${size}`);
          } else if (size === 'desktop') await screenshot(page, `page-${name}-${size}-dark`);
          expect(errors).toEqual([]);
          await close();
        }
      }
    }
  }, 120_000);
});
