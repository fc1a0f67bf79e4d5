import { type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createRoom, liveRoom, type RoomBody } from '../factories/rooms';
import { bulkUsers, createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import {
  type Ack,
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
  topicId: string;
  parentId: string | null;
  depth: number;
  body: string | null;
  roomId: string | null;
  status: string;
  author: { id: string; displayName: string };
}

const NO_ROOM = '00000000-0000-4000-8000-000000000000';

describe('rooms: chat, agrees and reactions', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let facilitator: TestUser;
  let citizen: TestUser;
  let space: { id: string };
  let topicId: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    facilitator = await registerUser(t, { displayName: '진행자' });
    citizen = await registerUser(t, { displayName: '시민' });
    space = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    topicId = (await createTopic(t, citizen, space.id)).id;
  });
  afterEach(() => closeAll());
  afterAll(() => t.close());

  /** A signed-in socket that has joined the room. */
  const joined = async (room: RoomBody, user?: TestUser): Promise<Socket> => {
    const socket = await connected(t.url, user ? { token: user.token } : {});
    data(await request(socket, 'room:join', { roomId: room.id }));
    return socket;
  };

  const commentsBy = async (userId: string, roomId: string): Promise<number> =>
    (
      await db.query(
        `SELECT count(*)::int AS n FROM comments WHERE author_id = $1 AND room_id = $2`,
        [userId, roomId],
      )
    )[0].n;

  /** Everything a refused event could have written, to compare before and after. */
  const snapshot = async (roomId: string): Promise<unknown> =>
    (
      await db.query(
        `SELECT (SELECT count(*)::int FROM comments WHERE topic_id = r.topic_id) AS comments,
                (SELECT count(*)::int FROM comment_agrees a JOIN comments c ON c.id = a.comment_id
                  WHERE c.topic_id = r.topic_id) AS agrees,
                (SELECT coalesce(sum(agree_count), 0)::int FROM comments WHERE topic_id = r.topic_id) AS agree_counts,
                (SELECT count(*)::int FROM room_events WHERE room_id = r.id) AS events,
                r.seq, r.reaction_totals, t.comment_count
           FROM rooms r JOIN topics t ON t.id = r.topic_id WHERE r.id = $1`,
        [roomId],
      )
    )[0];

  describe('chat:send', () => {
    it('posts a comment of the topic tagged with the room, numbered and pushed to the room and the topic', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const viewer = await joined(room);
      const watcher = await connected(t.url);
      const watched = data(
        await request<{ seq: number }>(watcher, 'topic:watch', { topicId: room.topicId }),
      );
      const writer = await joined(room, citizen);
      const pushed = nextEvent<{ roomId: string; seq: number; comment: CommentData }>(
        viewer,
        'comment:new',
      );
      const streamed = nextEvent<{ seq: number; comment: CommentData }>(watcher, 'comment:new');

      const sent = data(
        await request<{ comment: CommentData }>(writer, 'chat:send', {
          roomId: room.id,
          body: '  안녕하세요,\r\n타운홀에 참여합니다.  ',
        }),
      );
      expect(sent.comment).toMatchObject({
        topicId,
        roomId: room.id,
        parentId: null,
        depth: 0,
        body: '안녕하세요,\n타운홀에 참여합니다.',
        status: 'visible',
        author: { id: citizen.id, displayName: '시민' },
      });
      const live = await pushed;
      expect(live).toMatchObject({ roomId: room.id, seq: room.seq + 1 });
      expect(live.comment).toMatchObject({ id: sent.comment.id, body: sent.comment.body });
      expect(live.comment).not.toHaveProperty('myAgree');
      expect((await streamed).seq).toBe(watched.seq + 1);

      const rows = await db.query(
        `SELECT c.room_id, c.topic_id, c.body, t.comment_count
           FROM comments c JOIN topics t ON t.id = c.topic_id WHERE c.id = $1`,
        [sent.comment.id],
      );
      expect(rows[0]).toMatchObject({ room_id: room.id, topic_id: topicId });
      const events = await db.query(
        `SELECT seq, type, audience, data->'comment'->>'id' AS comment_id FROM room_events
          WHERE room_id = $1 AND type = 'comment:new'`,
        [room.id],
      );
      expect(events).toEqual([
        { seq: room.seq + 1, type: 'comment:new', audience: 'all', comment_id: sent.comment.id },
      ]);

      // A reply in the room threads under its parent, like any comment.
      const reply = data(
        await request<{ comment: CommentData }>(writer, 'chat:send', {
          roomId: room.id,
          body: '답글입니다',
          parentId: sent.comment.id,
        }),
      );
      expect(reply.comment).toMatchObject({ parentId: sent.comment.id, depth: 1 });
      const parent = await db.query(`SELECT reply_count FROM comments WHERE id = $1`, [
        sent.comment.id,
      ]);
      expect(parent[0].reply_count).toBe(1);

      // What was said in the room is the topic's thread over HTTP too.
      const thread = await t.http.get(`/api/v1/topics/${topicId}/comments`).expect(200);
      expect(thread.body.items.map((c: CommentData) => c.id)).toContain(sent.comment.id);
    });

    it('refuses anonymous viewers, rooms that are not live, closed or locked chat, banned and muted users', async () => {
      const live = await liveRoom(t, facilitator, topicId);
      const scheduled = await createRoom(t, facilitator, topicId);
      const closed = await liveRoom(t, facilitator, topicId, { chat: false });
      const ended = await liveRoom(t, facilitator, topicId);
      await t.http.post(`/api/v1/rooms/${ended.id}/end`).set(facilitator.auth).expect(200);
      const [writer, roomBanned, spaceBanned, muted] = await bulkUsers(t, 4, 'chat-refused');
      await db.query(
        `INSERT INTO room_sanctions (room_id, user_id, banned, reason, by_id) VALUES ($1, $2, true, '도배', $3)`,
        [live.id, roomBanned!.id, facilitator.id],
      );
      await db.query(
        `INSERT INTO room_sanctions (room_id, user_id, muted_until, reason, by_id)
         VALUES ($1, $2, now() + interval '10 minutes', '욕설', $3)`,
        [live.id, muted!.id, facilitator.id],
      );
      await t.http
        .put(`/api/v1/spaces/${space.id}/bans/${spaceBanned!.id}`)
        .set(facilitator.auth)
        .send({ reason: '반복 위반' })
        .expect(200);

      const before = await Promise.all([live, scheduled, closed, ended].map((r) => snapshot(r.id)));
      const anonymous = await connected(t.url);
      const sockets = new Map<TestUser, Socket>();
      for (const user of [writer!, roomBanned!, spaceBanned!, muted!])
        sockets.set(user, await connected(t.url, { token: user.token }));
      const send = (socket: Socket, roomId: string) =>
        request(socket, 'chat:send', { roomId, body: '들리나요?' });

      expectRefused(await send(anonymous, live.id), 'unauthorized');
      expectRefused(await send(sockets.get(writer!)!, scheduled.id), 'room_not_live');
      expectRefused(await send(sockets.get(writer!)!, ended.id), 'room_not_live');
      expectRefused(await send(sockets.get(writer!)!, closed.id), 'chat_closed');
      expectRefused(await send(sockets.get(writer!)!, NO_ROOM), 'not_found');
      expectRefused(await send(sockets.get(roomBanned!)!, live.id), 'banned');
      expectRefused(await send(sockets.get(spaceBanned!)!, live.id), 'banned');
      expectRefused(await send(sockets.get(muted!)!, live.id), 'muted');
      // A parent from another topic is refused like over HTTP.
      const otherTopic = await createTopic(t, citizen, space.id);
      const foreign = await postComment(t, citizen, otherTopic.id);
      const badParent = await request(sockets.get(writer!)!, 'chat:send', {
        roomId: live.id,
        body: '답글',
        parentId: foreign.id,
      });
      expectRefused(badParent, 'validation_failed');

      expect(
        await Promise.all([live, scheduled, closed, ended].map((r) => snapshot(r.id))),
      ).toEqual(before);
      for (const user of [writer!, roomBanned!, spaceBanned!, muted!])
        expect(await commentsBy(user.id, live.id)).toBe(0);

      // Locked chat: participants are refused, facilitators still write.
      await db.query(`UPDATE rooms SET locked = true WHERE id = $1`, [live.id]);
      expectRefused(await send(sockets.get(writer!)!, live.id), 'chat_locked');
      expect(await commentsBy(writer!.id, live.id)).toBe(0);
      const mod = await connected(t.url, { token: facilitator.token });
      data(await send(mod, live.id));
      expect(await commentsBy(facilitator.id, live.id)).toBe(1);
      await db.query(`UPDATE rooms SET locked = false WHERE id = $1`, [live.id]);

      // The mute ends on its own; the writer was only refused by the lock.
      await db.query(
        `UPDATE room_sanctions SET muted_until = now() - interval '1 second' WHERE user_id = $1`,
        [muted!.id],
      );
      data(await send(sockets.get(muted!)!, live.id));
      data(await send(sockets.get(writer!)!, live.id));
    });

    it('slow mode: 10 parallel messages from one user, on two sockets, are exactly one message', async () => {
      const room = await liveRoom(t, facilitator, topicId, { slowModeSeconds: 30 });
      const [user, other] = await bulkUsers(t, 2, 'slow');
      const tabs = [
        await connected(t.url, { token: user!.token }),
        await connected(t.url, { token: user!.token }),
      ];
      const acks = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          request(tabs[i % 2]!, 'chat:send', { roomId: room.id, body: `메시지 ${i}` }),
        ),
      );
      expect(acks.filter((a) => a.ok)).toHaveLength(1);
      const refused = acks.filter((a) => !a.ok);
      expect(refused).toHaveLength(9);
      for (const ack of refused) expectRefused(ack, 'slow_mode');
      expect(await commentsBy(user!.id, room.id)).toBe(1);
      const events = await db.query(
        `SELECT count(*)::int AS n FROM room_events WHERE room_id = $1 AND type = 'comment:new'`,
        [room.id],
      );
      expect(events[0].n).toBe(1);

      // Per person: someone else may still write, and facilitators are exempt.
      const otherSocket = await connected(t.url, { token: other!.token });
      data(await request(otherSocket, 'chat:send', { roomId: room.id, body: '저도 한마디' }));
      const mod = await connected(t.url, { token: facilitator.token });
      for (const body of ['공지 1', '공지 2', '공지 3'])
        data(await request(mod, 'chat:send', { roomId: room.id, body }));
      expect(await commentsBy(facilitator.id, room.id)).toBe(3);
    });

    it('messages racing mod:lock are ordered exactly against it: each accepted one before the lock in the room, each later one refused', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const users = await bulkUsers(t, 20, 'race');
      const sockets = await Promise.all(users.map((u) => connected(t.url, { token: u.token })));
      const mod = await connected(t.url, { token: facilitator.token });
      let acked = 0;
      let lockSent: () => void = () => undefined;
      const tenAcked = new Promise<void>((resolve) => (lockSent = resolve));
      // Each writer keeps sending until it is refused (at most 20 messages).
      const chains = sockets.map(async (socket, i) => {
        const acks: Ack[] = [];
        for (let k = 0; k < 20; k++) {
          const ack = await request(socket, 'chat:send', {
            roomId: room.id,
            body: `경쟁 ${i}-${k}`,
          });
          acks.push(ack);
          if (++acked === 10) lockSent();
          if (!ack.ok) break;
        }
        return acks;
      });
      await tenAcked;
      data(await request(mod, 'mod:lock', { roomId: room.id, locked: true }));
      const acks = (await Promise.all(chains)).flat();
      const accepted = acks.filter((a) => a.ok);
      const refused = acks.filter((a) => !a.ok);
      expect(accepted.length).toBeGreaterThanOrEqual(10);
      expect(refused).toHaveLength(20); // every chain ends on the lock
      for (const ack of refused) expectRefused(ack, 'chat_locked');

      const events: { seq: number; type: string; locked: string | null }[] = await db.query(
        `SELECT seq, type, data->>'locked' AS locked FROM room_events WHERE room_id = $1 ORDER BY seq`,
        [room.id],
      );
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1)); // gap-free
      const lockAt = events.find((e) => e.type === 'room:state' && e.locked === 'true')!.seq;
      const messages = events.filter((e) => e.type === 'comment:new');
      expect(messages).toHaveLength(accepted.length);
      expect(Math.max(...messages.map((e) => e.seq))).toBeLessThan(lockAt);
      const rows = await db.query(`SELECT count(*)::int AS n FROM comments WHERE room_id = $1`, [
        room.id,
      ]);
      expect(rows[0].n).toBe(accepted.length);
    });

    it('slow mode lets the next message through once the interval has passed', async () => {
      const room = await liveRoom(t, facilitator, topicId, { slowModeSeconds: 1 });
      const [user] = await bulkUsers(t, 1, 'slow-pass');
      const socket = await connected(t.url, { token: user!.token });
      data(await request(socket, 'chat:send', { roomId: room.id, body: '첫 번째' }));
      expectRefused(
        await request(socket, 'chat:send', { roomId: room.id, body: '너무 빠름' }),
        'slow_mode',
      );
      await sleep(1100);
      data(await request(socket, 'chat:send', { roomId: room.id, body: '두 번째' }));
      expect(await commentsBy(user!.id, room.id)).toBe(2);
    });
  });

  describe('agree:set', () => {
    it('agrees exactly once per user and sends the room coalesced counts', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const viewer = await joined(room);
      const author = await connected(t.url, { token: citizen.token });
      const message = data(
        await request<{ comment: CommentData }>(author, 'chat:send', {
          roomId: room.id,
          body: '공감해 주세요',
        }),
      ).comment;
      const seen = record(viewer);
      const users = await bulkUsers(t, 8, 'agree');
      const sockets = await Promise.all(users.map((u) => connected(t.url, { token: u.token })));

      const started = Date.now();
      const acks = await Promise.all(
        sockets.map((s) =>
          request<{ agreed: boolean; agreeCount: number }>(s, 'agree:set', {
            roomId: room.id,
            commentId: message.id,
            agreed: true,
          }),
        ),
      );
      for (const ack of acks) expect(data(ack).agreed).toBe(true);
      // Agrees of one turn share one statement, so an answer's count is the count after its
      // batch: never more than the agrees so far, and the last batch's is the total.
      const answered = acks.map((a) => data(a).agreeCount).sort((x, y) => x - y);
      expect(answered[0]).toBeGreaterThanOrEqual(1);
      expect(answered.at(-1)).toBe(8);
      await nextEvent<{ count: number }>(viewer, 'room:agree', (p) => p.count === 8);
      const elapsed = Date.now() - started;
      const counts = seen.filter((e) => e.event === 'room:agree');
      expect(counts.length).toBeGreaterThan(0);
      expect(counts.length).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1);
      expect(counts.at(-1)!.payload).toEqual({ roomId: room.id, commentId: message.id, count: 8 });
      expect(counts.every((e) => e.payload.seq === undefined)).toBe(true);

      // Idempotent for the same user; withdrawing takes exactly one away.
      const again = await request(sockets[0]!, 'agree:set', {
        roomId: room.id,
        commentId: message.id,
        agreed: true,
      });
      expect(data(again)).toEqual({ agreed: true, agreeCount: 8 });
      const withdrawn = await request(sockets[0]!, 'agree:set', {
        roomId: room.id,
        commentId: message.id,
        agreed: false,
      });
      expect(data(withdrawn)).toEqual({ agreed: false, agreeCount: 7 });
      await nextEvent<{ count: number }>(viewer, 'room:agree', (p) => p.count === 7);
      const rows = await db.query(
        `SELECT (SELECT count(*)::int FROM comment_agrees WHERE comment_id = $1) AS n,
                (SELECT agree_count FROM comments WHERE id = $1) AS count`,
        [message.id],
      );
      expect(rows[0]).toEqual({ n: 7, count: 7 });
    });

    it('50 parallel agrees from one user are one row and +1', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const comment = await postComment(t, citizen, topicId, { body: '글로 쓴 의견' });
      const [user] = await bulkUsers(t, 1, 'agree-race');
      const sockets = await Promise.all(
        [0, 1, 2, 3, 4].map(() => connected(t.url, { token: user!.token })),
      );
      const acks = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          request(sockets[i % 5]!, 'agree:set', {
            roomId: room.id,
            commentId: comment.id,
            agreed: true,
          }),
        ),
      );
      for (const ack of acks) expect(data(ack)).toMatchObject({ agreed: true });
      const rows = await db.query(
        `SELECT (SELECT count(*)::int FROM comment_agrees WHERE comment_id = $1) AS n,
                (SELECT agree_count FROM comments WHERE id = $1) AS count`,
        [comment.id],
      );
      expect(rows[0]).toEqual({ n: 1, count: 1 });
    });

    it('refuses anonymous viewers, comments of other topics, rooms not live and banned users', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const scheduled = await createRoom(t, facilitator, topicId);
      const comment = await postComment(t, citizen, topicId);
      const otherTopic = await createTopic(t, citizen, space.id);
      const foreign = await postComment(t, citizen, otherTopic.id);
      const [user, banned] = await bulkUsers(t, 2, 'agree-refused');
      await db.query(
        `INSERT INTO room_sanctions (room_id, user_id, banned, reason, by_id) VALUES ($1, $2, true, '도배', $3)`,
        [room.id, banned!.id, facilitator.id],
      );
      const before = await snapshot(room.id);
      const anonymous = await connected(t.url);
      const socket = await connected(t.url, { token: user!.token });
      const bannedSocket = await connected(t.url, { token: banned!.token });
      const agree = (s: Socket, roomId: string, commentId: string) =>
        request(s, 'agree:set', { roomId, commentId, agreed: true });
      expectRefused(await agree(anonymous, room.id, comment.id), 'unauthorized');
      expectRefused(await agree(socket, room.id, foreign.id), 'not_found');
      expectRefused(await agree(socket, room.id, NO_ROOM), 'not_found');
      expectRefused(await agree(socket, scheduled.id, comment.id), 'room_not_live');
      expectRefused(await agree(bannedSocket, room.id, comment.id), 'banned');
      expect(await snapshot(room.id)).toEqual(before);
      const foreignRow = await db.query(`SELECT agree_count FROM comments WHERE id = $1`, [
        foreign.id,
      ]);
      expect(foreignRow[0].agree_count).toBe(0);
    });
  });

  describe('react', () => {
    it('aggregates 200 reactions from several sockets into a few broadcasts and exact totals', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const viewer = await joined(room);
      const seen = record(viewer);
      const users = await bulkUsers(t, 5, 'react');
      const sockets = await Promise.all(users.map((u) => connected(t.url, { token: u.token })));
      const emoji = ['👏', '👍', '❤️', '🤔'] as const;

      const started = Date.now();
      const acks: Promise<Ack>[] = [];
      for (let i = 0; i < 200; i++) {
        acks.push(request(sockets[i % 5]!, 'react', { roomId: room.id, emoji: emoji[i % 4] }));
        if (i % 20 === 19) await sleep(80);
      }
      const answered = await Promise.all(acks);
      for (const ack of answered) expect(ack).toEqual({ ok: true, data: {} });
      const sentFor = Date.now() - started;
      await sleep(600);

      const broadcasts = seen.filter((e) => e.event === 'reactions');
      // At most one broadcast per 250 ms from this node (plus the one that closes the burst).
      expect(broadcasts.length).toBeGreaterThan(1);
      expect(broadcasts.length).toBeLessThanOrEqual(Math.ceil((sentFor + 600) / 250) + 1);
      expect(broadcasts.length).toBeLessThan(20);
      const sum: Record<string, number> = {};
      for (const b of broadcasts) {
        expect(b.payload.roomId).toBe(room.id);
        for (const [key, n] of Object.entries(b.payload.counts as Record<string, number>))
          sum[key] = (sum[key] ?? 0) + n;
      }
      expect(sum).toEqual({ '👏': 50, '👍': 50, '❤️': 50, '🤔': 50 });
      const rows = await db.query(`SELECT reaction_totals FROM rooms WHERE id = $1`, [room.id]);
      expect(rows[0].reaction_totals).toEqual({ '👏': 50, '👍': 50, '❤️': 50, '🤔': 50 });

      // Totals add up over later bursts.
      data(await request(sockets[0]!, 'react', { roomId: room.id, emoji: '👏' }));
      await nextEvent(viewer, 'reactions', (p: { counts: Record<string, number> }) =>
        Boolean(p.counts['👏']),
      );
      await sleep(100);
      const later = await db.query(`SELECT reaction_totals FROM rooms WHERE id = $1`, [room.id]);
      expect(later[0].reaction_totals['👏']).toBe(51);
    });

    it('refuses anonymous viewers, rooms that are not live and banned users', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const scheduled = await createRoom(t, facilitator, topicId);
      const [user, banned, spaceBanned] = await bulkUsers(t, 3, 'react-refused');
      await db.query(
        `INSERT INTO room_sanctions (room_id, user_id, banned, reason, by_id) VALUES ($1, $2, true, '도배', $3)`,
        [room.id, banned!.id, facilitator.id],
      );
      // Banned from the room's whole space.
      await db.query(
        `INSERT INTO space_bans (space_id, user_id, reason, until, banned_by) VALUES ($1, $2, '도배', NULL, $3)`,
        [room.spaceId, spaceBanned!.id, facilitator.id],
      );
      expectRefused(
        await request(await connected(t.url, { token: spaceBanned!.token }), 'react', {
          roomId: room.id,
          emoji: '👏',
        }),
        'banned',
      );

      const viewer = await joined(room);
      const seen = record(viewer);
      const anonymous = await connected(t.url);
      const socket = await connected(t.url, { token: user!.token });
      const bannedSocket = await connected(t.url, { token: banned!.token });
      expectRefused(
        await request(anonymous, 'react', { roomId: room.id, emoji: '👏' }),
        'unauthorized',
      );
      expectRefused(
        await request(socket, 'react', { roomId: scheduled.id, emoji: '👏' }),
        'room_not_live',
      );
      expectRefused(
        await request(bannedSocket, 'react', { roomId: room.id, emoji: '👏' }),
        'banned',
      );
      await sleep(400);
      expect(seen.filter((e) => e.event === 'reactions')).toEqual([]);
      const rows = await db.query(`SELECT reaction_totals FROM rooms WHERE id = ANY($1)`, [
        [room.id, scheduled.id],
      ]);
      expect(rows.map((r: { reaction_totals: unknown }) => r.reaction_totals)).toEqual([{}, {}]);
    });
  });

  describe('bad input (B2): validation_failed and nothing written', () => {
    it('chat:send, agree:set and react refuse malformed payloads', async () => {
      const room = await liveRoom(t, facilitator, topicId);
      const comment = await postComment(t, citizen, topicId);
      const [user] = await bulkUsers(t, 1, 'bad-input');
      const socket = await connected(t.url, { token: user!.token });
      const roomId = room.id;
      const commentId = comment.id;
      const cases: [string, unknown][] = [
        ['chat:send', 'hello'],
        ['chat:send', [roomId, 'body']],
        ['chat:send', {}],
        ['chat:send', { roomId }],
        ['chat:send', { body: '안녕' }],
        ['chat:send', { roomId: 'not-a-uuid', body: '안녕' }],
        ['chat:send', { roomId, body: '' }],
        ['chat:send', { roomId, body: '   \n  ' }],
        ['chat:send', { roomId, body: 'x'.repeat(2001) }],
        ['chat:send', { roomId, body: '벨\u0007소리' }],
        ['chat:send', { roomId, body: 'bidi \u202e override' }],
        ['chat:send', { roomId, body: 42 }],
        ['chat:send', { roomId, body: ['안녕'] }],
        ['chat:send', { roomId, body: '안녕', parentId: 'x' }],
        ['chat:send', { roomId, body: '안녕', stance: 'for' }],
        ['chat:send', { roomId, body: '안녕', roomId2: roomId }],
        ['agree:set', {}],
        ['agree:set', { roomId, commentId }],
        ['agree:set', { roomId, commentId, agreed: 'yes' }],
        ['agree:set', { roomId, commentId, agreed: 1 }],
        ['agree:set', { roomId, commentId: 'x', agreed: true }],
        ['agree:set', { roomId: 7, commentId, agreed: true }],
        ['agree:set', { roomId, commentId, agreed: true, count: 100 }],
        ['react', {}],
        ['react', { roomId }],
        ['react', { roomId, emoji: '😀' }],
        ['react', { roomId, emoji: '👏👏' }],
        ['react', { roomId, emoji: '' }],
        ['react', { roomId, emoji: 1 }],
        ['react', { roomId: 'x', emoji: '👏' }],
        ['react', { roomId, emoji: '👏', times: 1000 }],
      ];
      const before = await snapshot(room.id);
      for (const [event, payload] of cases) {
        const ack = await request(socket, event, payload);
        if (ack.ok || ack.error.code !== 'validation_failed')
          throw new Error(`${event} ${JSON.stringify(payload)} answered ${JSON.stringify(ack)}`);
      }
      await sleep(400);
      expect(await snapshot(room.id)).toEqual(before);
      expect(await commentsBy(user!.id, room.id)).toBe(0);
      // The socket stayed usable.
      data(await request(socket, 'chat:send', { roomId, body: 'x'.repeat(2000) }));
    });
  });
});
