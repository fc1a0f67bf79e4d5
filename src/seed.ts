import 'reflect-metadata';
import { createApp } from './app.factory';
import { type AppConfig, ConfigError, loadConfig } from './core/config/env';
import { EmbeddedDatabaseInUse } from './core/database/embedded-postgres';
import { ProcessDatabase } from './core/database/process-database';
import { createLogger } from './core/logging/logger';

import { formatSummary, seedDemo } from './seed/demo';

export { type DemoSummary, formatSummary, seedDemo } from './seed/demo';
export { DEMO_EMAILS, DEMO_PASSWORDS, DEMO_SLUGS, DEMO_TOPICS } from './seed/demo-constants';

// ── command line: `npm run seed` (node dist/seed.js) ──────────────────────────────────

const EXIT_FAILED = 1;
const EXIT_REFUSED = 2;
const EXIT_CONFIG = 78;

/**
 * Resolves the database as the server does (DATABASE_URL, or the embedded PostgreSQL in
 * EMBEDDED_PG_DIR, started here and stopped at the end), boots the application without
 * listening, seeds, and shuts everything down again.
 */
async function main(): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    throw error;
  }
  if (config.NODE_ENV === 'production') {
    process.stderr.write(
      'seed: refusing to add demo accounts with known passwords in production\n',
    );
    return EXIT_REFUSED;
  }
  // Quiet unless asked: the summary is the output.
  const logger = createLogger(process.env.LOG_LEVEL ? config.LOG_LEVEL : 'warn');

  // Interrupted: the app is closed and the embedded PostgreSQL stopped, so the folder is not
  // left locked.
  const database = new ProcessDatabase(config, logger, 'command');
  try {
    config = { ...config, DATABASE_URL: await database.url() };
    // The deadline timer stays off: the seed applies the one deadline it needs itself.
    const app = await createApp({ ...config, SCHEDULER_INTERVAL_SECONDS: 0 }, logger);
    database.closeFirst(() => app.close());
    await app.init();
    const started = Date.now();
    const summary = await seedDemo(app);
    process.stdout.write(formatSummary(summary));
    if (summary.created) {
      process.stdout.write(`\nSeeded in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      process.stdout.write(
        database.embedded ? ' Start the server with `npm start` to see it.\n' : '\n',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof EmbeddedDatabaseInUse) {
      process.stderr.write(
        `seed: refused: ${error.message}.\n` +
          '  Stop the server, run `npm run seed`, then `npm start` again.\n',
      );
      return EXIT_REFUSED;
    }
    const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
    const detail = error instanceof Error ? (verbose ? error.stack : error.message) : String(error);
    process.stderr.write(`seed: failed: ${detail ?? String(error)}\n`);
    return EXIT_FAILED;
  } finally {
    await database.release();
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
