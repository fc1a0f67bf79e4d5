import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { createLogger } from '../logging/logger';
import { toProblem } from './problem-details.filter';
import { Problem, problemBody } from './problem';

describe('toProblem', () => {
  const logger = createLogger('silent');

  it('keeps a Problem as it is', () => {
    const problem = Problem.field('email', 'must be an email address');
    expect(toProblem(problem, logger)).toBe(problem);
  });

  it('hides unexpected errors behind a generic 500 with no stack or SQL', () => {
    const error = new QueryFailedError(
      'SELECT secret FROM users WHERE x = $1',
      ['p'],
      new Error('relation "users" does not exist'),
    );
    const body = problemBody(toProblem(error, logger));
    expect(body).toEqual({
      type: expect.any(String),
      title: 'Internal Server Error',
      status: 500,
      code: 'internal_error',
      detail: 'Something went wrong on our side.',
    });
    expect(JSON.stringify(body)).not.toMatch(/SELECT|users|stack|at /);
  });

  it('maps framework HTTP errors to stable codes', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), logger)).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    expect(toProblem(new HttpException('gone', 405), logger)).toMatchObject({
      status: 405,
      code: 'not_found',
    });
  });

  it('recognises malformed JSON and oversized bodies wrapped by the framework', () => {
    const parse = Object.assign(new SyntaxError('Unexpected end'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    expect(toProblem(new BadRequestException('x', { cause: parse }), logger)).toMatchObject({
      status: 400,
      code: 'malformed_json',
      errors: [{ field: 'body', message: 'must be valid JSON' }],
    });
    const big = Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 });
    expect(toProblem(new HttpException('x', 413, { cause: big }), logger)).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it('does not expose a 5xx HttpException message', () => {
    const problem = toProblem(new HttpException('db password is hunter2', 503), logger);
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toContain('hunter2');
  });
});
