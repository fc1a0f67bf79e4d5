import { DataSource } from 'typeorm';
import { Notifier } from '../../src/notifications/notifier';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createRoom } from '../factories/rooms';
import { createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { eventually } from '../utils/eventually';
import { closeAll, connected, nextEvent } from '../utils/live-client';
import { expectFieldErrors, expectProblem } from '../utils/problem';

interface Item {
  id: string;
  type: string;
  data: Record<string, unknown>;
  topicId: string | null;
  commentId: string | null;
  roomId: string | null;
  readAt: string | null;
  createdAt: string;
}

/**
 * Notifications (알림): each kind reaches the people it is for and nobody else — never the
 * actor, never someone banned from the space, unfollowed or with the kind switched off — and
 * each person gets each once. The notifier runs as in production (nudged after each commit).
 */
describe('notifications', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let space: { id: string };

  const inbox = async (user: TestUser, query: Record<string, unknown> = {}): Promise<Item[]> =>
    (
      await t.http
        .get('/api/v1/me/notifications')
        .set(user.auth)
        .query({ limit: 100, ...query })
        .expect(200)
    ).body.items;

  /** Waits until the notifier has marked every source row of the topic (and its rooms). */
  const settled = (topicId: string): Promise<number> =>
    eventually(
      async () =>
        (
          await db.query(
            `SELECT (SELECT count(*)::int FROM topic_events WHERE topic_id = $1 AND notified_at IS NULL
                       AND type IN ('ladder_crossed','transitioned','answered','comment_created','comment_hidden'))
                  + (SELECT count(*)::int FROM room_events e JOIN rooms r ON r.id = e.room_id
                      WHERE r.topic_id = $1 AND e.notified_at IS NULL AND e.type = 'room:state'
                        AND e.data->>'status' = 'live') AS n`,
            [topicId],
          )
        )[0].n as number,
      (n) => n === 0,
    );

  /** Who got notifications of `type` about the topic, sorted, with repeats kept. */
  const recipients = async (topicId: string, type: string): Promise<string[]> =>
    (
      await db.query(
        `SELECT user_id FROM notifications WHERE topic_id = $1 AND type = $2 ORDER BY user_id`,
        [topicId, type],
      )
    ).map((r: { user_id: string }) => r.user_id);

  const ids = (...users: TestUser[]): string[] => users.map((u) => u.id).sort();

  const follow = (user: TestUser, topicId: string): Promise<unknown> =>
    t.http.put(`/api/v1/topics/${topicId}/follow`).set(user.auth).expect(200);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    otherFacilitator = await registerUser(t, { displayName: '다른 진행자' });
    space = await createSpace(t, admin, { thresholds: { review: 2, deliberation: 50 } });
    await makeFacilitator(t, admin, space.id, facilitator);
    const other = await createSpace(t, admin);
    await makeFacilitator(t, admin, other.id, otherFacilitator);
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  describe('each kind reaches the right people and nobody else', () => {
    let proposer: TestUser;
    let follower: TestUser;
    let banned: TestUser;
    let unfollowed: TestUser;
    let answerOff: TestUser;
    let stranger: TestUser;
    let topicId: string;

    beforeAll(async () => {
      [proposer, follower, banned, unfollowed, answerOff, stranger] = (await Promise.all(
        ['제안자', '구독자', '차단된 구독자', '구독 해지자', '답변 끔', '지나가는 사람'].map(
          (displayName) => registerUser(t, { displayName }),
        ),
      )) as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
      topicId = (await createTopic(t, proposer, space.id)).id;
      for (const u of [follower, banned, unfollowed, answerOff, facilitator])
        await follow(u, topicId);
      await t.http
        .put('/api/v1/me/notification-settings')
        .set(answerOff.auth)
        .send({ types: { answer: false } })
        .expect(200);
      await t.http
        .delete(`/api/v1/topics/${topicId}/follow`)
        .set(unfollowed.auth)
        .expect(200)
        .expect({ targetType: 'topic', targetId: topicId, following: false });
      await t.http
        .put(`/api/v1/spaces/${space.id}/bans/${banned.id}`)
        .set(facilitator.auth)
        .send({ reason: '욕설' })
        .expect(200);
    });

    it('the proposer follows their own topic', async () => {
      await t.http
        .get(`/api/v1/topics/${topicId}/follow`)
        .set(proposer.auth)
        .expect(200)
        .expect({ targetType: 'topic', targetId: topicId, following: true });
      await t.http
        .get(`/api/v1/topics/${topicId}/follow`)
        .set(stranger.auth)
        .expect(200)
        .expect({ targetType: 'topic', targetId: topicId, following: false });
    });

    it('topic.ladder: a rung crossed reaches every follower (no actor), not the banned or unfollowed', async () => {
      // Two agrees cross the review rung (the agreers do not follow, so hear nothing).
      const agreers = await Promise.all([registerUser(t), registerUser(t)]);
      const live = await connected(t.url, { token: follower.token });
      const pushed = nextEvent<{ notification: Item; unread: number }>(
        live,
        'notification:new',
        (p) => p.notification.type === 'topic.ladder',
      );
      for (const a of agreers)
        await t.http.put(`/api/v1/topics/${topicId}/agree`).set(a.auth).expect(200);
      await settled(topicId);
      expect(await recipients(topicId, 'topic.ladder')).toEqual(
        ids(proposer, follower, answerOff, facilitator),
      );
      const push = await pushed;
      expect(push.notification).toMatchObject({
        type: 'topic.ladder',
        topicId,
        data: { rung: 'review', count: 2, title: '성북구 마을공동체 텃밭 조성' },
        readAt: null,
      });
      expect(push.unread).toBeGreaterThanOrEqual(1);
    });

    it('topic.status: a deliberation opened reaches followers but not the facilitator who opened it', async () => {
      await t.http
        .post(`/api/v1/topics/${topicId}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'deliberating', reason: '우수제안' })
        .expect(200);
      await settled(topicId);
      expect(await recipients(topicId, 'topic.status')).toEqual(ids(proposer, follower, answerOff));
      const [item] = (await inbox(proposer)).filter((n) => n.type === 'topic.status');
      expect(item).toMatchObject({ data: { from: 'under_review', to: 'deliberating' } });
    });

    it('comment.reply: the author of the comment answered, not the one replying to themselves', async () => {
      const first = await postComment(t, follower, topicId, { body: '텃밭 물은 어떻게 대나요?' });
      const own = await postComment(t, follower, topicId, { parentId: first.id, body: '덧붙임' });
      const reply = await postComment(t, stranger, topicId, {
        parentId: first.id,
        body: '빗물 저금통을 쓰면 됩니다.',
      });
      await settled(topicId);
      expect(await recipients(topicId, 'comment.reply')).toEqual([follower.id]);
      const [item] = (await inbox(follower)).filter((n) => n.type === 'comment.reply');
      expect(item).toMatchObject({
        commentId: reply.id,
        data: { parentId: first.id, excerpt: '빗물 저금통을 쓰면 됩니다.' },
      });
      expect(item!.commentId).not.toBe(own.id);
      // The stranger discussed the topic, so now follows it.
      await t.http
        .get(`/api/v1/topics/${topicId}/follow`)
        .set(stranger.auth)
        .expect(200)
        .expect((res) => expect(res.body.following).toBe(true));
    });

    it('a reply hidden before the notifier reaches it notifies nobody (it can no longer be read)', async () => {
      const mine = await postComment(t, follower, topicId, { body: '주차는 어디에 하나요?' });
      const reply = await postComment(t, stranger, topicId, {
        parentId: mine.id,
        body: '광고: 주차 대행',
      });
      await settled(topicId);
      await t.http
        .post(`/api/v1/comments/${reply.id}/hide`)
        .set(facilitator.auth)
        .send({ reason: '광고성 게시물' })
        .expect(200);
      await settled(topicId);
      // As if the notifier had reached the reply only now, after it was hidden.
      await db.query(`DELETE FROM notifications WHERE comment_id = $1 AND type = 'comment.reply'`, [
        reply.id,
      ]);
      await db.query(
        `UPDATE topic_events SET notified_at = NULL
          WHERE topic_id = $1 AND type = 'comment_created' AND data->>'commentId' = $2`,
        [topicId, reply.id],
      );
      t.app.get(Notifier).nudge();
      await settled(topicId);
      expect(
        await db.query(
          `SELECT user_id FROM notifications WHERE comment_id = $1 AND type = 'comment.reply'`,
          [reply.id],
        ),
      ).toEqual([]);
      // Its author is told it was hidden; the one it answered hears nothing of it.
      expect(
        await db.query(`SELECT user_id, type FROM notifications WHERE comment_id = $1`, [reply.id]),
      ).toEqual([{ user_id: stranger.id, type: 'comment.hidden' }]);
    });

    it('a commenter who turned auto-follow off does not follow what they discuss', async () => {
      const quiet = await registerUser(t);
      await t.http
        .put('/api/v1/me/notification-settings')
        .set(quiet.auth)
        .send({ followOnComment: false })
        .expect(200);
      await postComment(t, quiet, topicId);
      await settled(topicId);
      await t.http
        .get(`/api/v1/topics/${topicId}/follow`)
        .set(quiet.auth)
        .expect(200)
        .expect((res) => expect(res.body.following).toBe(false));
    });

    it('comment.hidden: the author, with the reason; not the facilitator who hid it', async () => {
      const comment = await postComment(t, answerOff, topicId, { body: '광고 글' });
      await t.http
        .post(`/api/v1/comments/${comment.id}/hide`)
        .set(facilitator.auth)
        .send({ reason: '광고성 게시물' })
        .expect(200);
      await settled(topicId);
      expect(
        await db.query(
          `SELECT user_id FROM notifications WHERE comment_id = $1 AND type = 'comment.hidden'`,
          [comment.id],
        ),
      ).toEqual([{ user_id: answerOff.id }]);
      const [item] = (await inbox(answerOff)).filter((n) => n.type === 'comment.hidden');
      expect(item).toMatchObject({ commentId: comment.id, data: { reason: '광고성 게시물' } });
    });

    it('room.live: a room going live reaches the followers, not the facilitator who started it', async () => {
      const room = await createRoom(t, facilitator, topicId, { title: '텃밭 타운홀' });
      await t.http.post(`/api/v1/rooms/${room.id}/start`).set(facilitator.auth).expect(200);
      await settled(topicId);
      expect(await recipients(topicId, 'room.live')).toEqual(
        ids(proposer, follower, answerOff, stranger),
      );
      const [item] = (await inbox(stranger)).filter((n) => n.type === 'room.live');
      expect(item).toMatchObject({ roomId: room.id, data: { roomTitle: '텃밭 타운홀' } });
    });

    it('topic.status closed, then topic.answered to followers who kept answers on', async () => {
      await t.http
        .post(`/api/v1/topics/${topicId}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'closed' })
        .expect(200);
      await t.http
        .post(`/api/v1/topics/${topicId}/response`)
        .set(facilitator.auth)
        .send({ body: '내년 예산에 반영하겠습니다.', role: '성북구청 도시농업과' })
        .expect(200);
      await settled(topicId);
      const closed = await db.query(
        `SELECT user_id FROM notifications WHERE topic_id = $1 AND type = 'topic.status'
            AND data->>'to' = 'closed' ORDER BY user_id`,
        [topicId],
      );
      expect(closed.map((r: { user_id: string }) => r.user_id)).toEqual(
        ids(proposer, follower, answerOff, stranger),
      );
      // answerOff turned answers off; the banned and the unfollowed never hear anything.
      expect(await recipients(topicId, 'topic.answered')).toEqual(
        ids(proposer, follower, stranger),
      );
      const [item] = (await inbox(proposer)).filter((n) => n.type === 'topic.answered');
      expect(item).toMatchObject({
        data: { excerpt: '내년 예산에 반영하겠습니다.', role: '성북구청 도시농업과' },
      });
      for (const u of [banned, unfollowed])
        expect(await db.query(`SELECT 1 FROM notifications WHERE user_id = $1`, [u.id])).toEqual(
          [],
        );
    });

    it('topic.status rejected carries its reason; a second pass over its events writes nothing more', async () => {
      const other = await createTopic(t, proposer, space.id, { title: '놀이터 옆 주차장 확장' });
      await t.http
        .post(`/api/v1/topics/${other.id}/transitions`)
        .set(facilitator.auth)
        .send({ to: 'rejected', reason: '도시계획상 불가합니다' })
        .expect(200);
      await settled(other.id);
      expect(await recipients(other.id, 'topic.status')).toEqual([proposer.id]);
      const [item] = (await inbox(proposer)).filter(
        (n) => n.type === 'topic.status' && n.topicId === other.id,
      );
      expect(item).toMatchObject({ data: { to: 'rejected', reason: '도시계획상 불가합니다' } });

      // As if a node died after writing the notifications but before its mark was kept: the
      // events are found again, and the (person, source) key writes nothing twice.
      await db.query(`UPDATE topic_events SET notified_at = NULL WHERE topic_id = $1`, [other.id]);
      t.app.get(Notifier).nudge();
      await settled(other.id);
      expect(await recipients(other.id, 'topic.status')).toEqual([proposer.id]);
    });
  });

  describe('answer.due', () => {
    it('tells the facilitators of the space once when due within 3 days and once when overdue', async () => {
      const proposer = await registerUser(t);
      const agreers = await Promise.all([registerUser(t), registerUser(t)]);
      const topic = await createTopic(t, proposer, space.id, { title: '버스 정류장 그늘막 설치' });
      for (const a of agreers)
        await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(a.auth).expect(200);
      const notifier = t.app.get(Notifier);
      const owed = await eventually(
        (): Promise<{ id: string }[]> =>
          db.query(`SELECT id FROM owed_answers WHERE topic_id = $1`, [topic.id]),
        (rows: { id: string }[]) => rows.length === 1,
      );
      // Owed in 30 days: nothing yet.
      await notifier.announceDue();
      expect(await recipients(topic.id, 'answer.due')).toEqual([]);

      await db.query(`UPDATE owed_answers SET due_at = now() + interval '2 days' WHERE id = $1`, [
        owed[0]!.id,
      ]);
      // Two sweeps at once (as two nodes would run them): one notice.
      await Promise.all([notifier.announceDue(), notifier.announceDue()]);
      expect(await recipients(topic.id, 'answer.due')).toEqual([facilitator.id]);

      await db.query(`UPDATE owed_answers SET due_at = now() - interval '1 hour' WHERE id = $1`, [
        owed[0]!.id,
      ]);
      await Promise.all([notifier.announceDue(), notifier.announceDue()]);
      const notices = await db.query(
        `SELECT user_id, data->>'overdue' AS overdue FROM notifications
          WHERE topic_id = $1 AND type = 'answer.due' ORDER BY created_at`,
        [topic.id],
      );
      expect(notices).toEqual([
        { user_id: facilitator.id, overdue: 'false' },
        { user_id: facilitator.id, overdue: 'true' },
      ]);
      // The facilitator of another space never hears of it.
      expect(
        await db.query(`SELECT 1 FROM notifications WHERE user_id = $1`, [otherFacilitator.id]),
      ).toEqual([]);
    });
  });

  describe('the inbox', () => {
    let reader: TestUser;
    let other: TestUser;
    let items: Item[];

    beforeAll(async () => {
      reader = await registerUser(t);
      other = await registerUser(t);
      const replier = await registerUser(t);
      const topic = await createTopic(t, reader, space.id, { title: '공원 벤치 추가 설치' });
      const mine = await postComment(t, reader, topic.id);
      const theirs = await postComment(t, other, topic.id);
      for (let i = 0; i < 5; i++) {
        await postComment(t, replier, topic.id, { parentId: mine.id, body: `답글 ${i}` });
      }
      await postComment(t, replier, topic.id, { parentId: theirs.id, body: '답글' });
      await settled(topic.id);
      items = await inbox(reader);
    });

    it('lists newest first in pages, with the unread filter and count', async () => {
      expect(items.map((i) => i.type)).toEqual(Array(5).fill('comment.reply'));
      expect(items.map((i) => i.data.excerpt)).toEqual([
        '답글 4',
        '답글 3',
        '답글 2',
        '답글 1',
        '답글 0',
      ]);
      const first = await t.http
        .get('/api/v1/me/notifications')
        .set(reader.auth)
        .query({ limit: 2 })
        .expect(200);
      expect(first.body.items.map((i: Item) => i.id)).toEqual([items[0]!.id, items[1]!.id]);
      const second = await t.http
        .get('/api/v1/me/notifications')
        .set(reader.auth)
        .query({ limit: 2, cursor: first.body.nextCursor })
        .expect(200);
      expect(second.body.items.map((i: Item) => i.id)).toEqual([items[2]!.id, items[3]!.id]);
      await t.http
        .get('/api/v1/me/notifications/unread')
        .set(reader.auth)
        .expect(200)
        .expect({ unread: 5 });
    });

    it('marks one read, never someone else’s, then all', async () => {
      const theirs = (await inbox(other))[0]!;
      await t.http
        .post('/api/v1/me/notifications/read')
        .set(reader.auth)
        .send({ ids: [items[0]!.id, theirs.id] })
        .expect(200)
        .expect({ unread: 4 });
      expect((await inbox(other))[0]!.readAt).toBeNull();
      const unread = await inbox(reader, { unread: 'true' });
      expect(unread.map((i) => i.id)).toEqual(items.slice(1).map((i) => i.id));
      expect((await inbox(reader))[0]!.readAt).not.toBeNull();
      await t.http
        .post('/api/v1/me/notifications/read')
        .set(reader.auth)
        .send({ all: true })
        .expect(200)
        .expect({ unread: 0 });
      expect(await inbox(reader, { unread: 'true' })).toEqual([]);
      expect((await inbox(other))[0]!.readAt).toBeNull();
    });
  });

  it('keeps the order of events whichever node writes their notifications, and when', async () => {
    const reader = await registerUser(t);
    const replier = await registerUser(t);
    const topic = await createTopic(t, reader, space.id);
    const mine = await postComment(t, reader, topic.id);
    const first = await postComment(t, replier, topic.id, {
      parentId: mine.id,
      body: '먼저 쓴 답글',
    });
    const second = await postComment(t, replier, topic.id, {
      parentId: mine.id,
      body: '나중 답글',
    });
    await settled(topic.id);
    const eventOf = async (commentId: string): Promise<string> =>
      (
        await db.query(
          `SELECT id FROM topic_events WHERE type = 'comment_created' AND data->>'commentId' = $1`,
          [commentId],
        )
      )[0].id as string;
    const [firstEvent, secondEvent] = [await eventOf(first.id), await eventOf(second.id)];
    // Both events are taken back, the earlier one by a transaction that holds it as a node that
    // claimed it and stalled would: the later one is written again first, the earlier one once
    // it is let go.
    const holder = db.createQueryRunner();
    await holder.connect();
    try {
      await holder.startTransaction();
      await holder.query(`DELETE FROM notifications WHERE source = $1`, [
        `topic_event:${firstEvent}`,
      ]);
      await holder.query(`UPDATE topic_events SET notified_at = NULL WHERE id = $1`, [firstEvent]);
      await db.query(`DELETE FROM notifications WHERE source = $1`, [`topic_event:${secondEvent}`]);
      await db.query(`UPDATE topic_events SET notified_at = NULL WHERE id = $1`, [secondEvent]);
      t.app.get(Notifier).nudge();
      await eventually(
        async () =>
          (
            await db.query(`SELECT 1 FROM notifications WHERE source = $1`, [
              `topic_event:${secondEvent}`,
            ])
          ).length,
        (n) => n === 1,
      );
      await holder.commitTransaction();
    } finally {
      await holder.release();
    }
    t.app.get(Notifier).nudge();
    await settled(topic.id);
    expect((await inbox(reader)).map((i) => i.data.excerpt)).toEqual(['나중 답글', '먼저 쓴 답글']);
  });

  describe('settings', () => {
    it('has the defaults of the contract and merges what is changed', async () => {
      const user = await registerUser(t);
      const all = { ladder: true, status: true, answer: true, reply: true, hidden: true };
      const rest = { room: true, budget: true, due: true };
      await t.http
        .get('/api/v1/me/notification-settings')
        .set(user.auth)
        .expect(200)
        .expect({
          email: 'daily',
          types: { ...all, ...rest },
          followOnComment: true,
          language: 'ko',
        });
      await t.http
        .put('/api/v1/me/notification-settings')
        .set(user.auth)
        .send({ email: 'weekly', types: { reply: false } })
        .expect(200)
        .expect({
          email: 'weekly',
          types: { ...all, ...rest, reply: false },
          followOnComment: true,
          language: 'ko',
        });
      await t.http
        .put('/api/v1/me/notification-settings')
        .set(user.auth)
        .send({ types: { room: false }, followOnComment: false, language: 'en' })
        .expect(200)
        .expect({
          email: 'weekly',
          types: { ...all, ...rest, reply: false, room: false },
          followOnComment: false,
          language: 'en',
        });
    });
  });

  describe('participatory budgets', () => {
    let proposer: TestUser;
    let follower: TestUser;
    let commenter: TestUser;
    let budgetOff: TestUser;
    let unfollowed: TestUser;
    let stranger: TestUser;
    let budgetId: string;
    const projects: Record<string, { id: string; topicId: string }> = {};

    /** Waits until the notifier has told everything the budget's changes left to tell. */
    const budgetSettled = (id: string): Promise<number> =>
      eventually(
        async () =>
          (
            await db.query(
              `SELECT count(*)::int AS n FROM budget_notices WHERE budget_id = $1 AND notified_at IS NULL`,
              [id],
            )
          )[0].n as number,
        (n) => n === 0,
      );

    const told = async (type: string, where: string, id: string): Promise<string[]> =>
      (
        await db.query(
          `SELECT user_id FROM notifications WHERE type = $1 AND ${where} = $2 ORDER BY user_id`,
          [type, id],
        )
      ).map((r: { user_id: string }) => r.user_id);

    const phase = (to: string): Promise<unknown> =>
      t.http
        .post(`/api/v1/budgets/${budgetId}/phase`)
        .set(facilitator.auth)
        .send({ to })
        .expect(200);

    beforeAll(async () => {
      [proposer, follower, commenter, budgetOff, unfollowed, stranger] = (await Promise.all(
        ['사업 제안자', '예산 구독자', '사업 토론자', '예산 알림 끔', '예산 구독 해지', '행인'].map(
          (displayName) => registerUser(t, { displayName }),
        ),
      )) as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
      budgetId = (
        await t.http
          .post(`/api/v1/spaces/${space.id}/budgets`)
          .set(facilitator.auth)
          .send({
            title: '우리 동 참여예산',
            totalAmount: 100,
            rule: { kind: 'approval', maxChoices: 1 },
            electorate: 'open',
          })
          .expect(201)
      ).body.id;
      const heading = (
        await t.http
          .post(`/api/v1/budgets/${budgetId}/headings`)
          .set(facilitator.auth)
          .send({ name: '동 전체', amount: 100 })
          .expect(201)
      ).body.headings[0].id as string;
      for (const key of ['가로등', '쉼터', '벽화']) {
        const res = await t.http
          .post(`/api/v1/budgets/${budgetId}/projects`)
          .set(proposer.auth)
          .send({
            headingId: heading,
            title: `${key} 설치 사업`,
            summary: `${key} 요약`,
            body: `${key} 본문`,
            amount: 60,
          })
          .expect(201);
        projects[key] = { id: res.body.id, topicId: res.body.topicId };
      }
      for (const u of [follower, budgetOff, unfollowed])
        await t.http.put(`/api/v1/budgets/${budgetId}/follow`).set(u.auth).expect(200);
      await t.http.delete(`/api/v1/budgets/${budgetId}/follow`).set(unfollowed.auth).expect(200);
      await t.http
        .put('/api/v1/me/notification-settings')
        .set(budgetOff.auth)
        .send({ types: { budget: false } })
        .expect(200);
      await postComment(t, commenter, projects['가로등']!.topicId, { body: '꼭 필요합니다' });
    });

    it('a proposer follows their project’s thread and its budget; the follow routes say so', async () => {
      const following = (path: string, user: TestUser): Promise<unknown> =>
        t.http
          .get(path)
          .set(user.auth)
          .expect(200)
          .then((r) => r.body.following);
      expect(await following(`/api/v1/budgets/${budgetId}/follow`, proposer)).toBe(true);
      expect(await following(`/api/v1/topics/${projects['쉼터']!.topicId}/follow`, proposer)).toBe(
        true,
      );
      expect(await following(`/api/v1/budgets/${budgetId}/follow`, unfollowed)).toBe(false);
      expect(await following(`/api/v1/budgets/${budgetId}/follow`, stranger)).toBe(false);
    });

    it('budget.phase: a phase reaches the budget’s followers, not the facilitator who moved it', async () => {
      await phase('review');
      await budgetSettled(budgetId);
      expect(await told('budget.phase', 'budget_id', budgetId)).toEqual(ids(proposer, follower));
      const [notice] = (await inbox(follower)).filter((i) => i.type === 'budget.phase');
      expect(notice).toMatchObject({
        data: { title: '우리 동 참여예산', from: 'proposals', to: 'review' },
        budgetId,
        projectId: null,
        topicId: null,
      });
    });

    it('project.reviewed: the followers of the project’s thread hear of its review, with the reason when unfeasible', async () => {
      const review = (key: string, body: Record<string, unknown>): Promise<unknown> =>
        t.http
          .post(`/api/v1/projects/${projects[key]!.id}/review`)
          .set(facilitator.auth)
          .send(body)
          .expect(200);
      await review('가로등', { feasible: true, explanation: '실행 가능합니다' });
      await review('쉼터', { feasible: true, explanation: '실행 가능합니다' });
      await review('벽화', { feasible: false, explanation: '사유지라 설치할 수 없습니다' });
      await budgetSettled(budgetId);
      const lamp = projects['가로등']!.id;
      const mural = projects['벽화']!.id;
      expect(await told('project.reviewed', 'project_id', lamp)).toEqual(ids(proposer, commenter));
      expect(await told('project.reviewed', 'project_id', mural)).toEqual(ids(proposer));
      const notice = (await inbox(proposer)).find(
        (i) => i.type === 'project.reviewed' && (i as { projectId?: string }).projectId === mural,
      );
      expect(notice).toMatchObject({
        data: { title: '벽화 설치 사업', feasible: false, excerpt: '사유지라 설치할 수 없습니다' },
        budgetId,
      });
      // Nobody else: the budget's followers hear of phases, not of each project.
      expect(await told('project.reviewed', 'project_id', lamp)).not.toContain(follower.id);
    });

    it('project.selected: at the result, each project’s followers hear whether it was drawn in', async () => {
      await phase('voting');
      const lamp = projects['가로등']!;
      const shelter = projects['쉼터']!;
      const heading = (await t.http.get(`/api/v1/budgets/${budgetId}`).expect(200)).body.headings[0]
        .id as string;
      for (const [voter, choice] of [
        [follower, lamp],
        [stranger, lamp],
        [commenter, shelter],
      ] as const)
        await t.http
          .put(`/api/v1/budgets/${budgetId}/ballot`)
          .set(voter.auth)
          .send({ headingId: heading, projectIds: [choice.id] })
          .expect(200);
      await phase('results');
      await budgetSettled(budgetId);
      expect(await told('project.selected', 'project_id', lamp.id)).toEqual(
        ids(proposer, commenter),
      );
      expect(await told('project.selected', 'project_id', shelter.id)).toEqual(ids(proposer));
      // The unfeasible project was not on the ballot: nothing to tell of a selection.
      expect(await told('project.selected', 'project_id', projects['벽화']!.id)).toEqual([]);
      const mine = (await inbox(proposer)).filter((i) => i.type === 'project.selected');
      expect(mine.map((i) => [i.data.title, i.data.selected, i.data.budgetTitle]).sort()).toEqual([
        ['가로등 설치 사업', true, '우리 동 참여예산'],
        ['쉼터 설치 사업', false, '우리 동 참여예산'],
      ]);
      expect(await told('budget.phase', 'budget_id', budgetId)).toEqual(
        ids(proposer, proposer, proposer, follower, follower, follower),
      );
      expect(await told('budget.phase', 'budget_id', budgetId)).not.toContain(budgetOff.id);
    });

    it('follow routes name a bad id, refuse an unknown budget and need a signed-in caller', async () => {
      expectFieldErrors(await t.http.put('/api/v1/budgets/not-a-uuid/follow').set(stranger.auth), [
        'id',
      ]);
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const method of ['put', 'delete'] as const)
        expectProblem(
          await t.http[method](`/api/v1/budgets/${unknown}/follow`).set(stranger.auth),
          404,
          'not_found',
        );
      for (const method of ['get', 'put', 'delete'] as const)
        expectProblem(
          await t.http[method](`/api/v1/budgets/${budgetId}/follow`),
          401,
          'unauthorized',
        );
      // Idempotent both ways: one row after two follows, none after two unfollows.
      for (let i = 0; i < 2; i++)
        await t.http.put(`/api/v1/budgets/${budgetId}/follow`).set(stranger.auth).expect(200);
      const rows = `SELECT count(*)::int AS n FROM follows WHERE user_id = $1 AND target_type = 'budget'`;
      expect(await db.query(rows, [stranger.id])).toEqual([{ n: 1 }]);
      for (let i = 0; i < 2; i++)
        await t.http.delete(`/api/v1/budgets/${budgetId}/follow`).set(stranger.auth).expect(200);
      expect(await db.query(rows, [stranger.id])).toEqual([{ n: 0 }]);
      expect(await db.query(`SELECT 1 FROM follows WHERE target_id = $1`, [unknown])).toEqual([]);
    });
  });

  describe('refusals and bad input', () => {
    let user: TestUser;
    let topicId: string;
    beforeAll(async () => {
      user = await registerUser(t);
      topicId = (await createTopic(t, user, space.id)).id;
    });

    it('every route needs a signed-in caller', async () => {
      const anonymous = [
        t.http.get('/api/v1/me/notifications'),
        t.http.get('/api/v1/me/notifications/unread'),
        t.http.post('/api/v1/me/notifications/read').send({ all: true }),
        t.http.get('/api/v1/me/notification-settings'),
        t.http.put('/api/v1/me/notification-settings').send({ email: 'off' }),
        t.http.get(`/api/v1/topics/${topicId}/follow`),
        t.http.put(`/api/v1/topics/${topicId}/follow`),
        t.http.delete(`/api/v1/topics/${topicId}/follow`),
      ];
      for (const res of await Promise.all(anonymous)) expectProblem(res, 401, 'unauthorized');
    });

    it('the list names a bad filter, limit or cursor', async () => {
      const list = (query: Record<string, unknown>) =>
        t.http.get('/api/v1/me/notifications').set(user.auth).query(query);
      expectFieldErrors(await list({ unread: 'yes' }), ['unread']);
      expectFieldErrors(await list({ limit: 0 }), ['limit']);
      expectFieldErrors(await list({ limit: 101 }), ['limit']);
      expectFieldErrors(await list({ cursor: 'bm90LWEtY3Vyc29y' }), ['cursor']);
      expectFieldErrors(await list({ other: 1 }), ['other']);
    });

    it('mark read takes ids or all, not both, not neither', async () => {
      const read = (body: unknown) =>
        t.http
          .post('/api/v1/me/notifications/read')
          .set(user.auth)
          .send(body as object);
      expectFieldErrors(await read({}), ['ids', 'all']);
      expectFieldErrors(await read({ ids: [] }), ['ids']);
      expectFieldErrors(await read({ ids: ['not-a-uuid'] }), ['ids']);
      expectFieldErrors(await read({ ids: 'x' }), ['ids']);
      expectFieldErrors(await read({ all: false }), ['all']);
      expectFieldErrors(await read({ all: 'true' }), ['all']);
      expectFieldErrors(await read({ ids: ['5b1f8e2e-0000-4000-8000-000000000000'], all: true }), [
        'ids',
      ]);
      expectFieldErrors(await read({ all: true, also: 1 }), ['also']);
      const tooMany = Array.from(
        { length: 101 },
        (_, i) => `5b1f8e2e-0000-4000-8000-${String(i).padStart(12, '0')}`,
      );
      expectFieldErrors(await read({ ids: tooMany }), ['ids']);
    });

    it('settings refuse unknown cadences, switches and shapes, and change nothing', async () => {
      const put = (body: unknown) =>
        t.http
          .put('/api/v1/me/notification-settings')
          .set(user.auth)
          .send(body as object);
      expectFieldErrors(await put({ email: 'hourly' }), ['email']);
      expectFieldErrors(await put({ types: { ladder: 'yes' } }), ['types.ladder']);
      expectFieldErrors(await put({ types: { sms: true } }), ['types.sms']);
      expectFieldErrors(await put({ types: [] }), ['types']);
      expectFieldErrors(await put({ followOnComment: 'no' }), ['followOnComment']);
      expectFieldErrors(await put({ language: 'fr' }), ['language']);
      expectFieldErrors(await put({ email: 'off', push: true }), ['push']);
      const now = await t.http.get('/api/v1/me/notification-settings').set(user.auth).expect(200);
      expect(now.body.email).toBe('daily');
      expect(now.body.language).toBe('ko');
    });

    it('follow names a bad id and refuses an unknown topic', async () => {
      expectFieldErrors(await t.http.put('/api/v1/topics/not-a-uuid/follow').set(user.auth), [
        'id',
      ]);
      expectProblem(
        await t.http
          .put('/api/v1/topics/5b1f8e2e-0000-4000-8000-000000000000/follow')
          .set(user.auth),
        404,
        'not_found',
      );
      expectProblem(
        await t.http
          .delete('/api/v1/topics/5b1f8e2e-0000-4000-8000-000000000000/follow')
          .set(user.auth),
        404,
        'not_found',
      );
      // Idempotent both ways.
      for (let i = 0; i < 2; i++)
        await t.http.put(`/api/v1/topics/${topicId}/follow`).set(user.auth).expect(200);
      expect(
        await db.query(`SELECT count(*)::int AS n FROM follows WHERE user_id = $1`, [user.id]),
      ).toEqual([{ n: 1 }]);
      for (let i = 0; i < 2; i++)
        await t.http.delete(`/api/v1/topics/${topicId}/follow`).set(user.auth).expect(200);
      expect(
        await db.query(`SELECT count(*)::int AS n FROM follows WHERE user_id = $1`, [user.id]),
      ).toEqual([{ n: 0 }]);
    });
  });
});
