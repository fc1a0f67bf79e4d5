import type { Response, Test } from 'supertest';
import { DataSource } from 'typeorm';
import { type DomainEventMap, type DomainEventName } from '../../src/core/events/domain-events';
import { EventBus } from '../../src/core/events/event-bus';
import { AUTO_HIDE_REASON } from '../../src/moderation/comment-moderation.service';
import { reviewedHideReason } from '../../src/protocol/hidden-reason';
import {
  createComment,
  createTopic,
  type TestComment,
  type TestTopic,
} from '../factories/deliberation';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { startTestApp, type TestApp } from '../utils/app';
import { expectFieldErrors, expectProblem } from '../utils/problem';

const API = '/api/v1';
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const FUTURE = (): string => new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();

type Auth = Record<string, string> | undefined;
const withAuth = (req: Test, auth: Auth): Test => (auth ? req.set(auth) : req);

const WATCHED: DomainEventName[] = [
  'comment.hidden',
  'comment.restored',
  'report.created',
  'user.banned',
  'user.unbanned',
];

describe('moderation', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let citizen: TestUser;
  let author: TestUser;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let space: { id: string; slug: string };
  let otherSpace: { id: string; slug: string };
  let topic: TestTopic;
  const published: { name: DomainEventName; payload: DomainEventMap[DomainEventName] }[] = [];
  const unsubscribe: (() => void)[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    [citizen, author, facilitator, otherFacilitator] = await Promise.all([
      registerUser(t, { displayName: '시민' }),
      registerUser(t, { displayName: '글쓴이' }),
      registerUser(t, { displayName: '진행자' }),
      registerUser(t, { displayName: '다른 진행자' }),
    ]);
    space = await createSpace(t, admin, { name: '협치 공론장', reportsToHide: 3 });
    otherSpace = await createSpace(t, admin, { name: '성북구 마을재생' });
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, otherSpace.id, otherFacilitator);
    topic = await createTopic(t, space.id, author);
    const bus = t.app.get(EventBus);
    for (const name of WATCHED) {
      unsubscribe.push(bus.subscribe(name, (payload) => void published.push({ name, payload })));
    }
  });
  afterAll(async () => {
    for (const off of unsubscribe) off();
    await t.close();
  });

  // ---------------------------------------------------------------- helpers

  const newComment = (on: TestTopic = topic): Promise<TestComment> =>
    createComment(t, on.id, author, { body: '이 댓글은 검토 대상입니다.' });

  const newUsers = (n: number): Promise<TestUser[]> =>
    Promise.all(Array.from({ length: n }, () => registerUser(t)));

  const commentRow = async (
    id: string,
  ): Promise<{ status: string; hidden_reason: string | null; open_report_count: number }> =>
    (
      await db.query(
        'SELECT status, hidden_reason, open_report_count FROM comments WHERE id = $1',
        [id],
      )
    )[0];

  const auditRows = (targetId: string): Promise<Record<string, unknown>[]> =>
    db.query(
      `SELECT space_id, actor_id, action, target_type, target_id, reason, before, after
         FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [targetId],
    );

  const topicEvents = (commentId: string): Promise<Record<string, unknown>[]> =>
    db.query(
      `SELECT seq, type, actor_id, data FROM topic_events
        WHERE data->>'commentId' = $1 ORDER BY seq`,
      [commentId],
    );

  const reportRows = (commentId: string): Promise<Record<string, unknown>[]> =>
    db.query(
      `SELECT reporter_id, reason, status, resolution, resolved_by
         FROM reports WHERE comment_id = $1 ORDER BY created_at, id`,
      [commentId],
    );

  const eventsAbout = (
    name: DomainEventName,
    key: 'commentId' | 'userId',
    id: string,
  ): Record<string, unknown>[] =>
    published
      .filter((e) => e.name === name && (e.payload as Record<string, unknown>)[key] === id)
      .map((e) => e.payload as Record<string, unknown>);

  /** Everything moderation can write in the test spaces, plus the events published. */
  const snapshot = async (): Promise<Record<string, unknown>> => {
    const spaces = [space.id, otherSpace.id, ...extraSpaces];
    const [row] = await db.query(
      `SELECT
        (SELECT coalesce(string_agg(id || ':' || status || ':' || coalesce(resolution, ''), ','
                 ORDER BY id), '') FROM reports WHERE space_id = ANY($1::uuid[])) AS reports,
        (SELECT count(*)::int FROM audit_log WHERE space_id = ANY($1::uuid[])) AS audit,
        (SELECT coalesce(string_agg(user_id || ':' || reason || ':' || coalesce(until::text, ''),
                 ',' ORDER BY user_id), '') FROM space_bans WHERE space_id = ANY($1::uuid[])) AS bans,
        (SELECT coalesce(string_agg(c.id || ':' || c.status || ':' || coalesce(c.hidden_reason, '')
                 || ':' || c.open_report_count, ',' ORDER BY c.id), '')
           FROM comments c JOIN topics tp ON tp.id = c.topic_id
          WHERE tp.space_id = ANY($1::uuid[])) AS comments,
        (SELECT count(*)::int FROM topic_events e JOIN topics tp ON tp.id = e.topic_id
          WHERE tp.space_id = ANY($1::uuid[])) AS topic_events`,
      [spaces],
    );
    return { ...row, published: published.length };
  };
  const extraSpaces: string[] = [];

  const report = (commentId: string, user: TestUser, body: object = { reason: 'spam' }): Test =>
    t.http.post(`${API}/comments/${commentId}/reports`).set(user.auth).send(body);

  /** Reports from `n` fresh users, one after another. */
  const reportTimes = async (commentId: string, n: number): Promise<TestUser[]> => {
    const users = await newUsers(n);
    for (const user of users) await report(commentId, user).expect(201);
    return users;
  };

  /** The refusals of a facilitator-only route: anonymous, citizen, another space's facilitator. */
  const expectOnlyFacilitators = async (send: (auth: Auth) => Test): Promise<void> => {
    const before = await snapshot();
    expectProblem(await send(undefined), 401, 'unauthorized');
    expectProblem(await send(citizen.auth), 403, 'forbidden');
    expectProblem(await send(author.auth), 403, 'forbidden');
    expectProblem(await send(otherFacilitator.auth), 403, 'forbidden');
    expect(await snapshot()).toEqual(before);
  };

  /** A 400 naming exactly `fields`, and nothing written. */
  const expectRejected = async (send: () => Test, fields: string[]): Promise<void> => {
    const before = await snapshot();
    expectFieldErrors(await send(), fields);
    expect(await snapshot()).toEqual(before);
  };

  /**
   * Makes one INSERT fail inside the action's transaction (a trigger scoped to one target, so
   * nothing else in the database is affected) and removes it afterwards.
   */
  const withInsertFailure = async (
    table: 'audit_log' | 'topic_events',
    column: 'target_id' | 'topic_id',
    id: string,
    fn: () => Promise<void>,
  ): Promise<void> => {
    const name = `madang_test_fail_${id.replace(/-/g, '')}`;
    await db.query(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await db.query(
      `CREATE TRIGGER ${name} BEFORE INSERT ON ${table} FOR EACH ROW
       WHEN (NEW.${column} = '${id}'::uuid) EXECUTE FUNCTION ${name}()`,
    );
    try {
      await fn();
    } finally {
      await db.query(`DROP TRIGGER ${name} ON ${table}`);
      await db.query(`DROP FUNCTION ${name}()`);
    }
  };

  // ---------------------------------------------------------------- reports

  describe('POST /comments/:id/reports', () => {
    it('a citizen reports a comment: 201, one row, counted on the comment', async () => {
      const comment = await newComment();
      const res = await report(comment.id, citizen, {
        reason: 'spam',
        detail: '  광고 링크를 반복해서 올립니다.\r\n둘째 줄  ',
      }).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        spaceId: space.id,
        topicId: topic.id,
        commentId: comment.id,
        reporter: { id: citizen.id, displayName: '시민' },
        reason: 'spam',
        detail: '광고 링크를 반복해서 올립니다.\n둘째 줄',
        status: 'open',
        resolution: null,
        resolvedBy: null,
        resolvedAt: null,
        createdAt: expect.any(String),
      });
      expect(await reportRows(comment.id)).toEqual([
        {
          reporter_id: citizen.id,
          reason: 'spam',
          status: 'open',
          resolution: null,
          resolved_by: null,
        },
      ]);
      expect(await commentRow(comment.id)).toEqual({
        status: 'visible',
        hidden_reason: null,
        open_report_count: 1,
      });
      expect(eventsAbout('report.created', 'commentId', comment.id)).toEqual([
        {
          reportId: res.body.id,
          commentId: comment.id,
          spaceId: space.id,
          topicId: topic.id,
          openReports: 1,
        },
      ]);
    });

    it('detail is optional', async () => {
      const comment = await newComment();
      const res = await report(comment.id, citizen, { reason: 'off_topic' }).expect(201);
      expect(res.body).toMatchObject({ reason: 'off_topic', detail: null });
    });

    it('a second report by the same user → 409 already_reported, nothing written', async () => {
      const comment = await newComment();
      await report(comment.id, citizen).expect(201);
      const before = await snapshot();
      expectProblem(
        await report(comment.id, citizen, { reason: 'abuse' }),
        409,
        'already_reported',
      );
      expect(await snapshot()).toEqual(before);
      expect(await reportRows(comment.id)).toHaveLength(1);
      expect((await commentRow(comment.id)).open_report_count).toBe(1);
    });

    it('the same user reporting twice at once gets one report', async () => {
      const comment = await newComment();
      const user = (await newUsers(1))[0]!;
      const answers = await Promise.all(Array.from({ length: 5 }, () => report(comment.id, user)));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
      for (const answer of answers.filter((a) => a.status === 409)) {
        expectProblem(answer, 409, 'already_reported');
      }
      expect(await reportRows(comment.id)).toHaveLength(1);
      expect((await commentRow(comment.id)).open_report_count).toBe(1);
    });

    it('a retry with the same Idempotency-Key replays the first answer', async () => {
      const comment = await newComment();
      const send = (): Test =>
        report(comment.id, citizen, { reason: 'abuse' }).set('Idempotency-Key', `r-${comment.id}`);
      const first = await send().expect(201);
      const retry = await send().expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(await reportRows(comment.id)).toHaveLength(1);
    });

    it('hides the comment at exactly reports_to_hide, once, with a system audit row', async () => {
      const comment = await newComment();
      await reportTimes(comment.id, 2);
      expect(await commentRow(comment.id)).toEqual({
        status: 'visible',
        hidden_reason: null,
        open_report_count: 2,
      });
      expect(await auditRows(comment.id)).toEqual([]);

      await reportTimes(comment.id, 1);
      expect(await commentRow(comment.id)).toEqual({
        status: 'hidden',
        hidden_reason: AUTO_HIDE_REASON,
        open_report_count: 3,
      });
      const audit = [
        {
          space_id: space.id,
          actor_id: null,
          action: 'comment.auto_hide',
          target_type: 'comment',
          target_id: comment.id,
          reason: AUTO_HIDE_REASON,
          before: { status: 'visible', hiddenReason: null },
          after: { status: 'hidden', hiddenReason: AUTO_HIDE_REASON },
        },
      ];
      expect(await auditRows(comment.id)).toEqual(audit);
      const events = await topicEvents(comment.id);
      expect(events).toEqual([
        {
          seq: expect.any(Number),
          type: 'comment_hidden',
          actor_id: null,
          data: { commentId: comment.id, reason: AUTO_HIDE_REASON },
        },
      ]);
      expect(eventsAbout('comment.hidden', 'commentId', comment.id)).toEqual([
        {
          commentId: comment.id,
          topicId: topic.id,
          spaceId: space.id,
          reason: AUTO_HIDE_REASON,
          actorId: null,
          seq: events[0]!.seq,
        },
      ]);

      // A hidden comment can still be reported; it is counted but not hidden again.
      await reportTimes(comment.id, 1);
      expect((await commentRow(comment.id)).open_report_count).toBe(4);
      expect(await auditRows(comment.id)).toEqual(audit);
      expect(await topicEvents(comment.id)).toHaveLength(1);
    });

    it('10 users reporting at once with reports_to_hide=3: 10 rows, one auto-hide', async () => {
      const comment = await newComment();
      const reporters = await newUsers(10);
      const answers = await Promise.all(
        reporters.map((user, i) => report(comment.id, user, { reason: i % 2 ? 'abuse' : 'spam' })),
      );
      expect(answers.map((a: Response) => a.status)).toEqual(Array(10).fill(201));
      expect(await reportRows(comment.id)).toHaveLength(10);
      expect(await commentRow(comment.id)).toEqual({
        status: 'hidden',
        hidden_reason: AUTO_HIDE_REASON,
        open_report_count: 10,
      });
      const audit = await auditRows(comment.id);
      expect(audit.map((a) => a.action)).toEqual(['comment.auto_hide']);
      expect(await topicEvents(comment.id)).toHaveLength(1);
      expect(eventsAbout('comment.hidden', 'commentId', comment.id)).toHaveLength(1);
      // Each report saw a distinct count: they were serialized on the comment row.
      expect(
        eventsAbout('report.created', 'commentId', comment.id)
          .map((e) => e.openReports)
          .sort((a, b) => Number(a) - Number(b)),
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('a banned user cannot report (403 banned); an expired ban no longer blocks', async () => {
      const comment = await newComment();
      const [banned, expired] = await newUsers(2);
      await t.http
        .put(`${API}/spaces/${space.id}/bans/${banned!.id}`)
        .set(facilitator.auth)
        .send({ reason: '반복된 욕설', until: FUTURE() })
        .expect(200);
      const before = await snapshot();
      expectProblem(await report(comment.id, banned!), 403, 'banned');
      expect(await snapshot()).toEqual(before);
      expect(await reportRows(comment.id)).toEqual([]);

      await db.query(
        `INSERT INTO space_bans (space_id, user_id, reason, until, banned_by)
         VALUES ($1, $2, '지난 제재', now() - interval '1 minute', $3)`,
        [space.id, expired!.id, facilitator.id],
      );
      await report(comment.id, expired!).expect(201);
      expect((await commentRow(comment.id)).open_report_count).toBe(1);

      // A ban in another space does not reach this one.
      await t.http
        .put(`${API}/spaces/${otherSpace.id}/bans/${citizen.id}`)
        .set(otherFacilitator.auth)
        .send({ reason: '다른 공간의 제재' })
        .expect(200);
      await report(comment.id, citizen).expect(201);
    });

    it('a deleted comment cannot be reported (409 conflict)', async () => {
      const comment = await newComment();
      await db.query(`UPDATE comments SET status = 'deleted' WHERE id = $1`, [comment.id]);
      const before = await snapshot();
      expectProblem(await report(comment.id, citizen), 409, 'conflict');
      expect(await snapshot()).toEqual(before);
    });

    it('unknown comment → 404; anonymous → 401', async () => {
      const comment = await newComment();
      const before = await snapshot();
      expectProblem(await report(NO_SUCH_ID, citizen), 404, 'not_found');
      expectProblem(
        await t.http.post(`${API}/comments/${comment.id}/reports`).send({ reason: 'spam' }),
        401,
        'unauthorized',
      );
      expect(await snapshot()).toEqual(before);
    });

    describe('bad input → 400 naming the field, nothing written', () => {
      let comment: TestComment;
      beforeAll(async () => {
        comment = await newComment();
      });
      const cases: [string, object, string[]][] = [
        ['missing reason', {}, ['reason']],
        ['unknown field', { reason: 'spam', severity: 'high' }, ['severity']],
        ['reason not in the list', { reason: 'boring' }, ['reason']],
        ['reason a number', { reason: 1 }, ['reason']],
        ['reason null', { reason: null }, ['reason']],
        ['detail too long', { reason: 'other', detail: '가'.repeat(501) }, ['detail']],
        [
          'detail too long in code points',
          { reason: 'other', detail: '❤️'.repeat(300) },
          ['detail'],
        ],
        ['detail not a string', { reason: 'other', detail: ['a'] }, ['detail']],
        ['detail with control characters', { reason: 'other', detail: 'a\u0007b' }, ['detail']],
      ];
      it.each(cases)('%s', async (_name, body, fields) => {
        await expectRejected(() => report(comment.id, citizen, body), fields);
      });
      it('a bad comment id', async () => {
        await expectRejected(() => report('not-a-uuid', citizen), ['id']);
      });
      it('a detail of exactly 500 characters is accepted', async () => {
        await report(comment.id, citizen, { reason: 'other', detail: '가'.repeat(500) }).expect(
          201,
        );
      });
    });
  });

  // ---------------------------------------------------------------- hide / restore

  describe('POST /comments/:id/hide and /restore', () => {
    const hide = (id: string, auth: Auth, body: object = { reason: '개인정보 노출' }): Test =>
      withAuth(t.http.post(`${API}/comments/${id}/hide`), auth).send(body);
    const restore = (
      id: string,
      auth: Auth,
      body: object = { reason: '검토 결과 문제 없음' },
    ): Test => withAuth(t.http.post(`${API}/comments/${id}/restore`), auth).send(body);

    it('a facilitator hides a comment: 200 with what facilitators see, audited', async () => {
      const comment = await newComment();
      const res = await hide(comment.id, facilitator.auth).expect(200);
      expect(res.body).toEqual({
        id: comment.id,
        topicId: topic.id,
        parentId: null,
        depth: 0,
        author: { id: author.id, displayName: '글쓴이' },
        body: comment.body,
        stance: null,
        status: 'hidden',
        hiddenReason: '개인정보 노출',
        hiddenBy: 'facilitator',
        agreeCount: 0,
        replyCount: 0,
        roomId: null,
        createdAt: expect.any(String),
        editedAt: null,
      });
      expect(await commentRow(comment.id)).toEqual({
        status: 'hidden',
        hidden_reason: '개인정보 노출',
        open_report_count: 0,
      });
      expect(await auditRows(comment.id)).toEqual([
        {
          space_id: space.id,
          actor_id: facilitator.id,
          action: 'comment.hide',
          target_type: 'comment',
          target_id: comment.id,
          reason: '개인정보 노출',
          before: { status: 'visible', hiddenReason: null },
          after: { status: 'hidden', hiddenReason: '개인정보 노출' },
        },
      ]);
      const events = await topicEvents(comment.id);
      expect(events).toEqual([
        {
          seq: expect.any(Number),
          type: 'comment_hidden',
          actor_id: facilitator.id,
          data: { commentId: comment.id, reason: '개인정보 노출' },
        },
      ]);
      expect(eventsAbout('comment.hidden', 'commentId', comment.id)).toEqual([
        {
          commentId: comment.id,
          topicId: topic.id,
          spaceId: space.id,
          reason: '개인정보 노출',
          actorId: facilitator.id,
          seq: events[0]!.seq,
        },
      ]);
    });

    it('restoring an auto-hidden comment dismisses its reports so it is not re-hidden', async () => {
      const comment = await newComment();
      const reporters = await reportTimes(comment.id, 3);
      expect((await commentRow(comment.id)).status).toBe('hidden');

      const res = await restore(comment.id, facilitator.auth).expect(200);
      expect(res.body).toMatchObject({ id: comment.id, status: 'visible', body: comment.body });
      expect(res.body).not.toHaveProperty('hiddenReason');
      expect(await commentRow(comment.id)).toEqual({
        status: 'visible',
        hidden_reason: null,
        open_report_count: 0,
      });
      expect(await reportRows(comment.id)).toEqual(
        reporters.map((r) => ({
          reporter_id: r.id,
          reason: 'spam',
          status: 'resolved',
          resolution: 'dismiss',
          resolved_by: facilitator.id,
        })),
      );
      const audit = await auditRows(comment.id);
      expect(audit.map((a) => a.action)).toEqual(['comment.auto_hide', 'comment.restore']);
      expect(audit[1]).toEqual({
        space_id: space.id,
        actor_id: facilitator.id,
        action: 'comment.restore',
        target_type: 'comment',
        target_id: comment.id,
        reason: '검토 결과 문제 없음',
        before: { status: 'hidden', hiddenReason: AUTO_HIDE_REASON },
        after: { status: 'visible', hiddenReason: null, dismissedReports: 3 },
      });
      const events = await topicEvents(comment.id);
      expect(events.map((e) => e.type)).toEqual(['comment_hidden', 'comment_restored']);
      expect(events[1]).toMatchObject({
        actor_id: facilitator.id,
        data: { commentId: comment.id },
      });
      expect(eventsAbout('comment.restored', 'commentId', comment.id)).toEqual([
        {
          commentId: comment.id,
          topicId: topic.id,
          spaceId: space.id,
          actorId: facilitator.id,
          seq: events[1]!.seq,
        },
      ]);

      // The next report starts a fresh count.
      await reportTimes(comment.id, 1);
      expect(await commentRow(comment.id)).toMatchObject({
        status: 'visible',
        open_report_count: 1,
      });
    });

    it('an admin may hide and restore in any space', async () => {
      const comment = await newComment();
      await hide(comment.id, admin.auth).expect(200);
      await restore(comment.id, admin.auth).expect(200);
      const audit = await auditRows(comment.id);
      expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
        ['comment.hide', admin.id],
        ['comment.restore', admin.id],
      ]);
    });

    it('illegal states → 409 conflict, nothing written', async () => {
      const visible = await newComment();
      const hidden = await newComment();
      const deleted = await newComment();
      await hide(hidden.id, facilitator.auth).expect(200);
      await db.query(`UPDATE comments SET status = 'deleted' WHERE id = $1`, [deleted.id]);
      const before = await snapshot();
      expectProblem(await hide(hidden.id, facilitator.auth), 409, 'conflict');
      expectProblem(await hide(deleted.id, facilitator.auth), 409, 'conflict');
      expectProblem(await restore(visible.id, facilitator.auth), 409, 'conflict');
      expectProblem(await restore(deleted.id, facilitator.auth), 409, 'conflict');
      expect(await snapshot()).toEqual(before);
    });

    it('only facilitators of the space (and admins): refusals change nothing', async () => {
      const visible = await newComment();
      const hidden = await newComment();
      await hide(hidden.id, facilitator.auth).expect(200);
      await expectOnlyFacilitators((auth) => hide(visible.id, auth));
      await expectOnlyFacilitators((auth) => restore(hidden.id, auth));
      await hide(visible.id, facilitator.auth).expect(200);
      await restore(hidden.id, facilitator.auth).expect(200);
    });

    it('unknown comment → 404', async () => {
      expectProblem(await hide(NO_SUCH_ID, facilitator.auth), 404, 'not_found');
      expectProblem(await restore(NO_SUCH_ID, admin.auth), 404, 'not_found');
    });

    describe('bad input → 400 naming the field, nothing written', () => {
      let visible: TestComment;
      let hidden: TestComment;
      beforeAll(async () => {
        visible = await newComment();
        hidden = await newComment();
        await hide(hidden.id, facilitator.auth).expect(200);
      });
      const cases: [string, object, string[]][] = [
        ['missing reason', {}, ['reason']],
        ['empty reason', { reason: '' }, ['reason']],
        ['blank reason', { reason: '   \n ' }, ['reason']],
        ['reason too long', { reason: 'x'.repeat(501) }, ['reason']],
        ['reason a number', { reason: 42 }, ['reason']],
        ['reason with control characters', { reason: 'a\u0000b' }, ['reason']],
        ['unknown field', { reason: 'ok', notify: true }, ['notify']],
      ];
      it.each(cases)('hide: %s', async (_name, body, fields) => {
        await expectRejected(() => hide(visible.id, facilitator.auth, body), fields);
      });
      it.each(cases)('restore: %s', async (_name, body, fields) => {
        await expectRejected(() => restore(hidden.id, facilitator.auth, body), fields);
      });
      it('a bad comment id', async () => {
        await expectRejected(() => hide('123', facilitator.auth), ['id']);
        await expectRejected(() => restore('123', facilitator.auth), ['id']);
      });
    });

    describe('the audit row is written in the same transaction as the change', () => {
      it('if the audit row cannot be written, the comment is not hidden', async () => {
        const comment = await newComment();
        await withInsertFailure('audit_log', 'target_id', comment.id, async () => {
          const before = await snapshot();
          expectProblem(await hide(comment.id, facilitator.auth), 500, 'internal_error');
          expect(await snapshot()).toEqual(before);
        });
        expect(await commentRow(comment.id)).toMatchObject({ status: 'visible' });
        expect(await auditRows(comment.id)).toEqual([]);
        expect(eventsAbout('comment.hidden', 'commentId', comment.id)).toEqual([]);
      });

      it('if a later step fails, neither the change nor its audit row remains', async () => {
        const ownTopic = await createTopic(t, space.id, author);
        const comment = await newComment(ownTopic);
        await withInsertFailure('topic_events', 'topic_id', ownTopic.id, async () => {
          const before = await snapshot();
          expectProblem(await hide(comment.id, facilitator.auth), 500, 'internal_error');
          expect(await snapshot()).toEqual(before);
        });
        expect(await commentRow(comment.id)).toMatchObject({ status: 'visible' });
        expect(await auditRows(comment.id)).toEqual([]);
        await hide(comment.id, facilitator.auth).expect(200);
        expect(await auditRows(comment.id)).toHaveLength(1);
      });

      it('an auto-hide that fails takes the report with it', async () => {
        const comment = await newComment();
        await reportTimes(comment.id, 2);
        const third = (await newUsers(1))[0]!;
        await withInsertFailure('audit_log', 'target_id', comment.id, async () => {
          const before = await snapshot();
          expectProblem(await report(comment.id, third), 500, 'internal_error');
          expect(await snapshot()).toEqual(before);
        });
        expect(await commentRow(comment.id)).toEqual({
          status: 'visible',
          hidden_reason: null,
          open_report_count: 2,
        });
        await report(comment.id, third).expect(201);
        expect((await commentRow(comment.id)).status).toBe('hidden');
      });
    });
  });

  // ---------------------------------------------------------------- queue and resolve

  describe('the report queue: GET /spaces/:id/reports and POST /reports/:id/resolve', () => {
    let queueSpace: { id: string };
    let queueTopic: TestTopic;
    const list = (spaceId: string, auth: Auth, query: Record<string, unknown> = {}): Test =>
      withAuth(t.http.get(`${API}/spaces/${spaceId}/reports`), auth).query(query);
    const resolve = (reportId: string, auth: Auth, body: object): Test =>
      withAuth(t.http.post(`${API}/reports/${reportId}/resolve`), auth).send(body);
    const reportIds = async (commentId: string): Promise<string[]> =>
      (
        await db.query(`SELECT id FROM reports WHERE comment_id = $1 ORDER BY created_at, id`, [
          commentId,
        ])
      ).map((r: { id: string }) => r.id);

    beforeAll(async () => {
      queueSpace = await createSpace(t, admin, { name: '큐 공간', reportsToHide: 2 });
      extraSpaces.push(queueSpace.id);
      await makeFacilitator(t, admin, queueSpace.id, facilitator);
      queueTopic = await createTopic(t, queueSpace.id, author);
    });

    it('lists open reports newest first, with the comment as facilitators see it', async () => {
      const listSpace = await createSpace(t, admin, { reportsToHide: 2 });
      extraSpaces.push(listSpace.id);
      await makeFacilitator(t, admin, listSpace.id, facilitator);
      const listTopic = await createTopic(t, listSpace.id, author);
      const quiet = await newComment(listTopic);
      const loud = await newComment(listTopic);
      const [r1] = await reportTimes(quiet.id, 1);
      const [r2, r3] = await reportTimes(loud.id, 2); // hides it
      const res = await list(listSpace.id, facilitator.auth).expect(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items.map((i: { reporter: { id: string } }) => i.reporter.id)).toEqual([
        r3!.id,
        r2!.id,
        r1!.id,
      ]);
      const newest = res.body.items[0];
      expect(newest).toEqual({
        id: expect.any(String),
        spaceId: listSpace.id,
        topicId: listTopic.id,
        commentId: loud.id,
        reporter: { id: r3!.id, displayName: r3!.displayName },
        reason: 'spam',
        detail: null,
        status: 'open',
        resolution: null,
        resolvedBy: null,
        resolvedAt: null,
        createdAt: expect.any(String),
        comment: expect.objectContaining({
          id: loud.id,
          status: 'hidden',
          hiddenReason: AUTO_HIDE_REASON,
          body: loud.body, // facilitators see the hidden text
          author: { id: author.id, displayName: '글쓴이' },
        }),
      });
      expect(res.body.items[2].comment).toMatchObject({ id: quiet.id, status: 'visible' });

      // Nothing resolved yet; the admin sees the same queue.
      expect((await list(listSpace.id, facilitator.auth, { status: 'resolved' })).body).toEqual({
        items: [],
        nextCursor: null,
      });
      expect((await list(listSpace.id, admin.auth).expect(200)).body).toEqual(res.body);
    });

    it('pages through the queue with stable cursors', async () => {
      const pageSpace = await createSpace(t, admin, { reportsToHide: 100 });
      extraSpaces.push(pageSpace.id);
      const pageTopic = await createTopic(t, pageSpace.id, author);
      const comment = await newComment(pageTopic);
      await reportTimes(comment.id, 5);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Response = await list(pageSpace.id, admin.auth, {
          limit: 2,
          ...(cursor ? { cursor } : {}),
        }).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((i: { id: string }) => i.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect([...seen].reverse()).toEqual(await reportIds(comment.id));
    });

    it('resolve hide: all open reports resolved, the comment hidden, audited', async () => {
      const comment = await newComment(queueTopic);
      await reportTimes(comment.id, 1);
      const [first] = await reportIds(comment.id);
      const res = await resolve(first!, facilitator.auth, { action: 'hide' }).expect(200);
      const reviewed = reviewedHideReason('spam');
      expect(res.body).toMatchObject({
        id: first,
        status: 'resolved',
        resolution: 'hide',
        resolvedBy: { id: facilitator.id, displayName: '진행자' },
        resolvedAt: expect.any(String),
        comment: { id: comment.id, status: 'hidden', hiddenReason: reviewed, body: comment.body },
      });
      expect(await commentRow(comment.id)).toEqual({
        status: 'hidden',
        hidden_reason: reviewed,
        open_report_count: 0,
      });
      expect(await reportRows(comment.id)).toEqual([
        expect.objectContaining({
          status: 'resolved',
          resolution: 'hide',
          resolved_by: facilitator.id,
        }),
      ]);
      expect(await auditRows(first!)).toEqual([
        {
          space_id: queueSpace.id,
          actor_id: facilitator.id,
          action: 'report.resolve',
          target_type: 'report',
          target_id: first,
          reason: 'hide',
          before: { status: 'visible', hiddenReason: null, openReports: 1 },
          after: {
            status: 'hidden',
            hiddenReason: reviewed,
            openReports: 0,
            resolution: 'hide',
            resolvedReports: 1,
          },
        },
      ]);
      const events = await topicEvents(comment.id);
      expect(events).toEqual([
        expect.objectContaining({ type: 'comment_hidden', actor_id: facilitator.id }),
      ]);
      expect(eventsAbout('comment.hidden', 'commentId', comment.id)).toEqual([
        expect.objectContaining({ actorId: facilitator.id, reason: reviewed, seq: events[0]!.seq }),
      ]);
    });

    it('resolve dismiss brings back an auto-hidden comment and resolves every report', async () => {
      const comment = await newComment(queueTopic);
      await reportTimes(comment.id, 2);
      expect((await commentRow(comment.id)).status).toBe('hidden');
      const [first, second] = await reportIds(comment.id);
      const res = await resolve(second!, admin.auth, { action: 'dismiss' }).expect(200);
      expect(res.body).toMatchObject({
        id: second,
        status: 'resolved',
        resolution: 'dismiss',
        comment: { status: 'visible' },
      });
      expect(await commentRow(comment.id)).toEqual({
        status: 'visible',
        hidden_reason: null,
        open_report_count: 0,
      });
      expect((await reportRows(comment.id)).map((r) => [r.status, r.resolution])).toEqual([
        ['resolved', 'dismiss'],
        ['resolved', 'dismiss'],
      ]);
      expect(await auditRows(second!)).toEqual([
        expect.objectContaining({
          actor_id: admin.id,
          action: 'report.resolve',
          before: { status: 'hidden', hiddenReason: AUTO_HIDE_REASON, openReports: 2 },
          after: {
            status: 'visible',
            hiddenReason: null,
            openReports: 0,
            resolution: 'dismiss',
            resolvedReports: 2,
          },
        }),
      ]);
      expect((await topicEvents(comment.id)).map((e) => e.type)).toEqual([
        'comment_hidden',
        'comment_restored',
      ]);
      expect(eventsAbout('comment.restored', 'commentId', comment.id)).toHaveLength(1);

      // Both reports are resolved now: resolving either again is a conflict.
      const before = await snapshot();
      expectProblem(await resolve(first!, facilitator.auth, { action: 'hide' }), 409, 'conflict');
      expectProblem(
        await resolve(second!, facilitator.auth, { action: 'dismiss' }),
        409,
        'conflict',
      );
      expect(await snapshot()).toEqual(before);
    });

    it('dismiss leaves a comment a facilitator hid hidden', async () => {
      const comment = await newComment(queueTopic);
      await t.http
        .post(`${API}/comments/${comment.id}/hide`)
        .set(facilitator.auth)
        .send({ reason: 'reported by the committee: personal data' })
        .expect(200);
      await reportTimes(comment.id, 1);
      const [only] = await reportIds(comment.id);
      await resolve(only!, facilitator.auth, { action: 'dismiss' }).expect(200);
      expect(await commentRow(comment.id)).toEqual({
        status: 'hidden',
        hidden_reason: 'reported by the committee: personal data',
        open_report_count: 0,
      });
      expect((await topicEvents(comment.id)).map((e) => e.type)).toEqual(['comment_hidden']);
      expect(await auditRows(only!)).toEqual([
        expect.objectContaining({
          action: 'report.resolve',
          after: expect.objectContaining({ status: 'hidden', resolution: 'dismiss' }),
        }),
      ]);
    });

    it('hide confirms an auto-hide, so later dismissals do not bring it back', async () => {
      const comment = await newComment(queueTopic);
      await reportTimes(comment.id, 2);
      const [first] = await reportIds(comment.id);
      await resolve(first!, facilitator.auth, { action: 'hide' }).expect(200);
      expect(await commentRow(comment.id)).toMatchObject({
        status: 'hidden',
        hidden_reason: reviewedHideReason('spam'),
      });
      await reportTimes(comment.id, 1);
      const ids = await reportIds(comment.id);
      await resolve(ids[2]!, facilitator.auth, { action: 'dismiss' }).expect(200);
      expect((await commentRow(comment.id)).status).toBe('hidden');
    });

    it('a comment hidden before the codes (English reason) still reads as hidden by reports', async () => {
      const comment = await newComment(queueTopic);
      await reportTimes(comment.id, 1);
      // As the threshold wrote it before its reasons became codes.
      await db.query(
        `UPDATE comments SET status = 'hidden', hidden_reason = 'reported: pending review' WHERE id = $1`,
        [comment.id],
      );
      const read = await t.http.get(`${API}/comments/${comment.id}`).expect(200);
      expect(read.body).toMatchObject({ status: 'hidden', hiddenBy: 'reports', body: null });
      // Dismissing its reports brings it back, as for a threshold hide today.
      const [only] = await reportIds(comment.id);
      await resolve(only!, facilitator.auth, { action: 'dismiss' }).expect(200);
      expect(await commentRow(comment.id)).toEqual({
        status: 'visible',
        hidden_reason: null,
        open_report_count: 0,
      });
    });

    it('only facilitators of the space (and admins): refusals change nothing', async () => {
      const comment = await newComment(queueTopic);
      await reportTimes(comment.id, 1);
      const [id] = await reportIds(comment.id);
      await expectOnlyFacilitators((auth) => resolve(id!, auth, { action: 'hide' }));
      await expectOnlyFacilitators((auth) => resolve(id!, auth, { action: 'dismiss' }));
      await expectOnlyFacilitators((auth) => list(queueSpace.id, auth));
      await list(queueSpace.id, facilitator.auth).expect(200);
      await resolve(id!, facilitator.auth, { action: 'dismiss' }).expect(200);
    });

    it('unknown report or space → 404', async () => {
      expectProblem(await resolve(NO_SUCH_ID, admin.auth, { action: 'hide' }), 404, 'not_found');
      expectProblem(await list(NO_SUCH_ID, admin.auth), 404, 'not_found');
    });

    describe('bad input → 400 naming the field, nothing written', () => {
      let reportId: string;
      beforeAll(async () => {
        const comment = await newComment(queueTopic);
        await reportTimes(comment.id, 1);
        reportId = (await reportIds(comment.id))[0]!;
      });
      const cases: [string, object, string[]][] = [
        ['missing action', {}, ['action']],
        ['action not in the list', { action: 'delete' }, ['action']],
        ['action a number', { action: 1 }, ['action']],
        ['unknown field', { action: 'hide', reason: 'x' }, ['reason']],
      ];
      it.each(cases)('resolve: %s', async (_name, body, fields) => {
        await expectRejected(() => resolve(reportId, facilitator.auth, body), fields);
      });
      it('resolve: a bad report id', async () => {
        await expectRejected(() => resolve('nope', facilitator.auth, { action: 'hide' }), ['id']);
      });
      const queries: [string, Record<string, unknown>, string[]][] = [
        ['status not in the list', { status: 'all' }, ['status']],
        ['limit zero', { limit: 0 }, ['limit']],
        ['limit too large', { limit: 101 }, ['limit']],
        ['cursor not base64url', { cursor: 'a*b' }, ['cursor']],
        ['cursor of another shape', { cursor: 'WzFd' }, ['cursor']],
        ['cursor with bad values', { cursor: 'WyJ4IiwieSJd' }, ['cursor']],
        ['unknown parameter', { sort: 'oldest' }, ['sort']],
      ];
      it.each(queries)('list: %s', async (_name, query, fields) => {
        expectFieldErrors(await list(queueSpace.id, facilitator.auth, query), fields);
      });
      it('list: a bad space id', async () => {
        expectFieldErrors(await list('space', facilitator.auth), ['id']);
      });
    });
  });

  // ---------------------------------------------------------------- bans

  describe('PUT / DELETE / GET /spaces/:id/bans', () => {
    const put = (spaceId: string, userId: string, auth: Auth, body: object): Test =>
      withAuth(t.http.put(`${API}/spaces/${spaceId}/bans/${userId}`), auth).send(body);
    const del = (spaceId: string, userId: string, auth: Auth): Test =>
      withAuth(t.http.delete(`${API}/spaces/${spaceId}/bans/${userId}`), auth);
    const listBans = (spaceId: string, auth: Auth, query: Record<string, unknown> = {}): Test =>
      withAuth(t.http.get(`${API}/spaces/${spaceId}/bans`), auth).query(query);
    const banRow = async (spaceId: string, userId: string): Promise<Record<string, unknown>> =>
      (
        await db.query(
          `SELECT reason, until, banned_by FROM space_bans WHERE space_id = $1 AND user_id = $2`,
          [spaceId, userId],
        )
      )[0];

    it('ban, re-ban, list and lift: each change audited with before and after', async () => {
      const target = (await newUsers(1))[0]!;
      const until = FUTURE();
      const res = await put(space.id, target.id, facilitator.auth, {
        reason: '반복된 광고',
        until,
      }).expect(200);
      expect(res.body).toEqual({
        spaceId: space.id,
        user: { id: target.id, displayName: target.displayName },
        reason: '반복된 광고',
        until,
        bannedBy: { id: facilitator.id, displayName: '진행자' },
        createdAt: expect.any(String),
      });
      expect(await banRow(space.id, target.id)).toEqual({
        reason: '반복된 광고',
        until: new Date(until),
        banned_by: facilitator.id,
      });
      const first = {
        space_id: space.id,
        actor_id: facilitator.id,
        action: 'user.ban',
        target_type: 'user',
        target_id: target.id,
        reason: '반복된 광고',
        before: null,
        after: { reason: '반복된 광고', until },
      };
      expect(await auditRows(target.id)).toEqual([first]);
      expect(eventsAbout('user.banned', 'userId', target.id)).toEqual([
        { spaceId: space.id, userId: target.id, until, actorId: facilitator.id },
      ]);

      // PUT again replaces the ban (here: for good), and the audit row says what it was.
      const again = await put(space.id, target.id, admin.auth, { reason: '영구 제재' }).expect(200);
      expect(again.body).toMatchObject({
        until: null,
        reason: '영구 제재',
        bannedBy: { id: admin.id },
      });
      expect(await auditRows(target.id)).toEqual([
        first,
        {
          ...first,
          actor_id: admin.id,
          reason: '영구 제재',
          before: { reason: '반복된 광고', until },
          after: { reason: '영구 제재', until: null },
        },
      ]);
      expect(
        (
          await db.query(`SELECT count(*)::int AS n FROM space_bans WHERE user_id = $1`, [
            target.id,
          ])
        )[0].n,
      ).toBe(1);

      const bans = await listBans(space.id, facilitator.auth, { limit: 100 }).expect(200);
      expect(bans.body.items).toContainEqual(again.body);

      await del(space.id, target.id, facilitator.auth).expect(204);
      expect(await banRow(space.id, target.id)).toBeUndefined();
      const audit = await auditRows(target.id);
      expect(audit[2]).toEqual({
        ...first,
        action: 'user.unban',
        reason: null,
        before: { reason: '영구 제재', until: null },
        after: null,
      });
      expect(eventsAbout('user.unbanned', 'userId', target.id)).toEqual([
        { spaceId: space.id, userId: target.id, actorId: facilitator.id },
      ]);

      // Lifting again is fine and changes nothing.
      const before = await snapshot();
      await del(space.id, target.id, facilitator.auth).expect(204);
      await del(space.id, NO_SUCH_ID, facilitator.auth).expect(204);
      expect(await snapshot()).toEqual(before);
    });

    it('a ban blocks reports in its space until lifted', async () => {
      const target = (await newUsers(1))[0]!;
      const comment = await newComment();
      await put(space.id, target.id, facilitator.auth, { reason: '욕설' }).expect(200);
      expectProblem(await report(comment.id, target), 403, 'banned');
      await del(space.id, target.id, facilitator.auth).expect(204);
      await report(comment.id, target).expect(201);
    });

    it('lists only bans in force, newest first, paged', async () => {
      const banSpace = await createSpace(t, admin);
      extraSpaces.push(banSpace.id);
      const users = await newUsers(3);
      for (const user of users) {
        await put(banSpace.id, user.id, admin.auth, { reason: '제재' }).expect(200);
      }
      await db.query(
        `UPDATE space_bans SET until = now() - interval '1 second'
          WHERE space_id = $1 AND user_id = $2`,
        [banSpace.id, users[0]!.id],
      );
      const page1 = await listBans(banSpace.id, admin.auth, { limit: 1 }).expect(200);
      expect(page1.body.items.map((b: { user: { id: string } }) => b.user.id)).toEqual([
        users[2]!.id,
      ]);
      const page2 = await listBans(banSpace.id, admin.auth, {
        limit: 1,
        cursor: page1.body.nextCursor,
      }).expect(200);
      expect(page2.body.items.map((b: { user: { id: string } }) => b.user.id)).toEqual([
        users[1]!.id,
      ]);
      expect(page2.body.nextCursor).toBeNull();
    });

    it('nobody can ban themselves, a facilitator of the space or an admin (409)', async () => {
      // Named before the snapshot: naming a facilitator writes its own audit row.
      const second = (await newUsers(1))[0]!;
      await makeFacilitator(t, admin, space.id, second);
      const before = await snapshot();
      const body = { reason: '제재' };
      expectProblem(await put(space.id, facilitator.id, facilitator.auth, body), 409, 'conflict');
      expectProblem(await put(space.id, admin.id, facilitator.auth, body), 409, 'conflict');
      expectProblem(await put(space.id, admin.id, admin.auth, body), 409, 'conflict');
      expectProblem(await put(space.id, facilitator.id, admin.auth, body), 409, 'conflict');
      expectProblem(await put(space.id, second.id, facilitator.auth, body), 409, 'conflict');
      expect(await snapshot()).toEqual(before);
      // The facilitator of another space is an ordinary member here.
      await put(space.id, otherFacilitator.id, facilitator.auth, body).expect(200);
      await del(space.id, otherFacilitator.id, facilitator.auth).expect(204);
    });

    it('unknown user or space → 404', async () => {
      const before = await snapshot();
      expectProblem(
        await put(space.id, NO_SUCH_ID, facilitator.auth, { reason: '제재' }),
        404,
        'not_found',
      );
      expectProblem(
        await put(NO_SUCH_ID, citizen.id, admin.auth, { reason: '제재' }),
        404,
        'not_found',
      );
      expectProblem(await del(NO_SUCH_ID, citizen.id, admin.auth), 404, 'not_found');
      expectProblem(await listBans(NO_SUCH_ID, admin.auth), 404, 'not_found');
      expect(await snapshot()).toEqual(before);
    });

    it('only facilitators of the space (and admins): refusals change nothing', async () => {
      const target = (await newUsers(1))[0]!;
      await expectOnlyFacilitators((auth) => put(space.id, target.id, auth, { reason: '제재' }));
      await put(space.id, target.id, facilitator.auth, { reason: '제재' }).expect(200);
      await expectOnlyFacilitators((auth) => del(space.id, target.id, auth));
      await expectOnlyFacilitators((auth) => listBans(space.id, auth));
      await listBans(space.id, facilitator.auth).expect(200);
      await del(space.id, target.id, admin.auth).expect(204);
    });

    describe('bad input → 400 naming the field, nothing written', () => {
      const cases: [string, object, string[]][] = [
        ['missing reason', {}, ['reason']],
        ['empty reason', { reason: ' ' }, ['reason']],
        ['reason too long', { reason: 'x'.repeat(501) }, ['reason']],
        ['reason too long in code points', { reason: '❤️'.repeat(260) }, ['reason']],
        ['reason a number', { reason: 7 }, ['reason']],
        ['unknown field', { reason: '제재', minutes: 10 }, ['minutes']],
        ['until in the past', { reason: '제재', until: '2020-01-01T00:00:00Z' }, ['until']],
        ['until now-ish', { reason: '제재', until: new Date().toISOString() }, ['until']],
        ['until not a date', { reason: '제재', until: 'tomorrow' }, ['until']],
        ['until a date only', { reason: '제재', until: '2099-01-01' }, ['until']],
        ['until without a zone', { reason: '제재', until: '2099-01-01T00:00:00' }, ['until']],
        ['until an impossible day', { reason: '제재', until: '2099-02-31T00:00:00Z' }, ['until']],
        ['until a number', { reason: '제재', until: 4102444800000 }, ['until']],
      ];
      it.each(cases)('%s', async (_name, body, fields) => {
        await expectRejected(() => put(space.id, citizen.id, facilitator.auth, body), fields);
      });
      it('bad ids', async () => {
        await expectRejected(
          () => put('x', citizen.id, facilitator.auth, { reason: '제재' }),
          ['id'],
        );
        await expectRejected(
          () => put(space.id, 'y', facilitator.auth, { reason: '제재' }),
          ['userId'],
        );
        await expectRejected(() => del(space.id, 'y', facilitator.auth), ['userId']);
        await expectRejected(() => del('x', citizen.id, facilitator.auth), ['id']);
      });
      it('an until with an offset is accepted and stored as that instant', async () => {
        const target = (await newUsers(1))[0]!;
        const res = await put(space.id, target.id, facilitator.auth, {
          reason: '제재',
          until: '2099-03-01T09:00:00+09:00',
        }).expect(200);
        expect(res.body.until).toBe('2099-03-01T00:00:00.000Z');
        await del(space.id, target.id, facilitator.auth).expect(204);
      });
    });
  });

  // ---------------------------------------------------------------- audit log

  describe('GET /spaces/:id/audit', () => {
    const audit = (spaceId: string, auth: Auth, query: Record<string, unknown> = {}): Test =>
      withAuth(t.http.get(`${API}/spaces/${spaceId}/audit`), auth).query(query);

    it('lists the space’s actions newest first, paged', async () => {
      const auditSpace = await createSpace(t, admin, { reportsToHide: 1 });
      extraSpaces.push(auditSpace.id);
      await makeFacilitator(t, admin, auditSpace.id, facilitator);
      const auditTopic = await createTopic(t, auditSpace.id, author);
      const comment = await newComment(auditTopic);
      await report(comment.id, citizen).expect(201); // auto-hide (system)
      await t.http
        .post(`${API}/comments/${comment.id}/restore`)
        .set(facilitator.auth)
        .send({ reason: '문제 없음' })
        .expect(200);
      await t.http
        .put(`${API}/spaces/${auditSpace.id}/bans/${citizen.id}`)
        .set(admin.auth)
        .send({ reason: '제재' })
        .expect(200);

      const all = await audit(auditSpace.id, facilitator.auth).expect(200);
      expect(all.body.nextCursor).toBeNull();
      expect(
        all.body.items.map((i: { action: string; actor: unknown }) => [i.action, i.actor]),
      ).toEqual([
        ['user.ban', { id: admin.id, displayName: admin.displayName }],
        ['comment.restore', { id: facilitator.id, displayName: '진행자' }],
        ['comment.auto_hide', null],
        ['facilitator.grant', { id: admin.id, displayName: admin.displayName }],
      ]);
      expect(all.body.items[2]).toEqual({
        id: expect.any(String),
        spaceId: auditSpace.id,
        actor: null,
        action: 'comment.auto_hide',
        targetType: 'comment',
        targetId: comment.id,
        targetName: null,
        reason: AUTO_HIDE_REASON,
        before: { status: 'visible', hiddenReason: null },
        after: { status: 'hidden', hiddenReason: AUTO_HIDE_REASON },
        createdAt: expect.any(String),
      });

      const page1 = await audit(auditSpace.id, admin.auth, { limit: 2 }).expect(200);
      expect(page1.body.items).toEqual(all.body.items.slice(0, 2));
      const page2 = await audit(auditSpace.id, admin.auth, {
        limit: 2,
        cursor: page1.body.nextCursor,
      }).expect(200);
      expect(page2.body).toEqual({ items: all.body.items.slice(2), nextCursor: null });
    });

    it('only facilitators of the space (and admins) read it', async () => {
      await expectOnlyFacilitators((auth) => audit(space.id, auth));
      await audit(space.id, facilitator.auth).expect(200);
      await audit(space.id, admin.auth).expect(200);
      expectProblem(await audit(NO_SUCH_ID, admin.auth), 404, 'not_found');
    });

    it('rejects bad parameters', async () => {
      expectFieldErrors(await audit('abc', facilitator.auth), ['id']);
      expectFieldErrors(await audit(space.id, facilitator.auth, { limit: 'all' }), ['limit']);
      expectFieldErrors(await audit(space.id, facilitator.auth, { cursor: 'WyJ4Il0' }), ['cursor']);
      expectFieldErrors(await audit(space.id, facilitator.auth, { action: 'user ban' }), [
        'action',
      ]);
      expectFieldErrors(await audit(space.id, facilitator.auth, { sort: 'oldest' }), ['sort']);
    });

    it('the database refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
      const comment = await newComment();
      await t.http
        .post(`${API}/comments/${comment.id}/hide`)
        .set(facilitator.auth)
        .send({ reason: '기록 보존 확인' })
        .expect(200);
      const [row] = await auditRows(comment.id);
      await expect(
        db.query(`UPDATE audit_log SET reason = 'rewritten' WHERE target_id = $1`, [comment.id]),
      ).rejects.toThrow(/append-only/);
      await expect(
        db.query(`DELETE FROM audit_log WHERE target_id = $1`, [comment.id]),
      ).rejects.toThrow(/append-only/);
      await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
      expect(await auditRows(comment.id)).toEqual([row]);
    });
  });
});
