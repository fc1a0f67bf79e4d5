import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './core/config/env';
import { ProcessDatabase } from './core/database/process-database';
import { createLogger } from './core/logging/logger';

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

  // Handles SIGTERM/SIGINT from here on, so a signal during the first start (initdb) still
  // stops whatever has been started; on a signal it closes the server, then PostgreSQL.
  const database = new ProcessDatabase(config, logger, 'server');
  try {
    config = { ...config, DATABASE_URL: await database.url() };
    const app = await createApp(config, logger);
    database.closeFirst(() => app.close());
    await app.listen(config.PORT, config.HOST);
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    await database.shutdown('startup-failure', 1);
    return;
  }
  logger.info(
    {
      url: `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`,
      embeddedDatabase: database.embedded,
      redis: !!config.REDIS_URL,
    },
    'Madang is listening',
  );
}

void main();
