import { type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { type DomainEventMap } from '../../src/core/events/domain-events';
import { EventBus } from '../../src/core/events/event-bus';
import { REPORTS_PENDING } from '../../src/protocol/hidden-reason';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { liveRoom, type RoomBody } from '../factories/rooms';
import { bulkUsers, createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import {
  closeAll,
  connected,
  nextEvent,
  record,
  request,
  sleep,
  data,
  expectRefused,
} from '../utils/live-client';

interface CommentData {
  id: string;
  body: string | null;
  status: string;
  hiddenReason?: string;
}

interface JoinData {
  seq: number;
  missed: { event: string; payload: Record<string, unknown> & { seq: number } }[];
}

type Seen = { event: string; payload: Record<string, unknown> }[];

const NO_USER = '00000000-0000-4000-8000-000000000000';

const modEvents = (seen: Seen): string[] =>
  seen
    .filter((e) => e.event.startsWith('mod:') || e.event === 'presence:detail')
    .map((e) => e.event);

describe('rooms: facilitator actions and the moderators channel', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let coFacilitator: TestUser;
  let otherFacilitator: TestUser;
  let citizen: TestUser;
  let space: { id: string };
  let topicId: string;
  const sanctions: DomainEventMap['room.sanction'][] = [];

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    t.app.get(EventBus).subscribe('room.sanction', (e) => void sanctions.push(e));
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    coFacilitator = await registerUser(t, { displayName: '공동 진행자' });
    otherFacilitator = await registerUser(t, { displayName: '다른 공간 진행자' });
    citizen = await registerUser(t, { displayName: '시민' });
    space = await createSpace(t, admin, { reportsToHide: 2 });
    const other = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    await makeFacilitator(t, admin, space.id, coFacilitator);
    await makeFacilitator(t, admin, other.id, otherFacilitator);
    topicId = (await createTopic(t, citizen, space.id)).id;
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  /** A socket (signed in as `user`, or anonymous) that has joined the room. */
  const joined = async (room: RoomBody, user?: TestUser): Promise<Socket> => {
    const socket = await connected(t.url, user ? { token: user.token } : {});
    data(await request(socket, 'room:join', { roomId: room.id }));
    return socket;
  };

  const say = async (room: RoomBody, user: TestUser, body: string): Promise<CommentData> => {
    const socket = await connected(t.url, { token: user.token });
    const sent = data(
      await request<{ comment: CommentData }>(socket, 'chat:send', { roomId: room.id, body }),
    );
    socket.disconnect();
    return sent.comment;
  };

  const roomEvents = async (
    roomId: string,
    afterSeq = 0,
  ): Promise<{ type: string; audience: string }[]> =>
    db.query(
      `SELECT type, audience FROM room_events WHERE room_id = $1 AND seq > $2 ORDER BY seq`,
      [roomId, afterSeq],
    );

  const auditOf = async (targetId: string): Promise<Record<string, unknown>[]> =>
    db.query(
      `SELECT action, actor_id, target_type, reason, before, after FROM audit_log
        WHERE target_id = $1 ORDER BY id`,
      [targetId],
    );

  /** Everything a facilitator event could change in a room. */
  const snapshot = async (roomId: string): Promise<unknown> =>
    (
      await db.query(
        `SELECT r.settings, r.locked, r.pinned_comment_id, r.seq,
                (SELECT count(*)::int FROM room_events WHERE room_id = r.id) AS events,
                (SELECT coalesce(json_agg(json_build_object('id', c.id, 'status', c.status, 'reason', c.hidden_reason)
                          ORDER BY c.id), '[]') FROM comments c WHERE c.topic_id = r.topic_id) AS comments,
                (SELECT coalesce(json_agg(s.* ORDER BY s.user_id), '[]') FROM room_sanctions s WHERE s.room_id = r.id) AS sanctions,
                (SELECT count(*)::int FROM audit_log WHERE space_id = r.space_id) AS audit
           FROM rooms r WHERE r.id = $1`,
        [roomId],
      )
    )[0];

  it('mod:hide and mod:restore: the room sees the change, every facilitator sees the action, citizens never see mod:*', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await joined(room, facilitator);
    const co = await joined(room, coFacilitator);
    const viewer = await joined(room, citizen);
    const anonymous = await joined(room);
    const citizenSeen = record(viewer);
    const anonymousSeen = record(anonymous);
    const coSeen = record(co);
    const [writer] = await bulkUsers(t, 1, 'hide');
    const message = await say(room, writer!, '문제가 될 수 있는 글');
    const startSeq = (await db.query(`SELECT seq FROM rooms WHERE id = $1`, [room.id]))[0].seq;

    const hiddenPush = nextEvent(viewer, 'comment:hidden');
    const hideAction = nextEvent(co, 'mod:action', (p: { action: string }) => p.action === 'hide');
    const hidden = data(
      await request<{ comment: CommentData }>(mod, 'mod:hide', {
        roomId: room.id,
        commentId: message.id,
        reason: '욕설',
      }),
    );
    expect(hidden.comment).toMatchObject({
      id: message.id,
      status: 'hidden',
      body: '문제가 될 수 있는 글',
      hiddenReason: '욕설',
    });
    expect(await hiddenPush).toEqual({
      roomId: room.id,
      seq: startSeq + 1,
      commentId: message.id,
      hiddenReason: '욕설',
    });
    expect(await hideAction).toEqual({
      roomId: room.id,
      seq: startSeq + 2,
      action: 'hide',
      actor: { id: facilitator.id, displayName: '진행자' },
      target: { type: 'comment', id: message.id },
      reason: '욕설',
    });
    const row = await db.query(`SELECT status, hidden_reason FROM comments WHERE id = $1`, [
      message.id,
    ]);
    expect(row[0]).toEqual({ status: 'hidden', hidden_reason: '욕설' });
    // Already hidden: refused, and nothing is written.
    const before = await snapshot(room.id);
    expectRefused(
      await request(mod, 'mod:hide', { roomId: room.id, commentId: message.id, reason: '다시' }),
      'conflict',
    );
    expect(await snapshot(room.id)).toEqual(before);

    const restoredPush = nextEvent<{ comment: CommentData }>(viewer, 'comment:restored');
    const restoreAction = nextEvent(
      co,
      'mod:action',
      (p: { action: string }) => p.action === 'restore',
    );
    const restored = data(
      await request<{ comment: CommentData }>(co, 'mod:restore', {
        roomId: room.id,
        commentId: message.id,
        reason: '검토 후 복원',
      }),
    );
    expect(restored.comment).toMatchObject({ id: message.id, status: 'visible' });
    expect((await restoredPush).comment).toMatchObject({
      id: message.id,
      status: 'visible',
      body: '문제가 될 수 있는 글',
    });
    expect(await restoreAction).toMatchObject({
      action: 'restore',
      actor: { id: coFacilitator.id, displayName: '공동 진행자' },
      reason: '검토 후 복원',
    });

    expect(await roomEvents(room.id, startSeq)).toEqual([
      { type: 'comment:hidden', audience: 'all' },
      { type: 'mod:action', audience: 'mod' },
      { type: 'comment:restored', audience: 'all' },
      { type: 'mod:action', audience: 'mod' },
    ]);
    expect(await auditOf(message.id)).toEqual([
      expect.objectContaining({
        action: 'comment.hide',
        actor_id: facilitator.id,
        target_type: 'comment',
        reason: '욕설',
        before: { status: 'visible', hiddenReason: null },
        after: { status: 'hidden', hiddenReason: '욕설', roomId: room.id },
      }),
      expect.objectContaining({
        action: 'comment.restore',
        actor_id: coFacilitator.id,
        reason: '검토 후 복원',
        after: expect.objectContaining({ status: 'visible', roomId: room.id }),
      }),
    ]);
    await sleep(300);
    expect(modEvents(coSeen)).toContain('mod:action');
    expect(modEvents(citizenSeen)).toEqual([]);
    expect(modEvents(anonymousSeen)).toEqual([]);
    expect(citizenSeen.map((e) => e.event)).toEqual(
      expect.arrayContaining(['comment:new', 'comment:hidden', 'comment:restored']),
    );
  });

  it('replays a hidden message without its text to citizens, and mod:* only to facilitators', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await connected(t.url, { token: facilitator.token });
    const [writer] = await bulkUsers(t, 1, 'replay');
    const message = await say(room, writer!, '숨겨질 메시지');
    await say(room, citizen, '남아 있는 메시지');
    data(
      await request(mod, 'mod:hide', { roomId: room.id, commentId: message.id, reason: '광고' }),
    );

    const viewer = await connected(t.url, { token: citizen.token });
    const replay = data(
      await request<JoinData>(viewer, 'room:join', { roomId: room.id, sinceSeq: room.seq }),
    );
    expect(replay.missed.map((e) => e.event)).toEqual([
      'comment:new',
      'comment:new',
      'comment:hidden',
      'room:skip',
    ]);
    expect(replay.missed.map((e) => e.payload.seq)).toEqual(
      [2, 3, 4, 5].map((n) => room.seq + n - 1),
    );
    expect(replay.missed[0]!.payload.comment).toMatchObject({
      id: message.id,
      status: 'hidden',
      body: null,
      hiddenReason: '광고',
    });
    expect(replay.missed[1]!.payload.comment).toMatchObject({ body: '남아 있는 메시지' });
    expect(JSON.stringify(replay)).not.toContain('숨겨질 메시지');
    expect(replay.missed[3]!.payload).toEqual({ roomId: room.id, seq: room.seq + 4 });
    const anonymous = await connected(t.url);
    const anonymousReplay = data(
      await request<JoinData>(anonymous, 'room:join', { roomId: room.id, sinceSeq: room.seq }),
    );
    expect(JSON.stringify(anonymousReplay)).not.toContain('숨겨질 메시지');

    const coSocket = await connected(t.url, { token: coFacilitator.token });
    const modReplay = data(
      await request<JoinData>(coSocket, 'room:join', { roomId: room.id, sinceSeq: room.seq }),
    );
    expect(modReplay.missed.map((e) => e.event)).toEqual([
      'comment:new',
      'comment:new',
      'comment:hidden',
      'mod:action',
    ]);
    expect(modReplay.missed[0]!.payload.comment).toMatchObject({ body: '숨겨질 메시지' });
  });

  it('mod:pin, mod:announce, mod:slowmode and mod:lock change the room for everyone, with audit rows', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await joined(room, facilitator);
    const co = await joined(room, coFacilitator);
    const viewer = await joined(room, citizen);
    const citizenSeen = record(viewer);
    const coSeen = record(co);
    const [writer] = await bulkUsers(t, 1, 'state');
    const message = await say(room, writer!, '꼭 봐야 할 의견');

    const pinned = nextEvent<{ comment: CommentData }>(viewer, 'comment:pinned');
    data(await request(mod, 'mod:pin', { roomId: room.id, commentId: message.id }));
    expect((await pinned).comment).toMatchObject({ id: message.id, body: '꼭 봐야 할 의견' });
    const announced = nextEvent(viewer, 'room:announce');
    const announce = data(
      await request(mod, 'mod:announce', { roomId: room.id, body: '10분 후 휴식합니다.' }),
    );
    expect(announce).toEqual({
      body: '10분 후 휴식합니다.',
      by: { id: facilitator.id, displayName: '진행자' },
    });
    expect(await announced).toMatchObject({
      roomId: room.id,
      body: '10분 후 휴식합니다.',
      by: { id: facilitator.id, displayName: '진행자' },
    });

    const slow = nextEvent<{ settings: { slowModeSeconds: number }; locked: boolean }>(
      viewer,
      'room:state',
    );
    expect(data(await request(mod, 'mod:slowmode', { roomId: room.id, seconds: 60 }))).toEqual({
      settings: expect.objectContaining({ slowModeSeconds: 60, chat: true }),
      locked: false,
    });
    expect(await slow).toMatchObject({
      roomId: room.id,
      settings: { slowModeSeconds: 60 },
      locked: false,
    });
    const locked = nextEvent<{ locked: boolean }>(viewer, 'room:state');
    data(await request(co, 'mod:lock', { roomId: room.id, locked: true }));
    expect(await locked).toMatchObject({ locked: true, settings: { slowModeSeconds: 60 } });

    const row = await db.query(
      `SELECT pinned_comment_id, locked, settings FROM rooms WHERE id = $1`,
      [room.id],
    );
    expect(row[0]).toMatchObject({
      pinned_comment_id: message.id,
      locked: true,
      settings: { slowModeSeconds: 60, chat: true },
    });
    const audit = await auditOf(room.id);
    expect(audit.map((a) => a.action)).toEqual([
      'room.create',
      'room.start',
      'room.pin',
      'room.announce',
      'room.slowmode',
      'room.lock',
    ]);
    expect(audit[2]).toMatchObject({
      before: { pinnedCommentId: null },
      after: { pinnedCommentId: message.id },
    });
    expect(audit[5]).toMatchObject({
      actor_id: coFacilitator.id,
      before: { locked: false },
      after: { locked: true },
    });

    // The lock holds: citizens are refused, facilitators are not.
    const [speaker] = await bulkUsers(t, 1, 'locked');
    const speakerSocket = await connected(t.url, { token: speaker!.token });
    expectRefused(
      await request(speakerSocket, 'chat:send', { roomId: room.id, body: '잠겼나요?' }),
      'chat_locked',
    );
    data(await request(mod, 'chat:send', { roomId: room.id, body: '진행자 공지' }));
    data(await request(mod, 'mod:lock', { roomId: room.id, locked: false }));
    data(await request(speakerSocket, 'chat:send', { roomId: room.id, body: '첫 발언' }));
    expectRefused(
      await request(speakerSocket, 'chat:send', { roomId: room.id, body: '두 번째 발언' }),
      'slow_mode',
    );

    // A hidden message cannot be pinned.
    data(
      await request(mod, 'mod:hide', { roomId: room.id, commentId: message.id, reason: '중복' }),
    );
    expectRefused(
      await request(mod, 'mod:pin', { roomId: room.id, commentId: message.id }),
      'conflict',
    );

    await sleep(300);
    expect(coSeen.filter((e) => e.event === 'mod:action').map((e) => e.payload.action)).toEqual([
      'pin',
      'announce',
      'slowmode',
      'lock',
      'lock',
      'hide',
    ]);
    expect(modEvents(citizenSeen)).toEqual([]);
  });

  it('mod:mute: only that user is told; their chat is refused everywhere and after reconnecting', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await joined(room, facilitator);
    const co = await joined(room, coFacilitator);
    const [target, bystander] = await bulkUsers(t, 2, 'mute');
    const inRoom = await joined(room, target);
    const elsewhere = await connected(t.url, { token: target!.token });
    const other = await joined(room, bystander);
    const otherSeen = record(other);
    data(await request(inRoom, 'chat:send', { roomId: room.id, body: '음소거 전' }));

    const toldInRoom = nextEvent<{ roomId: string; until: string; reason: string }>(
      inRoom,
      'you:muted',
    );
    const toldElsewhere = nextEvent(elsewhere, 'you:muted');
    const action = nextEvent(co, 'mod:action', (p: { action: string }) => p.action === 'mute');
    const started = Date.now();
    const muted = data(
      await request<{ userId: string; mutedUntil: string }>(mod, 'mod:mute', {
        roomId: room.id,
        userId: target!.id,
        reason: '반복 도배',
      }),
    );
    // Default: 10 minutes.
    const until = Date.parse(muted.mutedUntil);
    expect(until - started).toBeGreaterThan(9.9 * 60_000);
    expect(until - started).toBeLessThan(10.1 * 60_000);
    expect(await toldInRoom).toEqual({
      roomId: room.id,
      until: muted.mutedUntil,
      reason: '반복 도배',
    });
    expect(await toldElsewhere).toMatchObject({ roomId: room.id });
    expect(await action).toMatchObject({
      action: 'mute',
      actor: { id: facilitator.id },
      target: { type: 'user', id: target!.id, displayName: target!.displayName },
      reason: '반복 도배',
      details: { until: muted.mutedUntil, minutes: 10 },
    });
    expect(sanctions).toContainEqual({
      roomId: room.id,
      userId: target!.id,
      kind: 'mute',
      until: muted.mutedUntil,
    });

    for (const socket of [inRoom, elsewhere]) {
      expectRefused(
        await request(socket, 'chat:send', { roomId: room.id, body: '음소거 후' }),
        'muted',
      );
    }
    inRoom.disconnect();
    const back = await joined(room, target);
    expectRefused(
      await request(back, 'chat:send', { roomId: room.id, body: '다시 접속' }),
      'muted',
    );
    // Muted is not banned: they may still react.
    data(await request(back, 'react', { roomId: room.id, emoji: '👍' }));

    const rows = await db.query(
      `SELECT muted_until, banned, reason, by_id FROM room_sanctions WHERE room_id = $1 AND user_id = $2`,
      [room.id, target!.id],
    );
    expect(rows).toEqual([
      {
        muted_until: new Date(muted.mutedUntil),
        banned: false,
        reason: '반복 도배',
        by_id: facilitator.id,
      },
    ]);
    const audit = await auditOf(target!.id);
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'room.mute',
        actor_id: facilitator.id,
        target_type: 'user',
        reason: '반복 도배',
        before: { roomId: room.id, mutedUntil: null, banned: false },
        after: { roomId: room.id, mutedUntil: muted.mutedUntil, banned: false },
      }),
    ]);
    const count = await db.query(
      `SELECT count(*)::int AS n FROM comments WHERE room_id = $1 AND author_id = $2`,
      [room.id, target!.id],
    );
    expect(count[0].n).toBe(1);

    // A shorter mute replaces it.
    const shorter = data(
      await request<{ mutedUntil: string }>(mod, 'mod:mute', {
        roomId: room.id,
        userId: target!.id,
        minutes: 1,
        reason: '짧게',
      }),
    );
    expect(Date.parse(shorter.mutedUntil) - Date.now()).toBeLessThan(61_000);
    await sleep(200);
    expect(otherSeen.map((e) => e.event)).not.toContain('you:muted');
  });

  it('mod:ban: that user is told, all their sockets close within 5 s, and they cannot rejoin or take part', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await joined(room, facilitator);
    const co = await joined(room, coFacilitator);
    const [target, bystander] = await bulkUsers(t, 2, 'ban');
    const inRoom = await joined(room, target);
    const elsewhere = await connected(t.url, { token: target!.token });
    const other = await joined(room, bystander);
    const otherSeen = record(other);

    const order: string[] = [];
    inRoom.on('you:banned', () => order.push('you:banned'));
    const closed = [inRoom, elsewhere].map(
      (socket) =>
        new Promise<number>((resolve) =>
          socket.once('disconnect', () => {
            order.push('disconnect');
            resolve(Date.now());
          }),
        ),
    );
    const told = nextEvent<{ roomId: string; reason: string }>(inRoom, 'you:banned');
    const action = nextEvent(co, 'mod:action', (p: { action: string }) => p.action === 'ban');
    const started = Date.now();
    expect(
      data(await request(mod, 'mod:ban', { roomId: room.id, userId: target!.id, reason: '위협' })),
    ).toEqual({ userId: target!.id, banned: true });
    expect(await told).toEqual({ roomId: room.id, reason: '위협' });
    for (const at of await Promise.all(closed)) expect(at - started).toBeLessThan(5000);
    expect(order[0]).toBe('you:banned');
    expect(await action).toMatchObject({
      action: 'ban',
      actor: { id: facilitator.id, displayName: '진행자' },
      target: { type: 'user', id: target!.id },
      reason: '위협',
    });
    expect(sanctions).toContainEqual({
      roomId: room.id,
      userId: target!.id,
      kind: 'ban',
      until: null,
    });

    // A new connection is possible (the ban is from this room), but the room refuses it.
    const back = await connected(t.url, { token: target!.token });
    expectRefused(await request(back, 'room:join', { roomId: room.id }), 'banned');
    expectRefused(
      await request(back, 'chat:send', { roomId: room.id, body: '돌아왔다' }),
      'banned',
    );
    expectRefused(await request(back, 'react', { roomId: room.id, emoji: '👏' }), 'banned');

    const rows = await db.query(
      `SELECT banned, reason FROM room_sanctions WHERE room_id = $1 AND user_id = $2`,
      [room.id, target!.id],
    );
    expect(rows).toEqual([{ banned: true, reason: '위협' }]);
    expect(await auditOf(target!.id)).toEqual([
      expect.objectContaining({
        action: 'room.ban',
        actor_id: facilitator.id,
        after: { roomId: room.id, mutedUntil: null, banned: true },
      }),
    ]);
    expect(other.connected).toBe(true);
    expect(otherSeen.map((e) => e.event)).not.toContain('you:banned');
  });

  it('a facilitator cannot mute or ban themselves, another facilitator, an admin, or nobody', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await connected(t.url, { token: facilitator.token });
    const before = await snapshot(room.id);
    for (const event of ['mod:mute', 'mod:ban']) {
      for (const userId of [facilitator.id, coFacilitator.id, admin.id]) {
        expectRefused(
          await request(mod, event, { roomId: room.id, userId, reason: '불가' }),
          'conflict',
        );
      }
      expectRefused(
        await request(mod, event, { roomId: room.id, userId: NO_USER, reason: '없음' }),
        'not_found',
      );
    }
    expect(await snapshot(room.id)).toEqual(before);
  });

  it('A4: every facilitator event from an anonymous viewer, a citizen, another space’s facilitator, a banned or a muted user is refused and changes nothing', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await connected(t.url, { token: facilitator.token });
    const [writer, victim, banned, muted] = await bulkUsers(t, 4, 'matrix');
    const visible = await say(room, writer!, '보이는 글');
    const hidden = await say(room, writer!, '숨긴 글');
    data(await request(mod, 'mod:hide', { roomId: room.id, commentId: hidden.id, reason: '숨김' }));
    data(await request(mod, 'mod:ban', { roomId: room.id, userId: banned!.id, reason: '차단' }));
    data(await request(mod, 'mod:mute', { roomId: room.id, userId: muted!.id, reason: '음소거' }));

    const events: [string, Record<string, unknown>][] = [
      ['mod:pin', { roomId: room.id, commentId: visible.id }],
      ['mod:announce', { roomId: room.id, body: '가짜 공지' }],
      ['mod:slowmode', { roomId: room.id, seconds: 60 }],
      ['mod:lock', { roomId: room.id, locked: true }],
      ['mod:restore', { roomId: room.id, commentId: hidden.id, reason: '몰래 복원' }],
      ['mod:hide', { roomId: room.id, commentId: visible.id, reason: '몰래 숨김' }],
      ['mod:mute', { roomId: room.id, userId: victim!.id, minutes: 5, reason: '몰래' }],
      ['mod:ban', { roomId: room.id, userId: victim!.id, reason: '몰래' }],
    ];
    const callers: [string, TestUser | undefined, string][] = [
      ['anonymous', undefined, 'unauthorized'],
      ['citizen', citizen, 'forbidden'],
      ['facilitator of another space', otherFacilitator, 'forbidden'],
      ['banned user', banned, 'forbidden'],
      ['muted user', muted, 'forbidden'],
    ];
    await sleep(400); // the ban's disconnect has happened
    const before = await snapshot(room.id);
    const victimSocket = await connected(t.url, { token: victim!.token });
    const victimSeen = record(victimSocket);
    for (const [who, user, code] of callers) {
      const socket = await connected(t.url, user ? { token: user.token } : {});
      for (const [event, payload] of events) {
        const ack = await request(socket, event, payload);
        if (ack.ok || ack.error.code !== code)
          throw new Error(`${who} ${event}: expected ${code}, got ${JSON.stringify(ack)}`);
      }
    }
    await sleep(400);
    expect(await snapshot(room.id)).toEqual(before);
    expect(victimSocket.connected).toBe(true);
    expect(victimSeen).toEqual([]);

    // The same payloads are accepted from the room's facilitator (and an admin).
    const adminSocket = await connected(t.url, { token: admin.token });
    data(await request(adminSocket, 'mod:announce', { roomId: room.id, body: '관리자 공지' }));
    for (const [event, payload] of events) data(await request(mod, event, payload));
    expect(await snapshot(room.id)).not.toEqual(before);
  });

  it('facilitator events are refused once the room has ended', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const [writer] = await bulkUsers(t, 1, 'ended');
    const message = await say(room, writer!, '끝난 방의 글');
    await t.http.post(`/api/v1/rooms/${room.id}/end`).set(facilitator.auth).expect(200);
    const mod = await connected(t.url, { token: facilitator.token });
    const before = await snapshot(room.id);
    for (const [event, payload] of [
      ['mod:hide', { commentId: message.id, reason: '숨김' }],
      ['mod:pin', { commentId: message.id }],
      ['mod:announce', { body: '공지' }],
      ['mod:mute', { userId: writer!.id, reason: '음소거' }],
      ['mod:lock', { locked: true }],
    ] as const) {
      expectRefused(await request(mod, event, { roomId: room.id, ...payload }), 'room_not_live');
    }
    expect(await snapshot(room.id)).toEqual(before);
  });

  it('reports on room messages reach the facilitators as mod:report, and a threshold hide as mod:flag', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await joined(room, facilitator);
    const viewer = await joined(room, citizen);
    const citizenSeen = record(viewer);
    const [writer, reporter1, reporter2] = await bulkUsers(t, 3, 'report');
    const message = await say(room, writer!, '신고될 메시지');
    const outside = await postComment(t, writer!, topicId, { body: '방 밖의 댓글' });
    const seq = (await db.query(`SELECT seq FROM rooms WHERE id = $1`, [room.id]))[0].seq;

    const reported = nextEvent<Record<string, unknown>>(mod, 'mod:report');
    await t.http
      .post(`/api/v1/comments/${message.id}/reports`)
      .set(reporter1!.auth)
      .send({ reason: 'spam', detail: '광고 링크' })
      .expect(201);
    expect(await reported).toMatchObject({
      roomId: room.id,
      seq: seq + 1,
      commentId: message.id,
      reason: 'spam',
      detail: '광고 링크',
      openReports: 1,
      comment: { id: message.id, body: '신고될 메시지' },
    });

    // Reports on comments outside the room do not enter its queue.
    await t.http
      .post(`/api/v1/comments/${outside.id}/reports`)
      .set(reporter1!.auth)
      .send({ reason: 'spam' })
      .expect(201);

    const flagged = nextEvent<Record<string, unknown>>(mod, 'mod:flag');
    const hiddenPush = nextEvent(viewer, 'comment:hidden');
    await t.http
      .post(`/api/v1/comments/${message.id}/reports`)
      .set(reporter2!.auth)
      .send({ reason: 'abuse' })
      .expect(201);
    expect(await flagged).toMatchObject({
      roomId: room.id,
      commentId: message.id,
      reason: REPORTS_PENDING,
      comment: { id: message.id, status: 'hidden', body: '신고될 메시지' },
    });
    expect(await hiddenPush).toMatchObject({
      roomId: room.id,
      commentId: message.id,
      hiddenReason: REPORTS_PENDING,
    });
    await sleep(300);
    // The hide commits with the report that crossed the threshold, so its `comment:hidden`
    // comes before that report's `mod:report` (queued after the commit).
    expect(await roomEvents(room.id, seq)).toEqual([
      { type: 'mod:report', audience: 'mod' },
      { type: 'comment:hidden', audience: 'all' },
      { type: 'mod:report', audience: 'mod' },
      { type: 'mod:flag', audience: 'mod' },
    ]);
    expect(modEvents(citizenSeen)).toEqual([]);
    // Seen once when it was posted; nothing about the reports carries its text to citizens.
    const commentEvents = citizenSeen.filter((e) => e.event.startsWith('comment:'));
    expect(commentEvents.map((e) => e.event)).toEqual(['comment:new', 'comment:hidden']);
    expect(JSON.stringify(citizenSeen.filter((e) => e.event !== 'comment:new'))).not.toContain(
      '신고될 메시지',
    );
  });

  it('B2: every facilitator event refuses malformed input with validation_failed and writes nothing', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    // Its own facilitator, so the many refusals do not spend the others' rate limit.
    const checker = await registerUser(t, { displayName: '검사 진행자' });
    await makeFacilitator(t, admin, space.id, checker);
    const socket = await connected(t.url, { token: checker.token });
    const [writer] = await bulkUsers(t, 1, 'bad-mod');
    const message = await say(room, writer!, '검사용 글');
    const roomId = room.id;
    const commentId = message.id;
    const userId = writer!.id;
    const cases: [string, unknown][] = [
      ['mod:hide', {}],
      ['mod:hide', { roomId, commentId }],
      ['mod:hide', { roomId, commentId, reason: '' }],
      ['mod:hide', { roomId, commentId, reason: 'x'.repeat(501) }],
      ['mod:hide', { roomId, commentId, reason: '널\u0000문자' }],
      ['mod:hide', { roomId, commentId, reason: 5 }],
      ['mod:hide', { roomId, commentId: 'x', reason: '이유' }],
      ['mod:hide', { roomId: 'x', commentId, reason: '이유' }],
      ['mod:hide', { roomId, commentId, reason: '이유', hard: true }],
      ['mod:restore', { roomId, commentId }],
      ['mod:restore', { roomId, commentId: 1, reason: '이유' }],
      ['mod:pin', { roomId }],
      ['mod:pin', { roomId, commentId: 'not-a-uuid' }],
      ['mod:pin', { roomId, commentId, reason: '고정' }],
      ['mod:announce', { roomId }],
      ['mod:announce', { roomId, body: '' }],
      ['mod:announce', { roomId, body: 'x'.repeat(2001) }],
      ['mod:announce', { roomId, body: '제어\u001b[31m문자' }],
      ['mod:announce', { roomId, body: { text: '공지' } }],
      ['mod:mute', { roomId, reason: '이유' }],
      ['mod:mute', { roomId, userId: 'x', reason: '이유' }],
      ['mod:mute', { roomId, userId }],
      ['mod:mute', { roomId, userId, minutes: 0, reason: '이유' }],
      ['mod:mute', { roomId, userId, minutes: 1441, reason: '이유' }],
      ['mod:mute', { roomId, userId, minutes: 1.5, reason: '이유' }],
      ['mod:mute', { roomId, userId, minutes: '10', reason: '이유' }],
      ['mod:ban', { roomId, reason: '이유' }],
      ['mod:ban', { roomId, userId, reason: '' }],
      ['mod:ban', { roomId, userId, reason: '이유', minutes: 10 }],
      ['mod:slowmode', { roomId }],
      ['mod:slowmode', { roomId, seconds: -1 }],
      ['mod:slowmode', { roomId, seconds: 3601 }],
      ['mod:slowmode', { roomId, seconds: 2.5 }],
      ['mod:slowmode', { roomId, seconds: 'fast' }],
      ['mod:lock', { roomId }],
      ['mod:lock', { roomId, locked: 'true' }],
      ['mod:lock', { roomId, locked: 1 }],
      ['mod:lock', 'lock'],
    ];
    const before = await snapshot(room.id);
    for (const [event, payload] of cases) {
      const ack = await request(socket, event, payload);
      if (ack.ok || ack.error.code !== 'validation_failed')
        throw new Error(`${event} ${JSON.stringify(payload)} answered ${JSON.stringify(ack)}`);
    }
    expect(await snapshot(room.id)).toEqual(before);
    // Boundaries are accepted.
    data(await request(socket, 'mod:slowmode', { roomId, seconds: 3600 }));
    data(await request(socket, 'mod:slowmode', { roomId, seconds: 0 }));
    data(await request(socket, 'mod:mute', { roomId, userId, minutes: 1440, reason: '이유' }));
    data(await request(socket, 'mod:announce', { roomId, body: 'x'.repeat(2000) }));
  });
});
