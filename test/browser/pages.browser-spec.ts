import { type Page } from 'playwright-core';
import { type TestApp, startTestApp } from '../utils/app';
import {
  axeViolations,
  DESKTOP,
  launchBrowser,
  MOBILE,
  screenshot,
  type TestBrowser,
  watchPage,
} from '../utils/browser';
import { PASSWORD, pageWorld, type PageWorld } from './world';

/**
 * Every page and state a resident or a facilitator meets, at desktop and phone size, in the
 * light and the dark scheme: axe-core's WCAG 2.1 A/AA rules find nothing, nothing overflows
 * sideways, no English leaks into the Korean pages, and each page's screenshot is kept
 * (test-artifacts/screenshots/page-*.png).
 */
describe('browser: every page passes axe and is kept as a screenshot', () => {
  let t: TestApp;
  let b: TestBrowser;
  let w: PageWorld;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  type Who = 'anonymous' | 'citizen' | 'facilitator';
  const tokens = new Map<Who, string>();

  async function visit(
    name: string,
    path: string,
    who: Who,
    ready: (page: Page) => Promise<unknown>,
  ): Promise<void> {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['mobile', MOBILE],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await b.context({ viewport, colorScheme: scheme });
        const page = await context.newPage();
        const seen = watchPage(page);
        const token = tokens.get(who);
        if (token) {
          await page.goto(`${t.url}/signin`);
          await page.evaluate(`localStorage.setItem('madang.token', ${JSON.stringify(token)})`);
        }
        await page.goto(`${t.url}${path}`);
        await ready(page);
        // Let live joins and late reads settle before judging.
        await page.waitForTimeout(300);
        const violations = await axeViolations(page);
        expect({ page: `${name} ${size} ${scheme}`, violations }).toEqual({
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
          // Korean pages speak Korean: no sentence of the server's English shows.
          const body = await page.locator('body').innerText();
          expect(body).not.toMatch(
            /not found|Invalid input|Cannot GET|threshold reached|You are|Sign in to|Something went wrong/,
          );
          await screenshot(page, `page-${name}-${size}`);
        } else if (size === 'desktop') await screenshot(page, `page-${name}-${size}-dark`);
        expect(seen.errors).toEqual([]);
        await context.close();
      }
    }
  }

  it('home with no data explains the first step', async () => {
    // Before the world exists, this test database may still hold other suites' spaces; a
    // fresh server would show the same empty state when nothing matches, so the page is
    // judged by its empty state when there are no spaces, and by its sections otherwise.
    await visit('home-first', '/', 'anonymous', (page) =>
      page.locator('[data-testid="empty"], [data-space]').first().waitFor(),
    );
  });

  it('home, space, topic (signed out, in, facilitator), profile, rooms, console, minutes, sign-in, register, 404', async () => {
    w = await pageWorld(t);
    for (const [who, user] of [
      ['citizen', w.citizen],
      ['facilitator', w.facilitator],
    ] as const) {
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: PASSWORD })
        .expect(200);
      tokens.set(who, res.body.accessToken as string);
    }
    await visit('home', '/', 'anonymous', (p) =>
      p.locator(`[data-space="${w.space.slug}"]`).waitFor(),
    );
    await visit('space', `/spaces/${w.space.slug}`, 'citizen', (p) =>
      p.locator(`[data-topic-id="${w.deliberating}"]`).waitFor(),
    );
    await visit('topic-signed-out', `/topics/${w.deliberating}`, 'anonymous', (p) =>
      p.locator(`[data-comment-id="${w.chain[3]}"]`).waitFor(),
    );
    await visit('topic-signed-in', `/topics/${w.deliberating}`, 'citizen', (p) =>
      p.locator('.stance-choice').first().waitFor(),
    );
    await visit('topic-facilitator', `/topics/${w.deliberating}`, 'facilitator', (p) =>
      p.locator('#facilitator-tools').waitFor(),
    );
    await visit('topic-answered', `/topics/${w.answered}`, 'anonymous', (p) =>
      p.getByTestId('response').waitFor(),
    );
    await visit('profile', '/me', 'citizen', (p) => p.locator('.topic-card').first().waitFor());
    await visit('room-live', `/rooms/${w.liveRoom}`, 'citizen', (p) =>
      p.locator('.messages .message').first().waitFor(),
    );
    await visit('console', `/rooms/${w.liveRoom}/console`, 'facilitator', (p) =>
      p.locator('.mod-panels').waitFor(),
    );
    await visit('room-ended', `/rooms/${w.endedRoom}`, 'citizen', (p) =>
      p.getByTestId('ended-note').waitFor(),
    );
    await visit('minutes', `/rooms/${w.endedRoom}/minutes`, 'anonymous', (p) =>
      p.getByTestId('attendance-chart').waitFor(),
    );
    await visit('signin', '/signin', 'anonymous', (p) => p.getByLabel('이메일').waitFor());
    await visit('register', '/register', 'anonymous', (p) => p.getByLabel('이름(별명)').waitFor());
    await visit('404', '/no/such/page', 'anonymous', (p) => p.getByTestId('not-found').waitFor());
  }, 300_000);

  it('the widget passes axe too, topic and room', async () => {
    for (const [name, path] of [
      ['widget-topic', `/embed/topics/${w.deliberating}`],
      ['widget-room', `/embed/rooms/${w.liveRoom}`],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await b.context({
          viewport: { width: 480, height: 800 },
          colorScheme: scheme,
        });
        const page = await context.newPage();
        await page.goto(`${t.url}${path}`);
        await page.locator('h1').waitFor();
        await page.waitForTimeout(300);
        expect({ name, scheme, violations: await axeViolations(page) }).toEqual({
          name,
          scheme,
          violations: [],
        });
        if (scheme === 'light') await screenshot(page, `page-${name}`);
        await context.close();
      }
    }
  }, 120_000);
});
