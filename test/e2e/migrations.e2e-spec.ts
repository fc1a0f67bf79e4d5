import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source';

/**
 * Every migration, on a database of its own: all applied, all reverted (newest first), all
 * applied again. Each `down` must undo its `up` exactly, so the schema after the second run is
 * the schema after the first, and nothing but the migrations table is left in between.
 */
describe('migrations round trip', () => {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL!;
  const name = `madang_migrations_${Date.now()}_${process.pid}`;
  let dataSource: DataSource;

  /** The schema as PostgreSQL describes it: tables, columns, constraints, indexes, routines. */
  async function schema(): Promise<Record<string, string[]>> {
    const list = async (sql: string): Promise<string[]> =>
      (await dataSource.query<{ item: string }[]>(sql)).map((r) => r.item);
    return {
      tables: await list(
        `SELECT table_name AS item FROM information_schema.tables
          WHERE table_schema = 'public' ORDER BY 1`,
      ),
      columns: await list(
        `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
                || ' ' || coalesce(column_default, '') AS item
           FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1`,
      ),
      constraints: await list(
        `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS item
           FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`,
      ),
      indexes: await list(
        `SELECT indexdef AS item FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
      ),
      // An extension's own functions belong to the extension, listed apart.
      routines: await list(
        `SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' AS item
           FROM pg_proc p
          WHERE p.pronamespace = 'public'::regnamespace
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
          ORDER BY 1`,
      ),
      types: await list(
        `SELECT t.typname AS item FROM pg_type t
          WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd') ORDER BY 1`,
      ),
      extensions: await list(`SELECT extname AS item FROM pg_extension ORDER BY 1`),
    };
  }

  const applied = async (): Promise<number> =>
    Number((await dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM migrations`))[0]!.n);

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    dataSource = new DataSource(dataSourceOptions(url.toString(), 2));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('runs all, reverts all, runs all again to the same schema', async () => {
    const total = dataSource.migrations.length;
    expect(total).toBeGreaterThan(0);

    const first = await dataSource.runMigrations({ transaction: 'each' });
    expect(first).toHaveLength(total);
    const built = await schema();
    expect(built.tables).toEqual(expect.arrayContaining(['users', 'spaces', 'topics', 'comments']));
    expect(built.routines).toEqual(
      expect.arrayContaining(['audit_log_append_only()', 'madang_refuse(code text)']),
    );
    expect(built.extensions).toContain('pg_trgm');

    for (let left = total; left > 0; left--) {
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await applied()).toBe(left - 1);
    }
    // Only TypeORM's own bookkeeping is left, and the extensions: migrations create them with
    // IF NOT EXISTS and leave them, since other users of the database may rely on them.
    expect(await schema()).toEqual({
      extensions: built.extensions,
      tables: ['migrations'],
      columns: [
        "migrations.id integer NO nextval('migrations_id_seq'::regclass)",
        'migrations.name character varying NO ',
        'migrations.timestamp bigint NO ',
      ],
      constraints: [expect.stringMatching(/^migrations \S+ PRIMARY KEY \(id\)$/)],
      indexes: [expect.stringContaining('ON public.migrations USING btree (id)')],
      routines: [],
      types: [],
    });

    const again = await dataSource.runMigrations({ transaction: 'each' });
    expect(again.map((m) => m.name)).toEqual(first.map((m) => m.name));
    expect(await schema()).toEqual(built);
  }, 120_000);

  it('refuses, in words, to revert site-wide auditing once the log has site-wide rows', async () => {
    // After the round trip every migration is applied. A site-wide audit row (a role change).
    const [user] = await dataSource.query<{ id: string }[]>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ($1, 'x', '관리자')
       RETURNING id`,
      [`site-audit-${Date.now()}@test.madang`],
    );
    await dataSource.query(
      `INSERT INTO audit_log (space_id, actor_id, action, target_type, target_id)
       VALUES (NULL, $1, 'user.role', 'user', $1)`,
      [user!.id],
    );
    const last = async (): Promise<string> =>
      (
        await dataSource.query<{ name: string }[]>(
          `SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`,
        )
      )[0]!.name;
    while ((await last()) !== 'SiteAudit1795740000000')
      await dataSource.undoLastMigration({ transaction: 'each' });
    const before = await applied();
    await expect(dataSource.undoLastMigration({ transaction: 'each' })).rejects.toThrow(
      /SiteAudit cannot be reverted: audit_log holds 1 site-wide row/,
    );
    // Nothing was undone: the migration is still recorded and the column still takes NULL.
    expect(await applied()).toBe(before);
    expect(await last()).toBe('SiteAudit1795740000000');
    const [column] = await dataSource.query<{ is_nullable: string }[]>(
      `SELECT is_nullable FROM information_schema.columns
        WHERE table_name = 'audit_log' AND column_name = 'space_id'`,
    );
    expect(column!.is_nullable).toBe('YES');
  }, 120_000);
});
