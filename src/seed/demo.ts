import { type INestApplication } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Space } from '../spaces/space.entity';
import { TOPIC_STATUSES, type TopicStatus } from '../topics/topic.entity';

import { buildBudgetSpace } from './budget-space';
import { DemoBuilder } from './demo-builder';
import { CITIZENS, DEMO_EMAILS, DEMO_PASSWORDS, DEMO_SLUGS, DEMO_TOPICS } from './demo-constants';
import { buildPilotSpace } from './pilot-space';
import { buildVillageSpace } from './village-space';

/**
 * Demo data for Madang (`npm run seed`): three spaces modelled on Seoul's 시민참여예산,
 * 성북구 마을공동체 and 협치 공론장, accounts of every role, and topics at every status with
 * real threads. Everything in the domain goes through the same services the API calls, so
 * every count, ladder crossing, timeline entry and audit row is what the product itself
 * would have written. Running it again once the demo exists changes nothing.
 */

export interface DemoSummary {
  /** False when the demo already existed: nothing was written. */
  created: boolean;
  spaces: { slug: string; name: string; ladder: string; reportsToHide: number }[];
  accounts: { role: string; email: string; password: string; note: string }[];
  topicsByStatus: Record<TopicStatus, number>;
  notes: string[];
}

/** The demo's topics by status and the spaces' settings, read back from the database. */
async function summarize(
  app: INestApplication,
  created: boolean,
  notes: string[],
): Promise<DemoSummary> {
  const db = app.get(DataSource);
  const slugs = Object.values(DEMO_SLUGS);
  const spaces = await db
    .getRepository(Space)
    .find({ where: { slug: In(slugs) }, order: { createdAt: 'ASC' } });
  const counts: { status: TopicStatus; n: number }[] = await db.query(
    `SELECT t.status, count(*)::int AS n FROM topics t JOIN spaces s ON s.id = t.space_id
      WHERE s.slug = ANY($1) GROUP BY t.status`,
    [slugs],
  );
  const topicsByStatus = Object.fromEntries(TOPIC_STATUSES.map((s) => [s, 0])) as Record<
    TopicStatus,
    number
  >;
  for (const row of counts) topicsByStatus[row.status] = row.n;
  const n = (value: number): string => value.toLocaleString('en-US');
  return {
    created,
    spaces: spaces.map((s) => ({
      slug: s.slug,
      name: s.name,
      ladder: `${n(s.thresholds.review)} / ${n(s.thresholds.deliberation)} / ${n(s.thresholds.response)}`,
      reportsToHide: s.reportsToHide,
    })),
    accounts: [
      {
        role: 'admin',
        email: DEMO_EMAILS.admin,
        password: DEMO_PASSWORDS.admin,
        note: 'every space',
      },
      {
        role: 'facilitator',
        email: DEMO_EMAILS.budgetFacilitator,
        password: DEMO_PASSWORDS.facilitator,
        note: `${DEMO_SLUGS.budget}, ${DEMO_SLUGS.pilot}`,
      },
      {
        role: 'facilitator',
        email: DEMO_EMAILS.villageFacilitator,
        password: DEMO_PASSWORDS.facilitator,
        note: DEMO_SLUGS.village,
      },
      {
        role: 'citizen',
        email: `${DEMO_EMAILS.citizen(1)} … ${DEMO_EMAILS.citizen(CITIZENS)}`,
        password: DEMO_PASSWORDS.citizen,
        note: `${CITIZENS} citizens; ${DEMO_EMAILS.citizen(CITIZENS)} is banned in ${DEMO_SLUGS.village}`,
      },
    ],
    topicsByStatus,
    notes,
  };
}

/**
 * Creates the demo through the application's services, unless it exists already (then
 * nothing is written). `app` must be initialised (migrations applied).
 */
export async function seedDemo(app: INestApplication): Promise<DemoSummary> {
  const db = app.get(DataSource);
  const existing = await db.getRepository(Space).findOneBy({ slug: DEMO_SLUGS.budget });
  if (existing) {
    const finished: unknown[] = await db.query(
      `SELECT 1 FROM topics WHERE space_id = $1 AND title = $2 AND status = 'expired'`,
      [existing.id, DEMO_TOPICS.expired],
    );
    const notes = finished.length
      ? []
      : [
          'The demo looks incomplete (an earlier run stopped part-way); ' +
            'seed a fresh database (e.g. a new EMBEDDED_PG_DIR) to get all of it.',
        ];
    return summarize(app, false, notes);
  }
  const d = new DemoBuilder(app);
  await d.accounts();
  await buildBudgetSpace(d);
  await buildVillageSpace(d);
  await buildPilotSpace(d);
  return summarize(app, true, d.notes);
}

export function formatSummary(summary: DemoSummary): string {
  const lines: string[] = [];
  lines.push(
    summary.created
      ? 'Madang demo data created.'
      : 'The Madang demo data exists already; nothing was changed.',
  );
  lines.push('', 'Spaces (ladder: answer / deliberation / top official):');
  for (const s of summary.spaces) {
    lines.push(
      `  ${s.slug.padEnd(28)} ${s.name}  — ladder ${s.ladder}, ${s.reportsToHide} reports hide a comment`,
    );
  }
  lines.push('', 'Sign in (POST /api/v1/auth/login):');
  for (const a of summary.accounts) {
    lines.push(`  ${a.role.padEnd(12)} ${a.email}  password: ${a.password}  (${a.note})`);
  }
  lines.push('', 'Topics by status:');
  lines.push(`  ${TOPIC_STATUSES.map((s) => `${s} ${summary.topicsByStatus[s]}`).join(', ')}`);
  for (const note of summary.notes) lines.push('', `Note: ${note}`);
  return `${lines.join('\n')}\n`;
}
