import { type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import { type TestApp } from '../utils/app';
import { connected, ok } from '../utils/live-client';
import { createAdmin, createSpace, makeFacilitator, registerUser, type TestUser } from './identity';
import { bulkUsers, createTopic } from './topics';

export interface RoomBody {
  id: string;
  topicId: string;
  spaceId: string;
  status: string;
  seq: number;
  [key: string]: unknown;
}

export async function createRoom(
  t: TestApp,
  facilitator: TestUser,
  topicId: string,
  body: Record<string, unknown> = {},
): Promise<RoomBody> {
  const res = await t.http
    .post(`/api/v1/topics/${topicId}/rooms`)
    .set(facilitator.auth)
    .send({ title: '시민참여예산 타운홀', ...body })
    .expect(201);
  return res.body;
}

/** A room that is already live. */
export async function liveRoom(
  t: TestApp,
  facilitator: TestUser,
  topicId: string,
  settings: Record<string, unknown> = {},
): Promise<RoomBody> {
  const room = await createRoom(t, facilitator, topicId, { settings });
  const res = await t.http.post(`/api/v1/rooms/${room.id}/start`).set(facilitator.auth).expect(200);
  return res.body;
}

/**
 * The people and places most room tests need: a space with two facilitators, a facilitator of
 * another space, citizens (one banned from the space; `muted` is only a name until a test mutes
 * them in a room), and an open topic.
 */
export interface RoomWorld {
  admin: TestUser;
  facilitator: TestUser;
  coFacilitator: TestUser;
  otherFacilitator: TestUser;
  citizen: TestUser;
  neighbour: TestUser;
  banned: TestUser;
  muted: TestUser;
  space: { id: string };
  topicId: string;
}

export async function createRoomWorld(t: TestApp): Promise<RoomWorld> {
  const admin = await createAdmin(t);
  const [facilitator, coFacilitator, otherFacilitator, citizen, neighbour, banned, muted] = [
    await registerUser(t, { displayName: '진행자' }),
    await registerUser(t, { displayName: '공동 진행자' }),
    await registerUser(t, { displayName: '다른 공간 진행자' }),
    await registerUser(t, { displayName: '시민' }),
    await registerUser(t, { displayName: '이웃 시민' }),
    await registerUser(t, { displayName: '차단된 시민' }),
    await registerUser(t, { displayName: '발언 제한 시민' }),
  ];
  const space = await createSpace(t, admin);
  const other = await createSpace(t, admin);
  await makeFacilitator(t, admin, space.id, facilitator);
  await makeFacilitator(t, admin, space.id, coFacilitator);
  await makeFacilitator(t, admin, other.id, otherFacilitator);
  const topicId = (await createTopic(t, citizen, space.id)).id;
  await t.http
    .put(`/api/v1/spaces/${space.id}/bans/${banned.id}`)
    .set(facilitator.auth)
    .send({ reason: '욕설' })
    .expect(200);
  return {
    admin,
    facilitator,
    coFacilitator,
    otherFacilitator,
    citizen,
    neighbour,
    banned,
    muted,
    space,
    topicId,
  };
}

/** A socket of `user` (anonymous without one) that has joined the room. */
export async function joinedSocket(t: TestApp, roomId: string, user?: TestUser): Promise<Socket> {
  const socket = await connected(t.url, user ? { token: user.token } : {});
  await ok(socket, 'room:join', { roomId });
  return socket;
}

/**
 * A live room with users of several standings: `removed` is banned from the room (and muted),
 * `spaceBanned` (banned from the space already) is only muted in it, and `pastMute` was muted
 * until a moment already gone.
 */
export async function roomWithStandings(
  t: TestApp,
  facilitator: TestUser,
  topicId: string,
  spaceBanned: TestUser,
  prefix: string,
): Promise<{ room: RoomBody; removed: TestUser; pastMute: TestUser }> {
  const room = await liveRoom(t, facilitator, topicId);
  const [removed, pastMute] = (await bulkUsers(t, 2, prefix)) as [TestUser, TestUser];
  await t.app.get(DataSource).query(
    `INSERT INTO room_sanctions (room_id, user_id, muted_until, banned, reason, by_id)
     VALUES ($1, $2, now() + interval '1 hour', true, '도배', $4),
            ($1, $3, now() + interval '1 hour', false, '도배', $4),
            ($1, $5, now() - interval '1 second', false, '지난 제재', $4)`,
    [room.id, removed.id, spaceBanned.id, facilitator.id, pastMute.id],
  );
  return { room, removed, pastMute };
}

/**
 * `send` (a write in the room by `user`) is refused for `removed` as removed from the room, and
 * for `spaceBanned` — muted too — as banned from the space: bans come before mutes, the room's
 * before the space's.
 */
export async function expectBansRefused(
  send: (user: TestUser) => Promise<unknown>,
  removed: TestUser,
  spaceBanned: TestUser,
): Promise<void> {
  for (const [user, code, message] of [
    [removed, 'banned', /타운홀에서 내보내졌습니다/],
    [spaceBanned, 'banned', /공간에서 활동이 제한되었습니다/],
  ] as const) {
    expect(await send(user)).toMatchObject({
      ok: false,
      error: { code, message: expect.stringMatching(message) },
    });
  }
}
