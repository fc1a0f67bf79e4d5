import { DataSource } from 'typeorm';
import {
  DEMO_EMAILS,
  DEMO_PASSWORDS,
  DEMO_SLUGS,
  DEMO_TOPICS,
  type DemoSummary,
  seedDemo,
} from '../../src/seed';
import { TOPIC_STATUSES } from '../../src/topics/topic.entity';
import { startTestApp, type TestApp } from '../utils/app';

/**
 * The demo seed (`npm run seed`) on the run's test database. Other test files share that
 * database, so everything here is scoped to the demo's own spaces and accounts.
 */
describe('demo seed', () => {
  let t: TestApp;
  let db: DataSource;
  let first: DemoSummary;
  const slugs = Object.values(DEMO_SLUGS);

  /** Rows the demo owns, table by table, plus a fingerprint of every demo topic and comment. */
  const snapshot = async (): Promise<Record<string, unknown>> => {
    const [counts] = await db.query(
      `WITH s AS (SELECT id FROM spaces WHERE slug = ANY($1)),
            tp AS (SELECT id FROM topics WHERE space_id IN (SELECT id FROM s)),
            cm AS (SELECT id FROM comments WHERE topic_id IN (SELECT id FROM tp))
       SELECT (SELECT count(*)::int FROM s) AS spaces,
              (SELECT count(*)::int FROM space_facilitators WHERE space_id IN (SELECT id FROM s)) AS facilitators,
              (SELECT count(*)::int FROM space_bans WHERE space_id IN (SELECT id FROM s)) AS bans,
              (SELECT count(*)::int FROM users WHERE email LIKE '%@madang.demo') AS users,
              (SELECT count(*)::int FROM tp) AS topics,
              (SELECT count(*)::int FROM topic_agrees WHERE topic_id IN (SELECT id FROM tp)) AS topic_agrees,
              (SELECT count(*)::int FROM topic_events WHERE topic_id IN (SELECT id FROM tp)) AS topic_events,
              (SELECT count(*)::int FROM topic_stances WHERE topic_id IN (SELECT id FROM tp)) AS topic_stances,
              (SELECT count(*)::int FROM topic_participants WHERE topic_id IN (SELECT id FROM tp)) AS participants,
              (SELECT count(*)::int FROM topic_responses WHERE topic_id IN (SELECT id FROM tp)) AS responses,
              (SELECT count(*)::int FROM owed_answers WHERE topic_id IN (SELECT id FROM tp)) AS owed_answers,
              (SELECT count(*)::int FROM cm) AS comments,
              (SELECT count(*)::int FROM comment_agrees WHERE comment_id IN (SELECT id FROM cm)) AS comment_agrees,
              (SELECT count(*)::int FROM reports WHERE space_id IN (SELECT id FROM s)) AS reports,
              (SELECT count(*)::int FROM audit_log WHERE space_id IN (SELECT id FROM s)) AS audit`,
      [slugs],
    );
    const topics = await db.query(
      `SELECT t.id, t.status, t.rung, t.agree_count, t.comment_count, t.participant_count, t.seq,
              t.updated_at::text AS updated
         FROM topics t JOIN spaces s ON s.id = t.space_id WHERE s.slug = ANY($1) ORDER BY t.id`,
      [slugs],
    );
    const comments = await db.query(
      `SELECT c.id, c.status, c.agree_count, c.reply_count, c.open_report_count
         FROM comments c JOIN topics t ON t.id = c.topic_id JOIN spaces s ON s.id = t.space_id
        WHERE s.slug = ANY($1) ORDER BY c.id`,
      [slugs],
    );
    return { counts, topics, comments };
  };

  const topicId = async (title: string): Promise<string> => {
    const rows = await db.query(
      `SELECT t.id FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE s.slug = ANY($1) AND t.title = $2`,
      [slugs, title],
    );
    expect(rows).toHaveLength(1);
    return rows[0].id;
  };

  const timeline = async (
    id: string,
  ): Promise<{ type: string; actor: { id: string } | null; data: Record<string, unknown> }[]> =>
    (await t.http.get(`/api/v1/topics/${id}/timeline`).query({ limit: 100 }).expect(200)).body
      .items;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    const exists = await db.query(`SELECT 1 FROM spaces WHERE slug = ANY($1)`, [slugs]);
    expect(exists).toEqual([]);
    first = await seedDemo(t.app);
  });
  afterAll(() => t.close());

  it('creates the three spaces with their ladders', async () => {
    expect(first.created).toBe(true);
    expect(first.notes).toEqual([]);
    const spaces = await db.query(
      `SELECT slug, name, thresholds, reports_to_hide FROM spaces WHERE slug = ANY($1) ORDER BY slug COLLATE "C"`,
      [slugs],
    );
    expect(spaces).toEqual([
      {
        slug: DEMO_SLUGS.village,
        name: '성북구 마을공동체',
        thresholds: expect.objectContaining({ review: 50, deliberation: 500, response: 5000 }),
        reports_to_hide: 2,
      },
      {
        slug: DEMO_SLUGS.pilot,
        name: '서울협치 시범 공론장',
        thresholds: expect.objectContaining({ review: 10, deliberation: 20, response: 30 }),
        reports_to_hide: 3,
      },
      {
        slug: DEMO_SLUGS.budget,
        name: '서울시 시민참여예산',
        thresholds: {
          review: 50,
          deliberation: 100,
          response: 1000,
          proposalWindowDays: 30,
          deliberationDays: 30,
        },
        reports_to_hide: 3,
      },
    ]);
  });

  it('has a topic at every status, and the summary says so', async () => {
    const rows: { status: string; n: number }[] = await db.query(
      `SELECT t.status, count(*)::int AS n FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE s.slug = ANY($1) GROUP BY t.status`,
      [slugs],
    );
    expect(rows.map((r) => r.status).sort()).toEqual([...TOPIC_STATUSES].sort());
    for (const row of rows) expect(first.topicsByStatus[row.status as 'proposed']).toBe(row.n);
    const answered = await db.query(
      `SELECT r.role FROM topic_responses r JOIN topics t ON t.id = r.topic_id
         JOIN spaces s ON s.id = t.space_id WHERE s.slug = ANY($1) ORDER BY r.role`,
      [slugs],
    );
    expect(answered.map((r: { role: string }) => r.role)).toEqual([
      '서울시 주민자치과',
      '성북구 마을사회적경제과',
    ]);
    const rejected = await db.query(
      `SELECT rejected_reason FROM topics t JOIN spaces s ON s.id = t.space_id
        WHERE s.slug = ANY($1) AND t.status = 'rejected'`,
      [slugs],
    );
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) expect(r.rejected_reason).toEqual(expect.any(String));
  });

  it('keeps every count equal to the rows it counts', async () => {
    const topics = await db.query(
      `SELECT t.title,
              t.agree_count, (SELECT count(*)::int FROM topic_agrees a WHERE a.topic_id = t.id) AS agrees,
              t.comment_count, (SELECT count(*)::int FROM comments c WHERE c.topic_id = t.id) AS comments,
              t.participant_count, (SELECT count(*)::int FROM topic_participants p WHERE p.topic_id = t.id) AS participants,
              t.stance_for, (SELECT count(*)::int FROM topic_stances x WHERE x.topic_id = t.id AND x.stance = 'for') AS stances_for,
              t.stance_against, (SELECT count(*)::int FROM topic_stances x WHERE x.topic_id = t.id AND x.stance = 'against') AS stances_against,
              t.stance_neutral, (SELECT count(*)::int FROM topic_stances x WHERE x.topic_id = t.id AND x.stance = 'neutral') AS stances_neutral
         FROM topics t JOIN spaces s ON s.id = t.space_id WHERE s.slug = ANY($1)`,
      [slugs],
    );
    expect(topics.length).toBeGreaterThanOrEqual(15);
    for (const r of topics) {
      expect({ title: r.title, agrees: r.agree_count, comments: r.comment_count }).toEqual({
        title: r.title,
        agrees: r.agrees,
        comments: r.comments,
      });
      expect(r.participant_count).toBe(r.participants);
      expect([r.stance_for, r.stance_against, r.stance_neutral]).toEqual([
        r.stances_for,
        r.stances_against,
        r.stances_neutral,
      ]);
    }
    expect(topics.some((r: { comments: number }) => r.comments >= 8)).toBe(true);

    const comments = await db.query(
      `SELECT c.id, c.depth, c.reply_count, c.agree_count,
              (SELECT count(*)::int FROM comments k WHERE k.parent_id = c.id) AS children,
              (SELECT count(*)::int FROM comment_agrees a WHERE a.comment_id = c.id) AS agrees
         FROM comments c JOIN topics t ON t.id = c.topic_id JOIN spaces s ON s.id = t.space_id
        WHERE s.slug = ANY($1)`,
      [slugs],
    );
    for (const c of comments) {
      expect({ id: c.id, replies: c.reply_count, agrees: c.agree_count }).toEqual({
        id: c.id,
        replies: c.children,
        agrees: c.agrees,
      });
    }
    // Real threads: replies down to the fourth level, and comments people agreed with.
    expect(Math.max(...comments.map((c: { depth: number }) => c.depth))).toBe(3);
    expect(
      comments.filter((c: { agree_count: number }) => c.agree_count > 0).length,
    ).toBeGreaterThan(20);
  });

  it('the ladder-opened deliberation shows every rung it crossed on its timeline', async () => {
    const id = await topicId(DEMO_TOPICS.ladderOpened);
    const topic = (await t.http.get(`/api/v1/topics/${id}`).expect(200)).body;
    expect(topic).toMatchObject({ status: 'deliberating', ladder: { rung: 3 } });
    expect(topic.counts.participants).toBeGreaterThanOrEqual(30);
    const entries = await timeline(id);
    expect(
      entries
        .filter((e) => e.type === 'ladder_crossed' || e.type === 'transitioned')
        .map((e) => `${e.type}:${String(e.data.rung ?? e.data.to)}`),
    ).toEqual([
      'ladder_crossed:review',
      'transitioned:under_review',
      'ladder_crossed:deliberation',
      'transitioned:deliberating',
      'ladder_crossed:response',
    ]);
    // The ladder, not a person, opened it.
    expect(entries.find((e) => e.data.to === 'deliberating')?.actor).toBeNull();
    expect(topic.owedAnswers.map((o: { rung: string }) => o.rung).sort()).toEqual([
      'response',
      'review',
    ]);
  });

  it('the 우수제안 deliberation records who opened it below the threshold, and why', async () => {
    const id = await topicId(DEMO_TOPICS.facilitatorOpened);
    const topic = (await t.http.get(`/api/v1/topics/${id}`).expect(200)).body;
    expect(topic.status).toBe('deliberating');
    expect(topic.counts.agrees).toBeLessThan(100);
    const opened = (await timeline(id)).find((e) => e.data.to === 'deliberating');
    expect(opened?.actor).not.toBeNull();
    expect(opened?.data.reason).toEqual(expect.stringContaining('우수제안'));
    const stances = topic.counts.stances;
    expect(stances.for + stances.against + stances.neutral).toBeGreaterThan(10);
  });

  it('the expired proposal was expired by the deadline scheduler', async () => {
    const id = await topicId(DEMO_TOPICS.expired);
    const last = (await timeline(id)).at(-1);
    expect(last).toMatchObject({ type: 'transitioned', actor: null, data: { to: 'expired' } });
  });

  it('moderation: a hidden comment with its reason, an auto-hidden one, an open report, a ban', async () => {
    const hidden = await db.query(
      `SELECT c.hidden_reason FROM comments c JOIN topics t ON t.id = c.topic_id
         JOIN spaces s ON s.id = t.space_id
        WHERE s.slug = $1 AND c.status = 'hidden' ORDER BY c.hidden_reason`,
      [DEMO_SLUGS.village],
    );
    expect(hidden).toHaveLength(2);
    const bans = await db.query(
      `SELECT u.email FROM space_bans b JOIN users u ON u.id = b.user_id
         JOIN spaces s ON s.id = b.space_id WHERE s.slug = $1`,
      [DEMO_SLUGS.village],
    );
    expect(bans).toEqual([{ email: DEMO_EMAILS.citizen(60) }]);
    const open = await db.query(
      `SELECT count(*)::int AS n FROM reports r JOIN spaces s ON s.id = r.space_id
        WHERE s.slug = $1 AND r.status = 'open'`,
      [DEMO_SLUGS.village],
    );
    expect(open[0].n).toBeGreaterThanOrEqual(1);
  });

  it('every printed account signs in with its printed password', async () => {
    for (const [email, password] of [
      [DEMO_EMAILS.admin, DEMO_PASSWORDS.admin],
      [DEMO_EMAILS.budgetFacilitator, DEMO_PASSWORDS.facilitator],
      [DEMO_EMAILS.villageFacilitator, DEMO_PASSWORDS.facilitator],
      [DEMO_EMAILS.citizen(1), DEMO_PASSWORDS.citizen],
      [DEMO_EMAILS.citizen(42), DEMO_PASSWORDS.citizen],
    ] as const) {
      await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
    }
    const me = await t.http
      .post('/api/v1/auth/login')
      .send({ email: DEMO_EMAILS.villageFacilitator, password: DEMO_PASSWORDS.facilitator });
    const spaces = await t.http
      .get('/api/v1/me')
      .set({ Authorization: `Bearer ${me.body.accessToken}` })
      .expect(200);
    expect(spaces.body.spaces.map((s: { slug: string }) => s.slug)).toEqual([DEMO_SLUGS.village]);
  });

  it('has a city budget run through every phase and a 동 budget voting with a live tally', async () => {
    const budgets: { id: string; slug: string; phase: string; rule_kind: string }[] =
      await db.query(
        `SELECT b.id, s.slug, b.phase, b.rule_kind FROM budgets b JOIN spaces s ON s.id = b.space_id
        WHERE s.slug = ANY($1) ORDER BY b.created_at`,
        [slugs],
      );
    expect(budgets.map((b) => [b.slug, b.phase, b.rule_kind])).toEqual([
      [DEMO_SLUGS.budget, 'execution', 'approval'],
      [DEMO_SLUGS.village, 'voting', 'ranked'],
    ]);
    const [city, village] = budgets as unknown as [{ id: string }, { id: string }];
    const view = await t.http.get(`/api/v1/budgets/${city.id}`).expect(200);
    expect(
      view.body.timeline.map((e: { type: string; data: { to?: string } }) => e.data.to ?? e.type),
    ).toEqual(['created', 'review', 'voting', 'results', 'execution']);
    expect(view.body.voterClasses.map((c: { weight: number }) => c.weight)).toEqual([
      50, 30, 10, 10,
    ]);
    const results = await t.http.get(`/api/v1/budgets/${city.id}/results`).expect(200);
    expect(results.body.final).toBe(true);
    const reasons = results.body.headings.flatMap((h: { projects: { reason: string }[] }) =>
      h.projects.map((p) => p.reason),
    );
    expect(new Set(reasons)).toEqual(new Set(['selected', 'did_not_fit', 'unfeasible']));
    const seongbuk = results.body.headings.find((h: { name: string }) => h.name === '성북구');
    expect(seongbuk.ballots).toEqual({ online: 10, onsite: 2, paper: 12 });
    const selected = await t.http
      .get(`/api/v1/budgets/${city.id}/projects`)
      .query({ status: 'selected', limit: 100 })
      .expect(200);
    const project = await t.http.get(`/api/v1/projects/${selected.body.items[0].id}`).expect(200);
    expect(project.body.milestones.length).toBeGreaterThan(0);
    const live = await t.http.get(`/api/v1/budgets/${village.id}/results`).expect(200);
    expect(live.body).toMatchObject({ phase: 'voting', final: false });
    expect(live.body.headings[0].ballots.online).toBe(18);
  });

  it('a second run says the demo exists and changes nothing', async () => {
    const before = await snapshot();
    const again = await seedDemo(t.app);
    expect(again.created).toBe(false);
    expect(again.notes).toEqual([]);
    expect(again.topicsByStatus).toEqual(first.topicsByStatus);
    expect(await snapshot()).toEqual(before);
  });
});
