import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { addHeading, createBudget, openVoting, proposeProject } from '../factories/budgets';
import { createRoom } from '../factories/rooms';
import { createTopic } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, ok } from '../utils/live-client';
import { expectFieldErrors, expectProblem } from '../utils/problem';

/**
 * A budget's assembly room (`PATCH /budgets/:id {roomId}`): a facilitator attaches a live room
 * of the budget's own space and detaches it; a room of another space, an unknown room and a
 * malformed id are refused naming `roomId`, as are residents, anonymous callers and another
 * space's facilitators, and a refusal writes nothing. The room page finds its budget in the
 * space's list, and the projector view (`/budgets/:id/screen`) is a page of the site. Before
 * the results a budget without a public tally gives its watchers no count.
 */
describe('budget assembly rooms', () => {
  let t: TestApp;
  let db: DataSource;
  let facilitator: TestUser;
  let foreign: TestUser;
  let citizen: TestUser;
  let space: { id: string };
  let budgetId: string;
  let roomId: string;
  let otherRoomId: string;

  const api = (path: string): string => `/api/v1${path}`;
  const attached = async (): Promise<string | null> =>
    (
      await db.query<{ room_id: string | null }[]>(`SELECT room_id FROM budgets WHERE id = $1`, [
        budgetId,
      ])
    )[0]!.room_id;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    const admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '총회 진행자' });
    foreign = await registerUser(t, { displayName: '다른 동 진행자' });
    citizen = await registerUser(t, { displayName: '주민' });
    space = await createSpace(t, admin);
    const other = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, other.id, foreign);
    const topic = await createTopic(t, citizen, space.id);
    roomId = (await createRoom(t, facilitator, topic.id, { title: '마을총회' })).id;
    const elsewhere = await createTopic(t, citizen, other.id);
    otherRoomId = (await createRoom(t, foreign, elsewhere.id)).id;
    const created = await createBudget(t, facilitator, space.id, {
      title: '정릉3동 마을총회',
      totalAmount: 30_000_000,
      rule: { kind: 'knapsack' },
      electorate: 'open',
    });
    budgetId = created.id;
    expect(created.roomId).toBeNull();
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  it('refuses bad room ids naming roomId, and writes nothing', async () => {
    for (const roomIdValue of ['not-a-uuid', 42, '']) {
      const res = await t.http
        .patch(api(`/budgets/${budgetId}`))
        .set(facilitator.auth)
        .send({ roomId: roomIdValue });
      expectFieldErrors(res, ['roomId']);
    }
    // A room of another space, and a room that does not exist.
    for (const id of [otherRoomId, '00000000-0000-4000-8000-000000000000']) {
      const res = await t.http
        .patch(api(`/budgets/${budgetId}`))
        .set(facilitator.auth)
        .send({ roomId: id });
      expectFieldErrors(res, ['roomId']);
      // The room must be one of the budget's space: said in the reader's language.
      expect(res.body.errors[0].message).toMatch(/같은 공간|same space/);
    }
    // An unknown field beside it is refused too, and the room is not attached.
    const extra = await t.http
      .patch(api(`/budgets/${budgetId}`))
      .set(facilitator.auth)
      .send({ roomId, budgetRoom: true });
    expectFieldErrors(extra, ['budgetRoom']);
    expect(await attached()).toBeNull();
  });

  it('lets only the space’s facilitators attach a room', async () => {
    expectProblem(
      await t.http.patch(api(`/budgets/${budgetId}`)).send({ roomId }),
      401,
      'unauthorized',
    );
    for (const who of [citizen, foreign])
      expectProblem(
        await t.http
          .patch(api(`/budgets/${budgetId}`))
          .set(who.auth)
          .send({ roomId }),
        403,
        'forbidden',
      );
    // Another space's facilitator cannot attach their own room either.
    expectProblem(
      await t.http
        .patch(api(`/budgets/${budgetId}`))
        .set(foreign.auth)
        .send({ roomId: otherRoomId }),
      403,
      'forbidden',
    );
    expect(await attached()).toBeNull();
    expectProblem(
      await t.http
        .patch(api('/budgets/00000000-0000-4000-8000-000000000000'))
        .set(facilitator.auth)
        .send({ roomId }),
      404,
      'not_found',
    );
  });

  it('attaches a room of the same space, which the room page finds in the space’s budgets, and detaches it', async () => {
    const res = await t.http
      .patch(api(`/budgets/${budgetId}`))
      .set(facilitator.auth)
      .send({ roomId })
      .expect(200);
    expect(res.body.roomId).toBe(roomId);
    expect(await attached()).toBe(roomId);
    // What the room page reads, signed out: the space's budgets, one of them naming the room.
    const list = await t.http.get(api(`/spaces/${space.id}/budgets`)).expect(200);
    expect(
      list.body.items
        .filter((b: { roomId: string | null }) => b.roomId === roomId)
        .map((b: { id: string }) => b.id),
    ).toEqual([budgetId]);
    const audit = await db.query<{ after: { roomId?: string } }[]>(
      `SELECT after FROM audit_log WHERE target_id = $1 AND action = 'budget.update' ORDER BY created_at DESC LIMIT 1`,
      [budgetId],
    );
    expect(audit[0]?.after.roomId).toBe(roomId);
    const detached = await t.http
      .patch(api(`/budgets/${budgetId}`))
      .set(facilitator.auth)
      .send({ roomId: null })
      .expect(200);
    expect(detached.body.roomId).toBeNull();
    expect(await attached()).toBeNull();
  });

  it('serves the projector view as a page, and gives its watchers no count without a public tally', async () => {
    const page = await t.http.get(`/budgets/${budgetId}/screen`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    await t.http.get(`/budgets/${budgetId}/screens`).set('Accept', 'text/html').expect(404);
    const headingId = await addHeading(t, facilitator, budgetId, {
      name: '정릉3동',
      amount: 30_000_000,
    });
    const projectId = await proposeProject(t, citizen, budgetId, {
      headingId,
      title: '마을 소식지',
      summary: '요약',
      body: '본문',
      amount: 4_000_000,
    });
    await openVoting(t, facilitator, budgetId, [
      [projectId, { feasible: true, explanation: '적격' }],
    ]);
    await t.http
      .put(api(`/budgets/${budgetId}/ballot`))
      .set(citizen.auth)
      .send({ headingId, projectIds: [projectId] })
      .expect(200);
    const watcher = await connected(t.url);
    const watch = await ok<{ phase: string; tally: unknown }>(watcher, 'budget:watch', {
      budgetId,
    });
    expect(watch).toMatchObject({ phase: 'voting', tally: null });
    expectProblem(await t.http.get(api(`/budgets/${budgetId}/results`)), 409, 'results_not_public');
  });
});
