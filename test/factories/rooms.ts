import { type TestApp } from '../utils/app';
import { type TestUser } from './identity';

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
