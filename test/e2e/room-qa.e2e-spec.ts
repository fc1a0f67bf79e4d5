import { type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { registerUser, type TestUser } from '../factories/identity';
import {
  createRoomWorld,
  expectBansRefused,
  liveRoom,
  type RoomBody,
  roomWithStandings,
} from '../factories/rooms';
import { bulkUsers } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, nextEvent, record, request, sleep, ok } from '../utils/live-client';

interface Question {
  id: string;
  roomId: string;
  author: { id: string; displayName: string };
  body: string;
  status: string;
  highlighted: boolean;
  upvotes: number;
  commentId: string | null;
  answeredAt: string | null;
}

interface JoinData {
  seq: number;
  questions: Question[];
  missed: { event: string; payload: Record<string, unknown> & { seq: number } }[];
}

const FACILITATOR_EVENTS = [
  'question:highlight',
  'question:answered',
  'question:dismiss',
  'question:approve',
] as const;

describe('rooms: Q&A (question:ask, upvote, facilitator actions)', () => {
  let t: TestApp;
  let db: DataSource;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let citizen: TestUser;
  let neighbour: TestUser;
  let banned: TestUser;
  let muted: TestUser;
  let topicId: string;

  /** A socket of `user` (anonymous without one) that joined the room. */
  async function inRoom(roomId: string, user?: TestUser): Promise<Socket> {
    const socket = await connected(t.url, user ? { token: user.token } : {});
    await ok(socket, 'room:join', { roomId });
    return socket;
  }

  async function socketOf(user?: TestUser): Promise<Socket> {
    return connected(t.url, user ? { token: user.token } : {});
  }

  async function mute(roomId: string, user: TestUser): Promise<void> {
    await db.query(
      `INSERT INTO room_sanctions (room_id, user_id, muted_until, banned, reason, by_id)
       VALUES ($1, $2, now() + interval '1 hour', false, '도배', $3)`,
      [roomId, user.id, facilitator.id],
    );
  }

  async function questionRow(id: string): Promise<Record<string, unknown>> {
    const rows = await db.query(
      `SELECT status, highlighted, upvotes, answered_at FROM room_questions WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async function roomSeq(roomId: string): Promise<number> {
    const [{ seq }] = await db.query(`SELECT seq FROM rooms WHERE id = $1`, [roomId]);
    return seq;
  }

  async function auditCount(targetId: string): Promise<number> {
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1`,
      [targetId],
    );
    return n;
  }

  async function ask(socket: Socket, roomId: string, body: string): Promise<Question> {
    return (await ok<{ question: Question }>(socket, 'question:ask', { roomId, body })).question;
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    ({ facilitator, otherFacilitator, citizen, neighbour, banned, muted, topicId } =
      await createRoomWorld(t));
  });

  afterEach(() => closeAll());
  afterAll(() => t.close());

  it('question:ask stores a visible question and tells everyone in the room', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const viewer = await inRoom(room.id);
    const asker = await inRoom(room.id, citizen);
    const seen = nextEvent<{ seq: number; question: Question }>(viewer, 'question:new');

    const question = await ask(asker, room.id, '  텃밭 예산은\r\n얼마인가요?  ');
    expect(question).toMatchObject({
      roomId: room.id,
      author: { id: citizen.id, displayName: '시민' },
      body: '텃밭 예산은\n얼마인가요?',
      status: 'visible',
      highlighted: false,
      upvotes: 0,
      commentId: null,
      answeredAt: null,
    });
    expect(await seen).toEqual({ roomId: room.id, seq: room.seq + 1, question });

    const rows = await db.query(
      `SELECT room_id, author_id, body, status, upvotes FROM room_questions WHERE id = $1`,
      [question.id],
    );
    expect(rows).toEqual([
      {
        room_id: room.id,
        author_id: citizen.id,
        body: '텃밭 예산은\n얼마인가요?',
        status: 'visible',
        upvotes: 0,
      },
    ]);
    const events = await db.query(
      `SELECT seq, type, audience FROM room_events WHERE room_id = $1 AND type = 'question:new'`,
      [room.id],
    );
    expect(events).toEqual([{ seq: room.seq + 1, type: 'question:new', audience: 'all' }]);
    // Joining later lists it.
    const late = await socketOf();
    const join = await ok<JoinData>(late, 'room:join', { roomId: room.id });
    expect(join.questions.map((q) => q.id)).toEqual([question.id]);
  });

  it('question:ask is refused to anonymous, banned and muted people, in rooms not live or with Q&A closed', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    await mute(room.id, muted);
    const closed = await liveRoom(t, facilitator, topicId, { questions: false });
    const scheduled = (
      await t.http
        .post(`/api/v1/topics/${topicId}/rooms`)
        .set(facilitator.auth)
        .send({ title: '예정된 방' })
        .expect(201)
    ).body as RoomBody;

    const cases: [TestUser | undefined, string, string][] = [
      [undefined, room.id, 'unauthorized'],
      [banned, room.id, 'banned'],
      [muted, room.id, 'muted'],
      [citizen, scheduled.id, 'room_not_live'],
      [citizen, closed.id, 'questions_closed'],
      [citizen, '00000000-0000-4000-8000-000000000000', 'not_found'],
    ];
    for (const [user, roomId, code] of cases) {
      const socket = await socketOf(user);
      expect(await request(socket, 'question:ask', { roomId, body: '질문' })).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM room_questions WHERE room_id = ANY($1)`,
      [[room.id, closed.id, scheduled.id]],
    );
    expect(n).toBe(0);
    expect(await roomSeq(room.id)).toBe(room.seq);
  });

  it('question:ask refuses bans before mutes, from the room then the space; a mute that ran out no longer blocks', async () => {
    const { room, removed, pastMute } = await roomWithStandings(
      t,
      facilitator,
      topicId,
      banned,
      'qa-standing',
    );
    await expectBansRefused(
      async (user) =>
        request(await socketOf(user), 'question:ask', { roomId: room.id, body: '질문' }),
      removed,
      banned,
    );
    await ask(await socketOf(pastMute), room.id, '제재가 끝난 뒤의 질문');
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM room_questions WHERE room_id = $1`,
      [room.id],
    );
    expect(n).toBe(1);
  });

  it('refuses bad input on every Q&A event, naming the field, and writes nothing', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const socket = await socketOf(citizen);
    const mod = await socketOf(facilitator);
    const q = await ask(socket, room.id, '유효한 질문');
    const roomId = room.id;
    const cases: [Socket, string, unknown, string][] = [
      [socket, 'question:ask', { roomId }, 'body'],
      [socket, 'question:ask', { roomId, body: '' }, 'body'],
      [socket, 'question:ask', { roomId, body: '   ' }, 'body'],
      [socket, 'question:ask', { roomId, body: 'ㄱ'.repeat(501) }, 'body'],
      [socket, 'question:ask', { roomId, body: 42 }, 'body'],
      [socket, 'question:ask', { roomId, body: 'a\u0000b' }, 'body'],
      [socket, 'question:ask', { roomId, body: 'a\u202eb' }, 'body'],
      [socket, 'question:ask', { roomId: 'x', body: '질문' }, 'roomId'],
      [socket, 'question:ask', { roomId, body: '질문', status: 'answered' }, 'status'],
      [socket, 'question:ask', 'text', 'payload'],
      [socket, 'question:ask', [roomId], 'payload'],
      [socket, 'question:upvote', { roomId }, 'questionId'],
      [socket, 'question:upvote', { roomId, questionId: 'nope' }, 'questionId'],
      [socket, 'question:upvote', { roomId, questionId: q.id, weight: 5 }, 'weight'],
      [mod, 'question:highlight', { roomId, questionId: q.id, highlighted: 'yes' }, 'highlighted'],
      ...FACILITATOR_EVENTS.flatMap((event): [Socket, string, unknown, string][] => [
        [mod, event, { roomId }, 'questionId'],
        [mod, event, { roomId: 1, questionId: q.id }, 'roomId'],
        [mod, event, { roomId, questionId: q.id, extra: true }, 'extra'],
      ]),
    ];
    for (const [s, event, payload, field] of cases) {
      const ack = await request(s, event, payload);
      expect({ event, field, ack }).toMatchObject({
        event,
        field,
        ack: { ok: false, error: { code: 'validation_failed' } },
      });
      if (!ack.ok) expect(ack.error.message).toContain(field);
    }
    expect(
      await request(mod, 'question:answered', {
        roomId,
        questionId: '00000000-0000-4000-8000-000000000000',
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM room_questions WHERE room_id = $1`,
      [room.id],
    );
    expect(n).toBe(1);
    expect(await questionRow(q.id)).toMatchObject({
      status: 'visible',
      highlighted: false,
      upvotes: 0,
    });
    expect(await auditCount(q.id)).toBe(0);
  });

  it('question:upvote counts one vote per person, never the author, only on visible questions', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const asker = await socketOf(citizen);
    const voter = await socketOf(neighbour);
    const watcher = await inRoom(room.id);
    const q = await ask(asker, room.id, '주차장은 어디에 생기나요?');

    const broadcast = nextEvent<{ questionId: string; upvotes: number }>(
      watcher,
      'question:votes',
      (p) => p.questionId === q.id,
    );
    const first = await ok<{ question: Question }>(voter, 'question:upvote', {
      roomId: room.id,
      questionId: q.id,
    });
    expect(first.question).toMatchObject({ id: q.id, upvotes: 1, status: 'visible' });
    expect(await broadcast).toEqual({ roomId: room.id, questionId: q.id, upvotes: 1 });
    // Voting again changes nothing and still answers the question.
    const again = await ok<{ question: Question }>(voter, 'question:upvote', {
      roomId: room.id,
      questionId: q.id,
    });
    expect(again.question.upvotes).toBe(1);
    expect(
      await request(asker, 'question:upvote', { roomId: room.id, questionId: q.id }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(
      await request(await socketOf(), 'question:upvote', { roomId: room.id, questionId: q.id }),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(
      await request(await socketOf(banned), 'question:upvote', {
        roomId: room.id,
        questionId: q.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'banned' } });

    const mod = await socketOf(facilitator);
    await ok(mod, 'question:answered', { roomId: room.id, questionId: q.id });
    const third = await registerUser(t);
    expect(
      await request(await socketOf(third), 'question:upvote', {
        roomId: room.id,
        questionId: q.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const votes = await db.query(`SELECT user_id FROM room_question_votes WHERE question_id = $1`, [
      q.id,
    ]);
    expect(votes).toEqual([{ user_id: neighbour.id }]);
    expect(await questionRow(q.id)).toMatchObject({ upvotes: 1, status: 'answered' });
    // Votes are counts, not room events: the room's numbering moved only for ask and answer.
    const types = await db.query(`SELECT type FROM room_events WHERE room_id = $1 ORDER BY seq`, [
      room.id,
    ]);
    expect(types.map((r: { type: string }) => r.type)).toEqual([
      'room:state',
      'question:new',
      'question:update',
    ]);
  });

  it('question:upvote answers the question as stored; refuses rooms not live or unknown and people removed or banned', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const q = await ask(await socketOf(citizen), room.id, '공원은 언제 열리나요?');
    const [voter, removed] = await bulkUsers(t, 2, 'qa-upvote');
    await db.query(
      `INSERT INTO room_sanctions (room_id, user_id, banned, reason, by_id) VALUES ($1, $2, true, '도배', $3)`,
      [room.id, removed!.id, facilitator.id],
    );

    // The answer is the whole question as the vote left it, exactly as the room lists it.
    const voted = await ok<{ question: Question }>(await socketOf(voter), 'question:upvote', {
      roomId: room.id,
      questionId: q.id,
    });
    const join = await ok<JoinData>(await socketOf(neighbour), 'room:join', { roomId: room.id });
    expect(voted.question).toEqual(join.questions.find((x) => x.id === q.id));
    expect(voted.question).toMatchObject({
      author: { id: citizen.id, displayName: '시민' },
      body: '공원은 언제 열리나요?',
      status: 'visible',
      upvotes: 1,
    });

    const refusals: [TestUser, string, string][] = [
      [removed!, room.id, 'banned'],
      [banned, room.id, 'banned'],
      [neighbour, '00000000-0000-4000-8000-000000000000', 'not_found'],
    ];
    for (const [user, roomId, code] of refusals) {
      expect(
        await request(await socketOf(user), 'question:upvote', { roomId, questionId: q.id }),
      ).toMatchObject({ ok: false, error: { code } });
    }
    await t.http.post(`/api/v1/rooms/${room.id}/end`).set(facilitator.auth).expect(200);
    expect(
      await request(await socketOf(neighbour), 'question:upvote', {
        roomId: room.id,
        questionId: q.id,
      }),
    ).toMatchObject({ ok: false, error: { code: 'room_not_live' } });

    const votes = await db.query(`SELECT user_id FROM room_question_votes WHERE question_id = $1`, [
      q.id,
    ]);
    expect(votes).toEqual([{ user_id: voter!.id }]);
    expect(await questionRow(q.id)).toMatchObject({ upvotes: 1 });
  });

  it('upvotes stay exact under concurrency: 120 voters with repeats, and one voter 50 times at once', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const asker = await socketOf(citizen);
    const q = await ask(asker, room.id, '동시에 공감해도 정확한가요?');
    const voters = await bulkUsers(t, 120, 'qa-voter');
    const sockets = await Promise.all(voters.map((v) => socketOf(v)));
    const payload = { roomId: room.id, questionId: q.id };
    // Each voter sends 1–3 votes, all at once.
    const acks = await Promise.all(
      sockets.flatMap((s, i) =>
        Array.from({ length: (i % 3) + 1 }, () =>
          request<{ question: Question }>(s, 'question:upvote', payload),
        ),
      ),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const [{ votes }] = await db.query(
      `SELECT count(*)::int AS votes FROM room_question_votes WHERE question_id = $1`,
      [q.id],
    );
    expect(votes).toBe(120);
    expect(await questionRow(q.id)).toMatchObject({ upvotes: 120 });

    const q2 = await ask(asker, room.id, '한 사람이 50번 눌러도 한 표인가요?');
    const one = sockets[0]!;
    const burst = await Promise.all(
      Array.from({ length: 50 }, () =>
        request<{ question: Question }>(one, 'question:upvote', {
          roomId: room.id,
          questionId: q2.id,
        }),
      ),
    );
    expect(burst.every((a) => a.ok)).toBe(true);
    expect(await questionRow(q2.id)).toMatchObject({ upvotes: 1 });
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM room_question_votes WHERE question_id = $1`,
      [q2.id],
    );
    expect(n).toBe(1);
  });

  it('facilitators highlight, mark answered and dismiss; each is a question:update and an audit row', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const asker = await socketOf(citizen);
    const viewer = await inRoom(room.id);
    const log = record(viewer);
    const mod = await inRoom(room.id, facilitator);
    const a = await ask(asker, room.id, '첫 번째 질문');
    const b = await ask(asker, room.id, '두 번째 질문');
    const ref = (q: Question): { roomId: string; questionId: string } => ({
      roomId: room.id,
      questionId: q.id,
    });

    const highlighted = await ok<{ question: Question }>(mod, 'question:highlight', ref(a));
    expect(highlighted.question).toMatchObject({ status: 'visible', highlighted: true });
    // A retry changes nothing: no event, no audit row.
    const seqBefore = await roomSeq(room.id);
    await ok(mod, 'question:highlight', ref(a));
    expect(await roomSeq(room.id)).toBe(seqBefore);

    const answered = await ok<{ question: Question }>(mod, 'question:answered', ref(a));
    expect(answered.question).toMatchObject({ status: 'answered', highlighted: false });
    expect(answered.question.answeredAt).toEqual(expect.any(String));
    await ok(mod, 'question:highlight', ref(b));
    const unhighlighted = await ok<{ question: Question }>(mod, 'question:highlight', {
      ...ref(b),
      highlighted: false,
    });
    expect(unhighlighted.question.highlighted).toBe(false);
    const dismissed = await ok<{ question: Question }>(mod, 'question:dismiss', ref(b));
    expect(dismissed.question).toMatchObject({ status: 'dismissed', highlighted: false });

    // Illegal moves are conflicts and change nothing.
    for (const [event, q] of [
      ['question:dismiss', a],
      ['question:answered', b],
      ['question:highlight', b],
      ['question:approve', b],
    ] as const) {
      expect(await request(mod, event, ref(q))).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
    }

    expect(await questionRow(a.id)).toMatchObject({
      status: 'answered',
      highlighted: false,
      answered_at: expect.any(Date),
    });
    expect(await questionRow(b.id)).toMatchObject({ status: 'dismissed', highlighted: false });
    const audit = await db.query(
      `SELECT action, actor_id, target_type, target_id, before, after FROM audit_log
        WHERE target_id = ANY($1) ORDER BY id`,
      [[a.id, b.id]],
    );
    expect(
      audit.map((r: { action: string; target_id: string }) => [r.action, r.target_id]),
    ).toEqual([
      ['question.highlight', a.id],
      ['question.answer', a.id],
      ['question.highlight', b.id],
      ['question.unhighlight', b.id],
      ['question.dismiss', b.id],
    ]);
    expect(audit[1]).toMatchObject({
      actor_id: facilitator.id,
      target_type: 'question',
      before: { roomId: room.id, status: 'visible', highlighted: true },
      after: { roomId: room.id, status: 'answered', highlighted: false },
    });

    await sleep(200);
    const updates = log.filter((e) => e.event === 'question:update');
    expect(
      updates.map((e) => {
        const q = e.payload.question as Question;
        return [q.id, q.status, q.highlighted];
      }),
    ).toEqual([
      [a.id, 'visible', true],
      [a.id, 'answered', false],
      [b.id, 'visible', true],
      [b.id, 'visible', false],
      [b.id, 'dismissed', false],
    ]);
    const seqs = log.filter((e) => typeof e.payload.seq === 'number').map((e) => e.payload.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => Number(x) - Number(y)));
    // Joining now lists the answered question, not the dismissed one.
    const join = await ok<JoinData>(await socketOf(), 'room:join', { roomId: room.id });
    expect(join.questions.map((q) => [q.id, q.status])).toEqual([[a.id, 'answered']]);
  });

  it('with approval on, citizens never see a question before it is approved — live, on join or on replay', async () => {
    const room = await liveRoom(t, facilitator, topicId, { approveQuestions: true });
    const mod = await inRoom(room.id, facilitator);
    const citizenView = await inRoom(room.id, neighbour);
    const citizenLog = record(citizenView);
    const modLog = record(mod);
    const asker = await socketOf(citizen);

    const pending = await ask(asker, room.id, '승인이 필요한 질문');
    expect(pending.status).toBe('pending');
    const dropped = await ask(asker, room.id, '제외될 질문');
    await sleep(300);
    expect(modLog.filter((e) => e.event === 'question:new')).toHaveLength(2);
    expect(citizenLog.filter((e) => e.event.startsWith('question:'))).toEqual([]);

    // On join: facilitators see pending questions, citizens do not.
    const modJoin = await ok<JoinData>(await socketOf(facilitator), 'room:join', {
      roomId: room.id,
    });
    expect(modJoin.questions.map((q) => q.id).sort()).toEqual([pending.id, dropped.id].sort());
    const citizenJoin = await ok<JoinData>(await socketOf(citizen), 'room:join', {
      roomId: room.id,
      sinceSeq: room.seq,
    });
    expect(citizenJoin.questions).toEqual([]);
    // On replay: numbered placeholders only.
    expect(citizenJoin.missed).toEqual([
      { event: 'room:skip', payload: { roomId: room.id, seq: room.seq + 1 } },
      { event: 'room:skip', payload: { roomId: room.id, seq: room.seq + 2 } },
    ]);

    // Dismissing a pending question stays among facilitators.
    await ok(mod, 'question:dismiss', { roomId: room.id, questionId: dropped.id });
    const shown = nextEvent<{ question: Question }>(citizenView, 'question:new');
    const modUpdate = nextEvent<{ question: Question }>(
      mod,
      'question:update',
      (p) => p.question.id === pending.id,
    );
    const approved = await ok<{ question: Question }>(mod, 'question:approve', {
      roomId: room.id,
      questionId: pending.id,
    });
    expect(approved.question).toMatchObject({ id: pending.id, status: 'visible' });
    expect((await shown).question).toMatchObject({ id: pending.id, status: 'visible' });
    expect((await modUpdate).question).toMatchObject({ id: pending.id, status: 'visible' });
    await sleep(200);
    expect(citizenLog.filter((e) => e.event.startsWith('question:')).map((e) => e.event)).toEqual([
      'question:new',
    ]);

    const rejoin = await ok<JoinData>(await socketOf(citizen), 'room:join', {
      roomId: room.id,
      sinceSeq: room.seq,
    });
    expect(rejoin.questions.map((q) => q.id)).toEqual([pending.id]);
    expect(rejoin.missed.map((e) => e.event)).toEqual([
      'room:skip',
      'room:skip',
      'room:skip',
      'room:skip',
      'question:new',
    ]);
    expect(await questionRow(pending.id)).toMatchObject({ status: 'visible' });
    expect(await questionRow(dropped.id)).toMatchObject({ status: 'dismissed' });
    const audit = await db.query(
      `SELECT action FROM audit_log WHERE target_id = ANY($1) ORDER BY id`,
      [[pending.id, dropped.id]],
    );
    expect(audit.map((r: { action: string }) => r.action)).toEqual([
      'question.dismiss',
      'question.approve',
    ]);
    // Upvotes only once visible: a pending question takes none.
    const waiting = await ask(asker, room.id, '아직 승인 전');
    expect(
      await request(citizenView, 'question:upvote', { roomId: room.id, questionId: waiting.id }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it.each(FACILITATOR_EVENTS)(
    '%s is refused to anonymous viewers, citizens, other spaces’ facilitators, banned and muted users; nothing changes',
    async (event) => {
      const room = await liveRoom(t, facilitator, topicId, {
        approveQuestions: event === 'question:approve',
      });
      await mute(room.id, muted);
      const q = await ask(await socketOf(neighbour), room.id, '권한 확인용 질문');
      const before = await questionRow(q.id);
      const seq = await roomSeq(room.id);
      const cases: [TestUser | undefined, string][] = [
        [undefined, 'unauthorized'],
        [citizen, 'forbidden'],
        [neighbour, 'forbidden'],
        [otherFacilitator, 'forbidden'],
        [banned, 'forbidden'],
        [muted, 'forbidden'],
      ];
      for (const [user, code] of cases) {
        const socket = user ? await socketOf(user) : await inRoom(room.id);
        expect(await request(socket, event, { roomId: room.id, questionId: q.id })).toMatchObject({
          ok: false,
          error: { code },
        });
      }
      expect(await questionRow(q.id)).toEqual(before);
      expect(await roomSeq(room.id)).toBe(seq);
      expect(await auditCount(q.id)).toBe(0);
      // The same event from the room's facilitator goes through.
      expect(
        await request(await socketOf(facilitator), event, { roomId: room.id, questionId: q.id }),
      ).toMatchObject({ ok: true });
      expect(await auditCount(q.id)).toBe(1);
    },
  );
});
