import { type Frame, type Page } from 'playwright-core';
import { createAdmin, createSpace, makeFacilitator, registerUser } from '../factories/identity';
import { liveRoom } from '../factories/rooms';
import { type TestApp, startTestApp } from '../utils/app';
import {
  hostPage,
  launchBrowser,
  screenshot,
  signIn,
  type TestBrowser,
  watchPage,
} from '../utils/browser';
import { closeAll, connected, ok } from '../utils/live-client';

const NAME = `<img src=x onerror="window.__xss='name'">`;
const BODY = `<script>window.__xss='body'</script><img src=x onerror="window.__xss='img'"><b>굵게</b>`;
const TITLE = `<svg onload="window.__xss='title'">제목입니다`;

/** User text posted as HTML stays text on every page and in the widget. */
describe('browser: user text is rendered as text', () => {
  let t: TestApp;
  let b: TestBrowser;
  let host: { origin: string; close(): Promise<void> };
  let hostHtml = '';

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    host = await hostPage(() => hostHtml);
  });
  afterAll(async () => {
    await host?.close();
    await b?.close();
    await t?.close();
  });

  async function inert(target: Page | Frame): Promise<void> {
    expect(await target.evaluate('window.__xss')).toBeUndefined();
    // No element was created from the payloads: no <img src=x>, <script> with our text, <svg>, <b>.
    expect(await target.locator('img[src="x"], svg[onload], main b, article b').count()).toBe(0);
    expect(await target.locator('script', { hasText: '__xss' }).count()).toBe(0);
  }

  it('a comment and a display name full of HTML stay inert in the pages, the console and the widget', async () => {
    const admin = await createAdmin(t);
    const space = await createSpace(t, admin, { embedOrigins: [host.origin] });
    const attacker = await registerUser(t, { displayName: NAME });
    const facilitator = await registerUser(t, { displayName: '진행자' });
    await makeFacilitator(t, admin, space.id, facilitator);
    const topic = await t.http
      .post(`/api/v1/spaces/${space.id}/topics`)
      .set(attacker.auth)
      .send({ title: TITLE, body: BODY })
      .expect(201);
    await t.http
      .post(`/api/v1/topics/${topic.body.id}/comments`)
      .set(attacker.auth)
      .send({ body: BODY })
      .expect(201);
    const room = await liveRoom(t, facilitator, topic.body.id);
    const socket = await connected(t.url, { token: attacker.token });
    await ok(socket, 'room:join', { roomId: room.id });
    await ok(socket, 'chat:send', { roomId: room.id, body: BODY });
    await ok(socket, 'question:ask', { roomId: room.id, body: BODY });

    const context = await b.context();
    const page = await context.newPage();
    const seen = watchPage(page);

    // The topic page: title, body, comment and author shown literally.
    await page.goto(`${t.url}/topics/${topic.body.id}`);
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await page.locator('.comment-body', { hasText: BODY }).first().waitFor();
    await page.locator('.author', { hasText: NAME }).first().waitFor();
    await inert(page);

    // A comment arriving live is just as inert.
    await t.http
      .post(`/api/v1/topics/${topic.body.id}/comments`)
      .set(attacker.auth)
      .send({ body: `${BODY} live` })
      .expect(201);
    await page.locator('.comment-body', { hasText: `${BODY} live` }).waitFor();
    await inert(page);
    await screenshot(page, 'xss-topic');

    // The room page and the facilitator console.
    await page.goto(`${t.url}/rooms/${room.id}`);
    await page.locator('.messages .comment-body', { hasText: BODY }).waitFor();
    await page.locator('.question', { hasText: BODY }).waitFor();
    await inert(page);
    await signIn(page, t.url, facilitator.email, 'correct horse battery');
    await page.goto(`${t.url}/rooms/${room.id}/console`);
    await page.locator('.messages .author', { hasText: NAME }).waitFor();
    await inert(page);

    // The widget on a committee page.
    hostHtml = `<!doctype html><meta charset="utf-8"><h1>위원회</h1><script src="${t.url}/embed.js" data-topic="${topic.body.id}" async></script>`;
    await page.goto(`${host.origin}/`);
    const frameEl = await page.waitForSelector('iframe[src*="/embed/topics/"]');
    const frame = (await frameEl.contentFrame())!;
    await frame.locator('.comment-body', { hasText: BODY }).first().waitFor();
    await frame.getByRole('heading', { name: TITLE }).waitFor();
    await inert(frame);
    await inert(page);

    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    closeAll();
    await context.close();
  });
});
