import { type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { RoomEndService } from '../../src/rooms/room-end.service';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createRoom, liveRoom } from '../factories/rooms';
import { bulkUsers, createTopic, openDeliberation } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, ok } from '../utils/live-client';
import { expectFieldErrors, expectProblem } from '../utils/problem';

interface Question {
  id: string;
  status: string;
  upvotes: number;
  commentId: string | null;
}

const PREFIX = '[타운홀 질문] ';

describe('rooms: end of room (questions carried to the topic) and minutes', () => {
  let t: TestApp;
  let db: DataSource;
  let ending: RoomEndService;
  let admin: TestUser;
  let facilitator: TestUser;
  let coFacilitator: TestUser;
  let citizen: TestUser;
  let neighbour: TestUser;
  let space: { id: string };

  const socketOf = (user?: TestUser): Promise<Socket> =>
    connected(t.url, user ? { token: user.token } : {});

  async function ask(user: TestUser, roomId: string, body: string): Promise<Question> {
    return (
      await ok<{ question: Question }>(await socketOf(user), 'question:ask', { roomId, body })
    ).question;
  }

  async function act(
    user: TestUser,
    event: string,
    roomId: string,
    questionId: string,
  ): Promise<void> {
    await ok(await socketOf(user), event, { roomId, questionId });
  }

  async function end(roomId: string, by: TestUser = facilitator): Promise<void> {
    await t.http.post(`/api/v1/rooms/${roomId}/end`).set(by.auth).expect(200);
    await ending.idle();
  }

  async function topicCounts(topicId: string): Promise<{ comment_count: number; seq: number }> {
    const rows = await db.query(`SELECT comment_count, seq FROM topics WHERE id = $1`, [topicId]);
    return rows[0];
  }

  async function links(ids: string[]): Promise<Map<string, string | null>> {
    const rows: { id: string; comment_id: string | null }[] = await db.query(
      `SELECT id, comment_id FROM room_questions WHERE id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.comment_id]));
  }

  /** Chat messages of the room written straight into the database, with their agree counts. */
  async function message(
    topicId: string,
    roomId: string,
    author: TestUser,
    body: string,
    agrees: number,
  ): Promise<string> {
    const rows = await db.query(
      `INSERT INTO comments (topic_id, author_id, body, room_id, agree_count)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [topicId, author.id, body, roomId, agrees],
    );
    await db.query(`UPDATE topics SET comment_count = comment_count + 1 WHERE id = $1`, [topicId]);
    return rows[0].id;
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    ending = t.app.get(RoomEndService);
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    coFacilitator = await registerUser(t, { displayName: '공동 진행자' });
    citizen = await registerUser(t, { displayName: '질문하는 시민' });
    neighbour = await registerUser(t, { displayName: '이웃 시민' });
    space = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, space.id, coFacilitator);
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  it('when a room ends its open questions become comments on the topic, once', async () => {
    const topicId = (await createTopic(t, citizen, space.id)).id;
    const room = await liveRoom(t, facilitator, topicId, { approveQuestions: true });
    const pending = await ask(citizen, room.id, '승인되지 않은 질문');
    const visible = await ask(neighbour, room.id, '보이는 질문\n두 줄');
    await act(facilitator, 'question:approve', room.id, visible.id);
    const answered = await ask(citizen, room.id, '답변된 질문');
    await act(facilitator, 'question:approve', room.id, answered.id);
    await act(facilitator, 'question:answered', room.id, answered.id);
    const dismissed = await ask(citizen, room.id, '제외된 질문');
    await act(facilitator, 'question:dismiss', room.id, dismissed.id);
    const outcast = await registerUser(t, { displayName: '곧 차단될 시민' });
    const fromBanned = await ask(outcast, room.id, '차단된 사람의 질문');
    await t.http
      .put(`/api/v1/spaces/${space.id}/bans/${outcast.id}`)
      .set(facilitator.auth)
      .send({ reason: '도배' })
      .expect(200);
    const before = await topicCounts(topicId);

    await end(room.id);

    const linked = await links([pending.id, visible.id, answered.id, dismissed.id, fromBanned.id]);
    expect(linked.get(answered.id)).toBeNull();
    expect(linked.get(dismissed.id)).toBeNull();
    expect(linked.get(fromBanned.id)).toBeNull();
    const comments = await db.query(
      `SELECT id, topic_id, author_id, body, room_id, parent_id, status FROM comments
        WHERE id = ANY($1) ORDER BY created_at`,
      [[linked.get(pending.id), linked.get(visible.id)]],
    );
    expect(comments).toEqual([
      {
        id: linked.get(pending.id),
        topic_id: topicId,
        author_id: citizen.id,
        body: `${PREFIX}승인되지 않은 질문`,
        room_id: room.id,
        parent_id: null,
        status: 'visible',
      },
      {
        id: linked.get(visible.id),
        topic_id: topicId,
        author_id: neighbour.id,
        body: `${PREFIX}보이는 질문\n두 줄`,
        room_id: room.id,
        parent_id: null,
        status: 'visible',
      },
    ]);
    const after = await topicCounts(topicId);
    expect(after).toEqual({ comment_count: before.comment_count + 2, seq: before.seq + 2 });
    const topicEvents = await db.query(
      `SELECT type, data->>'commentId' AS comment_id FROM topic_events WHERE topic_id = $1 AND seq > $2 ORDER BY seq`,
      [topicId, before.seq],
    );
    expect(topicEvents).toEqual([
      { type: 'comment_created', comment_id: linked.get(pending.id) },
      { type: 'comment_created', comment_id: linked.get(visible.id) },
    ]);
    const listed = await t.http.get(`/api/v1/topics/${topicId}/comments`).expect(200);
    expect(
      listed.body.items
        .filter((c: { roomId: string | null }) => c.roomId === room.id)
        .map((c: { body: string }) => c.body),
    ).toEqual([`${PREFIX}승인되지 않은 질문`, `${PREFIX}보이는 질문\n두 줄`]);

    // The handler running again (twice at once) changes nothing.
    const again = await Promise.all([ending.carryOver(room.id), ending.carryOver(room.id)]);
    expect(again.map((r) => r.carried)).toEqual([0, 0]);
    expect(await topicCounts(topicId)).toEqual(after);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM comments WHERE room_id = $1`, [
      room.id,
    ]);
    expect(n).toBe(2);
  });

  it('runs of the carry-over at the same time still make one comment per question', async () => {
    const topicId = (await createTopic(t, citizen, space.id)).id;
    const room = await liveRoom(t, facilitator, topicId);
    const askers = await bulkUsers(t, 6, 'carry');
    const questions = await Promise.all(askers.map((a, i) => ask(a, room.id, `질문 ${i}`)));
    const before = await topicCounts(topicId);
    // Ended behind the event's back, so only the runs below do the work.
    await db.query(`UPDATE rooms SET status = 'ended', ended_at = now() WHERE id = $1`, [room.id]);
    await Promise.all([
      ending.carryOver(room.id),
      ending.carryOver(room.id),
      ending.carryOver(room.id),
    ]);
    const linked = await links(questions.map((q) => q.id));
    const commentIds = [...linked.values()];
    expect(commentIds.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(commentIds).size).toBe(6);
    const rows = await db.query(
      `SELECT author_id, body FROM comments WHERE room_id = $1 ORDER BY body`,
      [room.id],
    );
    expect(rows).toEqual(askers.map((a, i) => ({ author_id: a.id, body: `${PREFIX}질문 ${i}` })));
    expect((await topicCounts(topicId)).comment_count).toBe(before.comment_count + 6);
  });

  it('carries questions over to a topic that is no longer open, with its counters', async () => {
    const topicId = (await createTopic(t, citizen, space.id)).id;
    await openDeliberation(t, facilitator, topicId);
    const room = await liveRoom(t, facilitator, topicId);
    const q = await ask(neighbour, room.id, '토론이 끝난 뒤에도 남나요?');
    await t.http
      .post(`/api/v1/topics/${topicId}/transitions`)
      .set(facilitator.auth)
      .send({ to: 'closed' })
      .expect(200);
    // The normal route refuses comments on a closed topic …
    expectProblem(
      await t.http
        .post(`/api/v1/topics/${topicId}/comments`)
        .set(neighbour.auth)
        .send({ body: '닫힌 의제' }),
      409,
      'topic_not_open',
    );
    const before = await topicCounts(topicId);
    await end(room.id);
    // … the room's question still reaches the topic.
    const commentId = (await links([q.id])).get(q.id);
    expect(commentId).toEqual(expect.any(String));
    const [comment] = await db.query(
      `SELECT topic_id, author_id, body, room_id, status FROM comments WHERE id = $1`,
      [commentId],
    );
    expect(comment).toEqual({
      topic_id: topicId,
      author_id: neighbour.id,
      body: `${PREFIX}토론이 끝난 뒤에도 남나요?`,
      room_id: room.id,
      status: 'visible',
    });
    expect(await topicCounts(topicId)).toEqual({
      comment_count: before.comment_count + 1,
      seq: before.seq + 1,
    });
    const [event] = await db.query(
      `SELECT type, actor_id, data FROM topic_events WHERE topic_id = $1 AND seq = $2`,
      [topicId, before.seq + 1],
    );
    expect(event).toEqual({
      type: 'comment_created',
      actor_id: neighbour.id,
      data: { commentId, parentId: null },
    });
    await ending.carryOver(room.id);
    expect((await topicCounts(topicId)).comment_count).toBe(before.comment_count + 1);
  });

  it('minutes exist only once the room has ended, in json or md, and validate their input', async () => {
    const topicId = (await createTopic(t, citizen, space.id)).id;
    const scheduled = await createRoom(t, facilitator, topicId);
    const live = await liveRoom(t, facilitator, topicId);
    for (const room of [scheduled, live]) {
      expectProblem(await t.http.get(`/api/v1/rooms/${room.id}/minutes`), 409, 'room_not_ended');
    }
    await end(live.id);
    const url = `/api/v1/rooms/${live.id}/minutes`;
    expectFieldErrors(await t.http.get(url).query({ format: 'pdf' }), ['format']);
    expectFieldErrors(await t.http.get(url).query({ format: ['json', 'md'] }), ['format']);
    expectFieldErrors(await t.http.get(url).query({ lang: 'ko' }), ['lang']);
    expectFieldErrors(await t.http.get('/api/v1/rooms/room-1/minutes'), ['id']);
    expectProblem(
      await t.http.get('/api/v1/rooms/00000000-0000-4000-8000-000000000000/minutes'),
      404,
      'not_found',
    );
    // Anyone may read them, as JSON by default.
    const json = await t.http.get(url).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect((await t.http.get(url).query({ format: 'json' }).expect(200)).body).toEqual(json.body);
    const md = await t.http.get(url).query({ format: 'md' }).expect(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
  });

  it('minutes (JSON) report facilitators, attendance, messages, questions, top messages, moderation and reactions', async () => {
    const topicId = (await createTopic(t, citizen, space.id)).id;
    const room = await liveRoom(t, facilitator, topicId);
    const [v1, v2, v3] = await bulkUsers(t, 3, 'minutes');
    const top = await ask(citizen, room.id, '가장 많이 추천된 질문');
    const second = await ask(neighbour, room.id, '두 번째 질문');
    const answered = await ask(citizen, room.id, '답변된 질문');
    const dismissed = await ask(neighbour, room.id, '제외된 질문');
    for (const v of [v1!, v2!]) {
      await ok(await socketOf(v), 'question:upvote', { roomId: room.id, questionId: top.id });
    }
    await ok(await socketOf(v3), 'question:upvote', { roomId: room.id, questionId: second.id });
    await act(coFacilitator, 'question:answered', room.id, answered.id);
    await act(coFacilitator, 'question:dismiss', room.id, dismissed.id);

    const agrees = [5, 9, 1, 0, 3, 7, 2];
    const ids: string[] = [];
    for (const [i, n] of agrees.entries()) {
      ids.push(await message(topicId, room.id, i % 2 ? citizen : neighbour, `메시지 ${i}`, n));
    }
    const hidden = await message(topicId, room.id, citizen, '광고 메시지', 100);
    await t.http
      .post(`/api/v1/comments/${hidden}/hide`)
      .set(facilitator.auth)
      .send({ reason: '광고' })
      .expect(200);
    // A facilitator action known only from the room's events (the facilitators' mod:action).
    const third = await registerUser(t, { displayName: '세 번째 진행자' });
    await db.query(
      `WITH s AS (UPDATE rooms SET seq = seq + 1 WHERE id = $1 RETURNING seq)
       INSERT INTO room_events (room_id, seq, type, audience, data)
       SELECT $1, s.seq, 'mod:action', 'mod', $2::jsonb FROM s`,
      [
        room.id,
        JSON.stringify({
          action: 'announce',
          actor: { id: third.id, displayName: '세 번째 진행자' },
          target: { type: 'room', id: room.id },
          reason: null,
        }),
      ],
    );
    await db.query(
      `UPDATE rooms SET peak_presence = 7, reaction_totals = $2::jsonb WHERE id = $1`,
      [room.id, JSON.stringify({ '👏': 12, '❤️': 3 })],
    );
    await end(room.id);
    await db.query(`UPDATE rooms SET started_at = ended_at - interval '90 minutes' WHERE id = $1`, [
      room.id,
    ]);
    const [times] = await db.query(`SELECT started_at, ended_at FROM rooms WHERE id = $1`, [
      room.id,
    ]);
    const carried = await links([top.id, second.id]);

    const { body } = await t.http.get(`/api/v1/rooms/${room.id}/minutes`).expect(200);
    expect(Object.keys(body).sort()).toEqual(
      [
        'room',
        'facilitators',
        'attendance',
        'messages',
        'questions',
        'unansweredQuestions',
        'topAgreed',
        'moderation',
        'reactions',
      ].sort(),
    );
    expect(body.room).toEqual({
      id: room.id,
      title: '시민참여예산 타운홀',
      topicId,
      startedAt: times.started_at.toISOString(),
      endedAt: times.ended_at.toISOString(),
      durationMinutes: 90,
    });
    expect(body.facilitators).toEqual([
      { id: facilitator.id, displayName: '진행자' },
      { id: coFacilitator.id, displayName: '공동 진행자' },
      { id: third.id, displayName: '세 번째 진행자' },
    ]);
    // No minute was sampled in this short room (the sampler runs once a minute).
    expect(body.attendance).toEqual({ peak: 7, timeline: [] });
    // 8 messages (hidden included); the questions carried over are not messages.
    expect(body.messages).toEqual({ count: 8 });
    expect(body.questions).toEqual({ count: 4, answered: 1, unanswered: 2, dismissed: 1 });
    expect(body.unansweredQuestions).toEqual([
      expect.objectContaining({
        id: top.id,
        author: { id: citizen.id, displayName: '질문하는 시민' },
        body: '가장 많이 추천된 질문',
        status: 'visible',
        upvotes: 2,
        commentId: carried.get(top.id),
      }),
      expect.objectContaining({
        id: second.id,
        author: { id: neighbour.id, displayName: '이웃 시민' },
        upvotes: 1,
        commentId: carried.get(second.id),
      }),
    ]);
    expect(body.topAgreed).toEqual(
      [1, 5, 0, 4, 6].map((i) => ({
        id: ids[i],
        author:
          i % 2
            ? { id: citizen.id, displayName: '질문하는 시민' }
            : { id: neighbour.id, displayName: '이웃 시민' },
        body: `메시지 ${i}`,
        agreeCount: agrees[i],
        createdAt: expect.any(String),
      })),
    );
    const person = (u: TestUser): { id: string; displayName: string } => ({
      id: u.id,
      displayName: u.displayName,
    });
    expect(body.moderation).toEqual([
      {
        action: 'room.create',
        actor: person(facilitator),
        target: { type: 'room', id: room.id },
        reason: null,
        at: expect.any(String),
      },
      {
        action: 'room.start',
        actor: person(facilitator),
        target: { type: 'room', id: room.id },
        reason: null,
        at: expect.any(String),
      },
      {
        action: 'question.answer',
        actor: person(coFacilitator),
        // The target as people know it: the question's author.
        target: { type: 'question', id: answered.id, displayName: '질문하는 시민' },
        reason: null,
        at: expect.any(String),
      },
      {
        action: 'question.dismiss',
        actor: person(coFacilitator),
        target: { type: 'question', id: dismissed.id, displayName: '이웃 시민' },
        reason: null,
        at: expect.any(String),
      },
      {
        action: 'comment.hide',
        actor: person(facilitator),
        target: { type: 'comment', id: hidden, displayName: '질문하는 시민' },
        reason: '광고',
        at: expect.any(String),
      },
      {
        action: 'room.end',
        actor: person(facilitator),
        target: { type: 'room', id: room.id },
        reason: null,
        at: expect.any(String),
      },
    ]);
    const times2 = body.moderation.map((m: { at: string }) => Date.parse(m.at));
    expect(times2).toEqual([...times2].sort((a, b) => a - b));
    expect(body.reactions).toEqual({ '👏': 12, '❤️': 3 });
  });

  it('minutes (Markdown) are in Korean and render user text inert', async () => {
    const topicId = (await createTopic(t, citizen, space.id)).id;
    const room = await createRoom(t, facilitator, topicId, {
      title: '시민 타운홀 <b>굵게</b> # 제목',
    });
    await t.http.post(`/api/v1/rooms/${room.id}/start`).set(facilitator.auth).expect(200);
    const attacker = await registerUser(t, {
      displayName: '<img src=x onerror=alert(1)>**[x](y)`',
    });
    const payload =
      '# 제목\n<script>alert("xss")</script> **굵게** _기울임_ `코드` [링크](javascript:alert(1)) & ---\n- 목록\n> 인용';
    await ask(attacker, room.id, payload);
    await end(room.id);

    const res = await t.http.get(`/api/v1/rooms/${room.id}/minutes`).query({ format: 'md' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    const md = res.text;
    // No tag of the user's survives; their text is there, escaped.
    expect(md).not.toMatch(/<(script|img|b)\b/i);
    expect(md).toContain(
      '\\# 제목 &lt;script&gt;alert("xss")&lt;/script&gt; \\*\\*굵게\\*\\* \\_기울임\\_ \\`코드\\` \\[링크\\](javascript:alert(1)) &amp; --- - 목록 &gt; 인용',
    );
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;\\*\\*\\[x\\](y)\\`');
    // The only headings are the document's own, in Korean.
    const headings = md.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual([
      '# 회의록: 시민 타운홀 &lt;b&gt;굵게&lt;/b&gt; # 제목',
      '## 진행자',
      '## 참석 최대 인원',
      '## 메시지',
      '## 질문',
      '## 답변되지 않은 질문',
      '## 공감 많은 메시지',
      '## 운영 조치',
      '## 반응',
    ]);
    // Every other line is a list item or a short value the server wrote.
    for (const line of md.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(line).toMatch(/^(- |없음$|\d+명$|\d+개$)/);
    }
    expect(md).toContain('## 진행자\n\n- 진행자\n');
    expect(md).toContain(
      '## 질문\n\n- 전체: 1개\n- 답변됨: 0개\n- 답변되지 않음: 1개\n- 제외됨: 0개\n',
    );
    expect(md).toContain('## 반응\n\n없음\n');
  });
});
