import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AdminAccounts } from '../../src/identity/users/admin-accounts';
import { createAdmin, registerUser, uniqueEmail } from '../factories/identity';
import { startTestApp, type TestApp } from '../utils/app';
import { expectFieldErrors, expectProblem } from '../utils/problem';

describe('identity', () => {
  let t: TestApp;
  let db: DataSource;
  /**
   * Users holding any email or display name that appears in `body`. Other test files write
   * users concurrently, so "nothing written" is checked on the request's own values.
   */
  const usersLike = async (body: unknown): Promise<number> => {
    const values =
      JSON.stringify(body ?? null)
        .match(/"[^"]*"/g)
        ?.map((v) => JSON.parse(v) as string) ?? [];
    const rows = await db.query(
      'SELECT 1 FROM users WHERE email = ANY($1) OR lower(email) = ANY($1) OR display_name = ANY($1)',
      [values.concat(values.map((v) => v.trim().toLowerCase()))],
    );
    return rows.length;
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('register, login, me', () => {
    it('registers a citizen and returns a working token', async () => {
      const email = uniqueEmail();
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({
          email: `  ${email.toUpperCase()} `,
          password: 'correct horse battery',
          displayName: ' 김시민 ',
        })
        .expect(201);
      expect(res.body.user).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        displayName: '김시민',
        role: 'citizen',
        createdAt: expect.any(String),
      });
      expect(res.body.tokenType).toBe('Bearer');
      expect(res.body.expiresIn).toBeGreaterThan(0);
      expect(JSON.stringify(res.body)).not.toMatch(/password/i);

      const me = await t.http
        .get('/api/v1/me')
        .set('Authorization', `Bearer ${res.body.accessToken}`)
        .expect(200);
      expect(me.body).toMatchObject({ id: res.body.user.id, email, role: 'citizen', spaces: [] });
    });

    it('stores a slow salted hash, never the password', async () => {
      const a = await registerUser(t, { password: 'same password 1' });
      const b = await registerUser(t, { password: 'same password 1' });
      const rows: { password_hash: string }[] = await db.query(
        'SELECT password_hash FROM users WHERE id = ANY($1) ORDER BY id',
        [[a.id, b.id]],
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0]?.password_hash).not.toBe(rows[1]?.password_hash);
    });

    it('logs in case-insensitively by email', async () => {
      const user = await registerUser(t);
      const res = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email.toUpperCase(), password: 'correct horse battery' })
        .expect(200);
      expect(res.body.user.id).toBe(user.id);
    });

    it('answers a wrong password and an unknown email identically', async () => {
      const user = await registerUser(t);
      const wrong = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'not the password' });
      const unknown = await t.http
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('nobody'), password: 'not the password' });
      expectProblem(wrong, 401, 'invalid_credentials');
      expectProblem(unknown, 401, 'invalid_credentials');
      expect(wrong.body.detail).toBe(unknown.body.detail);
      expect(wrong.body.title).toBe(unknown.body.title);
    });

    it('refuses a duplicate email with 409 and writes nothing', async () => {
      const user = await registerUser(t);
      const body = {
        email: user.email.toUpperCase(),
        password: 'another password',
        displayName: '다른 사람 409',
      };
      expect(await usersLike(body)).toBe(1);
      const res = await t.http.post('/api/v1/auth/register').send(body);
      expectProblem(res, 409, 'email_taken');
      expect(await usersLike(body)).toBe(1);
    });

    it('requires a token for /me and rejects bad ones', async () => {
      expectProblem(await t.http.get('/api/v1/me'), 401, 'unauthorized');
      expectProblem(
        await t.http.get('/api/v1/me').set('Authorization', 'Bearer nope'),
        401,
        'unauthorized',
      );
      expectProblem(
        await t.http.get('/api/v1/me').set('Authorization', 'Basic abc'),
        401,
        'unauthorized',
      );
    });

    it('refuses alg:none, a wrong signature and an expired token', async () => {
      const user = await registerUser(t);
      const [header, payload] = user.token.split('.');
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      expectProblem(
        await t.http.get('/api/v1/me').set('Authorization', `Bearer ${none}`),
        401,
        'unauthorized',
      );
      const forged = `${header}.${payload}.${Buffer.from('forged-signature').toString('base64url')}`;
      expectProblem(
        await t.http.get('/api/v1/me').set('Authorization', `Bearer ${forged}`),
        401,
        'unauthorized',
      );

      const expired = new JwtService().sign(
        { sub: user.id, ver: 0, exp: Math.floor(Date.now() / 1000) - 10 },
        { secret: t.config.JWT_SECRET, algorithm: 'HS256' },
      );
      expectProblem(
        await t.http.get('/api/v1/me').set('Authorization', `Bearer ${expired}`),
        401,
        'token_expired',
      );
    });

    it('a token that worked is refused once it expires (checked tokens are remembered, their expiry is not)', async () => {
      const user = await registerUser(t);
      const exp = Math.floor(Date.now() / 1000) + 2;
      const short = new JwtService().sign(
        { sub: user.id, ver: 0, exp },
        { secret: t.config.JWT_SECRET, algorithm: 'HS256' },
      );
      const bearer = `Bearer ${short}`;
      await t.http.get('/api/v1/me').set('Authorization', bearer).expect(200);
      await t.http.get('/api/v1/me').set('Authorization', bearer).expect(200);
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
      expectProblem(
        await t.http.get('/api/v1/me').set('Authorization', bearer),
        401,
        'token_expired',
      );
    });

    it('logout ends every session of the user', async () => {
      const user = await registerUser(t);
      const second = await t.http
        .post('/api/v1/auth/login')
        .send({ email: user.email, password: 'correct horse battery' })
        .expect(200);
      await t.http.post('/api/v1/auth/logout').set(user.auth).expect(204);
      expectProblem(await t.http.get('/api/v1/me').set(user.auth), 401, 'unauthorized');
      expectProblem(
        await t.http.get('/api/v1/me').set('Authorization', `Bearer ${second.body.accessToken}`),
        401,
        'unauthorized',
      );
    });
  });

  describe('bad input writes nothing', () => {
    // Unique values, so "nothing written" can be checked on them alone (other test files
    // register users at the same time).
    const run = Date.now().toString(36);
    const valid = {
      email: `valid-${run}@test.madang`,
      password: 'correct horse battery',
      displayName: `검증 ${run}`,
    };
    const cases: [string, unknown, string[]][] = [
      ['missing fields', {}, ['email', 'password', 'displayName']],
      ['unknown field', { ...valid, role: 'admin' }, ['role']],
      ['invalid email', { ...valid, email: 'not-an-email' }, ['email']],
      [
        'wrong types',
        { email: 42, password: true, displayName: ['x'] },
        ['email', 'password', 'displayName'],
      ],
      ['too short password', { ...valid, password: 'short' }, ['password']],
      ['too long password', { ...valid, password: 'x'.repeat(129) }, ['password']],
      ['too long name', { ...valid, displayName: '가'.repeat(51) }, ['displayName']],
      ['blank name', { ...valid, displayName: '   ' }, ['displayName']],
      ['control characters in name', { ...valid, displayName: 'bad\u0007name' }, ['displayName']],
      ['newline in name', { ...valid, displayName: 'two\nlines' }, ['displayName']],
      ['bidi override in name', { ...valid, displayName: 'abc\u202Edef' }, ['displayName']],
      ['too long email', { ...valid, email: `${'a'.repeat(250)}@x.io` }, ['email']],
      ['an array body', [valid], []],
    ];

    it.each(cases)('register: %s → 400 naming the fields', async (_name, body, fields) => {
      const res = await t.http.post('/api/v1/auth/register').send(body as object);
      if (fields.length > 0) expectFieldErrors(res, fields);
      else expectProblem(res, 400, 'validation_failed');
      expect(await usersLike(body)).toBe(0);
    });

    it('register: malformed JSON → 400 malformed_json naming the body', async () => {
      const email = `malformed-${Date.now()}@test.madang`;
      const res = await t.http
        .post('/api/v1/auth/register')
        .set('Content-Type', 'application/json')
        .send(`{"email": "${email}", "password": `);
      expectFieldErrors(res, ['body']);
      expect(res.body.code).toBe('malformed_json');
      expect(await usersLike({ email })).toBe(0);
    });

    it('register: an oversized body → 413', async () => {
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ ...valid, displayName: 'x'.repeat(200_000) });
      expectProblem(res, 413, 'payload_too_large');
    });

    it('login: missing, unknown and wrong-typed fields → 400', async () => {
      expectFieldErrors(await t.http.post('/api/v1/auth/login').send({}), ['email', 'password']);
      expectFieldErrors(
        await t.http
          .post('/api/v1/auth/login')
          .send({ email: 'a@b.co', password: 'x', remember: true }),
        ['remember'],
      );
      expectFieldErrors(
        await t.http.post('/api/v1/auth/login').send({ email: 'a@b.co', password: 5 }),
        ['password'],
      );
    });
  });

  describe('roles', () => {
    it('an admin promotes and demotes; a citizen may not', async () => {
      const admin = await createAdmin(t);
      const citizen = await registerUser(t);
      const other = await registerUser(t);

      expectProblem(
        await t.http
          .patch(`/api/v1/users/${other.id}/role`)
          .set(citizen.auth)
          .send({ role: 'admin' }),
        403,
        'forbidden',
      );
      const promoted = await t.http
        .patch(`/api/v1/users/${other.id}/role`)
        .set(admin.auth)
        .send({ role: 'admin' })
        .expect(200);
      expect(promoted.body.role).toBe('admin');
      const [row] = await db.query('SELECT role FROM users WHERE id = $1', [other.id]);
      expect(row.role).toBe('admin');
    });

    it('validates the role change', async () => {
      const admin = await createAdmin(t);
      expectFieldErrors(
        await t.http.patch('/api/v1/users/not-a-uuid/role').set(admin.auth).send({ role: 'admin' }),
        ['id'],
      );
      const citizen = await registerUser(t);
      expectFieldErrors(
        await t.http
          .patch(`/api/v1/users/${citizen.id}/role`)
          .set(admin.auth)
          .send({ role: 'king' }),
        ['role'],
      );
      expectProblem(
        await t.http
          .patch('/api/v1/users/00000000-0000-4000-8000-000000000000/role')
          .set(admin.auth)
          .send({ role: 'admin' }),
        404,
        'not_found',
      );
      const [row] = await db.query('SELECT role FROM users WHERE id = $1', [citizen.id]);
      expect(row.role).toBe('citizen');
    });

    it('bootstraps the admin idempotently, never resetting its password', async () => {
      const users = t.app.get(AdminAccounts);
      const email = uniqueEmail('boot');
      expect(await users.ensureAdmin(email, 'first password 1')).toBe('created');
      expect(await users.ensureAdmin(email, 'second password 2')).toBe('unchanged');
      await t.http
        .post('/api/v1/auth/login')
        .send({ email, password: 'first password 1' })
        .expect(200);
      expectProblem(
        await t.http.post('/api/v1/auth/login').send({ email, password: 'second password 2' }),
        401,
        'invalid_credentials',
      );
    });
  });
});
