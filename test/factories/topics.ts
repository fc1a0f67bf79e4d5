import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TokenService } from '../../src/identity/auth/token.service';
import { type TestApp } from '../utils/app';
import { type TestUser } from './identity';

/**
 * Many users at once, for concurrency tests: inserted in one statement (registration through
 * the API would only measure password hashing), with real signed tokens.
 */
export async function bulkUsers(t: TestApp, count: number, prefix = 'bulk'): Promise<TestUser[]> {
  const db = t.app.get(DataSource);
  const tokens = t.app.get(TokenService);
  const run = randomUUID().slice(0, 8);
  const emails = Array.from({ length: count }, (_, i) => `${prefix}-${run}-${i}@test.madang`);
  const rows: { id: string; email: string; display_name: string }[] = await db.query(
    `INSERT INTO users (email, password_hash, display_name)
     SELECT e, 'not-a-login', '시민 ' || ord FROM unnest($1::text[]) WITH ORDINALITY AS x(e, ord)
     RETURNING id, email, display_name`,
    [emails],
  );
  return rows.map((row) => {
    const token = tokens.sign({ id: row.id, tokenVersion: 0 });
    return {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      token,
      auth: { Authorization: `Bearer ${token}` },
    };
  });
}

export interface TopicBody {
  id: string;
  status: string;
  spaceId: string;
  [key: string]: unknown;
}

export async function createTopic(
  t: TestApp,
  author: TestUser,
  spaceId: string,
  overrides: Record<string, unknown> = {},
): Promise<TopicBody> {
  const res = await t.http
    .post(`/api/v1/spaces/${spaceId}/topics`)
    .set(author.auth)
    .send({
      title: '성북구 마을공동체 텃밭 조성',
      body: '빈 땅을 주민 텃밭으로 만들어 주세요.',
      ...overrides,
    })
    .expect(201);
  return res.body;
}

export async function postComment(
  t: TestApp,
  author: TestUser,
  topicId: string,
  body: Record<string, unknown> = {},
): Promise<{ id: string; [key: string]: unknown }> {
  const res = await t.http
    .post(`/api/v1/topics/${topicId}/comments`)
    .set(author.auth)
    .send({ body: '좋은 제안입니다.', ...body })
    .expect(201);
  return res.body;
}

/** Opens a deliberation by a facilitator (below the threshold, with a reason). */
export async function openDeliberation(
  t: TestApp,
  facilitator: TestUser,
  topicId: string,
): Promise<void> {
  await t.http
    .post(`/api/v1/topics/${topicId}/transitions`)
    .set(facilitator.auth)
    .send({ to: 'deliberating', reason: '우수제안' })
    .expect(200);
}
