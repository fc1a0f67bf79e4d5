import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one description of the database, shared by the application and the TypeORM CLI
 * (`npm run migration:*`). Entities and migrations are found by glob so the same file works
 * from `src/` (tests) and from `dist/` (the built server and the CLI).
 */
export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(__dirname, '..', '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    // PostgreSQL 13+ has gen_random_uuid() built in: no extension needed.
    uuidExtension: 'pgcrypto',
    extra: {
      max: poolSize,
      // Fail fast rather than queue forever when the database is unreachable.
      connectionTimeoutMillis: 5000,
      application_name: 'madang',
    },
  };
}

/** Used by the TypeORM CLI only; reads DATABASE_URL from the environment. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/madang'),
);
