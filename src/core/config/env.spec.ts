import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jwtSecretFile, loadConfig } from './env';

describe('loadConfig', () => {
  let data: string;
  /** A data folder of its own for every test: generated secrets land there, not in the repository. */
  let base: Record<string, string>;

  beforeEach(() => {
    data = mkdtempSync(join(tmpdir(), 'madang-env-'));
    base = { EMBEDDED_PG_DIR: join(data, 'postgres') };
  });
  afterEach(() => rmSync(data, { recursive: true, force: true }));

  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'x'.repeat(40),
    ADMIN_EMAIL: 'admin@city.example',
    ADMIN_PASSWORD: 'a-long-password',
  };

  it('applies defaults for a developer machine', () => {
    const config = loadConfig(base);
    expect(config.NODE_ENV).toBe('development');
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.EMBEDDED_POSTGRES).toBe(false);
    expect(config.CORS_ORIGINS).toEqual([]);
  });

  it('listens on the loopback interface unless HOST says otherwise', () => {
    expect(loadConfig(base).HOST).toBe('127.0.0.1');
    expect(loadConfig({ ...base, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('parses numbers, booleans and lists', () => {
    const config = loadConfig({
      ...base,
      PORT: '8080',
      MIGRATIONS_RUN: 'false',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
    });
    expect(config.PORT).toBe(8080);
    expect(config.MIGRATIONS_RUN).toBe(false);
    expect(config.CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
  });

  it('generates a development JWT secret once per data folder, readable by its owner only', () => {
    const path = jwtSecretFile(loadConfig(base));
    expect(path).toBe(join(data, 'jwt-secret'));
    const first = loadConfig(base).JWT_SECRET;
    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(readFileSync(path, 'utf8').trim()).toBe(first);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Kept across restarts: the next start reads it.
    expect(loadConfig(base).JWT_SECRET).toBe(first);

    // Another data folder, another secret: nothing is a constant.
    const other = mkdtempSync(join(tmpdir(), 'madang-env-'));
    try {
      expect(loadConfig({ EMBEDDED_PG_DIR: join(other, 'postgres') }).JWT_SECRET).not.toBe(first);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('uses JWT_SECRET when given, and writes no file then', () => {
    expect(loadConfig({ ...base, JWT_SECRET: 'y'.repeat(32) }).JWT_SECRET).toBe('y'.repeat(32));
    expect(() => statSync(join(data, 'jwt-secret'))).toThrow();
  });

  it('refuses a secret file that holds too little, naming it', () => {
    writeFileSync(join(data, 'jwt-secret'), 'short\n', { mode: 0o600 });
    expect(() => loadConfig(base)).toThrow(
      new RegExp(`${join(data, 'jwt-secret')} holds no secret of at least 32 characters`),
    );
  });

  it('refuses to start in production without secrets or a database, naming each', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_SECRET is required[\s\S]*ADMIN_EMAIL is required[\s\S]*ADMIN_PASSWORD is required[\s\S]*DATABASE_URL is required in production \(or set EMBEDDED_POSTGRES=true/,
    );
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => loadConfig({ ...base, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: 'https://a.example/path' })).toThrow(
      /CORS_ORIGINS/,
    );
    expect(() => loadConfig({ ...base, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('starts in production with its secrets and a DATABASE_URL', () => {
    const config = loadConfig({ ...production, DATABASE_URL: 'postgres://db.internal/madang' });
    expect(config.JWT_SECRET).toBe('x'.repeat(40));
  });

  it('runs the embedded PostgreSQL in production only when asked explicitly', () => {
    const config = loadConfig({ ...production, EMBEDDED_POSTGRES: 'true' });
    expect(config.EMBEDDED_POSTGRES).toBe(true);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('refuses EMBEDDED_POSTGRES together with a DATABASE_URL', () => {
    expect(() =>
      loadConfig({
        ...production,
        EMBEDDED_POSTGRES: 'true',
        DATABASE_URL: 'postgres://db.internal/madang',
      }),
    ).toThrow(/EMBEDDED_POSTGRES=true and DATABASE_URL exclude each other/);
  });
});
