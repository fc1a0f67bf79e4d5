import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { RoomAccess } from '../../src/rooms/room-access.service';
import { MAX_ROOM_REPLAY } from '../../src/rooms/room-join.service';
import { Room } from '../../src/rooms/room.entity';
import { createRoom, liveRoom } from '../factories/rooms';
import { createTopic } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, nextEvent, ok, record, request, sleep } from '../utils/live-client';
import { type Namespace } from 'socket.io';
import { LiveServer } from '../../src/core/realtime/live-server';
import { type LiveSocket } from '../../src/core/realtime/live-socket';
import { RoomJoinService } from '../../src/rooms/room-join.service';
import { expectFieldErrors, expectProblem } from '../utils/problem';

interface JoinData {
  room: { id: string; status: string };
  seq: number;
  presence: { count: number };
  recent: { body: string }[];
  lean?: true;
  questions: unknown[];
  queue: { speaker: unknown; waiting: unknown[] };
  missed: { event: string; payload: { seq: number } }[];
  reset: boolean;
  moderator: boolean;
}

describe('rooms: HTTP lifecycle, join, replay and presence', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let citizen: TestUser;
  let space: { id: string };
  let topicId: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    otherFacilitator = await registerUser(t, { displayName: '다른 진행자' });
    citizen = await registerUser(t, { displayName: '시민' });
    space = await createSpace(t, admin);
    const other = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, other.id, otherFacilitator);
    topicId = (await createTopic(t, citizen, space.id)).id;
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  it('a facilitator creates a room with default settings; it goes live and ends once each', async () => {
    const room = await createRoom(t, facilitator, topicId, { settings: { slowModeSeconds: 5 } });
    expect(room).toMatchObject({
      topicId,
      spaceId: space.id,
      status: 'scheduled',
      settings: {
        chat: true,
        slowModeSeconds: 5,
        questions: true,
        approveQuestions: false,
        speakerSeconds: 120,
      },
      locked: false,
      seq: 0,
    });
    expectProblem(
      await t.http.post(`/api/v1/rooms/${room.id}/end`).set(facilitator.auth),
      409,
      'illegal_transition',
    );
    const live = await t.http
      .post(`/api/v1/rooms/${room.id}/start`)
      .set(facilitator.auth)
      .expect(200);
    expect(live.body).toMatchObject({ status: 'live', seq: 1 });
    expectProblem(
      await t.http.post(`/api/v1/rooms/${room.id}/start`).set(facilitator.auth),
      409,
      'illegal_transition',
    );
    const listed = await t.http.get('/api/v1/rooms').query({ status: 'live', topicId }).expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(room.id);
    const ended = await t.http
      .post(`/api/v1/rooms/${room.id}/end`)
      .set(facilitator.auth)
      .expect(200);
    expect(ended.body).toMatchObject({ status: 'ended', seq: 2 });
    const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [
      room.id,
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'room.create',
      'room.start',
      'room.end',
    ]);
  });

  it("refuses citizens, anonymous callers and other spaces' facilitators, changing nothing", async () => {
    for (const [user, status] of [
      [citizen, 403],
      [otherFacilitator, 403],
      [undefined, 401],
    ] as const) {
      const res = await t.http
        .post(`/api/v1/topics/${topicId}/rooms`)
        .set(user ? user.auth : {})
        .send({ title: '몰래 만든 방' });
      expect(res.status).toBe(status);
    }
    const room = await createRoom(t, facilitator, topicId);
    for (const user of [citizen, otherFacilitator]) {
      expectProblem(
        await t.http.post(`/api/v1/rooms/${room.id}/start`).set(user.auth),
        403,
        'forbidden',
      );
    }
    expect((await t.http.get(`/api/v1/rooms/${room.id}`).expect(200)).body.status).toBe(
      'scheduled',
    );
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM rooms WHERE title = '몰래 만든 방'`,
    );
    expect(n).toBe(0);
  });

  it('validates room input', async () => {
    const url = `/api/v1/topics/${topicId}/rooms`;
    expectFieldErrors(await t.http.post(url).set(facilitator.auth).send({}), ['title']);
    expectFieldErrors(
      await t.http.post(url).set(facilitator.auth).send({ title: '방', extra: 1 }),
      ['extra'],
    );
    expectFieldErrors(
      await t.http.post(url).set(facilitator.auth).send({ title: '방', startsAt: 'soon' }),
      ['startsAt'],
    );
    expectFieldErrors(
      await t.http
        .post(url)
        .set(facilitator.auth)
        .send({ title: '방', settings: { slowModeSeconds: -1 } }),
      ['settings.slowModeSeconds'],
    );
    expectFieldErrors(
      await t.http
        .post(url)
        .set(facilitator.auth)
        .send({ title: '방', settings: { speakerSeconds: 5 } }),
      ['settings.speakerSeconds'],
    );
    expectFieldErrors(
      await t.http
        .post(url)
        .set(facilitator.auth)
        .send({ title: '방', settings: { chat: 'yes' } }),
      ['settings.chat'],
    );
    expectFieldErrors(
      await t.http
        .post(url)
        .set(facilitator.auth)
        .send({ title: '방', settings: { video: true } }),
      ['settings.video'],
    );
    expectFieldErrors(
      await t.http.post('/api/v1/topics/x/rooms').set(facilitator.auth).send({ title: '방' }),
      ['id'],
    );
    expectFieldErrors(await t.http.get('/api/v1/rooms').query({ status: 'open' }), ['status']);
    expectFieldErrors(await t.http.get('/api/v1/rooms/nope'), ['id']);
    expectProblem(
      await t.http.get('/api/v1/rooms/00000000-0000-4000-8000-000000000000'),
      404,
      'not_found',
    );
  });

  it('room:join answers the room, its state and presence; facilitators get the moderators channel', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const viewer = await connected(t.url);
    const joined = await request<JoinData>(viewer, 'room:join', { roomId: room.id });
    if (!joined.ok) throw new Error(joined.error.message);
    expect(joined.data).toMatchObject({
      room: { id: room.id, status: 'live' },
      seq: 1,
      presence: { count: 1 },
      recent: [],
      questions: [],
      queue: { speaker: null, waiting: [] },
      missed: [],
      reset: false,
      moderator: false,
    });
    const mod = await connected(t.url, { token: facilitator.token });
    const modJoin = await request<JoinData>(mod, 'room:join', { roomId: room.id });
    expect(modJoin.ok && modJoin.data.moderator).toBe(true);
    expect(modJoin.ok && modJoin.data.presence.count).toBe(2);

    // Presence is broadcast (throttled) to everyone, with names to facilitators only.
    const count = nextEvent<{ count: number }>(viewer, 'presence', (p) => p.count === 3);
    const detail = nextEvent<{ users: { displayName: string }[]; anonymous: number }>(
      mod,
      'presence:detail',
      (p) => p.users.length === 2,
    );
    const third = await connected(t.url, { token: citizen.token });
    await request(third, 'room:join', { roomId: room.id });
    expect(await count).toEqual({ roomId: room.id, count: 3 });
    expect((await detail).users.map((u) => u.displayName).sort()).toEqual(['시민', '진행자']);
    // Citizens never get the names (waiting past two presence intervals).
    const notForCitizens = await nextEvent(viewer, 'presence:detail', () => true, 4500).then(
      () => 'received',
      () => 'none',
    );
    expect(notForCitizens).toBe('none');
  });

  it('a join counts who is in the room now: one user in two tabs once, a socket that left not at all', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const presenceOf = async (socket: Awaited<ReturnType<typeof connected>>): Promise<number> => {
      const joined = await request<JoinData>(socket, 'room:join', { roomId: room.id });
      if (!joined.ok) throw new Error(joined.error.message);
      return joined.data.presence.count;
    };
    expect(await presenceOf(await connected(t.url))).toBe(1);
    expect(await presenceOf(await connected(t.url, { token: citizen.token }))).toBe(2);
    // The same user in a second tab is still one person.
    expect(await presenceOf(await connected(t.url, { token: citizen.token }))).toBe(2);
    const leaving = await connected(t.url);
    expect(await presenceOf(leaving)).toBe(3);
    leaving.disconnect();
    await sleep(100);
    expect(await presenceOf(await connected(t.url))).toBe(3);
  });

  it('replays missed room events in order; a banned user cannot join', async () => {
    const room = await createRoom(t, facilitator, topicId);
    const viewer = await connected(t.url, { token: citizen.token });
    const joined = await request<JoinData>(viewer, 'room:join', { roomId: room.id });
    if (!joined.ok) throw new Error('join failed');
    expect(joined.data.seq).toBe(0);
    const state = nextEvent<{ seq: number; status: string }>(viewer, 'room:state');
    await t.http.post(`/api/v1/rooms/${room.id}/start`).set(facilitator.auth).expect(200);
    expect(await state).toMatchObject({ roomId: room.id, seq: 1, status: 'live' });
    viewer.disconnect();
    await t.http.post(`/api/v1/rooms/${room.id}/end`).set(facilitator.auth).expect(200);

    const back = await connected(t.url, { token: citizen.token });
    const rejoined = await request<JoinData>(back, 'room:join', { roomId: room.id, sinceSeq: 1 });
    if (!rejoined.ok) throw new Error('rejoin failed');
    expect(rejoined.data.missed).toEqual([
      {
        event: 'room:ended',
        payload: expect.objectContaining({ roomId: room.id, seq: 2, status: 'ended' }),
      },
    ]);

    const banned = await registerUser(t);
    await t.http
      .put(`/api/v1/spaces/${space.id}/bans/${banned.id}`)
      .set(facilitator.auth)
      .send({ reason: '도배' })
      .expect(200);
    const socket = await connected(t.url, { token: banned.token });
    expect(await request(socket, 'room:join', { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: 'banned' },
    });
  });

  it('a room message hidden over HTTP is hidden in the room too, once, and restored the same way', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const writer = await connected(t.url, { token: citizen.token });
    await request(writer, 'room:join', { roomId: room.id });
    const sent = await request<{ comment: { id: string } }>(writer, 'chat:send', {
      roomId: room.id,
      body: '지울 메시지',
    });
    if (!sent.ok) throw new Error(sent.error.message);
    const commentId = sent.data.comment.id;
    const viewer = await connected(t.url);
    await request(viewer, 'room:join', { roomId: room.id });
    const events = record(viewer);
    await t.http
      .post(`/api/v1/comments/${commentId}/hide`)
      .set(facilitator.auth)
      .send({ reason: '개인정보 노출' })
      .expect(200);
    await t.http
      .post(`/api/v1/comments/${commentId}/restore`)
      .set(facilitator.auth)
      .send({ reason: '검토 완료' })
      .expect(200);
    await sleep(300);
    const roomEvents = events.filter(
      (e) => e.event === 'comment:hidden' || e.event === 'comment:restored',
    );
    expect(roomEvents.map((e) => [e.event, e.payload.roomId])).toEqual([
      ['comment:hidden', room.id],
      ['comment:restored', room.id],
    ]);
    expect(roomEvents[0]?.payload).toMatchObject({ commentId, hiddenReason: '개인정보 노출' });
    expect(roomEvents[1]?.payload).toMatchObject({
      comment: { id: commentId, body: '지울 메시지' },
    });
    const seqs = roomEvents.map((e) => e.payload.seq as number);
    expect(seqs[1]).toBe(seqs[0]! + 1);
  });

  it('a lean rejoin leaves the recent messages out and replays what was missed; a cut replay or a first join still gets them', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const writer = await connected(t.url, { token: citizen.token });
    await request(writer, 'room:join', { roomId: room.id });
    const send = async (body: string): Promise<void> => {
      const sent = await request(writer, 'chat:send', { roomId: room.id, body });
      if (!sent.ok) throw new Error(sent.error.message);
    };
    await send('첫 메시지');
    const viewer = await connected(t.url);
    const first = await request<JoinData>(viewer, 'room:join', { roomId: room.id, lean: true });
    if (!first.ok) throw new Error(first.error.message);
    // No sinceSeq: `lean` is ignored, the page needs the messages.
    expect(first.data.recent.map((c) => c.body)).toEqual(['첫 메시지']);
    expect(first.data).not.toHaveProperty('lean');
    const since = first.data.seq;
    await send('놓친 메시지');

    const lean = await request<JoinData>(viewer, 'room:join', {
      roomId: room.id,
      sinceSeq: since,
      lean: true,
    });
    if (!lean.ok) throw new Error(lean.error.message);
    expect(lean.data).toMatchObject({ recent: [], lean: true, reset: false, seq: since + 1 });
    expect(lean.data.missed).toEqual([
      {
        event: 'comment:new',
        payload: expect.objectContaining({
          seq: since + 1,
          comment: expect.objectContaining({ body: '놓친 메시지' }),
        }),
      },
    ]);
    // The same rejoin without `lean` is the full answer, as before.
    const full = await request<JoinData>(viewer, 'room:join', { roomId: room.id, sinceSeq: since });
    if (!full.ok) throw new Error(full.error.message);
    expect(full.data.recent.map((c) => c.body)).toEqual(['첫 메시지', '놓친 메시지']);
    expect(full.data).not.toHaveProperty('lean');
    expect(full.data.missed).toEqual(lean.data.missed);

    // Too much missed: the replay is cut, so even a lean rejoin gets the messages to rebuild from.
    await db.query(`UPDATE rooms SET seq = seq + $2 WHERE id = $1`, [room.id, MAX_ROOM_REPLAY + 1]);
    const [{ seq }] = await db.query<[{ seq: number }]>(`SELECT seq FROM rooms WHERE id = $1`, [
      room.id,
    ]);
    await db.query(
      `INSERT INTO room_events (room_id, seq, type, data)
       SELECT $1, g, 'room:state', '{}' FROM generate_series($2::int, $3::int) g`,
      [room.id, seq - MAX_ROOM_REPLAY, seq],
    );
    const cut = await request<JoinData>(viewer, 'room:join', {
      roomId: room.id,
      sinceSeq: since + 1,
      lean: true,
    });
    if (!cut.ok) throw new Error(cut.error.message);
    expect(cut.data).toMatchObject({ reset: true, missed: [] });
    expect(cut.data.recent.map((c) => c.body)).toEqual(['첫 메시지', '놓친 메시지']);
    expect(cut.data).not.toHaveProperty('lean');
  });

  it('room:join validates its payload', async () => {
    const socket = await connected(t.url);
    for (const [payload, code] of [
      [{}, 'validation_failed'],
      [{ roomId: 'x' }, 'validation_failed'],
      [{ roomId: '00000000-0000-4000-8000-000000000000', sinceSeq: 'a' }, 'validation_failed'],
      [{ roomId: '00000000-0000-4000-8000-000000000000', admin: true }, 'validation_failed'],
      [
        { roomId: '00000000-0000-4000-8000-000000000000', sinceSeq: 1, lean: 'yes' },
        'validation_failed',
      ],
      [{ roomId: '00000000-0000-4000-8000-000000000000' }, 'not_found'],
    ] as const) {
      expect(await request(socket, 'room:join', payload)).toMatchObject({
        ok: false,
        error: { code },
      });
    }
  });
  it('RoomAccess.load answers every column of the room entity, typed as the entity says', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const loaded = await t.app.get(RoomAccess).load(room.id);
    const columns = db.getMetadata(Room).columns.map((c) => c.propertyName);
    expect(Object.keys(loaded).sort()).toEqual([...columns].sort());
    expect(loaded).toMatchObject({ id: room.id, topicId, spaceId: space.id, status: 'live' });
    expect(loaded.startedAt).toBeInstanceOf(Date);
    expect(typeof loaded.settings).toBe('object');
  });

  describe('joins that arrive together', () => {
    /** A live room whose questions wait for approval: seq 1 start, 2 a message, 3 a pending question. */
    async function busyRoom(): Promise<{ roomId: string; removed: TestUser; late: TestUser }> {
      const room = await liveRoom(t, facilitator, topicId, { approveQuestions: true });
      const asker = await connected(t.url, { token: citizen.token });
      await ok(asker, 'room:join', { roomId: room.id });
      await ok(asker, 'chat:send', { roomId: room.id, body: '먼저 온 메시지' });
      await ok(asker, 'question:ask', { roomId: room.id, body: '승인을 기다리는 질문' });
      const removed = await registerUser(t);
      await db.query(
        `INSERT INTO room_sanctions (room_id, user_id, banned, reason, by_id) VALUES ($1, $2, true, '도배', $3)`,
        [room.id, removed.id, facilitator.id],
      );
      return { roomId: room.id, removed, late: await registerUser(t) };
    }

    const eventsOf = (join: JoinData): [string, number][] =>
      join.missed.map((m) => [m.event, m.payload.seq]);

    it('share one read per turn, and each socket still gets what its rights and sinceSeq give', async () => {
      const { roomId, removed, late } = await busyRoom();
      const clients = await Promise.all([
        connected(t.url, { token: facilitator.token }),
        connected(t.url, { token: citizen.token }),
        connected(t.url, { token: late.token }),
        connected(t.url),
        connected(t.url, { token: removed.token }),
      ]);
      // The server's own sockets, so that every join below starts in one turn of its loop.
      // (`nsp` is private to LiveServer: read here, never in the product.)
      const nsp = t.app.get<LiveServer, { nsp: Namespace }>(LiveServer).nsp;
      const sockets = clients.map((c) => nsp.sockets.get(c.id!) as LiveSocket);
      const access = t.app.get(RoomAccess);
      const loads = jest.spyOn(access, 'load');
      const rooms = t.app.get(RoomJoinService);
      const since = [1, 1, 2, undefined, 1];
      const results = await Promise.allSettled(
        sockets.map((socket, i) => rooms.join(socket, roomId, since[i])),
      );
      // One read of the room after the joins, for the four admitted (one per join before).
      expect(loads).toHaveBeenCalledTimes(1);
      loads.mockRestore();

      const [mod, first, second, anonymous, refused] = results;
      const value = (r: PromiseSettledResult<unknown> | undefined): JoinData => {
        if (r?.status !== 'fulfilled') throw new Error(`refused: ${JSON.stringify(r)}`);
        return r.value as JoinData;
      };
      for (const r of [mod, first, second, anonymous]) {
        expect(value(r)).toMatchObject({ seq: 3, room: { id: roomId }, reset: false });
        expect(value(r).recent).toHaveLength(1);
      }
      expect(value(mod).moderator).toBe(true);
      expect(value(mod).questions).toHaveLength(1);
      expect(eventsOf(value(mod))).toEqual([
        ['comment:new', 2],
        ['question:new', 3],
      ]);
      for (const citizenJoin of [first, second, anonymous]) {
        expect(value(citizenJoin).moderator).toBe(false);
        expect(value(citizenJoin).questions).toEqual([]);
      }
      expect(eventsOf(value(first))).toEqual([
        ['comment:new', 2],
        ['room:skip', 3],
      ]);
      expect(eventsOf(value(second))).toEqual([['room:skip', 3]]);
      expect(value(anonymous).missed).toEqual([]);
      expect(refused).toMatchObject({
        status: 'rejected',
        reason: { status: 403, code: 'banned' },
      });
      // Only the admitted sockets are in the room; the facilitator also in its channel.
      expect(sockets.map((s) => s.rooms.has(`room:${roomId}`))).toEqual([
        true,
        true,
        true,
        true,
        false,
      ]);
      expect(sockets.map((s) => s.rooms.has(`room:${roomId}:mod`))).toEqual([
        true,
        false,
        false,
        false,
        false,
      ]);
    });

    it('over real connections, all at once: the same answers', async () => {
      const { roomId, removed, late } = await busyRoom();
      const clients = await Promise.all([
        connected(t.url, { token: facilitator.token }),
        connected(t.url, { token: late.token }),
        connected(t.url),
        connected(t.url, { token: removed.token }),
      ]);
      const [mod, citizenJoin, anonymous, refused] = await Promise.all([
        request<JoinData>(clients[0], 'room:join', { roomId, sinceSeq: 1 }),
        request<JoinData>(clients[1], 'room:join', { roomId, sinceSeq: 1 }),
        request<JoinData>(clients[2], 'room:join', { roomId }),
        request<JoinData>(clients[3], 'room:join', { roomId, sinceSeq: 1 }),
      ]);
      expect(mod.ok && eventsOf(mod.data)).toEqual([
        ['comment:new', 2],
        ['question:new', 3],
      ]);
      expect(citizenJoin.ok && eventsOf(citizenJoin.data)).toEqual([
        ['comment:new', 2],
        ['room:skip', 3],
      ]);
      expect(anonymous.ok && anonymous.data).toMatchObject({ seq: 3, missed: [], questions: [] });
      expect(refused).toMatchObject({ ok: false, error: { code: 'banned' } });
    });
  });
});
