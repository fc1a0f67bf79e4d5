import { EmailSender } from '../../src/notifications/email/email-sender';
import { createAdmin, registerUser, type TestUser } from '../factories/identity';
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
 * The page an email's unsubscribe link opens: Korean, passes axe at both sizes, and its button
 * turns the person's email off (the same one-click POST a mail client sends).
 */
describe('browser: the unsubscribe page', () => {
  let t: TestApp;
  let b: TestBrowser;
  let person: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    b = await launchBrowser();
    await createAdmin(t);
    person = await registerUser(t, { displayName: '메일 그만' });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['mobile', MOBILE],
  ] as const) {
    it(`asks, then turns email off (${size})`, async () => {
      await t.http
        .put('/api/v1/me/notification-settings')
        .set(person.auth)
        .send({ email: 'immediate' })
        .expect(200);
      const context = await b.context({ viewport });
      const page = await context.newPage();
      const seen = watchPage(page);
      await page.goto(
        t.app
          .get(EmailSender)
          .unsubscribeUrl(person.id)
          .replace(/^https?:\/\/[^/]+/, t.url),
      );
      await page.getByRole('heading', { name: '알림 메일 그만 받기' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `page-unsubscribe-${size}`);
      await page.getByRole('button', { name: '메일 그만 받기' }).click();
      await page.getByRole('status').waitFor();
      expect(await page.getByRole('status').textContent()).toContain(
        '알림 메일을 더 보내지 않습니다',
      );
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `page-unsubscribe-done-${size}`);
      expect(seen.errors).toEqual([]);
      const settings = await t.http
        .get('/api/v1/me/notification-settings')
        .set(person.auth)
        .expect(200);
      expect(settings.body.email).toBe('off');
      await context.close();
    }, 60_000);
  }
});
