import { DataSource } from 'typeorm';
import { EmailOutboxRepository } from '../../src/notifications/email/email-outbox.repository';
import { EmailSender } from '../../src/notifications/email/email-sender';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { bulkUsers, createTopic } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { eventually } from '../utils/eventually';
import { sleep } from '../utils/live-client';
import { expectFieldErrors, expectProblem } from '../utils/problem';
import { TestSmtp } from '../utils/smtp';

/**
 * Notification email over real SMTP: the server's sender talks to an SMTP server this test
 * starts on a loopback port. Immediate emails reach exactly the people who asked for them,
 * with both parts, escaped user text and RFC 8058 headers; one-click unsubscribe works and
 * refuses forged tokens; digests gather their period once; a refused delivery is retried with
 * backoff and recorded; two nodes send each email once.
 */
describe('notification email', () => {
  const smtp = new TestSmtp();
  let t: TestApp;
  let db: DataSource;
  let facilitator: TestUser;
  let proposer: TestUser;
  let space: { id: string };

  const setEmail = (user: TestUser, email: string): Promise<unknown> =>
    t.http.put('/api/v1/me/notification-settings').set(user.auth).send({ email }).expect(200);
  const follow = (user: TestUser, topicId: string): Promise<unknown> =>
    t.http.put(`/api/v1/topics/${topicId}/follow`).set(user.auth).expect(200);

  /** Rejects a fresh topic (with user text that needs escaping) and waits for its emails. */
  const rejectTopic = async (
    title: string,
    followers: TestUser[],
    reason = '<b>도시계획</b> & "규정"상 불가',
  ): Promise<string> => {
    const topic = await createTopic(t, proposer, space.id, { title });
    for (const f of followers) await follow(f, topic.id);
    await t.http
      .post(`/api/v1/topics/${topic.id}/transitions`)
      .set(facilitator.auth)
      .send({ to: 'rejected', reason })
      .expect(200);
    return topic.id;
  };

  /** Waits until every queued email is sent or failed for good. */
  const outboxSettled = (): Promise<number> =>
    eventually(
      async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM email_outbox WHERE sent_at IS NULL AND failed_at IS NULL`,
          )
        )[0].n as number,
      (n) => n === 0,
      20_000,
    );

  /** Waits until the notifier has marked the topic's events (so its emails are queued). */
  const notified = (topicId: string): Promise<number> =>
    eventually(
      async () =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM topic_events WHERE topic_id = $1 AND notified_at IS NULL
                AND type IN ('ladder_crossed','transitioned','answered','comment_created','comment_hidden')`,
            [topicId],
          )
        )[0].n as number,
      (n) => n === 0,
    );

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      MAIL_FROM: '마당 <no-reply@madang.test>',
      PUBLIC_ORIGIN: 'https://madang.test',
      EMAIL_SWEEP_SECONDS: '1',
      EMAIL_RETRY_BASE_SECONDS: '1',
      EMAIL_LEASE_SECONDS: '10',
      // The digest test runs the sweep itself, at the times it picks.
      DIGEST_SWEEP_SECONDS: '0',
    });
    db = t.app.get(DataSource);
    const admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    proposer = await registerUser(t, { displayName: '제안자' });
    space = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  describe('immediate email', () => {
    let follower: TestUser;
    let unsubscribed: TestUser;
    let off: TestUser;
    let daily: TestUser;
    let english: TestUser;
    let topicId: string;

    beforeAll(async () => {
      [follower, unsubscribed, off, daily, english] = (await Promise.all(
        ['<i>구독자</i>', '해지한 사람', '메일 끈 사람', '하루 모음', 'Jane'].map((displayName) =>
          registerUser(t, { displayName }),
        ),
      )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
      for (const u of [follower, unsubscribed, facilitator]) await setEmail(u, 'immediate');
      await t.http
        .put('/api/v1/me/notification-settings')
        .set(english.auth)
        .send({ email: 'immediate', language: 'en' })
        .expect(200);
      await setEmail(off, 'off');
      // Unsubscribed by the one-click link of a token signed for them.
      const token = new URL(
        t.app.get(EmailSender).unsubscribeUrl(unsubscribed.id),
      ).searchParams.get('token')!;
      await t.http
        .post('/api/v1/unsubscribe')
        .query({ token })
        .type('form')
        .send('List-Unsubscribe=One-Click')
        .expect(200)
        .expect({ email: 'off' });
      topicId = await rejectTopic('<script>alert(1)</script> 공원 & 놀이터', [
        follower,
        unsubscribed,
        off,
        daily,
        english,
        facilitator,
      ]);
      await notified(topicId);
      await outboxSettled();
    });

    it('reaches the follower who asked for it, and nobody else', async () => {
      await eventually(
        () => smtp.to(follower.email).length,
        (n) => n >= 1,
      );
      expect(smtp.to(follower.email)).toHaveLength(1);
      // The actor (the facilitator, who wants immediate email), the unsubscribed, the one with
      // email off and the one on daily digests got nothing; the proposer is on daily too.
      for (const u of [facilitator, unsubscribed, off, daily, proposer])
        expect(smtp.to(u.email)).toHaveLength(0);
      const rows = await db.query(
        `SELECT o.user_id, o.sent_at IS NOT NULL AS sent, o.attempts, o.message_id
           FROM email_outbox o JOIN notifications n ON n.id = o.notification_id
          WHERE n.topic_id = $1 AND o.user_id <> $2`,
        [topicId, english.id],
      );
      expect(rows).toEqual([
        {
          user_id: follower.id,
          sent: true,
          attempts: 1,
          message_id: expect.stringMatching(/^<.+@.+>$/),
        },
      ]);
    });

    it('has both parts, escapes user text in the HTML, links back and carries RFC 8058 headers', () => {
      const [mail] = smtp.to(follower.email);
      expect(mail!.headers.get('from')).toContain('no-reply@madang.test');
      expect(mail!.headers.get('subject')).toBe(
        '[마당] 「<script>alert(1)</script> 공원 & 놀이터」 제안이 반려되었습니다. 사유: <b>도시계획</b> & "규정"상 불가',
      );
      expect(mail!.headers.get('list-unsubscribe')).toMatch(
        /^<https:\/\/madang\.test\/api\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+>, <mailto:no-reply@madang\.test\?subject=unsubscribe%20[\w.-]+>$/,
      );
      expect(mail!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      const text = mail!.parts.get('text/plain')!;
      const html = mail!.parts.get('text/html')!;
      expect(text).toContain('<i>구독자</i> 님, 안녕하세요.');
      expect(text).toContain('「<script>alert(1)</script> 공원 & 놀이터」 제안이 반려되었습니다.');
      expect(text).toContain(`https://madang.test/topics/${topicId}`);
      expect(html).toContain('&lt;i&gt;구독자&lt;/i&gt; 님');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 공원 &amp; 놀이터');
      expect(html).toContain('&lt;b&gt;도시계획&lt;/b&gt; &amp; &quot;규정&quot;');
      expect(html).not.toMatch(/<script>|<i>|<b>/);
      expect(html).toContain(`href="https://madang.test/topics/${topicId}"`);
    });

    it('is written in the language the person chose', async () => {
      await eventually(
        () => smtp.to(english.email).length,
        (n) => n >= 1,
      );
      const [mail] = smtp.to(english.email);
      expect(mail!.headers.get('subject')).toMatch(/^\[Madang\] .*was rejected/);
      expect(mail!.parts.get('text/plain')).toContain('Jane');
      expect(mail!.parts.get('text/plain')).not.toMatch(/[가-힣]{2,}님/);
      expect(mail!.parts.get('text/html')).toContain('<html lang="en">');
    });

    it('one-click unsubscribe by the email’s own link turns email off', async () => {
      const [mail] = smtp.to(follower.email);
      const link = /<(https:[^>]+)>/.exec(mail!.headers.get('list-unsubscribe')!)![1]!;
      const token = new URL(link).searchParams.get('token')!;
      const page = await t.http.get('/api/v1/unsubscribe').query({ token }).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('알림 메일 그만 받기');
      expect(page.text).toContain('name="List-Unsubscribe" value="One-Click"');
      await t.http
        .post('/api/v1/unsubscribe')
        .query({ token })
        .type('form')
        .send('List-Unsubscribe=One-Click')
        .expect(200)
        .expect({ email: 'off' });
      const settings = await t.http
        .get('/api/v1/me/notification-settings')
        .set(follower.auth)
        .expect(200);
      expect(settings.body.email).toBe('off');
      // Idempotent, and the confirmation page's own button (a browser) gets a page back.
      const again = await t.http
        .post('/api/v1/unsubscribe')
        .query({ token })
        .set('Accept', 'text/html')
        .type('form')
        .send('List-Unsubscribe=One-Click')
        .expect(200);
      expect(again.text).toContain('알림 메일을 더 보내지 않습니다');
      // The contract's address outside /api/v1 is the same route.
      const outside = await t.http.get('/unsubscribe').query({ token }).expect(200);
      expect(outside.text).toContain('name="List-Unsubscribe" value="One-Click"');
      await t.http
        .post('/unsubscribe')
        .query({ token })
        .type('form')
        .send('List-Unsubscribe=One-Click')
        .expect(200)
        .expect({ email: 'off' });
      expectFieldErrors(await t.http.get('/unsubscribe').query({ token: 'a.b' }), ['token']);
      await setEmail(follower, 'immediate');
    });

    it('refuses forged, foreign and missing tokens, and bad bodies, naming what is wrong', async () => {
      const token = new URL(t.app.get(EmailSender).unsubscribeUrl(follower.id)).searchParams.get(
        'token',
      )!;
      const [payload, mac] = token.split('.') as [string, string];
      // Someone else's id under the follower's signature; a signature changed by one character.
      const other = Buffer.from(JSON.stringify({ u: off.id, p: 'unsubscribe' })).toString(
        'base64url',
      );
      const flipped = `${payload}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
      for (const bad of [`${other}.${mac}`, flipped, 'not-a-token', `${payload}.`]) {
        expectFieldErrors(
          await t.http
            .post('/api/v1/unsubscribe')
            .query({ token: bad })
            .type('form')
            .send('List-Unsubscribe=One-Click'),
          ['token'],
        );
        expectFieldErrors(await t.http.get('/api/v1/unsubscribe').query({ token: bad }), ['token']);
      }
      // An access token (signed with the same secret) is not an unsubscribe token.
      expectFieldErrors(await t.http.get('/api/v1/unsubscribe').query({ token: follower.token }), [
        'token',
      ]);
      expectFieldErrors(await t.http.get('/api/v1/unsubscribe'), ['token']);
      expectFieldErrors(
        await t.http
          .post('/api/v1/unsubscribe')
          .query({ token })
          .type('form')
          .send('List-Unsubscribe=Yes'),
        ['List-Unsubscribe'],
      );
      expectProblem(
        await t.http
          .post('/api/v1/unsubscribe')
          .query({ token })
          .send({ 'List-Unsubscribe': 'One-Click' }),
        415,
        'unsupported_media_type',
      );
      // Nothing of that changed anyone's setting.
      for (const u of [follower, off]) {
        const res = await t.http.get('/api/v1/me/notification-settings').set(u.auth).expect(200);
        expect(res.body.email).toBe(u === follower ? 'immediate' : 'off');
      }
    });
  });

  describe('digests', () => {
    it('the day’s boundary is DIGEST_HOUR in Asia/Seoul', async () => {
      const outbox = t.app.get(EmailOutboxRepository);
      // 09:30 in Seoul: today's 08:00 (23:00 UTC the day before) has passed.
      expect(
        await outbox.periodEnd('daily', new Date('2026-12-01T00:30:00Z'), 8, 'Asia/Seoul'),
      ).toEqual(new Date('2026-11-30T23:00:00Z'));
      // 07:30 in Seoul: still yesterday's.
      expect(
        await outbox.periodEnd('daily', new Date('2026-11-30T22:30:00Z'), 8, 'Asia/Seoul'),
      ).toEqual(new Date('2026-11-29T23:00:00Z'));
      // Weekly: Monday 08:00 in Seoul (2026-11-30 is a Monday).
      expect(
        await outbox.periodEnd('weekly', new Date('2026-12-03T12:00:00Z'), 8, 'Asia/Seoul'),
      ).toEqual(new Date('2026-11-29T23:00:00Z'));
    });

    it('a daily digest gathers exactly its period, once, even with two sweeps at once', async () => {
      const reader = await registerUser(t, { displayName: '모음 받는 사람' });
      const sender = t.app.get(EmailSender);
      const outbox = t.app.get(EmailOutboxRepository);
      const now = Date.now();
      // The last two daily boundaries (08:00 in Seoul), as the sweep computes them.
      const end2 = await outbox.periodEnd('daily', new Date(now), 8, 'Asia/Seoul');
      const end1 = new Date(end2.getTime() - 24 * 3600_000);
      const at = (ms: number): Date => new Date(ms);
      // Notifications as the notifier writes them, at chosen times around the two periods.
      const notes: [string, Date, boolean][] = [
        ['두 기간 전', at(end1.getTime() - 30 * 3600_000), false],
        ['첫 기간', at(end1.getTime() - 3600_000), false],
        ['둘째 기간 <하나>', at(end1.getTime() + 3600_000), false],
        ['둘째 기간 읽음', at(end1.getTime() + 2 * 3600_000), true],
        ['둘째 기간 둘', at(end2.getTime() - 60_000), false],
        ['기간 뒤', at(end2.getTime() + 1000), false],
      ];
      const idOf = new Map<string, string>();
      for (const [title, createdAt, read] of notes) {
        const [row] = await db.query(
          `INSERT INTO notifications (user_id, type, source, data, created_at, read_at)
           VALUES ($1, 'topic.ladder', $2, $3::jsonb, $4, $5) RETURNING id`,
          [
            reader.id,
            `digest-test:${title}`,
            JSON.stringify({ title, rung: 'review', count: 12 }),
            createdAt,
            read ? createdAt : null,
          ],
        );
        idOf.set(title, row.id);
      }
      const digestsOf = async (): Promise<{ period_end: Date; notification_ids: string[] }[]> =>
        db.query(
          `SELECT period_end, notification_ids FROM email_digests WHERE user_id = $1 ORDER BY period_end`,
          [reader.id],
        );
      // Two sweeps at once (as two nodes would), a minute after each boundary: each period is
      // made once, and a later sweep of the same period makes nothing.
      const sweepAt = (end: Date): Promise<number> =>
        sender.sweepDigests(new Date(end.getTime() + 60_000));
      const first = await Promise.all([sweepAt(end1), sweepAt(end1)]);
      expect(await digestsOf()).toHaveLength(1);
      expect(first.some((n) => n > 0)).toBe(true);
      await Promise.all([sweepAt(end2), sweepAt(end2)]);
      expect(await sender.sweepDigests(new Date(end2.getTime() + 3600_000))).toBe(0);
      expect(await digestsOf()).toEqual([
        { period_end: end1, notification_ids: [idOf.get('첫 기간')] },
        {
          period_end: end2,
          notification_ids: [idOf.get('둘째 기간 <하나>'), idOf.get('둘째 기간 둘')],
        },
      ]);
      sender.nudge();
      await eventually(
        () => smtp.to(reader.email).length,
        (n) => n >= 2,
      );
      await outboxSettled();
      await sleep(500);
      const mails = smtp.to(reader.email);
      expect(mails.map((m) => m.headers.get('subject')).sort()).toEqual([
        '[마당] 오늘의 알림 1건',
        '[마당] 오늘의 알림 2건',
      ]);
      const [one] = mails.filter((m) => m.headers.get('subject')!.endsWith('1건'));
      expect(one!.parts.get('text/plain')).toContain('「첫 기간」');
      const [mail] = mails.filter((m) => m.headers.get('subject')!.endsWith('2건'));
      const text = mail!.parts.get('text/plain')!;
      expect(text).toContain('「둘째 기간 <하나>」에 동의가 12명 모였습니다.');
      expect(text).toContain('「둘째 기간 둘」');
      for (const left of ['첫 기간', '두 기간 전', '둘째 기간 읽음', '기간 뒤'])
        expect(text).not.toContain(`「${left}」`);
      expect(mail!.parts.get('text/html')).toContain('「둘째 기간 &lt;하나&gt;」');
      expect(mail!.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    });
  });

  describe('weekly digests', () => {
    it('a weekly digest gathers the week before Monday 08:00 in Seoul', async () => {
      const reader = await registerUser(t, { displayName: '주간 모음' });
      await setEmail(reader, 'weekly');
      const sender = t.app.get(EmailSender);
      const week = await t.app
        .get(EmailOutboxRepository)
        .periodEnd('weekly', new Date(), 8, 'Asia/Seoul');
      const day = 24 * 3600_000;
      for (const [title, at] of [
        ['지난주 전', week.getTime() - 8 * day],
        ['이번 주 초', week.getTime() - 6 * day],
        ['이번 주 말', week.getTime() - 1000],
        ['다음 주', week.getTime() + 1000],
      ] as const)
        await db.query(
          `INSERT INTO notifications (user_id, type, source, data, created_at)
           VALUES ($1, 'topic.ladder', $2, $3::jsonb, $4)`,
          [reader.id, `weekly-test:${title}`, JSON.stringify({ title, count: 3 }), new Date(at)],
        );
      await Promise.all([
        sender.sweepDigests(new Date(week.getTime() + 60_000)),
        sender.sweepDigests(new Date(week.getTime() + 60_000)),
      ]);
      const digests = await db.query(
        `SELECT cadence, period_start, period_end, cardinality(notification_ids) AS n
           FROM email_digests WHERE user_id = $1`,
        [reader.id],
      );
      expect(digests).toEqual([
        {
          cadence: 'weekly',
          period_start: new Date(week.getTime() - 7 * day),
          period_end: week,
          n: 2,
        },
      ]);
      sender.nudge();
      const [mail] = await eventually(
        () => Promise.resolve(smtp.to(reader.email)),
        (m) => m.length >= 1,
      );
      expect(mail!.headers.get('subject')).toBe('[마당] 이번 주 알림 2건');
      const text = mail!.parts.get('text/plain')!;
      expect(text).toContain('이번 주의 알림입니다.');
      expect(text).toContain('「이번 주 초」');
      expect(text).toContain('「이번 주 말」');
      expect(text).not.toContain('「지난주 전」');
      expect(text).not.toContain('「다음 주」');
    });
  });

  describe('delivery', () => {
    it('a temporary refusal (451) is retried with backoff, then the delivery is recorded', async () => {
      const busy = await registerUser(t, { displayName: '바쁜 사람' });
      await setEmail(busy, 'immediate');
      smtp.refuse.set(busy.email, 2);
      const topicId = await rejectTopic('재시도 되는 메일', [busy]);
      await notified(topicId);
      const row = async (): Promise<{
        attempts: number;
        sent_at: Date | null;
        last_error: string | null;
        message_id: string | null;
        due_at: Date;
        created_at: Date;
      }> =>
        (
          await db.query(
            `SELECT o.attempts, o.sent_at, o.last_error, o.message_id, o.due_at, o.created_at
               FROM email_outbox o WHERE o.user_id = $1`,
            [busy.id],
          )
        )[0];
      const afterFirst = await eventually(row, (r) => r.attempts === 1 && r.last_error !== null);
      expect(afterFirst.sent_at).toBeNull();
      expect(afterFirst.last_error).toMatch(/451/);
      const sent = await eventually(row, (r) => r.sent_at !== null, 20_000);
      expect(smtp.refusals.filter((a) => a === busy.email)).toHaveLength(2);
      expect(smtp.to(busy.email)).toHaveLength(1);
      expect(sent).toMatchObject({ attempts: 3, last_error: null, message_id: expect.any(String) });
      // Backoff: 1 s after the first refusal, 2 s after the second — at least 3 s in all.
      expect(sent.sent_at!.getTime() - sent.created_at.getTime()).toBeGreaterThanOrEqual(3000);
    });

    it('two nodes draining the same outbox send each email once', async () => {
      const second = await startTestApp({
        SMTP_URL: smtp.url,
        MAIL_FROM: '마당 <no-reply@madang.test>',
        EMAIL_SWEEP_SECONDS: '1',
        NOTIFY_SWEEP_SECONDS: '0',
      });
      try {
        const people = await bulkUsers(t, 40, 'mail');
        await db.query(
          `INSERT INTO notification_settings (user_id, email) SELECT unnest($1::uuid[]), 'immediate'`,
          [people.map((p) => p.id)],
        );
        const topic = await createTopic(t, proposer, space.id, { title: '두 노드가 보내는 메일' });
        await db.query(
          `INSERT INTO follows (user_id, target_type, target_id) SELECT unnest($1::uuid[]), 'topic', $2::uuid`,
          [people.map((p) => p.id), topic.id],
        );
        const before = smtp.mails.length;
        await t.http
          .post(`/api/v1/topics/${topic.id}/transitions`)
          .set(facilitator.auth)
          .send({ to: 'rejected', reason: '중복' })
          .expect(200);
        await notified(topic.id);
        // Both nodes drain at once (their timers run too).
        await Promise.all([t.app.get(EmailSender).drain(), second.app.get(EmailSender).drain()]);
        await outboxSettled();
        await sleep(1500);
        const got = smtp.mails.slice(before).flatMap((m) => m.to);
        expect(got.filter((a) => a.startsWith('mail-')).sort()).toEqual(
          people.map((p) => p.email).sort(),
        );
      } finally {
        await second.close();
      }
    });
  });
});
