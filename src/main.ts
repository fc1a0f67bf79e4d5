import 'reflect-metadata';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './core/config/env';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './core/database/embedded-postgres';
import { createLogger } from './core/logging/logger';

/** Gives in-flight requests this long to finish on shutdown before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);

  let embedded: EmbeddedDatabase | undefined;
  if (!config.DATABASE_URL) {
    embedded = await startEmbeddedPostgres(config.EMBEDDED_PG_DIR, config.EMBEDDED_PG_PORT, logger);
    config = { ...config, DATABASE_URL: embedded.url };
  }

  let app: NestExpressApplication | undefined;
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS + 5000);
    force.unref();
    try {
      await app?.close();
    } catch (err) {
      logger.error({ err }, 'error while closing the server');
    }
    // The database goes last, after every request that needed it has finished.
    await embedded?.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    app = await createApp(config, logger);
    await app.listen(config.PORT, config.HOST);
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    await embedded?.stop();
    process.exit(1);
  }
  logger.info(
    { url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`, embeddedDatabase: !!embedded, redis: !!config.REDIS_URL },
    'Madang is listening',
  );
}

void main();
