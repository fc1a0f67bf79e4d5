import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source';
import { readEnvFile } from './env-file';

/**
 * Creates a fresh database for this test run on the real PostgreSQL and applies every
 * migration to it, exactly as a server start would. Workers inherit DATABASE_URL.
 */
export default async function globalSetup(): Promise<void> {
  const fileEnv = readEnvFile(join(__dirname, '..', '..', 'config', 'test.env'));
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? fileEnv.TEST_DATABASE_ADMIN_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_ADMIN_URL is not set (see config/test.env)');
  const name = `madang_test_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  // Databases left by interrupted runs more than a day old are removed.
  const stale = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE 'madang_test_%'`,
  );
  for (const { datname } of stale.rows) {
    const started = Number(datname.split('_')[2]);
    if (Date.now() - started > 24 * 3600 * 1000)
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.MADANG_TEST_DATABASE = name;

  const dataSource = new DataSource(dataSourceOptions(url.toString(), 2));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
}
