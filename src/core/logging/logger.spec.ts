import pino from 'pino';
import { Writable } from 'node:stream';
import { NestPinoLogger } from './logger';

/** A pino logger at `level` whose lines are kept, parsed. */
function capture(level: pino.LevelWithSilent): {
  logger: NestPinoLogger;
  lines: { level: number; msg: string; context?: string }[];
} {
  const lines: { level: number; msg: string; context?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')));
      done();
    },
  });
  return { logger: new NestPinoLogger(pino({ level }, sink)), lines };
}

describe('NestPinoLogger', () => {
  it("keeps Nest's start-up lines (route mapping, modules) out of an info log", () => {
    const { logger, lines } = capture('info');
    logger.log('Mapped {/api/v1/spaces, GET} route', 'RouterExplorer');
    logger.log('SpacesController {/api/v1/spaces}:', 'RoutesResolver');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('something the application said', 'AdminBootstrap');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[30, 'something the application said']]);
  });

  it('writes them at debug', () => {
    const { logger, lines } = capture('debug');
    logger.log('Mapped {/api/v1/spaces, GET} route', 'RouterExplorer');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 20,
        msg: 'Mapped {/api/v1/spaces, GET} route',
        context: 'RouterExplorer',
      }),
    ]);
  });

  it('keeps warnings and errors of any context', () => {
    const { logger, lines } = capture('info');
    logger.warn('careful', 'RoutesResolver');
    logger.error('broken', 'trace', 'InstanceLoader');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'careful'],
      [50, 'broken'],
    ]);
  });
});
