import { createLogger } from '../logging/logger';
import { type EmbeddedDatabase } from './embedded-postgres';
import { ProcessDatabase } from './process-database';

const logger = createLogger('silent');
const EMBEDDED = { EMBEDDED_PG_DIR: '/nowhere', EMBEDDED_PG_PORT: 1 };

/** A stand-in for the embedded PostgreSQL: records what happens to it, starts when told. */
function fakeStart(steps: string[]): {
  start: () => Promise<EmbeddedDatabase>;
  finishStart: () => void;
  starts: () => number;
} {
  let count = 0;
  let finish: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (finish = resolve));
  return {
    start: async () => {
      count += 1;
      steps.push('postgres starting');
      await started;
      return {
        url: 'postgres://embedded/madang',
        stop: async () => {
          steps.push('postgres stopped');
        },
      };
    },
    finishStart: () => finish(),
    starts: () => count,
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ProcessDatabase', () => {
  const listeners = (): number =>
    process.listenerCount('SIGINT') + process.listenerCount('SIGTERM');
  let exit: jest.SpyInstance;
  let baseline: number;
  beforeEach(() => {
    baseline = listeners();
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
  });
  afterEach(() => exit.mockRestore());

  it('uses DATABASE_URL as it is and starts nothing', async () => {
    const steps: string[] = [];
    const fake = fakeStart(steps);
    const database = new ProcessDatabase(
      { ...EMBEDDED, DATABASE_URL: 'postgres://db.internal/madang' },
      logger,
      'command',
      fake.start,
    );
    expect(database.embedded).toBe(false);
    expect(await database.url()).toBe('postgres://db.internal/madang');
    database.closeFirst(async () => {
      steps.push('pool closed');
    });
    await database.release();
    expect(steps).toEqual(['pool closed']);
    expect(fake.starts()).toBe(0);
    expect(listeners()).toBe(baseline);
  });

  it('starts the embedded PostgreSQL once and stops it last, after what uses it (newest first)', async () => {
    const steps: string[] = [];
    const fake = fakeStart(steps);
    const database = new ProcessDatabase(EMBEDDED, logger, 'server', fake.start);
    expect(database.embedded).toBe(true);
    expect(listeners()).toBe(baseline + 2);
    fake.finishStart();
    const [a, b] = await Promise.all([database.url(), database.url()]);
    expect([a, b]).toEqual(['postgres://embedded/madang', 'postgres://embedded/madang']);
    database.closeFirst(async () => {
      steps.push('app closed');
    });
    database.closeFirst(async () => {
      steps.push('server closed');
      throw new Error('a failed close does not keep PostgreSQL running');
    });
    await Promise.all([database.release(), database.release()]);
    expect(steps).toEqual(['postgres starting', 'server closed', 'app closed', 'postgres stopped']);
    expect(fake.starts()).toBe(1);
    expect(listeners()).toBe(baseline);
    expect(exit).not.toHaveBeenCalled();
  });

  it('a signal during the start waits for it, stops PostgreSQL and exits 0 (server)', async () => {
    const steps: string[] = [];
    const fake = fakeStart(steps);
    const database = new ProcessDatabase(EMBEDDED, logger, 'server', fake.start);
    let resolved = false;
    void database.url().then(() => (resolved = true));
    await settle();
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT'); // a second signal changes nothing
    await settle();
    expect(steps).toEqual(['postgres starting']);
    expect(exit).not.toHaveBeenCalled();
    fake.finishStart();
    await database.release();
    await settle();
    expect(steps).toEqual(['postgres starting', 'postgres stopped']);
    expect(exit.mock.calls).toEqual([[0]]);
    // Nothing may start using a database that is being stopped.
    expect(resolved).toBe(false);
    expect(listeners()).toBe(baseline);
  });

  it('a signal during a command closes its pool, then PostgreSQL, and exits 1', async () => {
    const steps: string[] = [];
    const fake = fakeStart(steps);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const database = new ProcessDatabase(EMBEDDED, logger, 'command', fake.start);
      fake.finishStart();
      await database.url();
      database.closeFirst(async () => {
        steps.push('pool closed');
      });
      process.emit('SIGINT', 'SIGINT');
      await database.release();
      await settle();
      expect(steps).toEqual(['postgres starting', 'pool closed', 'postgres stopped']);
      expect(exit.mock.calls).toEqual([[1]]);
      expect(stderr).toHaveBeenCalledWith('SIGINT: stopping\n');
    } finally {
      stderr.mockRestore();
    }
  });
});
