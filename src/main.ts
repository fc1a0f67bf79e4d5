import 'reflect-metadata';
import { type AddressInfo } from 'node:net';
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
  let address: AddressInfo;
  try {
    config = { ...config, DATABASE_URL: await database.url() };
    const app = await createApp(config, logger);
    database.closeFirst(() => app.close());
    await app.listen(config.PORT, config.HOST);
    address = app.getHttpServer().address() as AddressInfo;
  } catch (err) {
    logger.fatal({ err }, 'failed to start');
    process.stderr.write(
      `Madang did not start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    await database.shutdown('startup-failure', 1);
    return;
  }
  const url = listeningUrl(address);
  logger.info(
    { url, embeddedDatabase: database.embedded, redis: !!config.REDIS_URL },
    `Madang is listening on ${url}`,
  );
  // The same, for a person at the terminal: the JSON log on stdout is for machines.
  process.stderr.write(`Madang is listening on ${url}\n`);
}

/** The address to open: a wildcard bind is reached on localhost; IPv6 literals get brackets. */
function listeningUrl({ address, port }: AddressInfo): string {
  if (address === '0.0.0.0' || address === '::') return `http://localhost:${port}`;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

void main();
