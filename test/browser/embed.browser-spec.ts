import { createAdmin, createSpace, registerUser } from '../factories/identity';
import { liveRoom } from '../factories/rooms';
import { bulkUsers } from '../factories/topics';
import { type TestApp, startTestApp } from '../utils/app';
import { closeAll, connected, ok } from '../utils/live-client';
import {
  eventually,
  hostPage,
  launchBrowser,
  screenshot,
  type TestBrowser,
  watchPage,
} from '../utils/browser';

/**
 * A committee's page on another local origin embeds the widget with `/embed.js`. The allowed
 * origin gets a live, resizing widget with popup sign-in; an origin not on the list is
 * refused framing by the browser itself (CSP frame-ancestors).
 */
describe('browser: the embed widget on a committee page', () => {
  let t: TestApp;
  let b: TestBrowser;
  const hosts: { origin: string; close(): Promise<void> }[] = [];
  let allowedHtml = '';
  let allowed: { origin: string };
  let refused: { origin: string };

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    const a = await hostPage(() => allowedHtml);
    const r = await hostPage(() => allowedHtml);
    hosts.push(a, r);
    allowed = a;
    refused = r;
  });
  afterAll(async () => {
    for (const h of hosts) await h.close();
    await b?.close();
    await t?.close();
  });

  const committeePage = (attr: string) =>
    `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>위원회</title></head>
     <body><h1>시민참여예산위원회</h1><p>위원회 소개</p>
     <script src="${t.url}/embed.js" ${attr} async></script>
     <footer id="after">끝</footer></body></html>`;

  async function world() {
    const admin = await createAdmin(t);
    const space = await createSpace(t, admin, { embedOrigins: [allowed.origin] });
    const author = await registerUser(t, { displayName: '제안자' });
    const topic = await t.http
      .post(`/api/v1/spaces/${space.id}/topics`)
      .set(author.auth)
      .send({ title: '공원 조명 개선', body: '밤에 어둡습니다.' })
      .expect(201);
    return { admin, space, author, topicId: topic.body.id as string };
  }

  it('shows a live thread, agree counts and ladder, resizes, and signs in through a popup', async () => {
    const { admin, author, topicId } = await world();
    await t.http
      .post(`/api/v1/topics/${topicId}/comments`)
      .set(author.auth)
      .send({ body: '첫 의견입니다' })
      .expect(201);
    const hidden = await t.http
      .post(`/api/v1/topics/${topicId}/comments`)
      .set(author.auth)
      .send({ body: '숨겨질 의견' })
      .expect(201);
    await t.http
      .post(`/api/v1/comments/${hidden.body.id}/hide`)
      .set(admin.auth)
      .send({ reason: '운영 원칙' })
      .expect(200);
    allowedHtml = committeePage(`data-topic="${topicId}"`);

    const context = await b.context();
    const page = await context.newPage();
    const seen = watchPage(page);
    await page.goto(`${allowed.origin}/`);
    const iframe = page.locator('iframe[src*="/embed/topics/"]');
    await iframe.waitFor();
    const widget = page.frameLocator('iframe[src*="/embed/topics/"]');
    await widget.getByRole('heading', { name: '공원 조명 개선' }).waitFor();
    await widget.getByText('첫 의견입니다').waitFor();
    // Hidden comments are absent from the widget, not even a placeholder.
    expect(await widget.locator(`[data-comment-id="${hidden.body.id}"]`).count()).toBe(0);
    await widget.locator('.conn-online').waitFor();

    // Live: a new comment and agrees arrive without a reload, and the iframe grows to fit.
    const before = (await iframe.boundingBox())!.height;
    const [u1, u2] = await bulkUsers(t, 2, 'embed-live');
    await t.http.put(`/api/v1/topics/${topicId}/agree`).set(u1!.auth).expect(200);
    await widget.getByTestId('topic-agrees').filter({ hasText: /^1$/ }).waitFor();
    const live: string[] = [];
    for (let i = 0; i < 6; i++) {
      const posted = await t.http
        .post(`/api/v1/topics/${topicId}/comments`)
        .set(u2!.auth)
        .send({ body: `실시간 의견 ${i}\n두 번째 줄` })
        .expect(201);
      live.push((posted.body as { id: string }).id);
    }
    await widget.getByText(/실시간 의견 5/).waitFor();
    await eventually(
      async () => (await iframe.boundingBox())!.height,
      (h) => h > before + 100,
    );
    const grown = (await iframe.boundingBox())!.height;
    // The frame has no inner scrollbar: its height follows the content.
    const inner = await widget.locator('html').evaluate((el) => el.scrollHeight);
    expect(Math.abs(inner - grown)).toBeLessThanOrEqual(2);
    // And it shrinks: hidden comments leave the widget, and the frame follows.
    for (const id of live.slice(0, 4))
      await t.http
        .post(`/api/v1/comments/${id}/hide`)
        .set(admin.auth)
        .send({ reason: '도배' })
        .expect(200);
    await widget.locator(`[data-comment-id="${live[3]}"]`).waitFor({ state: 'detached' });
    await eventually(
      async () => (await iframe.boundingBox())!.height,
      (h) => h < grown - 100,
    );

    // Sign in through the popup; the token comes back by postMessage, and posting works.
    const popupPromise = page.waitForEvent('popup');
    await widget.getByRole('button', { name: '로그인' }).click();
    const popup = await popupPromise;
    await popup.waitForLoadState();
    expect(new URL(popup.url()).origin).toBe(t.url);
    await popup.getByLabel('이메일').fill(author.email);
    await popup.getByLabel('비밀번호').fill('correct horse battery');
    await popup.getByRole('button', { name: '로그인' }).click();
    await widget.getByTestId('whoami').filter({ hasText: '제안자' }).waitFor();
    await widget.getByLabel('의견 쓰기').fill('위젯에서 쓴 의견');
    await widget.getByRole('button', { name: '등록' }).click();
    await widget.getByText('위젯에서 쓴 의견').waitFor();
    // No cookie and no storage was needed for any of it (so blocked third-party storage is fine).
    expect(await widget.locator('html').evaluate((el) => el.ownerDocument.cookie)).toBe('');
    expect(
      await widget.locator('html').evaluate((el) => {
        const view = el.ownerDocument.defaultView!;
        return view.localStorage.length + view.sessionStorage.length;
      }),
    ).toBe(0);
    const comments = await t.http.get(`/api/v1/topics/${topicId}/comments?limit=100`).expect(200);
    expect(comments.body.items.map((c: { body: string }) => c.body)).toContain('위젯에서 쓴 의견');

    await screenshot(page, 'embed-host-page');
    // When a town hall of the topic goes live, the widget says so at once, and stops when it ends.
    expect(await widget.getByTestId('live-banner').count()).toBe(0);
    const room = await liveRoom(t, admin, topicId);
    await widget.getByTestId('live-banner').waitFor();
    await t.http.post(`/api/v1/rooms/${room.id}/end`).set(admin.auth).expect(200);
    await widget.getByTestId('live-banner').waitFor({ state: 'detached' });
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('a room widget shows the live chat', async () => {
    const { admin, topicId } = await world();
    const room = await liveRoom(t, admin, topicId);
    allowedHtml = committeePage(`data-room="${room.id}"`);
    const context = await b.context();
    const page = await context.newPage();
    await page.goto(`${allowed.origin}/`);
    const widget = page.frameLocator('iframe[src*="/embed/rooms/"]');
    await widget.getByTestId('live-banner').waitFor();
    const socket = await connected(t.url, { token: admin.token });
    await ok(socket, 'room:join', { roomId: room.id });
    await ok(socket, 'chat:send', { roomId: room.id, body: '위젯으로 중계되는 채팅' });
    await widget.getByText('위젯으로 중계되는 채팅').waitFor();
    closeAll();
    await context.close();
  });

  it('a page on an origin that is not on the list cannot frame the widget', async () => {
    const { topicId } = await world();
    allowedHtml = committeePage(`data-topic="${topicId}"`);
    const context = await b.context();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors|Refused to frame/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto(`${refused.origin}/`);
    await page.locator('iframe[src*="/embed/topics/"]').waitFor();
    await eventually(
      () => blocked.length,
      (n) => n > 0,
    );
    // Nothing of the widget rendered inside the frame.
    const frame = page.frames().find((f) => f.url().includes('/embed/topics/'));
    const heading = frame
      ? await frame
          .locator('h1')
          .count()
          .catch(() => 0)
      : 0;
    expect(heading).toBe(0);
    await context.close();
  });
});
