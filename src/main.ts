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
  let starting: Promise<EmbeddedDatabase> | undefined;
  let app: NestExpressApplication | undefined;
  let stopping = false;
  const shutdown = async (signal: string, code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS + 5000);
    force.unref();
    // A signal during the embedded database's start waits for it, so it can be stopped too.
    if (!embedded && starting) embedded = await starting.catch(() => undefined);
    try {
      await app?.close();
    } catch (err) {
      logger.error({ err }, 'error while closing the server');
    }
    // The database goes last, after every request that needed it has finished.
    try {
      await embedded?.stop();
    } catch (err) {
      logger.error({ err }, 'error while stopping the embedded database');
    }
    logger.info('stopped');
    process.exit(code);
  };
  // Installed before anything starts, so a signal during the first start (initdb) still
  // stops whatever has been started.
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    if (!config.DATABASE_URL) {
      starting = startEmbeddedPostgres(config.EMBEDDED_PG_DIR, config.EMBEDDED_PG_PORT, logger);
      embedded = await starting;
      config = { ...config, DATABASE_URL: embedded.url };
    }
    if (stopping) return;
    app = await createApp(config, logger);
    await app.listen(config.PORT, config.HOST);
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    await shutdown('startup-failure', 1);
    return;
  }
  logger.info(
    {
      url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`,
      embeddedDatabase: !!embedded,
      redis: !!config.REDIS_URL,
    },
    'Madang is listening',
  );
}

void main();
