import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { CommentsService } from '../../src/comments/comments.service';
import { CreateCommentDto } from '../../src/comments/dto/comment.dto';
import { underIdempotencyKey } from '../../src/core/events/unit-of-work';
import { IdempotencyService } from '../../src/core/http/idempotency/idempotency.service';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { bulkUsers, createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { racingCommit } from '../utils/locks';
import { expectFieldErrors, expectProblem } from '../utils/problem';

interface CommentBody {
  id: string;
  body: string | null;
  status: string;
  depth: number;
  replyCount: number;
  agreeCount: number;
  hiddenReason?: string;
  replies?: CommentBody[];
  moreReplies?: number;
  editedAt: string | null;
}

describe('comments', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let author: TestUser;
  let other: TestUser;
  let space: { id: string };
  const commentCount = async (topicId: string): Promise<number> =>
    Number(
      (await db.query('SELECT count(*) FROM comments WHERE topic_id = $1', [topicId]))[0].count,
    );
  const topicCounts = async (topicId: string): Promise<{ comments: number }> =>
    (await t.http.get(`/api/v1/topics/${topicId}`).expect(200)).body.counts;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    author = await registerUser(t, { displayName: '작성자' });
    other = await registerUser(t, { displayName: '다른 시민' });
    space = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
  });
  afterAll(() => t.close());

  it('posts threads of any depth and keeps the counts exact', async () => {
    const topic = await createTopic(t, author, space.id);
    const root = await postComment(t, author, topic.id, {
      body: '첫 댓글\n둘째 줄',
      stance: 'for',
    });
    expect(root).toMatchObject({
      topicId: topic.id,
      parentId: null,
      depth: 0,
      body: '첫 댓글\n둘째 줄',
      stance: 'for',
      status: 'visible',
      agreeCount: 0,
      replyCount: 0,
      roomId: null,
      editedAt: null,
      author: { id: author.id, displayName: '작성자' },
    });
    let parent = root;
    for (let depth = 1; depth <= 6; depth++) {
      parent = await postComment(t, other, topic.id, {
        body: `깊이 ${depth}`,
        parentId: parent.id,
      });
      expect(parent.depth).toBe(depth);
    }
    await postComment(t, other, topic.id, { body: '두 번째 답글', parentId: root.id });
    expect((await topicCounts(topic.id)).comments).toBe(8);
    const read = await t.http.get(`/api/v1/comments/${root.id}`).expect(200);
    expect(read.body.replyCount).toBe(2);
  });

  it('parallel comments and replies number their events without a gap and count exactly', async () => {
    const topic = await createTopic(t, author, space.id);
    const root = await postComment(t, author, topic.id, { body: '뿌리 의견' });
    const writers = await bulkUsers(t, 30, 'parallel');
    const answers = await Promise.all(
      writers.map((w, i) =>
        t.http
          .post(`/api/v1/topics/${topic.id}/comments`)
          .set(w.auth)
          .send(i % 2 === 0 ? { body: `답글 ${i}`, parentId: root.id } : { body: `의견 ${i}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(writers.map(() => 201));
    expect(answers.map((a) => a.body.author.id)).toEqual(writers.map((w) => w.id));
    expect((await topicCounts(topic.id)).comments).toBe(31);
    const read = await t.http.get(`/api/v1/comments/${root.id}`).expect(200);
    expect(read.body.replyCount).toBe(15);
    const events: { seq: number; comment_id: string }[] = await db.query(
      `SELECT seq, data->>'commentId' AS comment_id FROM topic_events
        WHERE topic_id = $1 AND type = 'comment_created' ORDER BY seq`,
      [topic.id],
    );
    const [{ seq }] = await db.query(`SELECT seq FROM topics WHERE id = $1`, [topic.id]);
    const first = events[0]!.seq;
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => first + i));
    expect(events.at(-1)!.seq).toBe(seq);
    expect(events.map((e) => e.comment_id).sort()).toEqual(
      [root.id, ...answers.map((a) => a.body.id as string)].sort(),
    );
  });

  it('reads a page of top-level comments with their first replies and the rest counted', async () => {
    const topic = await createTopic(t, author, space.id);
    const roots: string[] = [];
    for (let i = 0; i < 5; i++) {
      const root = await postComment(t, author, topic.id, { body: `의견 ${i}` });
      roots.push(root.id);
      for (let j = 0; j < 4; j++)
        await postComment(t, other, topic.id, { body: `답글 ${i}-${j}`, parentId: root.id });
    }
    const page = await t.http
      .get(`/api/v1/topics/${topic.id}/comments`)
      .query({ limit: 3, replies: 3 })
      .expect(200);
    const items = page.body.items as CommentBody[];
    expect(items.map((c) => c.body)).toEqual(['의견 0', '의견 1', '의견 2']);
    for (const [i, item] of items.entries()) {
      expect(item.replies!.map((r) => r.body)).toEqual([
        `답글 ${i}-0`,
        `답글 ${i}-1`,
        `답글 ${i}-2`,
      ]);
      expect(item.moreReplies).toBe(1);
    }
    const next = await t.http
      .get(`/api/v1/topics/${topic.id}/comments`)
      .query({ limit: 3, replies: 0, cursor: page.body.nextCursor })
      .expect(200);
    expect(
      (next.body.items as CommentBody[]).map((c) => [c.body, c.replies, c.moreReplies]),
    ).toEqual([
      ['의견 3', [], 4],
      ['의견 4', [], 4],
    ]);
    expect(next.body.nextCursor).toBeNull();

    const replies = await t.http
      .get(`/api/v1/comments/${roots[0]}/replies`)
      .query({ limit: 3 })
      .expect(200);
    const rest = await t.http
      .get(`/api/v1/comments/${roots[0]}/replies`)
      .query({ limit: 3, cursor: replies.body.nextCursor })
      .expect(200);
    expect([...replies.body.items, ...rest.body.items].map((c: CommentBody) => c.body)).toEqual([
      '답글 0-0',
      '답글 0-1',
      '답글 0-2',
      '답글 0-3',
    ]);
    const newest = await t.http
      .get(`/api/v1/comments/${roots[0]}/replies`)
      .query({ sort: 'newest' })
      .expect(200);
    expect(newest.body.items[0].body).toBe('답글 0-3');
  });

  it('keeps cursor pages stable while new comments arrive', async () => {
    for (const sort of ['oldest', 'newest'] as const) {
      const topic = await createTopic(t, author, space.id);
      for (let i = 0; i < 4; i++) await postComment(t, author, topic.id, { body: `원래 ${i}` });
      const first = await t.http
        .get(`/api/v1/topics/${topic.id}/comments`)
        .query({ sort, limit: 2 })
        .expect(200);
      await postComment(t, other, topic.id, { body: `새 댓글 ${sort}` });
      const second = await t.http
        .get(`/api/v1/topics/${topic.id}/comments`)
        .query({ sort, limit: 2, cursor: first.body.nextCursor })
        .expect(200);
      const seen = [...first.body.items, ...second.body.items].map((c: CommentBody) => c.body);
      expect(new Set(seen).size).toBe(4);
      if (sort === 'oldest') expect(seen).toEqual(['원래 0', '원래 1', '원래 2', '원래 3']);
      else expect(seen).toEqual(['원래 3', '원래 2', '원래 1', '원래 0']);
    }
  });

  it('sorts by agrees', async () => {
    const topic = await createTopic(t, author, space.id);
    const a = await postComment(t, author, topic.id, { body: '덜 공감' });
    const b = await postComment(t, author, topic.id, { body: '많이 공감' });
    for (const u of await bulkUsers(t, 3))
      await t.http.put(`/api/v1/comments/${b.id}/agree`).set(u.auth).expect(200);
    await t.http.put(`/api/v1/comments/${a.id}/agree`).set(other.auth).expect(200);
    const res = await t.http
      .get(`/api/v1/topics/${topic.id}/comments`)
      .query({ sort: 'agrees' })
      .set(other.auth)
      .expect(200);
    expect(
      res.body.items.map((c: CommentBody & { myAgree?: boolean }) => [
        c.body,
        c.agreeCount,
        c.myAgree,
      ]),
    ).toEqual([
      ['많이 공감', 3, false],
      ['덜 공감', 1, true],
    ]);
  });

  it('edits by the author only, marking editedAt', async () => {
    const topic = await createTopic(t, author, space.id);
    const c = await postComment(t, author, topic.id);
    expectProblem(
      await t.http.patch(`/api/v1/comments/${c.id}`).set(other.auth).send({ body: '남의 글 수정' }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.http
        .patch(`/api/v1/comments/${c.id}`)
        .set(facilitator.auth)
        .send({ body: '진행자 수정' }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.http.patch(`/api/v1/comments/${c.id}`).send({ body: '익명' }),
      401,
      'unauthorized',
    );
    expectFieldErrors(
      await t.http.patch(`/api/v1/comments/${c.id}`).set(author.auth).send({ body: '' }),
      ['body'],
    );
    expectFieldErrors(
      await t.http
        .patch(`/api/v1/comments/${c.id}`)
        .set(author.auth)
        .send({ body: 'ok', stance: 'for' }),
      ['stance'],
    );
    const edited = await t.http
      .patch(`/api/v1/comments/${c.id}`)
      .set(author.auth)
      .send({ body: '고친 댓글' })
      .expect(200);
    expect(edited.body.body).toBe('고친 댓글');
    expect(edited.body.editedAt).not.toBeNull();
  });

  it('author delete leaves a placeholder; the replies and counts stay', async () => {
    const topic = await createTopic(t, author, space.id);
    const c = await postComment(t, author, topic.id, { body: '지울 댓글', stance: 'against' });
    await postComment(t, other, topic.id, { body: '남는 답글', parentId: c.id });
    expectProblem(
      await t.http.delete(`/api/v1/comments/${c.id}`).set(other.auth),
      403,
      'forbidden',
    );
    await t.http.delete(`/api/v1/comments/${c.id}`).set(author.auth).expect(204);
    await t.http.delete(`/api/v1/comments/${c.id}`).set(author.auth).expect(204);
    const page = await t.http.get(`/api/v1/topics/${topic.id}/comments`).expect(200);
    expect(page.body.items[0]).toMatchObject({
      id: c.id,
      status: 'deleted',
      body: null,
      stance: null,
      replyCount: 1,
      replies: [{ body: '남는 답글' }],
    });
    const [row] = await db.query('SELECT body FROM comments WHERE id = $1', [c.id]);
    expect(row.body).toBe('');
    expect((await topicCounts(topic.id)).comments).toBe(2);
    expectProblem(
      await t.http.patch(`/api/v1/comments/${c.id}`).set(author.auth).send({ body: '되살리기' }),
      409,
      'conflict',
    );
    expectFieldErrors(
      await t.http
        .post(`/api/v1/topics/${topic.id}/comments`)
        .set(other.auth)
        .send({ body: '답', parentId: c.id }),
      ['parentId'],
    );
  });

  describe('bad input writes nothing', () => {
    let topicId: string;
    let otherTopicComment: string;
    beforeAll(async () => {
      topicId = (await createTopic(t, author, space.id)).id;
      const otherTopic = await createTopic(t, author, space.id);
      otherTopicComment = (await postComment(t, author, otherTopic.id)).id;
    });
    const cases: [string, () => Record<string, unknown>, string[]][] = [
      ['missing body', () => ({}), ['body']],
      ['empty body', () => ({ body: '' }), ['body']],
      ['whitespace body', () => ({ body: ' \n ' }), ['body']],
      ['body too long', () => ({ body: '가'.repeat(2001) }), ['body']],
      ['control characters', () => ({ body: 'bell\u0007' }), ['body']],
      ['bidi override', () => ({ body: 'abc\u202Edef' }), ['body']],
      ['wrong type', () => ({ body: 42 }), ['body']],
      ['unknown field', () => ({ body: 'ok', status: 'hidden' }), ['status']],
      ['bad stance', () => ({ body: 'ok', stance: 'yes' }), ['stance']],
      ['malformed parentId', () => ({ body: 'ok', parentId: 'abc' }), ['parentId']],
      [
        'unknown parentId',
        () => ({ body: 'ok', parentId: '00000000-0000-4000-8000-000000000000' }),
        ['parentId'],
      ],
      [
        'parent in another topic',
        () => ({ body: 'ok', parentId: otherTopicComment }),
        ['parentId'],
      ],
    ];
    it.each(cases)('%s → 400 naming the field', async (_name, body, fields) => {
      const before = await commentCount(topicId);
      expectFieldErrors(
        await t.http.post(`/api/v1/topics/${topicId}/comments`).set(author.auth).send(body()),
        fields,
      );
      expect(await commentCount(topicId)).toBe(before);
      expect((await topicCounts(topicId)).comments).toBe(before);
    });

    it('exactly 2,000 characters and line breaks are fine; CRLF becomes LF', async () => {
      const c = await postComment(t, author, topicId, { body: `${'가'.repeat(1997)}\r\n끝` });
      expect(c.body).toBe(`${'가'.repeat(1997)}\n끝`);
    });

    it('bad list parameters are refused', async () => {
      expectFieldErrors(
        await t.http.get(`/api/v1/topics/${topicId}/comments`).query({ sort: 'best' }),
        ['sort'],
      );
      expectFieldErrors(
        await t.http.get(`/api/v1/topics/${topicId}/comments`).query({ replies: 11 }),
        ['replies'],
      );
      expectFieldErrors(
        await t.http.get(`/api/v1/topics/${topicId}/comments`).query({ limit: 500 }),
        ['limit'],
      );
      expectFieldErrors(await t.http.get('/api/v1/topics/x/comments'), ['id']);
      expectFieldErrors(await t.http.get('/api/v1/comments/x/replies'), ['id']);
      expectProblem(
        await t.http.get('/api/v1/comments/00000000-0000-4000-8000-000000000000/replies'),
        404,
        'not_found',
      );
    });
  });

  it('a closed or rejected topic takes no comments', async () => {
    const topic = await createTopic(t, author, space.id);
    await t.http
      .post(`/api/v1/topics/${topic.id}/transitions`)
      .set(facilitator.auth)
      .send({ to: 'rejected', reason: '범위 밖' })
      .expect(200);
    expectProblem(
      await t.http
        .post(`/api/v1/topics/${topic.id}/comments`)
        .set(author.auth)
        .send({ body: '늦은 댓글' }),
      409,
      'topic_not_open',
    );
    expect(await commentCount(topic.id)).toBe(0);
  });

  it('Idempotency-Key makes a retried post create one comment', async () => {
    const topic = await createTopic(t, author, space.id);
    const key = `comment-${Date.now()}`;
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.http
          .post(`/api/v1/topics/${topic.id}/comments`)
          .set(author.auth)
          .set('Idempotency-Key', key)
          .send({ body: '재시도 댓글' }),
      ),
    );
    expect(
      results.every(
        (r) => r.status === 201 || (r.status === 409 && r.body.code === 'idempotency_in_flight'),
      ),
    ).toBe(true);
    const again = await t.http
      .post(`/api/v1/topics/${topic.id}/comments`)
      .set(author.auth)
      .set('Idempotency-Key', key)
      .send({ body: '재시도 댓글' })
      .expect(201);
    expect(await commentCount(topic.id)).toBe(1);
    expect((await topicCounts(topic.id)).comments).toBe(1);
    expect(results.filter((r) => r.status === 201).every((r) => r.body.id === again.body.id)).toBe(
      true,
    );
    expectProblem(
      await t.http
        .post(`/api/v1/topics/${topic.id}/comments`)
        .set(author.auth)
        .set('Idempotency-Key', key)
        .send({ body: '다른 내용' }),
      422,
      'idempotency_key_reused',
    );
  });

  it('under an Idempotency-Key a comment commits with the key: a request whose claim was taken over writes nothing', async () => {
    const topic = await createTopic(t, author, space.id);
    const key = `comment-taken-${Date.now()}`;
    // The key belongs to another claim (a retry that took it over): marking it must fail, and
    // the comment with it. Written on its own, outside that transaction, it would stay.
    const claim = await t.app.get(IdempotencyService).claim(author.id, key, 'another request');
    if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
    const dto = Object.assign(new CreateCommentDto(), { body: '주인 잃은 댓글' });
    await expect(
      underIdempotencyKey({ userId: author.id, key, owner: randomUUID() }, () =>
        t.app
          .get(CommentsService)
          .create(
            { id: author.id, role: 'citizen', displayName: author.displayName },
            topic.id,
            dto,
          ),
      ),
    ).rejects.toMatchObject({ code: 'idempotency_in_flight' });
    expect(await commentCount(topic.id)).toBe(0);
    expect((await topicCounts(topic.id)).comments).toBe(0);
  });

  it('hidden comments show no body to citizens or anonymous readers on any read path', async () => {
    const topic = await createTopic(t, author, space.id);
    const c = await postComment(t, author, topic.id, { body: '숨길 내용' });
    const reply = await postComment(t, other, topic.id, { body: '숨길 답글', parentId: c.id });
    await db.query(
      `UPDATE comments SET status = 'hidden', hidden_reason = '욕설' WHERE id = ANY($1)`,
      [[c.id, reply.id]],
    );
    for (const viewer of [undefined, author, other]) {
      const auth = viewer ? viewer.auth : {};
      const list = await t.http.get(`/api/v1/topics/${topic.id}/comments`).set(auth).expect(200);
      expect(list.body.items[0]).toMatchObject({
        body: null,
        status: 'hidden',
        hiddenReason: '욕설',
        replies: [{ body: null, hiddenReason: '욕설' }],
      });
      expect(
        (await t.http.get(`/api/v1/comments/${c.id}`).set(auth).expect(200)).body.body,
      ).toBeNull();
      expect(
        (await t.http.get(`/api/v1/comments/${c.id}/replies`).set(auth).expect(200)).body.items[0]
          .body,
      ).toBeNull();
      expect(JSON.stringify(list.body)).not.toContain('숨길');
    }
    for (const viewer of [facilitator, admin]) {
      const list = await t.http
        .get(`/api/v1/topics/${topic.id}/comments`)
        .set(viewer.auth)
        .expect(200);
      expect(list.body.items[0]).toMatchObject({
        body: '숨길 내용',
        status: 'hidden',
        hiddenReason: '욕설',
        replies: [{ body: '숨길 답글' }],
      });
    }
    expectProblem(
      await t.http.put(`/api/v1/comments/${c.id}/agree`).set(other.auth),
      409,
      'conflict',
    );
  });

  describe('comment agrees', () => {
    it('are idempotent and exact under concurrency', async () => {
      const topic = await createTopic(t, author, space.id);
      const c = await postComment(t, author, topic.id);
      const users = await bulkUsers(t, 100);
      const results = await Promise.all(
        [...users, ...users.slice(0, 40)].map((u) =>
          t.http.put(`/api/v1/comments/${c.id}/agree`).set(u.auth),
        ),
      );
      expect(results.every((r) => r.status === 200)).toBe(true);
      const [{ n }] = await db.query(
        'SELECT count(*)::int AS n FROM comment_agrees WHERE comment_id = $1',
        [c.id],
      );
      const read = await t.http.get(`/api/v1/comments/${c.id}`).expect(200);
      expect({ rows: n, count: read.body.agreeCount }).toEqual({ rows: 100, count: 100 });

      const [one] = users;
      const repeated = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http.delete(`/api/v1/comments/${c.id}/agree`).set(one!.auth),
        ),
      );
      expect(
        new Set(repeated.map((r) => `${r.status}:${r.body.agreed}:${r.body.agreeCount}`)),
      ).toEqual(new Set(['200:false:99']));
      const again = await Promise.all(
        Array.from({ length: 50 }, () =>
          t.http.put(`/api/v1/comments/${c.id}/agree`).set(one!.auth),
        ),
      );
      expect(
        new Set(again.map((r) => `${r.status}:${r.body.agreed}:${r.body.agreeCount}`)),
      ).toEqual(new Set(['200:true:100']));
    });

    it('validate and authorize', async () => {
      expectProblem(
        await t.http
          .put('/api/v1/comments/00000000-0000-4000-8000-000000000000/agree')
          .set(author.auth),
        404,
        'not_found',
      );
      expectFieldErrors(await t.http.put('/api/v1/comments/zzz/agree').set(author.auth), ['id']);
      const topic = await createTopic(t, author, space.id);
      const c = await postComment(t, author, topic.id);
      expectProblem(await t.http.put(`/api/v1/comments/${c.id}/agree`), 401, 'unauthorized');
      await t.http
        .delete(`/api/v1/comments/${c.id}/agree`)
        .set(other.auth)
        .expect(200, { agreed: false, agreeCount: 0 });
    });
  });
  describe('racing a change of the topic or the parent', () => {
    /**
     * `other` posts `body` on the topic while `write` is held open in another transaction; it
     * commits once the comment's statement (read as before, comment inserted) waits on its lock.
     */
    const postRacing = (
      topicId: string,
      write: { sql: string; params: unknown[] },
      body: Record<string, unknown>,
    ): Promise<Response> =>
      racingCommit(db, write, 'write comment', async () =>
        t.http.post(`/api/v1/topics/${topicId}/comments`).set(other.auth).send(body),
      );

    it('a comment that meets its topic being rejected under it is refused whole', async () => {
      const topic = await createTopic(t, author, space.id);
      const before = await db.query(`SELECT seq FROM topics WHERE id = $1`, [topic.id]);
      const answer = await postRacing(
        topic.id,
        { sql: `UPDATE topics SET status = 'rejected' WHERE id = $1`, params: [topic.id] },
        { body: '닫히는 중에 남긴 의견' },
      );
      expectProblem(answer, 409, 'topic_not_open');
      expect(await commentCount(topic.id)).toBe(0);
      const after = await db.query(`SELECT seq, comment_count FROM topics WHERE id = $1`, [
        topic.id,
      ]);
      expect(after).toEqual([{ ...before[0], comment_count: 0 }]);
    });

    it('a comment that waits while its topic opens deliberation counts its author as a participant', async () => {
      const topic = await createTopic(t, author, space.id);
      const answer = await postRacing(
        topic.id,
        {
          sql: `UPDATE topics SET status = 'deliberating', rung = 2 WHERE id = $1`,
          params: [topic.id],
        },
        { body: '숙의가 열리는 순간의 의견' },
      );
      expect(answer.status).toBe(201);
      expect(await topicCounts(topic.id)).toMatchObject({ comments: 1, participants: 1 });
      expect(
        await db.query(`SELECT user_id FROM topic_participants WHERE topic_id = $1`, [topic.id]),
      ).toEqual([{ user_id: other.id }]);
    });

    it('a reply whose parent is deleted under it is refused whole, naming parentId', async () => {
      const topic = await createTopic(t, author, space.id);
      const parent = await postComment(t, author, topic.id, { body: '곧 지워질 의견' });
      const answer = await postRacing(
        topic.id,
        { sql: `UPDATE comments SET status = 'deleted' WHERE id = $1`, params: [parent.id] },
        { body: '지워지는 의견에 단 답글', parentId: parent.id },
      );
      expectFieldErrors(answer, ['parentId']);
      expect(await commentCount(topic.id)).toBe(1);
      expect(await topicCounts(topic.id)).toMatchObject({ comments: 1 });
      const [row] = await db.query(`SELECT reply_count FROM comments WHERE id = $1`, [parent.id]);
      expect(row).toEqual({ reply_count: 0 });
    });
  });
});
