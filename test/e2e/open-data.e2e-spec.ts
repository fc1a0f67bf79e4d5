import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BATCH } from '../../src/open-data/open-data.service';
import {
  COMMENTS,
  DAILY_AGREES,
  DATASETS,
  TOPIC_TIMELINE,
  TOPICS,
} from '../../src/open-data/datasets';
import {
  createAdmin,
  createSpace,
  makeFacilitator,
  registerUser,
  type TestUser,
} from '../factories/identity';
import { bulkUsers, createTopic, postComment } from '../factories/topics';
import { startTestApp, type TestApp } from '../utils/app';
import { expectFieldErrors, expectProblem } from '../utils/problem';

/** RFC 4180 records (quoted fields, doubled quotes, CRLF or LF inside quotes). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length > 0) throw new Error('CSV does not end with CRLF');
  return records;
}

/** CSV records as objects by header name. */
function csvObjects(text: string): Record<string, string>[] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  return rows.map((row) => {
    expect(row).toHaveLength(header!.length);
    return Object.fromEntries(header!.map((name, i) => [name, row[i]!]));
  });
}

describe('open data', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: TestUser;
  let author: TestUser;
  let voices: TestUser[];
  let space: { id: string; slug: string };
  let topic: { id: string };
  let rejected: { id: string };
  const tricky = '공원, 그리고 "쉼터"\n둘째 줄: 놀이터\r\n셋째 줄';
  const hiddenText = `hidden-${randomUUID()}`;
  const deletedText = `deleted-${randomUUID()}`;
  let visibleId: string;
  let visibleBody: string;
  let hiddenId: string;
  let deletedId: string;
  let replyId: string;

  const get = (path: string, query: Record<string, string> = {}) =>
    t.http.get(`/api/v1/open-data/${path}`).query(query);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    admin = await createAdmin(t);
    author = await registerUser(t, { displayName: '제안자 김' });
    voices = await bulkUsers(t, 3, 'open-data');
    space = await createSpace(t, admin, { thresholds: { review: 2 } });
    const facilitator = await registerUser(t, { displayName: '진행자' });
    await makeFacilitator(t, admin, space.id, facilitator);

    topic = await createTopic(t, author, space.id, {
      title: '마을 공원, "쉼터" 만들기',
      body: '=SUM(A1) 이 아니라 진짜 제안입니다.\n둘째 줄',
      tags: ['공원', 'green space'],
    });
    rejected = await createTopic(t, author, space.id, { title: '반려될 제안입니다' });
    await t.http
      .post(`/api/v1/topics/${rejected.id}/transitions`)
      .set(facilitator.auth)
      .send({ to: 'rejected', reason: '중복 제안, 다른 제안과 합칩니다' })
      .expect(200);

    for (const voice of voices) {
      await t.http.put(`/api/v1/topics/${topic.id}/agree`).set(voice.auth).expect(200);
    }
    const visible = await postComment(t, voices[0]!, topic.id, { body: tricky });
    visibleId = visible.id;
    // As stored: the API keeps line breaks (normalised to \n), commas, quotes and Korean.
    visibleBody = visible.body as string;
    expect(visibleBody).toBe(tricky.replace(/\r\n/g, '\n'));
    replyId = (
      await postComment(t, voices[1]!, topic.id, { body: '동의합니다', parentId: visibleId })
    ).id;
    hiddenId = (await postComment(t, voices[1]!, topic.id, { body: hiddenText })).id;
    await t.http
      .post(`/api/v1/comments/${hiddenId}/hide`)
      .set(facilitator.auth)
      .send({ reason: '욕설' })
      .expect(200);
    deletedId = (await postComment(t, voices[2]!, topic.id, { body: deletedText })).id;
    await t.http.delete(`/api/v1/comments/${deletedId}`).set(voices[2]!.auth).expect(204);
  });

  afterAll(async () => {
    await t.close();
  });

  it('lists the datasets with their columns, public and without a token', async () => {
    const res = await t.http.get('/api/v1/open-data').expect(200);
    expect(res.body).toEqual({
      licence: null,
      datasets: DATASETS.map((d) => ({
        name: d.name,
        title: d.title,
        description: d.description,
        path: `/api/v1/open-data/${d.name}`,
        formats: ['json', 'csv'],
        columns: d.columns,
      })),
    });
    expect(res.body.datasets.map((d: { name: string }) => d.name)).toEqual([
      'topics',
      'topic-timeline',
      'comments',
      'daily-agrees',
      'budget-results',
    ]);
  });

  it('exports the topics with their counts, statuses and milestones', async () => {
    const res = await get('topics', { spaceId: space.id }).expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const byId = new Map<string, Record<string, unknown>>(
      res.body.map((r: Record<string, unknown>) => [r.id, r]),
    );
    expect([...byId.keys()].sort()).toEqual([topic.id, rejected.id].sort());
    const row = byId.get(topic.id)!;
    expect(Object.keys(row)).toEqual(TOPICS.columns.map((c) => c.name));
    expect(row).toMatchObject({
      space_id: space.id,
      space_slug: space.slug,
      title: '마을 공원, "쉼터" 만들기',
      body: '=SUM(A1) 이 아니라 진짜 제안입니다.\n둘째 줄',
      tags: ['공원', 'green space'],
      status: 'under_review', // 3 agrees ≥ review 2
      rung: 1,
      author_name: '제안자 김',
      agree_count: 3,
      comment_count: 4,
      stance_for: 0,
      review_reached_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      deliberation_opened_at: null,
      answered_at: null,
      rejected_reason: null,
    });
    expect(byId.get(rejected.id)).toMatchObject({
      status: 'rejected',
      rejected_reason: '중복 제안, 다른 제안과 합칩니다',
      review_reached_at: null,
    });
  });

  it('writes the same topics as CSV: a header, CRLF, quoted commas, quotes and line breaks', async () => {
    const json = (await get('topics', { spaceId: space.id }).expect(200)).body;
    const res = await get('topics', { spaceId: space.id, format: 'csv' }).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe('attachment; filename="madang-topics.csv"');
    const text = res.text;
    expect(text.split('\r\n')[0]).toBe(`\uFEFF${TOPICS.columns.map((c) => c.name).join(',')}`);
    const rows = csvObjects(text);
    expect(rows).toHaveLength(json.length);
    const row = rows.find((r) => r.id === topic.id)!;
    expect(row.title).toBe('마을 공원, "쉼터" 만들기');
    expect(text).toContain('"마을 공원, ""쉼터"" 만들기"');
    // A formula is defused in CSV (a leading apostrophe), kept as written in JSON.
    expect(row.body).toBe("'=SUM(A1) 이 아니라 진짜 제안입니다.\n둘째 줄");
    expect(row.tags).toBe('공원;green space');
    expect(row.agree_count).toBe('3');
    expect(row.deliberation_opened_at).toBe('');
    expect(row.created_at).toBe(json.find((j: { id: string }) => j.id === topic.id).created_at);
  });

  it('exports comments: hidden and deleted ones without text, the rest exactly as written', async () => {
    for (const format of ['json', 'csv'] as const) {
      const res = await get('comments', { topicId: topic.id, format }).expect(200);
      const raw = format === 'csv' ? res.text : JSON.stringify(res.body);
      expect(raw).not.toContain(hiddenText);
      expect(raw).not.toContain(deletedText);
      const rows: Record<string, unknown>[] = format === 'csv' ? csvObjects(res.text) : res.body;
      const empty = format === 'csv' ? '' : null;
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect([...byId.keys()].sort()).toEqual([visibleId, replyId, hiddenId, deletedId].sort());
      expect(byId.get(visibleId)).toMatchObject({
        body: visibleBody,
        status: 'visible',
        author_name: voices[0]!.displayName,
        parent_id: empty,
        depth: format === 'csv' ? '0' : 0,
      });
      expect(byId.get(replyId)).toMatchObject({ parent_id: visibleId, body: '동의합니다' });
      expect(byId.get(hiddenId)).toMatchObject({
        body: empty,
        status: 'hidden',
        hidden_reason: '욕설',
        author_name: voices[1]!.displayName,
      });
      expect(byId.get(deletedId)).toMatchObject({
        body: empty,
        status: 'deleted',
        author_name: empty,
        stance: empty,
      });
      if (format === 'json') {
        expect(Object.keys(rows[0]!)).toEqual(COMMENTS.columns.map((c) => c.name));
      }
    }
  });

  it('publishes nothing personal beyond display names: no emails, no user ids', async () => {
    const people = [admin, author, ...voices];
    for (const dataset of DATASETS) {
      for (const format of ['json', 'csv']) {
        const res = await get(dataset.name, { spaceId: space.id, format }).expect(200);
        for (const person of people) {
          expect(res.text).not.toContain(person.email);
          expect(res.text).not.toContain(person.id);
        }
      }
    }
  });

  it('exports the public timelines with their actors by display name', async () => {
    const res = await get('topic-timeline', { topicId: rejected.id }).expect(200);
    expect(res.body.map((r: Record<string, unknown>) => Object.keys(r))[0]).toEqual(
      TOPIC_TIMELINE.columns.map((c) => c.name),
    );
    expect(res.body).toEqual([
      expect.objectContaining({
        topic_id: rejected.id,
        seq: 1,
        type: 'created',
        actor_name: '제안자 김',
      }),
      expect.objectContaining({
        type: 'transitioned',
        actor_name: '진행자',
        status_from: 'proposed',
        status_to: 'rejected',
        reason: '중복 제안, 다른 제안과 합칩니다',
      }),
    ]);
    const climbed = await get('topic-timeline', { topicId: topic.id }).expect(200);
    expect(climbed.body).toContainEqual(
      expect.objectContaining({
        type: 'ladder_crossed',
        rung: 'review',
        count: 2,
        actor_name: null,
      }),
    );
  });

  it('counts agrees per day in the time zone asked for, with a running total', async () => {
    // Two agrees moved into the past: 2026-03-01 15:30 UTC is 2026-03-02 00:30 in Seoul.
    await db.query(
      `UPDATE topic_agrees SET created_at = $3 WHERE topic_id = $1 AND user_id = ANY($2)`,
      [topic.id, [voices[0]!.id, voices[1]!.id], '2026-03-01T15:30:00Z'],
    );
    const utc = await get('daily-agrees', { topicId: topic.id }).expect(200);
    expect(Object.keys(utc.body[0])).toEqual(DAILY_AGREES.columns.map((c) => c.name));
    // The third agree's own day, as the database has it (a test running at midnight agrees).
    const [third] = await db.query<{ day: string }[]>(
      `SELECT (created_at AT TIME ZONE 'UTC')::date::text AS day FROM topic_agrees
        WHERE topic_id = $1 AND user_id = $2`,
      [topic.id, voices[2]!.id],
    );
    const today = third!.day;
    expect(utc.body).toEqual([
      { topic_id: topic.id, space_id: space.id, day: '2026-03-01', agrees: 2, cumulative: 2 },
      { topic_id: topic.id, space_id: space.id, day: today, agrees: 1, cumulative: 3 },
    ]);
    const seoul = await get('daily-agrees', { topicId: topic.id, timeZone: 'Asia/Seoul' }).expect(
      200,
    );
    expect(seoul.body[0]).toMatchObject({ day: '2026-03-02', agrees: 2, cumulative: 2 });
    // A range keeps the running total of the days before it.
    const later = await get('daily-agrees', { topicId: topic.id, from: '2026-03-02' }).expect(200);
    expect(later.body).toEqual([expect.objectContaining({ day: today, agrees: 1, cumulative: 3 })]);
    const csv = await get('daily-agrees', { topicId: topic.id, format: 'csv' }).expect(200);
    expect(csvObjects(csv.text)[0]).toEqual({
      topic_id: topic.id,
      space_id: space.id,
      day: '2026-03-01',
      agrees: '2',
      cumulative: '2',
    });
  });

  it(`streams more rows than one batch (${BATCH}) in both formats, each row once`, async () => {
    const bulk = await createTopic(t, author, space.id, { title: '댓글이 아주 많은 제안' });
    const count = BATCH * 2 + 7;
    await db.query(
      `INSERT INTO comments (topic_id, author_id, body)
       SELECT $1, $2, '댓글 ' || n FROM generate_series(1, $3) AS n`,
      [bulk.id, voices[0]!.id, count],
    );
    const json = await get('comments', { topicId: bulk.id }).expect(200);
    expect(json.body).toHaveLength(count);
    expect(new Set(json.body.map((r: { id: string }) => r.id)).size).toBe(count);
    const csv = await get('comments', { topicId: bulk.id, format: 'csv' }).expect(200);
    const rows = csvObjects(csv.text);
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((r) => r.body))).toEqual(
      new Set(Array.from({ length: count }, (_, i) => `댓글 ${i + 1}`)),
    );
  });

  it('answers bad query parameters with a 400 naming the field', async () => {
    expectFieldErrors(await get('topics', { format: 'xml' }), ['format']);
    expectFieldErrors(await get('topics', { spaceId: 'not-a-uuid' }), ['spaceId']);
    expectFieldErrors(await get('topics', { limit: '10' }), ['limit']);
    expectFieldErrors(await get('comments', { topicId: '123' }), ['topicId']);
    expectFieldErrors(await get('topic-timeline', { topicId: 'x', format: 'pdf' }), [
      'topicId',
      'format',
    ]);
    expectFieldErrors(await get('daily-agrees', { timeZone: 'Mars/Olympus_Mons' }), ['timeZone']);
    expectFieldErrors(await get('daily-agrees', { from: '2026-02-30' }), ['from']);
    expectFieldErrors(await get('daily-agrees', { to: '01/03/2026' }), ['to']);
    expectFieldErrors(await get('daily-agrees', { from: '2026-03-02', to: '2026-03-01' }), ['to']);
  });

  it('answers an unknown space or topic with 404, not an empty file', async () => {
    expectProblem(await get('topics', { spaceId: randomUUID() }), 404, 'not_found');
    expectProblem(
      await get('comments', { topicId: randomUUID(), format: 'csv' }),
      404,
      'not_found',
    );
    expectProblem(await get('daily-agrees', { topicId: randomUUID() }), 404, 'not_found');
  });
});
