import { type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { type TestUser } from '../factories/identity';
import {
  createRoom,
  createRoomWorld,
  expectBansRefused,
  liveRoom,
  roomWithStandings,
} from '../factories/rooms';
import { bulkUsers } from '../factories/topics';
import { SpeakerTimer } from '../../src/rooms/queue/speaker-timer';
import { startTestApp, type TestApp } from '../utils/app';
import { closeAll, connected, nextEvent, request, ok, sleep } from '../utils/live-client';
import { DEPARTURE_GRACE_MS, PRESENCE_INTERVAL_MS } from '../../src/rooms/presence.service';

interface Queue {
  speaker: { userId: string; displayName: string; until: string } | null;
  until: string | null;
  waiting: { userId: string; displayName: string; raisedAt: string; firstTime: boolean }[];
}

describe('rooms: speaking queue (hand:raise / hand:lower / queue:next / queue:remove)', () => {
  let t: TestApp;
  let db: DataSource;
  let facilitator: TestUser;
  let coFacilitator: TestUser;
  let otherFacilitator: TestUser;
  let citizen: TestUser;
  let banned: TestUser;
  let muted: TestUser;
  let topicId: string;

  const socketOf = (user?: TestUser): Promise<Socket> =>
    connected(t.url, user ? { token: user.token } : {});

  async function inRoom(roomId: string, user?: TestUser): Promise<Socket> {
    const socket = await socketOf(user);
    await ok(socket, 'room:join', { roomId });
    return socket;
  }

  async function mute(roomId: string, user: TestUser): Promise<void> {
    await db.query(
      `INSERT INTO room_sanctions (room_id, user_id, muted_until, banned, reason, by_id)
       VALUES ($1, $2, now() + interval '1 hour', false, '도배', $3)`,
      [roomId, user.id, facilitator.id],
    );
  }

  async function raise(user: TestUser, roomId: string): Promise<Queue> {
    return (await ok<{ queue: Queue }>(await socketOf(user), 'hand:raise', { roomId })).queue;
  }

  async function hands(roomId: string): Promise<string[]> {
    const rows = await db.query(
      `SELECT user_id FROM room_hands WHERE room_id = $1 ORDER BY raised_at, user_id`,
      [roomId],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  async function speeches(roomId: string): Promise<string[]> {
    const rows = await db.query(
      `SELECT user_id FROM room_speeches WHERE room_id = $1 ORDER BY id`,
      [roomId],
    );
    return rows.map((r: { user_id: string }) => r.user_id);
  }

  async function roomRow(
    roomId: string,
  ): Promise<{ seq: number; speaker_id: string | null; speaker_until: Date | null }> {
    const rows = await db.query(`SELECT seq, speaker_id, speaker_until FROM rooms WHERE id = $1`, [
      roomId,
    ]);
    return rows[0];
  }

  async function queueAudit(roomId: string): Promise<{ action: string; target_id: string }[]> {
    return db.query(
      `SELECT action, target_id, actor_id FROM audit_log
        WHERE action LIKE 'queue.%' AND after->>'roomId' = $1 ORDER BY id`,
      [roomId],
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    ({ facilitator, coFacilitator, otherFacilitator, citizen, banned, muted, topicId } =
      await createRoomWorld(t));
  });

  afterEach(() => closeAll());
  afterAll(() => t.close());

  it('hand:raise and hand:lower change the queue once each and tell everyone (queue:update)', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const viewer = await inRoom(room.id);
    const socket = await socketOf(citizen);

    const update = nextEvent<Queue & { seq: number }>(viewer, 'queue:update');
    const raised = await ok<{ queue: Queue }>(socket, 'hand:raise', { roomId: room.id });
    expect(raised.queue).toEqual({
      speaker: null,
      until: null,
      waiting: [
        { userId: citizen.id, displayName: '시민', raisedAt: expect.any(String), firstTime: true },
      ],
    });
    expect(await update).toEqual({ roomId: room.id, seq: room.seq + 1, ...raised.queue });
    expect(await hands(room.id)).toEqual([citizen.id]);

    // Raising again keeps the place and makes no event.
    const again = await ok<{ queue: Queue }>(socket, 'hand:raise', { roomId: room.id });
    expect(again.queue.waiting[0]?.raisedAt).toBe(raised.queue.waiting[0]?.raisedAt);
    expect((await roomRow(room.id)).seq).toBe(room.seq + 1);

    const lowered = nextEvent<Queue & { seq: number }>(viewer, 'queue:update');
    const down = await ok<{ queue: Queue }>(socket, 'hand:lower', { roomId: room.id });
    expect(down.queue).toEqual({ speaker: null, until: null, waiting: [] });
    expect(await lowered).toMatchObject({ seq: room.seq + 2, waiting: [] });
    await ok(socket, 'hand:lower', { roomId: room.id });
    expect((await roomRow(room.id)).seq).toBe(room.seq + 2);
    expect(await hands(room.id)).toEqual([]);
    const events = await db.query(
      `SELECT type, audience FROM room_events WHERE room_id = $1 AND seq > $2 ORDER BY seq`,
      [room.id, room.seq],
    );
    expect(events).toEqual([
      { type: 'queue:update', audience: 'all' },
      { type: 'queue:update', audience: 'all' },
    ]);
  });

  it('hand:raise is refused to anonymous, banned and muted people and in rooms not live; a muted person may still lower', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const scheduled = await createRoom(t, facilitator, topicId);
    await raise(muted, room.id);
    await mute(room.id, muted);
    const seq = (await roomRow(room.id)).seq;
    for (const [user, roomId, code] of [
      [undefined, room.id, 'unauthorized'],
      [banned, room.id, 'banned'],
      [muted, room.id, 'muted'],
      [citizen, scheduled.id, 'room_not_live'],
      [citizen, '00000000-0000-4000-8000-000000000000', 'not_found'],
    ] as const) {
      const socket = await socketOf(user);
      expect(await request(socket, 'hand:raise', { roomId })).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    for (const [user, code] of [
      [undefined, 'unauthorized'],
      [banned, 'banned'],
    ] as const) {
      expect(await request(await socketOf(user), 'hand:lower', { roomId: room.id })).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    expect(await hands(room.id)).toEqual([muted.id]);
    expect(await hands(scheduled.id)).toEqual([]);
    expect((await roomRow(room.id)).seq).toBe(seq);
    // Withdrawing is allowed while muted.
    await ok(await socketOf(muted), 'hand:lower', { roomId: room.id });
    expect(await hands(room.id)).toEqual([]);
  });

  it('hand:raise refuses bans before mutes, from the room then the space; a mute that ran out no longer blocks', async () => {
    const { room, removed, pastMute } = await roomWithStandings(
      t,
      facilitator,
      topicId,
      banned,
      'queue-standing',
    );
    await expectBansRefused(
      async (user) => request(await socketOf(user), 'hand:raise', { roomId: room.id }),
      removed,
      banned,
    );
    await raise(pastMute, room.id);
    expect(await hands(room.id)).toEqual([pastMute.id]);
  });

  it("takes the floor back when the speaker's time is up, once, even with several checks at once", async () => {
    const room = await liveRoom(t, facilitator, topicId, { speakerSeconds: 30 });
    const viewer = await inRoom(room.id);
    const mod = await socketOf(facilitator);
    await raise(citizen, room.id);
    await ok(mod, 'queue:next', { roomId: room.id });
    const timer = t.app.get(SpeakerTimer);
    // Not yet due: nothing happens.
    await timer.runOnce();
    expect((await roomRow(room.id)).speaker_id).toBe(citizen.id);

    await db.query(`UPDATE rooms SET speaker_until = now() - interval '1 second' WHERE id = $1`, [
      room.id,
    ]);
    const seqBefore = (await roomRow(room.id)).seq;
    const update = nextEvent<Queue & { reason?: string }>(
      viewer,
      'queue:update',
      (q) => q.speaker === null,
    );
    await Promise.all([timer.runOnce(), timer.runOnce(), timer.runOnce()]);
    expect(await update).toMatchObject({
      roomId: room.id,
      speaker: null,
      until: null,
      reason: 'time_up',
    });
    expect(await roomRow(room.id)).toEqual({
      seq: seqBefore + 1,
      speaker_id: null,
      speaker_until: null,
    });
  });

  it('queue:next gives the floor for speakerSeconds, records the speech and clears the floor when nobody waits', async () => {
    const room = await liveRoom(t, facilitator, topicId, { speakerSeconds: 90 });
    const viewer = await inRoom(room.id);
    const mod = await socketOf(facilitator);
    await raise(citizen, room.id);

    const update = nextEvent<Queue & { seq: number }>(
      viewer,
      'queue:update',
      (q) => q.speaker !== null,
    );
    const started = Date.now();
    const next = await ok<{ queue: Queue }>(mod, 'queue:next', { roomId: room.id });
    expect(next.queue).toEqual({
      speaker: { userId: citizen.id, displayName: '시민', until: expect.any(String) },
      until: next.queue.speaker?.until,
      waiting: [],
    });
    const until = Date.parse(next.queue.until!);
    expect(until - started).toBeGreaterThan(85_000);
    expect(until - started).toBeLessThan(95_000);
    expect(await update).toMatchObject({ roomId: room.id, ...next.queue });

    const row = await roomRow(room.id);
    expect(row.speaker_id).toBe(citizen.id);
    expect(row.speaker_until?.toISOString()).toBe(next.queue.until);
    expect(await speeches(room.id)).toEqual([citizen.id]);
    expect(await hands(room.id)).toEqual([]);
    const room1 = await t.http.get(`/api/v1/rooms/${room.id}`).expect(200);
    expect(room1.body.speaker).toEqual({ userId: citizen.id, until: next.queue.until });

    // Nobody waiting: the floor is taken back; pressing again changes nothing.
    const cleared = await ok<{ queue: Queue }>(mod, 'queue:next', { roomId: room.id });
    expect(cleared.queue).toEqual({ speaker: null, until: null, waiting: [] });
    const seq = (await roomRow(room.id)).seq;
    await ok(mod, 'queue:next', { roomId: room.id });
    expect(await roomRow(room.id)).toEqual({ seq, speaker_id: null, speaker_until: null });

    const audit = await queueAudit(room.id);
    expect(audit).toEqual([
      { action: 'queue.next', target_id: citizen.id, actor_id: facilitator.id },
      { action: 'queue.clear', target_id: room.id, actor_id: facilitator.id },
    ]);
  });

  it('first-time speakers go before repeat speakers, then by when they raised their hand', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const mod = await socketOf(facilitator);
    const [a, b, c, d] = await bulkUsers(t, 4, 'queue-order');
    await raise(a!, room.id);
    await ok(mod, 'queue:next', { roomId: room.id }); // a speaks
    await raise(b!, room.id);
    await raise(a!, room.id); // a again: now a repeat speaker
    await raise(c!, room.id);
    const queue = await raise(d!, room.id);
    expect(queue.speaker?.userId).toBe(a!.id);
    expect(queue.waiting.map((w) => [w.userId, w.firstTime])).toEqual([
      [b!.id, true],
      [c!.id, true],
      [d!.id, true],
      [a!.id, false],
    ]);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const next = await ok<{ queue: Queue }>(mod, 'queue:next', { roomId: room.id });
      order.push(next.queue.speaker!.userId);
    }
    expect(order).toEqual([b!.id, c!.id, d!.id, a!.id]);
    expect(await speeches(room.id)).toEqual([a!.id, b!.id, c!.id, d!.id, a!.id]);
    expect(await hands(room.id)).toEqual([]);
  });

  it('two facilitators pressing queue:next at once give the floor to two different people, in order', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const people = await bulkUsers(t, 8, 'queue-race');
    for (const p of people) await raise(p, room.id);
    const mods = [await socketOf(facilitator), await socketOf(coFacilitator)];
    for (let round = 0; round < 4; round++) {
      const acks = await Promise.all(
        mods.map((m) => ok<{ queue: Queue }>(m, 'queue:next', { roomId: room.id })),
      );
      const given = acks.map((a) => a.queue.speaker!.userId);
      expect(new Set(given).size).toBe(2);
    }
    // Every speech went to a different person, exactly in the order they raised their hands.
    expect(await speeches(room.id)).toEqual(people.map((p) => p.id));
    expect(await hands(room.id)).toEqual([]);
    const audit = await queueAudit(room.id);
    expect(audit.map((r) => r.target_id)).toEqual(people.map((p) => p.id));
  });

  it('queue:remove takes a raised hand out of the queue, audited', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const viewer = await inRoom(room.id);
    const mod = await socketOf(facilitator);
    const [a, b] = await bulkUsers(t, 2, 'queue-remove');
    await raise(a!, room.id);
    await raise(b!, room.id);
    const update = nextEvent<Queue>(viewer, 'queue:update', (q) => q.waiting.length === 1);
    const removed = await ok<{ queue: Queue }>(mod, 'queue:remove', {
      roomId: room.id,
      userId: a!.id,
    });
    expect(removed.queue.waiting.map((w) => w.userId)).toEqual([b!.id]);
    expect((await update).waiting.map((w) => w.userId)).toEqual([b!.id]);
    expect(await hands(room.id)).toEqual([b!.id]);
    // Removing a hand that is not raised changes nothing.
    const seq = (await roomRow(room.id)).seq;
    await ok(mod, 'queue:remove', { roomId: room.id, userId: a!.id });
    expect((await roomRow(room.id)).seq).toBe(seq);
    expect(await queueAudit(room.id)).toEqual([
      { action: 'queue.remove', target_id: a!.id, actor_id: facilitator.id },
    ]);
  });

  it.each(['queue:next', 'queue:remove'] as const)(
    '%s is refused to anonymous viewers, citizens, other spaces’ facilitators, banned and muted users; nothing changes',
    async (event) => {
      const room = await liveRoom(t, facilitator, topicId);
      await mute(room.id, muted);
      const [waiting] = await bulkUsers(t, 1, 'queue-authz');
      await raise(waiting!, room.id);
      const before = await roomRow(room.id);
      const payload =
        event === 'queue:next' ? { roomId: room.id } : { roomId: room.id, userId: waiting!.id };
      for (const [user, code] of [
        [undefined, 'unauthorized'],
        [citizen, 'forbidden'],
        [otherFacilitator, 'forbidden'],
        [banned, 'forbidden'],
        [muted, 'forbidden'],
      ] as const) {
        const socket = user ? await socketOf(user) : await inRoom(room.id);
        expect(await request(socket, event, payload)).toMatchObject({ ok: false, error: { code } });
      }
      expect(await roomRow(room.id)).toEqual(before);
      expect(await hands(room.id)).toEqual([waiting!.id]);
      expect(await speeches(room.id)).toEqual([]);
      expect(await queueAudit(room.id)).toEqual([]);
      // The room's facilitator may.
      await ok(await socketOf(facilitator), event, payload);
      expect(await hands(room.id)).toEqual([]);
    },
  );

  it(
    'someone who leaves the room leaves the queue after the grace; a quick reconnect keeps the place',
    async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const viewer = await inRoom(room.id, facilitator);
      const leaver = await inRoom(room.id, citizen);
      const returner = await inRoom(room.id, muted);
      await ok(leaver, 'hand:raise', { roomId: room.id });
      await ok(returner, 'hand:raise', { roomId: room.id });
      expect(await hands(room.id)).toEqual([citizen.id, muted.id]);
      // Both go; one comes back within the grace (a reload), the other does not.
      await sleep(PRESENCE_INTERVAL_MS * 2);
      leaver.disconnect();
      returner.disconnect();
      await sleep(PRESENCE_INTERVAL_MS * 2);
      await inRoom(room.id, muted);
      const dropped = await nextEvent<Queue>(
        viewer,
        'queue:update',
        (q) => q.waiting.length === 1,
        DEPARTURE_GRACE_MS + PRESENCE_INTERVAL_MS * 4,
      );
      expect(dropped.waiting.map((w) => w.userId)).toEqual([muted.id]);
      expect(await hands(room.id)).toEqual([muted.id]);
    },
    DEPARTURE_GRACE_MS + 30_000,
  );

  it('refuses bad input on every queue event, naming the field, and writes nothing', async () => {
    const room = await liveRoom(t, facilitator, topicId);
    const socket = await socketOf(citizen);
    const mod = await socketOf(facilitator);
    const cases: [Socket, string, unknown, string][] = [
      [socket, 'hand:raise', {}, 'roomId'],
      [socket, 'hand:raise', { roomId: 'room' }, 'roomId'],
      [socket, 'hand:raise', { roomId: room.id, userId: facilitator.id }, 'userId'],
      [socket, 'hand:lower', { roomId: 7 }, 'roomId'],
      [socket, 'hand:raise', 5, 'payload'],
      [mod, 'queue:next', { roomId: room.id, skip: true }, 'skip'],
      [mod, 'queue:next', {}, 'roomId'],
      [mod, 'queue:remove', { roomId: room.id }, 'userId'],
      [mod, 'queue:remove', { roomId: room.id, userId: 'someone' }, 'userId'],
    ];
    for (const [s, event, payload, field] of cases) {
      const ack = await request(s, event, payload);
      expect({ event, ack }).toMatchObject({
        event,
        ack: { ok: false, error: { code: 'validation_failed' } },
      });
      if (!ack.ok) expect(ack.error.message).toContain(field);
    }
    expect(await hands(room.id)).toEqual([]);
    expect((await roomRow(room.id)).seq).toBe(room.seq);
    expect(await queueAudit(room.id)).toEqual([]);
  });
});
