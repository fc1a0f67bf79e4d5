import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DataSource } from 'typeorm';
import { type AppConfig, ConfigError, Environment, loadConfig } from './core/config/env';
import { dataSourceOptions } from './core/database/data-source';
import { runMigrations } from './core/database/database.module';
import { ProcessDatabase } from './core/database/process-database';
import { createLogger, type Logger } from './core/logging/logger';
import { PasswordHasher } from './identity/auth/password-hasher';
import { AdminAccounts } from './identity/users/admin-accounts';

/**
 * Operator commands, run from the built output: `node dist/cli.js <command> [options]`.
 * The database is found exactly as the server finds it: DATABASE_URL, or else the embedded
 * PostgreSQL in EMBEDDED_PG_DIR (started for the command and stopped again afterwards).
 *
 * Exit codes: 0 done, 1 failed, 2 bad usage or input, 78 invalid environment.
 */

const USAGE = `Usage: node dist/cli.js <command> [options]

Commands:
  admin:create [--email EMAIL] [--password PASSWORD]
      Creates an administrator, or promotes the existing account with that email.
      An existing account keeps its password. Defaults: ADMIN_EMAIL, ADMIN_PASSWORD.
      The password needs at least 10 characters.

The database comes from DATABASE_URL, or the embedded PostgreSQL in EMBEDDED_PG_DIR when it
is unset (stop the server first: one embedded folder serves one process at a time).
`;

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_CONFIG = 78;

/** A problem with what the operator typed: reported without a stack trace. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

/**
 * Checks the administrator's email and password with the very rules the server applies to
 * ADMIN_EMAIL and ADMIN_PASSWORD (declared once, on Environment).
 */
function validateAdmin(
  email: string | undefined,
  password: string | undefined,
): { email: string; password: string } {
  const problems: string[] = [];
  if (!email) problems.push('an email is required (--email or ADMIN_EMAIL)');
  if (!password) problems.push('a password is required (--password or ADMIN_PASSWORD)');
  if (email && password) {
    const candidate = plainToInstance(Environment, {
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: password,
    });
    for (const error of validateSync(candidate)) {
      if (error.property === 'ADMIN_EMAIL' || error.property === 'ADMIN_PASSWORD') {
        problems.push(...Object.values(error.constraints ?? {}));
      }
    }
  }
  if (!email || !password || problems.length > 0) {
    throw new UsageError(`invalid administrator:\n  - ${problems.join('\n  - ')}`);
  }
  return { email, password };
}

async function createAdmin(args: string[]): Promise<void> {
  let values: { email?: string; password?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: { email: { type: 'string' }, password: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), true);
  }
  const { email, password } = validateAdmin(
    (values.email ?? process.env.ADMIN_EMAIL)?.trim(),
    values.password ?? process.env.ADMIN_PASSWORD,
  );

  // The rest of the environment is validated as the server would (a ConfigError ends the
  // command); the administrator given here stands in for ADMIN_EMAIL/ADMIN_PASSWORD.
  const config = loadConfig({ ...process.env, ADMIN_EMAIL: email, ADMIN_PASSWORD: password });
  const logger = createLogger(config.LOG_LEVEL).child({ component: 'cli' });

  const outcome = await withDatabase(config, logger, async (dataSource) => {
    await runMigrations(dataSource, logger);
    return new AdminAccounts(dataSource, new PasswordHasher(config)).ensureAdmin(email, password);
  });
  process.stdout.write(`administrator ${email.toLowerCase()}: ${outcome}\n`);
}

/**
 * Runs `work` against the configured database, resolved as src/main.ts does, and always
 * releases it: the pool is closed, then an embedded PostgreSQL started here is stopped, also
 * when the command is interrupted (a PostgreSQL without its owner would keep the folder).
 */
async function withDatabase<T>(
  config: AppConfig,
  logger: Logger,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const database = new ProcessDatabase(config, logger, 'command');
  try {
    const dataSource = new DataSource(dataSourceOptions(await database.url(), 2));
    database.closeFirst(async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    });
    await dataSource.initialize();
    return await work(dataSource);
  } finally {
    await database.release();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'admin:create':
        await createAdmin(args);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        process.stderr.write(
          `${command === undefined ? 'No command given.' : `Unknown command: ${command}`}\n\n${USAGE}`,
        );
        return EXIT_USAGE;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${command}: ${error.message}\n${error.showUsage ? `\n${USAGE}` : ''}`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CONFIG;
    }
    // The stack only helps when debugging; the message says what went wrong.
    const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
    const detail = error instanceof Error ? (verbose ? error.stack : error.message) : String(error);
    process.stderr.write(`${command}: failed: ${detail ?? String(error)}\n`);
    return EXIT_FAILED;
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
