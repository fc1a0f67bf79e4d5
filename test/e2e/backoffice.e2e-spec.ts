import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createRoom, joinedSocket, liveRoom } from '../factories/rooms';
import { bulkUsers, createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import {
  closeAll,
  data,
  expectRefused,
  nextEvent,
  ok,
  record,
  request,
  sleep,
} from '../utils/live-client';
import { expectFieldErrors, expectProblem } from '../utils/problem';

/**
 * What the back office pages need of the server: archiving a space, auditing who names
 * facilitators, searching people, the grouped report queue and its bulk resolution, the
 * audit log's filters and CSV, and lifting room sanctions and pins. Every write is refused to
 * anonymous viewers, citizens and facilitators of other spaces, and writes nothing then.
 */
describe('back office: server additions', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let citizen: TestUser;
  let space: { id: string; slug: string };
  let other: { id: string; slug: string };
  let topicId: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    otherFacilitator = await registerUser(t, { displayName: '다른 공간 진행자' });
    citizen = await registerUser(t, { displayName: '시민' });
    space = await createSpace(t, admin);
    other = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, other.id, otherFacilitator);
    topicId = (await createTopic(t, citizen, space.id)).id;
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  const auditRows = (spaceId: string, action: string): Promise<Record<string, unknown>[]> =>
    db.query(
      `SELECT actor_id, target_type, target_id, reason, before, after FROM audit_log
        WHERE space_id = $1 AND action = $2 ORDER BY id`,
      [spaceId, action],
    );
  // This file's rows only: the suite's other files share the database and write their own.
  const auditCount = async (): Promise<number> =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE actor_id = ANY($1) OR space_id = ANY($2)`,
        [
          [admin.id, facilitator.id, otherFacilitator.id, citizen.id],
          [space.id, other.id],
        ],
      )
    )[0].n;

  describe('archiving a space', () => {
    it('refuses anonymous viewers, citizens and facilitators (its own too); nothing written', async () => {
      const target = await createSpace(t, admin);
      await makeFacilitator(t, admin, target.id, facilitator);
      const before = await auditCount();
      for (const path of ['archive', 'restore']) {
        const url = `/api/v1/spaces/${target.id}/${path}`;
        expectProblem(await t.http.post(url), 401, 'unauthorized');
        for (const who of [citizen, otherFacilitator, facilitator])
          expectProblem(await t.http.post(url).set(who.auth), 403, 'forbidden');
      }
      expect(await auditCount()).toBe(before);
      const row = await db.query(`SELECT archived_at FROM spaces WHERE id = $1`, [target.id]);
      expect(row[0].archived_at).toBeNull();
    });

    it('bad id → 400 naming it; unknown → 404', async () => {
      expectFieldErrors(await t.http.post('/api/v1/spaces/not-a-uuid/archive').set(admin.auth), [
        'id',
      ]);
      expectProblem(
        await t.http.post(`/api/v1/spaces/${randomUUID()}/archive`).set(admin.auth),
        404,
        'not_found',
      );
    });

    it('archived: off the public list, no new topic or room, audited once; restore brings it back', async () => {
      const target = await createSpace(t, admin, { name: '가가 보관할 공간' });
      const openTopic = await createTopic(t, citizen, target.id);
      await makeFacilitator(t, admin, target.id, facilitator);

      const archived = await t.http
        .post(`/api/v1/spaces/${target.id}/archive`)
        .set(admin.auth)
        .expect(200);
      expect(archived.body.archivedAt).toEqual(expect.any(String));
      // Twice is the same state: no second audit row.
      await t.http.post(`/api/v1/spaces/${target.id}/archive`).set(admin.auth).expect(200);
      const rows = await auditRows(target.id, 'space.archive');
      expect(rows).toEqual([
        {
          actor_id: admin.id,
          target_type: 'space',
          target_id: target.id,
          reason: null,
          before: { archivedAt: null },
          after: { archivedAt: archived.body.archivedAt },
        },
      ]);

      const listed = async (as?: TestUser, includeArchived = false): Promise<string[]> => {
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const req = t.http.get('/api/v1/spaces').query({
            limit: 100,
            ...(cursor ? { cursor } : {}),
            ...(includeArchived ? { includeArchived: 'true' } : {}),
          });
          const res = await (as ? req.set(as.auth) : req).expect(200);
          ids.push(...res.body.items.map((s: { id: string }) => s.id));
          cursor = res.body.nextCursor;
        } while (cursor);
        return ids;
      };
      expect(await listed()).not.toContain(target.id);
      expect(await listed(admin, true)).toContain(target.id);
      expectProblem(
        await t.http.get('/api/v1/spaces?includeArchived=true').set(citizen.auth),
        403,
        'forbidden',
      );
      expectProblem(await t.http.get('/api/v1/spaces?includeArchived=true'), 403, 'forbidden');
      expectFieldErrors(await t.http.get('/api/v1/spaces?includeArchived=yes'), [
        'includeArchived',
      ]);
      // Still readable by its slug.
      await t.http.get(`/api/v1/spaces/${target.slug}`).expect(200);

      const topicsBefore = (
        await db.query(`SELECT count(*)::int AS n FROM topics WHERE space_id = $1`, [target.id])
      )[0].n;
      const refusedTopic = await t.http
        .post(`/api/v1/spaces/${target.id}/topics`)
        .set(citizen.auth)
        .send({ title: '보관된 공간의 새 의제', body: '받지 않아야 합니다.' });
      expectProblem(refusedTopic, 409, 'space_archived');
      expect(refusedTopic.body.detail).toMatch(/보관된 공간/);
      const refusedRoom = await t.http
        .post(`/api/v1/topics/${openTopic.id}/rooms`)
        .set(facilitator.auth)
        .send({ title: '열리지 않을 타운홀' });
      expectProblem(refusedRoom, 409, 'space_archived');
      expect(
        (
          await db.query(`SELECT count(*)::int AS n FROM topics WHERE space_id = $1`, [target.id])
        )[0].n,
      ).toBe(topicsBefore);
      expect(
        (await db.query(`SELECT count(*)::int AS n FROM rooms WHERE space_id = $1`, [target.id]))[0]
          .n,
      ).toBe(0);

      const restored = await t.http
        .post(`/api/v1/spaces/${target.id}/restore`)
        .set(admin.auth)
        .expect(200);
      expect(restored.body.archivedAt).toBeNull();
      expect(await auditRows(target.id, 'space.restore')).toHaveLength(1);
      expect(await listed()).toContain(target.id);
      await createTopic(t, citizen, target.id);
      await createRoom(t, facilitator, openTopic.id);
    });
  });

  describe('space settings and facilitators are audited', () => {
    it('a settings change records before and after', async () => {
      const target = await createSpace(t, admin);
      await makeFacilitator(t, admin, target.id, facilitator);
      await t.http
        .patch(`/api/v1/spaces/${target.id}`)
        .set(facilitator.auth)
        .send({ thresholds: { review: 30 }, embedOrigins: ['https://news.example.kr'] })
        .expect(200);
      const [row] = await auditRows(target.id, 'space.update');
      expect(row).toMatchObject({
        actor_id: facilitator.id,
        target_type: 'space',
        before: { thresholds: { review: 50 }, embedOrigins: [] },
        after: { thresholds: { review: 30 }, embedOrigins: ['https://news.example.kr'] },
      });
      // Refused writes leave no row.
      const before = await auditCount();
      for (const who of [citizen, otherFacilitator])
        expectProblem(
          await t.http.patch(`/api/v1/spaces/${target.id}`).set(who.auth).send({ name: '바꿈' }),
          403,
          'forbidden',
        );
      expect(await auditCount()).toBe(before);
    });

    it('granting and revoking: audited once each, refused to facilitators and citizens', async () => {
      const target = await createSpace(t, admin);
      await makeFacilitator(t, admin, target.id, facilitator);
      const newcomer = await registerUser(t, { displayName: '새 진행자' });
      const url = `/api/v1/spaces/${target.id}/facilitators/${newcomer.id}`;
      const before = await auditCount();
      expectProblem(await t.http.put(url), 401, 'unauthorized');
      for (const who of [citizen, otherFacilitator, facilitator]) {
        expectProblem(await t.http.put(url).set(who.auth), 403, 'forbidden');
        expectProblem(await t.http.delete(url).set(who.auth), 403, 'forbidden');
      }
      expect(await auditCount()).toBe(before);

      await t.http.put(url).set(admin.auth).expect(200);
      await t.http.put(url).set(admin.auth).expect(200);
      const grants = await auditRows(target.id, 'facilitator.grant');
      expect(grants.filter((r) => r.target_id === newcomer.id)).toEqual([
        {
          actor_id: admin.id,
          target_type: 'user',
          target_id: newcomer.id,
          reason: null,
          before: null,
          after: { role: 'facilitator' },
        },
      ]);
      const listed = await t.http
        .get(`/api/v1/spaces/${target.id}/facilitators`)
        .set(facilitator.auth)
        .expect(200);
      expect(listed.body.map((f: { userId: string }) => f.userId)).toContain(newcomer.id);
      expectProblem(
        await t.http.get(`/api/v1/spaces/${target.id}/facilitators`).set(otherFacilitator.auth),
        403,
        'forbidden',
      );

      await t.http.delete(url).set(admin.auth).expect(204);
      await t.http.delete(url).set(admin.auth).expect(204);
      expect(await auditRows(target.id, 'facilitator.revoke')).toHaveLength(1);
      expectProblem(
        await t.http
          .put(`/api/v1/spaces/${target.id}/facilitators/${randomUUID()}`)
          .set(admin.auth),
        404,
        'not_found',
      );
    });
  });

  describe('GET /users (administrators)', () => {
    it('refuses anonymous viewers, citizens and facilitators', async () => {
      expectProblem(await t.http.get('/api/v1/users'), 401, 'unauthorized');
      for (const who of [citizen, facilitator])
        expectProblem(await t.http.get('/api/v1/users').set(who.auth), 403, 'forbidden');
    });

    it('bad filters → 400 naming them', async () => {
      expectFieldErrors(
        await t.http
          .get('/api/v1/users')
          .query({ q: 'x'.repeat(101), role: 'king', limit: 0 })
          .set(admin.auth),
        ['q', 'role', 'limit'],
      );
      expectFieldErrors(await t.http.get('/api/v1/users?cursor=%%%').set(admin.auth), ['cursor']);
      expectFieldErrors(await t.http.get('/api/v1/users?extra=1').set(admin.auth), ['extra']);
    });

    it('finds people by part of the email or name, wildcards literally, paged by email', async () => {
      const run = randomUUID().slice(0, 8);
      const people = [];
      for (let i = 0; i < 3; i++)
        people.push(
          await registerUser(t, {
            email: `find-${run}-${i}@test.madang`,
            displayName: `찾을사람${run}`,
          }),
        );
      const first = await t.http
        .get('/api/v1/users')
        .query({ q: `find-${run}`, limit: 2 })
        .set(admin.auth)
        .expect(200);
      expect(first.body.items.map((u: { email: string }) => u.email)).toEqual([
        people[0]!.email,
        people[1]!.email,
      ]);
      expect(first.body.items[0]).toMatchObject({ role: 'citizen', displayName: `찾을사람${run}` });
      const second = await t.http
        .get('/api/v1/users')
        .query({ q: `find-${run}`, limit: 2, cursor: first.body.nextCursor })
        .set(admin.auth)
        .expect(200);
      expect(second.body).toEqual({
        items: [expect.objectContaining({ email: people[2]!.email })],
        nextCursor: null,
      });
      const byName = await t.http
        .get('/api/v1/users')
        .query({ q: `찾을사람${run}` })
        .set(admin.auth)
        .expect(200);
      expect(byName.body.items).toHaveLength(3);
      // `%` is a character, not "anything".
      const literal = await t.http
        .get('/api/v1/users')
        .query({ q: `find-${run}%` })
        .set(admin.auth)
        .expect(200);
      expect(literal.body.items).toEqual([]);
      const admins = await t.http
        .get('/api/v1/users')
        .query({ role: 'admin', limit: 100 })
        .set(admin.auth)
        .expect(200);
      expect(admins.body.items.map((u: { id: string }) => u.id)).toContain(admin.id);
      expect(admins.body.items.every((u: { role: string }) => u.role === 'admin')).toBe(true);
    });
  });

  describe('role changes are audited (site-wide rows)', () => {
    const roleRows = (userId: string): Promise<Record<string, unknown>[]> =>
      db.query(
        `SELECT space_id, actor_id, target_type, reason, before, after FROM audit_log
          WHERE action = 'user.role' AND target_id = $1 ORDER BY id`,
        [userId],
      );
    const setRole = (userId: string, role: unknown, who: TestUser = admin) =>
      t.http.patch(`/api/v1/users/${userId}/role`).set(who.auth).send({ role });

    it('promotion and demotion: one row each with before and after, in the site-wide log only', async () => {
      const person = await registerUser(t, { displayName: '역할 바뀔 시민' });
      await setRole(person.id, 'admin').expect(200);
      // The same role again is no change: not audited.
      await setRole(person.id, 'admin').expect(200);
      await setRole(person.id, 'citizen').expect(200);
      const row = (from: string, to: string) => ({
        space_id: null,
        actor_id: admin.id,
        target_type: 'user',
        reason: null,
        before: { role: from },
        after: { role: to },
      });
      expect(await roleRows(person.id)).toEqual([row('citizen', 'admin'), row('admin', 'citizen')]);
      const site = await t.http
        .get('/api/v1/audit')
        .query({ action: 'user.role', targetId: person.id })
        .set(admin.auth)
        .expect(200);
      expect(site.body.items).toEqual([
        expect.objectContaining({
          spaceId: null,
          actor: { id: admin.id, displayName: expect.any(String) },
          action: 'user.role',
          targetType: 'user',
          targetId: person.id,
          targetName: '역할 바뀔 시민',
          before: { role: 'admin' },
          after: { role: 'citizen' },
        }),
        expect.objectContaining({ before: { role: 'citizen' }, after: { role: 'admin' } }),
      ]);
      // A space's log holds its own rows only, never the site's.
      const own = await t.http
        .get(`/api/v1/spaces/${space.id}/audit`)
        .query({ action: 'user.role' })
        .set(facilitator.auth)
        .expect(200);
      expect(own.body.items).toEqual([]);
      const csv = await t.http
        .get('/api/v1/audit')
        .query({ action: 'user.role', targetId: person.id, format: 'csv' })
        .set(admin.auth)
        .expect(200);
      expect(csv.text.trimEnd().split('\r\n')).toHaveLength(3);
    });

    it('refusals and bad input write no row', async () => {
      const person = await registerUser(t, { displayName: '그대로인 시민' });
      expectProblem(
        await t.http.patch(`/api/v1/users/${person.id}/role`).send({ role: 'admin' }),
        401,
        'unauthorized',
      );
      for (const who of [citizen, facilitator])
        expectProblem(await setRole(person.id, 'admin', who), 403, 'forbidden');
      expectFieldErrors(await setRole(person.id, 'king'), ['role']);
      expectFieldErrors(await setRole('nope', 'admin'), ['id']);
      expectProblem(await setRole(randomUUID(), 'admin'), 404, 'not_found');
      expect(await roleRows(person.id)).toEqual([]);
      const row = await db.query(`SELECT role FROM users WHERE id = $1`, [person.id]);
      expect(row[0].role).toBe('citizen');
    });
  });

  describe('GET /spaces/:id/people (facilitators)', () => {
    const run = randomUUID().slice(0, 6);
    let proposer: TestUser;
    let commenter: TestUser;
    let asker: TestUser;
    let outsider: TestUser;
    let elsewhere: TestUser;
    let reportedCommentId: string;
    const people = (q: string, who: TestUser = facilitator, spaceId = space.id) =>
      t.http.get(`/api/v1/spaces/${spaceId}/people`).query({ q }).set(who.auth);

    beforeAll(async () => {
      proposer = await registerUser(t, { displayName: `제안자${run}` });
      commenter = await registerUser(t, { displayName: `댓글 시민${run}` });
      asker = await registerUser(t, { displayName: `질문자${run}` });
      outsider = await registerUser(t, { displayName: `구경꾼${run}` });
      elsewhere = await registerUser(t, { displayName: `다른 곳 시민${run}` });
      const ownTopic = await createTopic(t, proposer, space.id);
      reportedCommentId = (await postComment(t, commenter, ownTopic.id)).id;
      const room = await liveRoom(t, facilitator, ownTopic.id);
      await ok(await joinedSocket(t, room.id, asker), 'question:ask', {
        roomId: room.id,
        body: '예산은 얼마인가요?',
      });
      await postComment(t, elsewhere, (await createTopic(t, elsewhere, other.id)).id);
    });

    it('finds who proposed, commented or asked in a room, by name; never the rest', async () => {
      const found = (await people(run).expect(200)).body as { id: string }[];
      expect(found.map((p) => p.id).sort()).toEqual([proposer.id, commenter.id, asker.id].sort());
      const one = (await people(`질문자${run}`).expect(200)).body;
      expect(one).toEqual([{ id: asker.id, displayName: `질문자${run}`, banned: false }]);
      // Signed up, took part nowhere here (or only in another space): not found.
      expect((await people(`구경꾼${run}`).expect(200)).body).toEqual([]);
      expect((await people(`다른 곳 시민${run}`).expect(200)).body).toEqual([]);
      expect(outsider.id).toBeTruthy();
      // `%` and `_` are characters, not wildcards.
      expect((await people(`%${run}`).expect(200)).body).toEqual([]);
    });

    it('an exact name leads; the banned are marked; emails only for administrators', async () => {
      const found = (await people(`제안자${run}`).expect(200)).body;
      expect(found[0]).toEqual({ id: proposer.id, displayName: `제안자${run}`, banned: false });
      expect(JSON.stringify((await people(run).expect(200)).body)).not.toContain('@');
      const asAdmin = (await people(`댓글 시민${run}`, admin).expect(200)).body;
      expect(asAdmin).toEqual([
        { id: commenter.id, displayName: `댓글 시민${run}`, email: commenter.email, banned: false },
      ]);
      await t.http
        .put(`/api/v1/spaces/${space.id}/bans/${commenter.id}`)
        .set(facilitator.auth)
        .send({ reason: '도배' })
        .expect(200);
      expect((await people(`댓글 시민${run}`).expect(200)).body[0].banned).toBe(true);
      await t.http
        .delete(`/api/v1/spaces/${space.id}/bans/${commenter.id}`)
        .set(facilitator.auth)
        .expect(204);
    });

    it('refuses anonymous viewers, citizens and facilitators of other spaces', async () => {
      expectProblem(
        await t.http.get(`/api/v1/spaces/${space.id}/people`).query({ q: run }),
        401,
        'unauthorized',
      );
      for (const who of [citizen, proposer, otherFacilitator])
        expectProblem(await people(run, who), 403, 'forbidden');
      // That facilitator's own space answers with its own people only.
      const theirs = (await people(run, otherFacilitator, other.id).expect(200)).body;
      expect(theirs).toEqual([
        { id: elsewhere.id, displayName: `다른 곳 시민${run}`, banned: false },
      ]);
    });

    it('bad input → 400 naming the field; unknown space → 404', async () => {
      const url = `/api/v1/spaces/${space.id}/people`;
      expectFieldErrors(await t.http.get(url).set(facilitator.auth), ['q']);
      expectFieldErrors(await t.http.get(url).query({ q: '   ' }).set(facilitator.auth), ['q']);
      expectFieldErrors(
        await t.http
          .get(url)
          .query({ q: 'x'.repeat(101), limit: 21 })
          .set(facilitator.auth),
        ['q', 'limit'],
      );
      expectFieldErrors(await t.http.get(url).query({ q: 'a', extra: 1 }).set(facilitator.auth), [
        'extra',
      ]);
      expectFieldErrors(
        await t.http.get('/api/v1/spaces/nope/people').query({ q: 'a' }).set(facilitator.auth),
        ['id'],
      );
      expectProblem(
        await t.http
          .get(`/api/v1/spaces/${randomUUID()}/people`)
          .query({ q: 'a' })
          .set(facilitator.auth),
        404,
        'not_found',
      );
    });

    describe('paged (GET /spaces/:id/people/paged)', () => {
      const url = () => `/api/v1/spaces/${space.id}/people/paged`;
      const page = (query: Record<string, unknown>, who: TestUser = facilitator) =>
        t.http.get(url()).query(query).set(who.auth);

      it('walks every match in the order of the plain search, a page at a time', async () => {
        const plain = (await people(run).expect(200)).body as { id: string }[];
        const first = (await page({ q: run, limit: 2 }).expect(200)).body;
        expect(first.items).toHaveLength(2);
        expect(first.nextCursor).toEqual(expect.any(String));
        const second = (await page({ q: run, limit: 2, cursor: first.nextCursor }).expect(200))
          .body;
        expect(second).toEqual({ items: [plain[2]], nextCursor: null });
        expect([...first.items, ...second.items]).toEqual(plain);
        // Without `limit`, a page of up to 20: all three here, and no next page.
        expect((await page({ q: run }).expect(200)).body).toEqual({
          items: plain,
          nextCursor: null,
        });
        // The exact name leads here too; emails for administrators only.
        const exact = (await page({ q: `제안자${run}`, limit: 1 }).expect(200)).body;
        expect(exact.items).toEqual([
          { id: proposer.id, displayName: `제안자${run}`, banned: false },
        ]);
        const asAdmin = (await page({ q: `질문자${run}` }, admin).expect(200)).body;
        expect(asAdmin.items).toEqual([
          { id: asker.id, displayName: `질문자${run}`, email: asker.email, banned: false },
        ]);
      });

      it('refuses anonymous viewers, citizens and facilitators of other spaces', async () => {
        expectProblem(await t.http.get(url()).query({ q: run }), 401, 'unauthorized');
        for (const who of [citizen, proposer, otherFacilitator])
          expectProblem(await page({ q: run }, who), 403, 'forbidden');
      });

      it('bad input → 400 naming the field; unknown space → 404', async () => {
        expectFieldErrors(await page({}), ['q']);
        for (const limit of [0, 51, 'ten', 2.5])
          expectFieldErrors(await page({ q: run, limit }), ['limit']);
        // 50 is the most a page holds; the plain search stops at 20.
        await page({ q: run, limit: 50 }).expect(200);
        expectFieldErrors(await page({ q: run, cursor: 'not a cursor!' }), ['cursor']);
        // Well formed, but not a position of this list: refused before it reaches SQL.
        for (const position of [
          ['x', 'y'],
          ['0', 'a', randomUUID()],
          [0, 'a', 'not-a-uuid'],
        ])
          expectFieldErrors(
            await page({
              q: run,
              cursor: Buffer.from(JSON.stringify(position)).toString('base64url'),
            }),
            ['cursor'],
          );
        expectFieldErrors(await page({ q: run, extra: 1 }), ['extra']);
        expectProblem(
          await t.http
            .get(`/api/v1/spaces/${randomUUID()}/people/paged`)
            .query({ q: 'a' })
            .set(facilitator.auth),
          404,
          'not_found',
        );
      });
    });

    it('banning the author of a reported comment names the comment in the audit row', async () => {
      const res = await t.http
        .put(`/api/v1/spaces/${space.id}/bans/${commenter.id}`)
        .set(facilitator.auth)
        .send({ reason: '신고된 도배', commentId: reportedCommentId })
        .expect(200);
      expect(res.body).toMatchObject({ user: { id: commenter.id }, reason: '신고된 도배' });
      const rows = (await auditRows(space.id, 'user.ban')).filter(
        (r) => r.target_id === commenter.id,
      );
      expect(rows.at(-1)).toMatchObject({
        actor_id: facilitator.id,
        reason: '신고된 도배',
        after: { reason: '신고된 도배', until: null, commentId: reportedCommentId },
      });
      await t.http
        .delete(`/api/v1/spaces/${space.id}/bans/${commenter.id}`)
        .set(facilitator.auth)
        .expect(204);
    });

    it("a comment that is not the user's in this space is refused, and nothing is written", async () => {
      const before = await auditCount();
      const ban = (userId: string, body: Record<string, unknown>) =>
        t.http.put(`/api/v1/spaces/${space.id}/bans/${userId}`).set(facilitator.auth).send(body);
      // Someone else's comment, a comment of another space, an unknown one, not a UUID.
      const elsewhereComment = (
        await db.query(`SELECT id FROM comments WHERE author_id = $1`, [elsewhere.id])
      )[0].id;
      expectFieldErrors(await ban(proposer.id, { reason: '도배', commentId: reportedCommentId }), [
        'commentId',
      ]);
      expectFieldErrors(await ban(elsewhere.id, { reason: '도배', commentId: elsewhereComment }), [
        'commentId',
      ]);
      expectFieldErrors(await ban(commenter.id, { reason: '도배', commentId: randomUUID() }), [
        'commentId',
      ]);
      expectFieldErrors(await ban(commenter.id, { reason: '도배', commentId: 'x' }), ['commentId']);
      expect(await auditCount()).toBe(before);
      const bans = await db.query(
        `SELECT 1 FROM space_bans WHERE space_id = $1 AND user_id = ANY($2)`,
        [space.id, [proposer.id, elsewhere.id, commenter.id]],
      );
      expect(bans).toEqual([]);
    });
  });

  describe('report queue grouped by comment, and bulk resolution', () => {
    /** A comment by `author` in `topic` reported by `n` fresh users, one after another. */
    const reported = async (
      topic: string,
      n: number,
      reason = 'spam',
      body = '광고 글입니다',
    ): Promise<string> => {
      const author = (await bulkUsers(t, 1, 'author'))[0]!;
      const comment = await postComment(t, author, topic, { body });
      for (const reporter of await bulkUsers(t, n, 'reporter')) {
        await t.http
          .post(`/api/v1/comments/${comment.id}/reports`)
          .set(reporter.auth)
          .send({ reason, detail: `${reason} 신고` })
          .expect(201);
      }
      return comment.id;
    };

    it('groups open reports by comment, oldest first, with count, reasons and details', async () => {
      const target = await createSpace(t, admin, { reportsToHide: 100 });
      await makeFacilitator(t, admin, target.id, facilitator);
      const topic = (await createTopic(t, citizen, target.id)).id;
      const older = await reported(topic, 3, 'spam', '먼저 신고된 광고');
      const newer = await reported(topic, 1, 'abuse', '나중에 신고된 욕설');
      // One more reason on the older one.
      const extra = (await bulkUsers(t, 1, 'extra'))[0]!;
      await t.http
        .post(`/api/v1/comments/${older}/reports`)
        .set(extra.auth)
        .send({ reason: 'abuse' })
        .expect(201);

      const res = await t.http
        .get(`/api/v1/spaces/${target.id}/report-groups`)
        .set(facilitator.auth)
        .expect(200);
      expect(res.body.items.map((g: { comment: { id: string } }) => g.comment.id)).toEqual([
        older,
        newer,
      ]);
      expect(res.body.items[0]).toMatchObject({
        comment: { id: older, body: '먼저 신고된 광고' },
        reportCount: 4,
        reasons: [
          { reason: 'spam', count: 3 },
          { reason: 'abuse', count: 1 },
        ],
        details: ['spam 신고', 'spam 신고', 'spam 신고'],
      });
      expect(res.body.items[0].reportIds).toHaveLength(4);
      // Paging keeps the order.
      const page1 = await t.http
        .get(`/api/v1/spaces/${target.id}/report-groups?limit=1`)
        .set(facilitator.auth)
        .expect(200);
      const page2 = await t.http
        .get(`/api/v1/spaces/${target.id}/report-groups?limit=1&cursor=${page1.body.nextCursor}`)
        .set(facilitator.auth)
        .expect(200);
      expect([page1.body.items[0].comment.id, page2.body.items[0].comment.id]).toEqual([
        older,
        newer,
      ]);
      expect(page2.body.nextCursor).toBeNull();

      expectProblem(
        await t.http.get(`/api/v1/spaces/${target.id}/report-groups`),
        401,
        'unauthorized',
      );
      for (const who of [citizen, otherFacilitator])
        expectProblem(
          await t.http.get(`/api/v1/spaces/${target.id}/report-groups`).set(who.auth),
          403,
          'forbidden',
        );
    });

    const reportsOf = async (commentIds: string[]): Promise<string[]> =>
      (
        await db.query(
          `SELECT id FROM reports WHERE comment_id = ANY($1) ORDER BY created_at, id`,
          [commentIds],
        )
      ).map((r: { id: string }) => r.id);

    it('bad bulk bodies → 400 naming the field; nothing written', async () => {
      const comment = await reported(topicId, 1);
      const [report] = await reportsOf([comment]);
      const url = `/api/v1/spaces/${space.id}/reports/resolve`;
      const before = await auditCount();
      const send = (body: unknown) =>
        t.http
          .post(url)
          .set(facilitator.auth)
          .send(body as object);
      expectFieldErrors(await send({ action: 'hide', reportIds: [] }), ['reportIds']);
      expectFieldErrors(
        await send({ action: 'hide', reportIds: Array.from({ length: 501 }, () => randomUUID()) }),
        ['reportIds'],
      );
      expectFieldErrors(await send({ action: 'hide', reportIds: [report, report] }), ['reportIds']);
      expectFieldErrors(await send({ action: 'hide', reportIds: ['nope'] }), ['reportIds']);
      expectFieldErrors(await send({ action: 'delete', reportIds: [report] }), ['action']);
      expectFieldErrors(await send({ action: 'hide', reportIds: 'all' }), ['reportIds']);
      expectFieldErrors(await send({ action: 'hide' }), ['reportIds']);
      expectFieldErrors(await send({ action: 'hide', reportIds: [report], force: true }), [
        'force',
      ]);
      expect(await auditCount()).toBe(before);
      const open = await db.query(`SELECT status FROM reports WHERE id = $1`, [report]);
      expect(open[0].status).toBe('open');
    });

    it('a report of another space, or unknown, is skipped as not_found and left alone', async () => {
      const mine = await reported(topicId, 1);
      const otherTopic = (await createTopic(t, citizen, other.id)).id;
      const foreign = await reported(otherTopic, 1);
      const [myReport] = await reportsOf([mine]);
      const [foreignReport] = await reportsOf([foreign]);
      const unknown = randomUUID();
      const res = await t.http
        .post(`/api/v1/spaces/${space.id}/reports/resolve`)
        .set(facilitator.auth)
        .send({ action: 'dismiss', reportIds: [myReport, foreignReport, unknown] })
        .expect(200);
      expect(res.body).toEqual({
        resolved: [myReport],
        skipped: [
          { id: foreignReport, reason: 'not_found' },
          { id: unknown, reason: 'not_found' },
        ],
      });
      const row = await db.query(`SELECT status FROM reports WHERE id = $1`, [foreignReport]);
      expect(row[0].status).toBe('open');
    });

    it('refuses anonymous viewers, citizens and facilitators of other spaces', async () => {
      const comment = await reported(topicId, 1);
      const [report] = await reportsOf([comment]);
      const url = `/api/v1/spaces/${space.id}/reports/resolve`;
      const body = { action: 'hide', reportIds: [report] };
      const before = await auditCount();
      expectProblem(await t.http.post(url).send(body), 401, 'unauthorized');
      for (const who of [citizen, otherFacilitator])
        expectProblem(await t.http.post(url).set(who.auth).send(body), 403, 'forbidden');
      const row = await db.query(`SELECT status FROM comments WHERE id = $1`, [comment]);
      expect(row[0].status).toBe('visible');
      expect(await auditCount()).toBe(before);
      expectProblem(
        await t.http
          .post(`/api/v1/spaces/${randomUUID()}/reports/resolve`)
          .set(admin.auth)
          .send(body),
        404,
        'not_found',
      );
    });

    it('a wave of 120 reported comments hidden in one request, each audited; again → skipped', async () => {
      const target = await createSpace(t, admin, { reportsToHide: 5 });
      await makeFacilitator(t, admin, target.id, facilitator);
      const topic = (await createTopic(t, citizen, target.id)).id;
      const [author, reporter, second] = await bulkUsers(t, 3, 'wave');
      // A spam wave, written straight to the tables: through the API it would take minutes.
      const comments: { id: string }[] = await db.query(
        `INSERT INTO comments (topic_id, author_id, body, depth, open_report_count)
         SELECT $1, $2, '광고 ' || g, 0, 2 FROM generate_series(1, 120) g RETURNING id`,
        [topic, author!.id],
      );
      const ids = comments.map((c) => c.id);
      await db.query(
        `INSERT INTO reports (space_id, topic_id, comment_id, reporter_id, reason)
         SELECT $1, $2, id, r, 'spam' FROM unnest($4::uuid[]) AS id, unnest($3::uuid[]) AS r`,
        [target.id, topic, [reporter!.id, second!.id], ids],
      );
      const all = await reportsOf(ids);
      expect(all).toHaveLength(240);
      // One report named per comment: the comment's other report is resolved with it.
      const named = (
        await db.query(
          `SELECT DISTINCT ON (comment_id) id FROM reports WHERE comment_id = ANY($1)
            ORDER BY comment_id, id`,
          [ids],
        )
      ).map((r: { id: string }) => r.id);
      const res = await t.http
        .post(`/api/v1/spaces/${target.id}/reports/resolve`)
        .set(facilitator.auth)
        .send({ action: 'hide', reportIds: named })
        .expect(200);
      expect(res.body.skipped).toEqual([]);
      expect([...res.body.resolved].sort()).toEqual([...all].sort());
      const states = await db.query(
        `SELECT status, open_report_count FROM comments WHERE id = ANY($1)`,
        [ids],
      );
      expect(states.every((s: { status: string }) => s.status === 'hidden')).toBe(true);
      expect(states.every((s: { open_report_count: number }) => s.open_report_count === 0)).toBe(
        true,
      );
      const audit = await auditRows(target.id, 'report.resolve');
      expect(audit).toHaveLength(120);
      expect(audit[0]).toMatchObject({
        actor_id: facilitator.id,
        target_type: 'report',
        reason: 'hide',
        after: expect.objectContaining({ resolvedReports: 2, status: 'hidden' }),
      });
      const again = await t.http
        .post(`/api/v1/spaces/${target.id}/reports/resolve`)
        .set(facilitator.auth)
        .send({ action: 'dismiss', reportIds: named.slice(0, 3) })
        .expect(200);
      expect(again.body).toEqual({
        resolved: [],
        skipped: named.slice(0, 3).map((id: string) => ({ id, reason: 'resolved' })),
      });
      expect(await auditRows(target.id, 'report.resolve')).toHaveLength(120);
    });

    it('two facilitators resolving the same wave at once: each report resolved once', async () => {
      const target = await createSpace(t, admin, { reportsToHide: 100 });
      await makeFacilitator(t, admin, target.id, facilitator);
      const co = await registerUser(t, { displayName: '공동 진행자' });
      await makeFacilitator(t, admin, target.id, co);
      const topic = (await createTopic(t, citizen, target.id)).id;
      const comments: string[] = [];
      for (let i = 0; i < 6; i++) comments.push(await reported(topic, 1));
      const ids = await reportsOf(comments);
      const [a, b] = await Promise.all([
        t.http
          .post(`/api/v1/spaces/${target.id}/reports/resolve`)
          .set(facilitator.auth)
          .send({ action: 'hide', reportIds: ids }),
        t.http
          .post(`/api/v1/spaces/${target.id}/reports/resolve`)
          .set(co.auth)
          .send({ action: 'dismiss', reportIds: [...ids].reverse() }),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      // Whichever came second found every report resolved: nothing is resolved twice.
      expect([...a.body.resolved, ...b.body.resolved].sort()).toEqual([...ids].sort());
      expect(a.body.skipped.length + b.body.skipped.length).toBe(6);
      expect(await auditRows(target.id, 'report.resolve')).toHaveLength(6);
    });
  });

  describe('audit log filters and CSV', () => {
    let target: { id: string };
    let bannedUser: TestUser;

    beforeAll(async () => {
      target = await createSpace(t, admin);
      await makeFacilitator(t, admin, target.id, facilitator);
      bannedUser = await registerUser(t, { displayName: '도배 시민' });
      await t.http
        .put(`/api/v1/spaces/${target.id}/bans/${bannedUser.id}`)
        .set(facilitator.auth)
        .send({ reason: '=1+1 도배' })
        .expect(200);
      await t.http
        .delete(`/api/v1/spaces/${target.id}/bans/${bannedUser.id}`)
        .set(admin.auth)
        .expect(204);
    });

    const audit = (query: Record<string, string>, as: TestUser = facilitator) =>
      t.http.get(`/api/v1/spaces/${target.id}/audit`).query(query).set(as.auth);

    it('filters by actor, action, target and time, together', async () => {
      const all = (await audit({}).expect(200)).body.items;
      expect(all.map((e: { action: string }) => e.action)).toEqual([
        'user.unban',
        'user.ban',
        'facilitator.grant',
      ]);
      const byActor = (await audit({ actorId: facilitator.id }).expect(200)).body.items;
      expect(byActor.map((e: { action: string }) => e.action)).toEqual(['user.ban']);
      const byAction = (await audit({ action: 'user.unban' }).expect(200)).body.items;
      expect(byAction).toEqual([
        expect.objectContaining({
          actor: { id: admin.id, displayName: admin.displayName },
          before: { reason: '=1+1 도배', until: null },
          after: null,
        }),
      ]);
      const byTarget = (await audit({ targetType: 'user', targetId: bannedUser.id }).expect(200))
        .body.items;
      expect(byTarget).toHaveLength(2);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect((await audit({ from: future }).expect(200)).body.items).toEqual([]);
      const since = new Date(Date.now() - 3_600_000).toISOString();
      expect(
        (await audit({ from: since, to: future, actorId: admin.id }).expect(200)).body.items,
      ).toHaveLength(2);
    });

    it('bad filters → 400 naming them', async () => {
      expectFieldErrors(
        await audit({
          actorId: 'me',
          action: 'DROP TABLE',
          targetType: 'planet',
          targetId: '1',
          from: 'yesterday',
          format: 'xml',
        }),
        ['actorId', 'action', 'targetType', 'targetId', 'from', 'format'],
      );
      expectFieldErrors(await audit({ from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }), [
        'to',
      ]);
      expectFieldErrors(await audit({ to: '2030-02-31T00:00:00Z' }), ['to']);
    });

    it('refuses anonymous viewers, citizens and facilitators of other spaces', async () => {
      expectProblem(await t.http.get(`/api/v1/spaces/${target.id}/audit`), 401, 'unauthorized');
      for (const who of [citizen, otherFacilitator]) {
        expectProblem(await audit({}, who), 403, 'forbidden');
        expectProblem(await audit({ format: 'csv' }, who), 403, 'forbidden');
      }
    });

    it('exports the filtered rows as CSV, formulas defused', async () => {
      const res = await audit({ format: 'csv', targetId: bannedUser.id }).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-.*\.csv"/);
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'id,created_at,space_id,actor_id,actor_name,action,target_type,target_id,reason,before,after',
      );
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(',user.unban,user,');
      expect(lines[2]).toContain(
        `,${facilitator.id},진행자,user.ban,user,${bannedUser.id},'=1+1 도배,`,
      );
      expect(lines[2]).toContain('"{""until"":null,""reason"":""=1+1 도배""}"');
    });

    it('the site-wide log is for administrators only, and takes a space', async () => {
      expectProblem(await t.http.get('/api/v1/audit'), 401, 'unauthorized');
      for (const who of [citizen, facilitator])
        expectProblem(await t.http.get('/api/v1/audit').set(who.auth), 403, 'forbidden');
      const res = await t.http
        .get('/api/v1/audit')
        .query({ spaceId: target.id, action: 'user.ban' })
        .set(admin.auth)
        .expect(200);
      expect(res.body.items).toHaveLength(1);
      expectFieldErrors(await t.http.get('/api/v1/audit?spaceId=x').set(admin.auth), ['spaceId']);
      const csv = await t.http
        .get('/api/v1/audit')
        .query({ spaceId: target.id, format: 'csv' })
        .set(admin.auth)
        .expect(200);
      expect(csv.text.trimEnd().split('\r\n')).toHaveLength(4);
    });
  });

  describe('GET /spaces/:id/owed-answers', () => {
    it('lists unanswered owed answers earliest due first, the late ones marked', async () => {
      const target = await createSpace(t, admin);
      await makeFacilitator(t, admin, target.id, facilitator);
      const [late, soon, answered] = [
        await createTopic(t, citizen, target.id, { title: '늦은 답변의 제안' }),
        await createTopic(t, citizen, target.id, { title: '곧 답할 제안입니다' }),
        await createTopic(t, citizen, target.id, { title: '이미 답한 제안' }),
      ];
      await db.query(
        `INSERT INTO owed_answers (topic_id, rung, due_at, answered_at) VALUES
           ($1, 'review', now() + interval '3 days', NULL),
           ($2, 'review', now() - interval '1 day', NULL),
           ($3, 'review', now() - interval '9 days', now())`,
        [soon.id, late.id, answered.id],
      );
      const res = await t.http
        .get(`/api/v1/spaces/${target.id}/owed-answers`)
        .set(facilitator.auth)
        .expect(200);
      expect(res.body).toEqual([
        expect.objectContaining({
          topicId: late.id,
          title: '늦은 답변의 제안',
          rung: 'review',
          overdue: true,
        }),
        expect.objectContaining({ topicId: soon.id, title: '곧 답할 제안입니다', overdue: false }),
      ]);
      expectProblem(
        await t.http.get(`/api/v1/spaces/${target.id}/owed-answers`),
        401,
        'unauthorized',
      );
      for (const who of [citizen, otherFacilitator])
        expectProblem(
          await t.http.get(`/api/v1/spaces/${target.id}/owed-answers`).set(who.auth),
          403,
          'forbidden',
        );
      expectFieldErrors(await t.http.get('/api/v1/spaces/nope/owed-answers').set(admin.auth), [
        'spaceId',
      ]);
      expectProblem(
        await t.http.get(`/api/v1/spaces/${randomUUID()}/owed-answers`).set(admin.auth),
        404,
        'not_found',
      );
    });
  });

  describe('rooms: unmute, unban, unpin and the sanctions list', () => {
    const joinedRoom = async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const [target] = await bulkUsers(t, 1, 'sanctioned');
      return { room, target: target! };
    };

    it('mod:unmute lifts a mute early: the user is told, facilitators see the action, audited', async () => {
      const { room, target } = await joinedRoom();
      const mod = await joinedSocket(t, room.id, facilitator);
      const mine = await joinedSocket(t, room.id, target);
      data(
        await request(mod, 'mod:mute', {
          roomId: room.id,
          userId: target.id,
          minutes: 30,
          reason: '도배',
        }),
      );
      expectRefused(await request(mine, 'chat:send', { roomId: room.id, body: '안녕' }), 'muted');
      const sanctions = await t.http
        .get(`/api/v1/rooms/${room.id}/sanctions`)
        .set(facilitator.auth)
        .expect(200);
      expect(sanctions.body).toEqual([
        expect.objectContaining({
          user: { id: target.id, displayName: target.displayName },
          mutedUntil: expect.any(String),
          banned: false,
          reason: '도배',
          by: { id: facilitator.id, displayName: '진행자' },
        }),
      ]);

      const told = nextEvent(mine, 'you:unmuted');
      const action = nextEvent(mod, 'mod:action', (p: { action: string }) => p.action === 'unmute');
      expect(
        data(
          await request(mod, 'mod:unmute', {
            roomId: room.id,
            userId: target.id,
            reason: '진정됨',
          }),
        ),
      ).toEqual({ userId: target.id, mutedUntil: null });
      expect(await told).toEqual({ roomId: room.id });
      expect(await action).toMatchObject({
        action: 'unmute',
        actor: { id: facilitator.id },
        target: { type: 'user', id: target.id },
        reason: '진정됨',
      });
      data(await request(mine, 'chat:send', { roomId: room.id, body: '이제 말할 수 있어요' }));
      const [row] = await auditRows(space.id, 'room.unmute').then((r) =>
        r.filter((x) => x.target_id === target.id),
      );
      expect(row).toMatchObject({
        actor_id: facilitator.id,
        reason: '진정됨',
        before: { roomId: room.id, banned: false, mutedUntil: expect.any(String) },
        after: { roomId: room.id, banned: false, mutedUntil: null },
      });
      expect(
        (await t.http.get(`/api/v1/rooms/${room.id}/sanctions`).set(facilitator.auth).expect(200))
          .body,
      ).toEqual([]);
      // Not muted any more: refused, nothing written.
      const before = await auditCount();
      expectRefused(
        await request(mod, 'mod:unmute', { roomId: room.id, userId: target.id }),
        'conflict',
      );
      expect(await auditCount()).toBe(before);
    });

    it('mod:unban lets a removed user back in', async () => {
      const { room, target } = await joinedRoom();
      const mod = await joinedSocket(t, room.id, facilitator);
      data(await request(mod, 'mod:ban', { roomId: room.id, userId: target.id, reason: '위협' }));
      const action = nextEvent(mod, 'mod:action', (p: { action: string }) => p.action === 'unban');
      expect(data(await request(mod, 'mod:unban', { roomId: room.id, userId: target.id }))).toEqual(
        {
          userId: target.id,
          banned: false,
        },
      );
      expect(await action).toMatchObject({
        action: 'unban',
        target: { id: target.id },
        reason: null,
      });
      const back = await joinedSocket(t, room.id, target);
      data(await request(back, 'chat:send', { roomId: room.id, body: '돌아왔습니다' }));
      const rows = (await auditRows(space.id, 'room.unban')).filter(
        (r) => r.target_id === target.id,
      );
      expect(rows).toEqual([
        expect.objectContaining({
          before: { roomId: room.id, mutedUntil: null, banned: true },
          after: { roomId: room.id, mutedUntil: null, banned: false },
        }),
      ]);
      const left = await db.query(
        `SELECT count(*)::int AS n FROM room_sanctions WHERE room_id = $1 AND user_id = $2`,
        [room.id, target.id],
      );
      expect(left[0].n).toBe(0);
      expectRefused(
        await request(mod, 'mod:unban', { roomId: room.id, userId: target.id }),
        'conflict',
      );
    });

    it('mod:unpin takes the pin down for everyone; nothing pinned → conflict', async () => {
      const { room } = await joinedRoom();
      const mod = await joinedSocket(t, room.id, facilitator);
      const viewer = await joinedSocket(t, room.id);
      const said = data(
        await request<{ comment: { id: string } }>(mod, 'chat:send', {
          roomId: room.id,
          body: '공지: 10분 휴식',
        }),
      );
      data(await request(mod, 'mod:pin', { roomId: room.id, commentId: said.comment.id }));
      const unpinned = nextEvent(viewer, 'comment:unpinned');
      const seen = record(viewer);
      expect(data(await request(mod, 'mod:unpin', { roomId: room.id }))).toEqual({
        commentId: said.comment.id,
      });
      expect(await unpinned).toMatchObject({ roomId: room.id, commentId: said.comment.id });
      await sleep(200);
      expect(seen.map((e) => e.event)).not.toContain('mod:action');
      const row = await db.query(`SELECT pinned_comment_id FROM rooms WHERE id = $1`, [room.id]);
      expect(row[0].pinned_comment_id).toBeNull();
      const audit = (await auditRows(space.id, 'room.unpin')).filter(
        (r) => r.target_id === room.id,
      );
      expect(audit).toEqual([
        expect.objectContaining({
          before: { pinnedCommentId: said.comment.id },
          after: { pinnedCommentId: null },
        }),
      ]);
      expectRefused(await request(mod, 'mod:unpin', { roomId: room.id }), 'conflict');
    });

    it('refused to anonymous viewers, citizens and facilitators of other spaces; nothing written', async () => {
      const { room, target } = await joinedRoom();
      const mod = await joinedSocket(t, room.id, facilitator);
      data(await request(mod, 'mod:mute', { roomId: room.id, userId: target.id, reason: '도배' }));
      data(await request(mod, 'mod:ban', { roomId: room.id, userId: target.id, reason: '도배' }));
      const said = data(
        await request<{ comment: { id: string } }>(mod, 'chat:send', {
          roomId: room.id,
          body: '고정',
        }),
      );
      data(await request(mod, 'mod:pin', { roomId: room.id, commentId: said.comment.id }));
      const before = await auditCount();
      const sanctions = await db.query(`SELECT * FROM room_sanctions WHERE room_id = $1`, [
        room.id,
      ]);
      for (const who of [undefined, citizen, otherFacilitator]) {
        const socket = await joinedSocket(t, room.id, who);
        const code = who ? 'forbidden' : 'unauthorized';
        expectRefused(
          await request(socket, 'mod:unmute', { roomId: room.id, userId: target.id }),
          code,
        );
        expectRefused(
          await request(socket, 'mod:unban', { roomId: room.id, userId: target.id }),
          code,
        );
        expectRefused(await request(socket, 'mod:unpin', { roomId: room.id }), code);
      }
      expect(await auditCount()).toBe(before);
      expect(await db.query(`SELECT * FROM room_sanctions WHERE room_id = $1`, [room.id])).toEqual(
        sanctions,
      );
      const pinned = await db.query(`SELECT pinned_comment_id FROM rooms WHERE id = $1`, [room.id]);
      expect(pinned[0].pinned_comment_id).toBe(said.comment.id);

      expectProblem(await t.http.get(`/api/v1/rooms/${room.id}/sanctions`), 401, 'unauthorized');
      for (const who of [citizen, otherFacilitator])
        expectProblem(
          await t.http.get(`/api/v1/rooms/${room.id}/sanctions`).set(who.auth),
          403,
          'forbidden',
        );
      expectProblem(
        await t.http.get(`/api/v1/rooms/${randomUUID()}/sanctions`).set(facilitator.auth),
        404,
        'not_found',
      );
    });

    it('bad payloads: refused with validation_failed naming the field', async () => {
      const { room } = await joinedRoom();
      const mod = await joinedSocket(t, room.id, facilitator);
      for (const [event, payload] of [
        ['mod:unmute', { roomId: room.id, userId: 'me' }],
        ['mod:unmute', { roomId: room.id, userId: randomUUID(), reason: 'x'.repeat(501) }],
        ['mod:unban', { roomId: 'x', userId: randomUUID() }],
        ['mod:unban', { roomId: room.id, userId: randomUUID(), extra: 1 }],
        ['mod:unpin', { roomId: 7 }],
        ['mod:unpin', {}],
      ] as const) {
        expectRefused(await request(mod, event, payload), 'validation_failed');
      }
      expectRefused(
        await request(mod, 'mod:unmute', { roomId: room.id, userId: randomUUID() }),
        'not_found',
      );
    });
  });
});
