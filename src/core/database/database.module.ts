import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { type PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/env';
import { LOGGER } from '../logging/logging.module';
import { type Logger } from '../logging/logger';
import { MetricsService } from '../metrics/metrics.service';
import { dataSourceOptions } from './data-source';

/** Any constant works; it only has to be the same on every node. */
const MIGRATION_LOCK = 727_366_001;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so several nodes starting at once
 * apply each migration exactly once: the others wait, then find nothing to do.
 */
export async function runMigrations(dataSource: DataSource, logger: Logger): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0)
      logger.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.DATABASE_URL)
          throw new Error('DATABASE_URL must be resolved before the app starts');
        return {
          ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
          retryAttempts: 3,
        };
      },
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {}

  async onModuleInit(): Promise<void> {
    // The driver's pg pool (`master`; no replicas are configured): its gauges and timeouts.
    this.metrics.watchPool((this.dataSource.driver as PostgresDriver).master as Pool);
    if (this.config.MIGRATIONS_RUN) await runMigrations(this.dataSource, this.logger);
  }
}
