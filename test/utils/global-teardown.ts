import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const name = process.env.MADANG_TEST_DATABASE;
  const adminUrl =
    process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!name || process.env.KEEP_TEST_DATABASE) return;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}
