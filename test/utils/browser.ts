import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Frame,
  type Locator,
  type Page,
} from 'playwright-core';
export { eventually } from './eventually';

/** Debian's Chromium; CI installs it (see .ci/run). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'screenshots');

export interface TestBrowser {
  browser: Browser;
  /** A fresh, isolated browser profile (like a separate person's browser). */
  context(options?: {
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
  }): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * Headless Chromium with the flags this machine needs (no background networking: the
 * network is closed). Playwright gives every launch a fresh, empty user-data-dir of its own.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    context: (options) =>
      browser.newContext({
        viewport: options?.viewport ?? { width: 1100, height: 900 },
        colorScheme: options?.colorScheme ?? 'light',
        // The city's residents read Seoul time, whatever the test machine's zone.
        timezoneId: 'Asia/Seoul',
        locale: 'ko-KR',
      }),
    close: () => browser.close(),
  };
}

/** Keeps a screenshot as a test artifact (test-artifacts/ is not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Fails the test on any uncaught page error or console error (an XSS alert would be a dialog). */
export function watchPage(page: Page): { errors: string[]; dialogs: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (error) => seen.errors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return seen;
}

/** A committee's own web page on another local origin, embedding the widget. */
export async function hostPage(
  html: (origin: string) => string,
): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html(origin));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Signs a browser context in by going through the sign-in page, as a person would. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel(/이메일|Email/).fill(email);
  await page.getByLabel(/비밀번호|Password/).fill(password);
  await page
    .getByRole('button', { name: /^(로그인|Sign in)$/ })
    .last()
    .click();
  await page.getByTestId('whoami').waitFor();
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now; each violation as
 * `rule: target (summary)`, so a failing test says what to fix.
 */
export async function axeViolations(target: Page | Frame): Promise<string[]> {
  await target.evaluate(AXE_SOURCE);
  const violations = await target.evaluate<
    { id: string; nodes: { target: string[]; failureSummary: string }[] }[]
  >(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
       .then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  );
  return violations.flatMap((v) =>
    v.nodes.map(
      (n) =>
        `${v.id}: ${n.target.join(' ')} (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 200)})`,
    ),
  );
}

export const DESKTOP = { width: 1280, height: 800 };
export const MOBILE = { width: 390, height: 844 };

/**
 * A page of `baseUrl` at `path` in a fresh browser profile, signed in with `token` when given
 * (the pages read it from localStorage), with what it logs watched.
 */
export async function openPage(
  b: TestBrowser,
  baseUrl: string,
  path: string,
  options: {
    viewport: { width: number; height: number };
    token?: string;
    colorScheme?: 'light' | 'dark';
  },
): Promise<{ page: Page; seen: ReturnType<typeof watchPage> }> {
  const context = await b.context({
    viewport: options.viewport,
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const seen = watchPage(page);
  if (options.token) {
    await page.goto(`${baseUrl}/signin`);
    await page.evaluate(`localStorage.setItem('madang.token', ${JSON.stringify(options.token)})`);
  }
  await page.goto(`${baseUrl}${path}`);
  return { page, seen };
}

/**
 * What every state of a page must pass: no axe violation, no sideways scroll, no error text or
 * leaked `undefined`/`NaN`; then its screenshot, `shot`, for a person to look at.
 */
export async function judgePage(page: Page, label: string, shot: string): Promise<void> {
  await page.waitForTimeout(300);
  expect({ page: label, violations: await axeViolations(page) }).toEqual({
    page: label,
    violations: [],
  });
  const overflow = await page.evaluate<number>(
    'document.documentElement.scrollWidth - window.innerWidth',
  );
  expect({ page: label, overflow }).toEqual({ page: label, overflow: 0 });
  expect(await page.locator('body').innerText()).not.toMatch(
    /not found|Invalid input|Something went wrong|undefined|NaN/,
  );
  await screenshot(page, shot);
}

/**
 * Types a date and time into a Korean page's date field (the page's DateTimeField: a date box
 * `label: 날짜` and a time box `label: 시각`) as a person would: `local` is `2031-03-01T18:00`,
 * or `2031-03-01` for a field that takes a day only (its one box is labelled `label`).
 */
export async function typeKoreanDate(
  scope: Page | Locator,
  label: string,
  local: string,
): Promise<void> {
  const [day = '', time] = local.split('T');
  const [y, m, d] = day.split('-');
  const dayBox = time ? `${label}: 날짜` : label;
  await scope.getByLabel(dayBox, { exact: true }).fill(`${y}. ${m}. ${d}.`);
  if (time) await scope.getByLabel(`${label}: 시각`, { exact: true }).fill(time);
}
