import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { eventually } from '../utils/eventually';

interface Item {
  id: string;
  body: string | null;
  status: string;
  agreeCount: number;
  myAgree?: boolean;
}

/**
 * The shared cache of anonymous thread pages: one read per page and version for everyone,
 * never a page that misses a change readers must see at once, never a signed-in reader's page.
 */
describe('anonymous thread pages: the shared cache', () => {
  let t: TestApp;
  let author: TestUser;
  let reader: TestUser;
  let facilitator: TestUser;
  let topicId: string;
  let path: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await createAdmin(t);
    author = await registerUser(t, { displayName: '글쓴이' });
    reader = await registerUser(t, { displayName: '읽는이' });
    facilitator = await registerUser(t, { displayName: '진행자' });
    const space = await createSpace(t, admin);
    await makeFacilitator(t, admin, space.id, facilitator);
    topicId = (await createTopic(t, author, space.id)).id;
    path = `/api/v1/topics/${topicId}/comments?limit=50&replies=3`;
  });
  afterAll(() => t.close());

  const anonymous = async (): Promise<{ items: Item[]; etag: string }> => {
    const res = await t.http.get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    return { items: (res.body as { items: Item[] }).items, etag: String(res.headers.etag) };
  };

  const served = async (): Promise<{ hit: number; miss: number }> => {
    const text = (await t.http.get('/metrics').expect(200)).text;
    const count = (outcome: string): number =>
      Number(
        new RegExp(`^madang_public_page_cache_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(
          text,
        )?.[1] ?? 0,
      );
    return { hit: count('hit'), miss: count('miss') };
  };

  it('answers the same page with a validator, and 304 to a reader who has it', async () => {
    await postComment(t, author, topicId, { body: '첫 의견입니다.' });
    const before = await served();
    const first = await anonymous();
    const second = await anonymous();
    const after = await served();
    // Made once, then shared (within the second the cache keeps it).
    expect(after.miss - before.miss).toBe(1);
    expect(after.hit - before.hit).toBe(1);
    expect(second.items).toEqual(first.items);
    expect(second.etag).toBe(first.etag);
    const again = await t.http.get(path).set('If-None-Match', first.etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
  });

  it('a new comment is on the next page at once, whatever was cached', async () => {
    const before = await anonymous();
    const comment = await postComment(t, author, topicId, { body: '방금 쓴 의견입니다.' });
    const after = await anonymous();
    expect(after.items.map((c) => c.id)).toContain(comment.id);
    expect(after.etag).not.toBe(before.etag);
    // The old validator no longer matches: the reader gets the new page.
    const res = await t.http.get(path).set('If-None-Match', before.etag);
    expect(res.status).toBe(200);
  });

  it('a hidden comment loses its text on the next page at once', async () => {
    const comment = await postComment(t, author, topicId, { body: '개인정보가 담긴 의견' });
    expect((await anonymous()).items.find((c) => c.id === comment.id)?.body).toBe(
      '개인정보가 담긴 의견',
    );
    await t.http
      .post(`/api/v1/comments/${comment.id}/hide`)
      .set(facilitator.auth)
      .send({ reason: '개인정보 노출' })
      .expect(200);
    const hidden = (await anonymous()).items.find((c) => c.id === comment.id);
    expect(hidden?.status).toBe('hidden');
    expect(hidden?.body).toBeNull();
  });

  it('signed-in readers get their own page, never the shared one', async () => {
    const comment = await postComment(t, author, topicId, { body: '공감할 의견입니다.' });
    await anonymous(); // cached for everyone else at this seq
    await t.http.put(`/api/v1/comments/${comment.id}/agree`).set(reader.auth).expect(200);
    const mine = await t.http.get(path).set(reader.auth).expect(200);
    const item = (mine.body as { items: Item[] }).items.find((c) => c.id === comment.id);
    expect(item?.myAgree).toBe(true);
    expect(item?.agreeCount).toBe(1);
    expect(mine.headers['cache-control']).toBeUndefined();
    // An agree does not move the topic's seq: anonymous pages show it within the cache's
    // second, not necessarily at once.
    await eventually(
      async () => (await anonymous()).items.find((c) => c.id === comment.id)?.agreeCount,
      (count) => count === 1,
      3000,
    );
    const shared = (await anonymous()).items.find((c) => c.id === comment.id);
    expect(shared?.myAgree).toBeUndefined();
  });

  it('pages asked differently are cached apart, and refusals are not cached', async () => {
    const small = await t.http.get(`/api/v1/topics/${topicId}/comments?limit=1`).expect(200);
    expect((small.body as { items: Item[] }).items).toHaveLength(1);
    expect((await anonymous()).items.length).toBeGreaterThan(1);
    await t.http.get(`/api/v1/topics/${topicId}/comments?limit=0`).expect(400);
    await t.http.get(`/api/v1/topics/${topicId}/comments?limit=1`).expect(200);
    await t.http.get(`/api/v1/topics/not-a-uuid/comments`).expect(400);
    await t.http.get(`/api/v1/topics/00000000-0000-4000-8000-000000000000/comments`).expect(404);
  });
});
