import { DataSource } from 'typeorm';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createRoom, liveRoom } from '../factories/rooms';
import { bulkUsers, createTopic, openDeliberation, postComment } from '../factories/topics';
import { type TestApp } from '../utils/app';
import { closeAll, connected, ok } from '../utils/live-client';

export const PASSWORD = 'correct horse battery';

/**
 * A space as residents would find it: a deliberation with a deep thread, stances and an owed
 * answer; an answered topic; a fresh proposal; a live town hall with a stream and an ended one
 * with its minutes. Everything is made through the API, as people would.
 */
export interface PageWorld {
  admin: TestUser;
  facilitator: TestUser;
  citizen: TestUser;
  neighbour: TestUser;
  space: { id: string; slug: string };
  deliberating: string;
  answered: string;
  proposed: string;
  /** The deepest comment of the thread (depth 5) and its chain from the top. */
  chain: string[];
  liveRoom: string;
  endedRoom: string;
}

export async function pageWorld(t: TestApp): Promise<PageWorld> {
  const admin = await createAdmin(t);
  const facilitator = await registerUser(t, { displayName: '김진행', password: PASSWORD });
  const citizen = await registerUser(t, { displayName: '박시민', password: PASSWORD });
  const neighbour = await registerUser(t, { displayName: '이웃 최', password: PASSWORD });
  const space = await createSpace(t, admin, {
    name: '서울시 시민참여예산',
    description: '시민이 직접 제안하고 결정하는 서울시 예산',
    thresholds: { review: 3, deliberation: 6, response: 20 },
  });
  await makeFacilitator(t, admin, space.id, facilitator);
  const crowd = await bulkUsers(t, 6, 'page-world');

  const delib = await createTopic(t, citizen, space.id, {
    title: '한강공원 그늘막을 늘려 주세요',
    body: '여름 한낮에 쉴 곳이 부족합니다.\n그늘막과 벤치를 더 설치해 주세요.',
    tags: ['공원', '여름'],
  });
  for (const u of crowd.slice(0, 4))
    await t.http.put(`/api/v1/topics/${delib.id}/agree`).set(u.auth).expect(200);
  await openDeliberation(t, facilitator, delib.id);
  for (const [u, stance] of [
    [crowd[0]!, 'for'],
    [crowd[1]!, 'for'],
    [crowd[2]!, 'against'],
    [crowd[3]!, 'neutral'],
  ] as const)
    await t.http.put(`/api/v1/topics/${delib.id}/stance`).set(u.auth).send({ stance }).expect(200);
  // A thread six levels deep, and a few siblings.
  const chain: string[] = [];
  let parentId: string | undefined;
  const voices = [citizen, neighbour, facilitator, citizen, neighbour, citizen];
  for (let depth = 0; depth < 6; depth++) {
    const c = await postComment(t, voices[depth]!, delib.id, {
      body: `${depth + 1}단계 의견입니다. 그늘이 필요한 곳은 반포와 여의도입니다.`,
      ...(parentId ? { parentId } : {}),
    });
    chain.push(c.id);
    parentId = c.id;
  }
  await postComment(t, neighbour, delib.id, { body: '벤치 옆에 식수대도 있으면 좋겠습니다.' });
  await postComment(t, crowd[4]!, delib.id, { body: '아이들이 노는 곳 먼저 부탁드립니다.' });

  const answered = await createTopic(t, neighbour, space.id, {
    title: '마을버스 배차 간격을 줄여 주세요',
    body: '출퇴근 시간에 20분씩 기다립니다.',
  });
  for (const u of crowd.slice(0, 3))
    await t.http.put(`/api/v1/topics/${answered.id}/agree`).set(u.auth).expect(200);
  await t.http
    .post(`/api/v1/topics/${answered.id}/response`)
    .set(facilitator.auth)
    .send({
      body: '다음 달부터 출퇴근 시간 배차를 12분으로 줄이겠습니다.',
      role: '서울시 버스정책과',
    })
    .expect(200);

  const proposed = await createTopic(t, neighbour, space.id, {
    title: '동네 도서관 주말 운영 시간 연장',
    body: '토요일 저녁까지 열어 주세요.',
  });
  await t.http.put(`/api/v1/topics/${proposed.id}/agree`).set(crowd[5]!.auth).expect(200);

  const live = await liveRoom(t, facilitator, delib.id, {
    streamUrl: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  });
  const chat = await connected(t.url, { token: citizen.token });
  await ok(chat, 'room:join', { roomId: live.id });
  await ok(chat, 'chat:send', { roomId: live.id, body: '반포 쪽 그늘막은 언제 생기나요?' });
  await ok(chat, 'question:ask', { roomId: live.id, body: '예산은 얼마나 드나요?' });

  const past = await createRoom(t, facilitator, delib.id, { title: '지난 타운홀: 그늘막 설명회' });
  await t.http.post(`/api/v1/rooms/${past.id}/start`).set(facilitator.auth).expect(200);
  await ok(chat, 'room:join', { roomId: past.id });
  await ok(chat, 'chat:send', { roomId: past.id, body: '설명 감사합니다.' });
  await ok(chat, 'question:ask', { roomId: past.id, body: '공사는 언제 시작하나요?' });
  // Two minutes of attendance, as the sampler writes them.
  await t.app.get(DataSource).query(
    `INSERT INTO room_attendance (room_id, at, node, count)
     VALUES ($1, date_trunc('minute', now()) - interval '2 minutes', 'a', 12),
            ($1, date_trunc('minute', now()) - interval '1 minute', 'a', 30),
            ($1, date_trunc('minute', now()), 'a', 18)`,
    [past.id],
  );
  await t.http.post(`/api/v1/rooms/${past.id}/end`).set(facilitator.auth).expect(200);
  closeAll();
  return {
    admin,
    facilitator,
    citizen,
    neighbour,
    space,
    deliberating: delib.id,
    answered: answered.id,
    proposed: proposed.id,
    chain,
    liveRoom: live.id,
    endedRoom: past.id,
  };
}
