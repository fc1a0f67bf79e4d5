import { type TestApp } from '../utils/app';
import { type TestUser } from './identity';

export interface BudgetBody {
  id: string;
  roomId: string | null;
  [key: string]: unknown;
}

/** A budget in its first phase (`proposals`), created by one of the space's facilitators. */
export async function createBudget(
  t: TestApp,
  facilitator: TestUser,
  spaceId: string,
  body: Record<string, unknown>,
): Promise<BudgetBody> {
  const res = await t.http
    .post(`/api/v1/spaces/${spaceId}/budgets`)
    .set(facilitator.auth)
    .send(body)
    .expect(201);
  return res.body;
}

/** Adds a heading and returns its id. */
export async function addHeading(
  t: TestApp,
  facilitator: TestUser,
  budgetId: string,
  heading: { name: string; amount: number; group?: string; maxChoices?: number },
): Promise<string> {
  const res = await t.http
    .post(`/api/v1/budgets/${budgetId}/headings`)
    .set(facilitator.auth)
    .send(heading)
    .expect(201);
  return res.body.headings.find((h: { name: string }) => h.name === heading.name).id;
}

export interface ProjectProposal {
  headingId: string;
  title: string;
  summary: string;
  body: string;
  amount: number;
  category?: string;
  location?: string;
}

/** A resident's proposal (the budget in `proposals`); returns the project's id. */
export async function proposeProject(
  t: TestApp,
  proposer: TestUser,
  budgetId: string,
  project: ProjectProposal,
): Promise<string> {
  const res = await t.http
    .post(`/api/v1/budgets/${budgetId}/projects`)
    .set(proposer.auth)
    .send(project)
    .expect(201);
  return res.body.id;
}

export async function movePhase(
  t: TestApp,
  facilitator: TestUser,
  budgetId: string,
  to: string,
): Promise<void> {
  await t.http
    .post(`/api/v1/budgets/${budgetId}/phase`)
    .set(facilitator.auth)
    .send({ to })
    .expect(200);
}

export interface Review {
  feasible: boolean;
  explanation: string;
  cost?: number;
}

export async function reviewProject(
  t: TestApp,
  facilitator: TestUser,
  projectId: string,
  review: Review,
): Promise<void> {
  await t.http
    .post(`/api/v1/projects/${projectId}/review`)
    .set(facilitator.auth)
    .send(review)
    .expect(200);
}

/**
 * Takes a budget in `proposals` to `voting`: to `review`, each project reviewed as given (in
 * that order), then to `voting`.
 */
export async function openVoting(
  t: TestApp,
  facilitator: TestUser,
  budgetId: string,
  reviews: [projectId: string, review: Review][],
): Promise<void> {
  await movePhase(t, facilitator, budgetId, 'review');
  for (const [projectId, review] of reviews) await reviewProject(t, facilitator, projectId, review);
  await movePhase(t, facilitator, budgetId, 'voting');
}

/** Imports a CSV roll (`ref,heading,class` lines) and returns the new codes by ref. */
export async function importRoll(
  t: TestApp,
  facilitator: TestUser,
  budgetId: string,
  lines: { ref: string; heading?: string; class?: string }[],
): Promise<Record<string, string>> {
  const csv = [
    'ref,heading,class',
    ...lines.map((l) => `${l.ref},${l.heading ?? ''},${l.class ?? ''}`),
  ].join('\n');
  const res = await t.http
    .put(`/api/v1/budgets/${budgetId}/voters`)
    .set(facilitator.auth)
    .set('Content-Type', 'text/csv')
    .send(csv)
    .expect(200);
  return Object.fromEntries(
    (res.body.codes as { ref: string; code: string }[]).map((c) => [c.ref, c.code]),
  );
}

/** The user claims the roll line of the code. */
export async function claimCode(
  t: TestApp,
  user: TestUser,
  budgetId: string,
  code: string,
): Promise<void> {
  await t.http
    .post(`/api/v1/budgets/${budgetId}/voters/claim`)
    .set(user.auth)
    .send({ code })
    .expect(200);
}
