import { randomUUID } from 'node:crypto';
import { AdminAccounts } from '../../src/identity/users/admin-accounts';
import { type TestApp } from '../utils/app';

export interface TestUser {
  id: string;
  email: string;
  displayName: string;
  token: string;
  auth: { Authorization: string };
}

let counter = 0;

export const uniqueEmail = (prefix = 'citizen'): string =>
  `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${randomUUID().slice(0, 6)}@test.madang`;

/** Registers through the public API, as a person would. */
export async function registerUser(
  t: TestApp,
  overrides: Partial<{ email: string; password: string; displayName: string }> = {},
): Promise<TestUser> {
  const body = {
    email: overrides.email ?? uniqueEmail(),
    password: overrides.password ?? 'correct horse battery',
    displayName: overrides.displayName ?? '시민 테스트',
  };
  const res = await t.http.post('/api/v1/auth/register').send(body).expect(201);
  const token = res.body.accessToken as string;
  return {
    id: res.body.user.id,
    email: body.email,
    displayName: body.displayName,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

/** An administrator, bootstrapped the way ADMIN_EMAIL does it, then signed in. */
export async function createAdmin(t: TestApp): Promise<TestUser> {
  const email = uniqueEmail('admin');
  const password = 'admin password 123';
  await t.app.get(AdminAccounts).ensureAdmin(email, password);
  const res = await t.http.post('/api/v1/auth/login').send({ email, password }).expect(200);
  const token = res.body.accessToken as string;
  return {
    id: res.body.user.id,
    email,
    displayName: res.body.user.displayName,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

let slugCounter = 0;
// The random part keeps two test workers apart: each counts from 0, and two can start a space
// in the same millisecond (a 409 on a slug another file had just taken).
export const uniqueSlug = (prefix = 'space'): string =>
  `${prefix}-${Date.now().toString(36)}-${(slugCounter++).toString(36)}-${randomUUID().slice(0, 6)}`;

export async function createSpace(
  t: TestApp,
  admin: TestUser,
  overrides: Record<string, unknown> = {},
): Promise<{ id: string; slug: string }> {
  const res = await t.http
    .post('/api/v1/spaces')
    .set(admin.auth)
    .send({ slug: uniqueSlug(), name: '서울시 시민참여예산', ...overrides })
    .expect(201);
  return res.body;
}

export async function makeFacilitator(
  t: TestApp,
  admin: TestUser,
  spaceId: string,
  user: TestUser,
): Promise<void> {
  await t.http.put(`/api/v1/spaces/${spaceId}/facilitators/${user.id}`).set(admin.auth).expect(200);
}
