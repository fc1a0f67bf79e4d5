import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { createLogger } from '../logging/logger';
import { toProblem } from './problem-details.filter';
import { pickLang } from './i18n/lang';
import { Problem, problemBody } from './problem';

describe('toProblem', () => {
  const logger = createLogger('silent');

  it('keeps a Problem as it is', () => {
    const problem = Problem.field('email', 'email');
    expect(toProblem(problem, logger)).toBe(problem);
  });

  it('hides unexpected errors behind a generic 500 with no stack or SQL', () => {
    const error = new QueryFailedError(
      'SELECT secret FROM users WHERE x = $1',
      ['p'],
      new Error('relation "users" does not exist'),
    );
    const body = problemBody(toProblem(error, logger), 'en');
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

  it('writes title, detail and field messages in Korean unless English is asked for', () => {
    const problem = Problem.field('closesAt', 'future');
    expect(problemBody(problem, 'ko')).toMatchObject({
      title: '잘못된 요청',
      detail: '입력한 내용을 확인해 주세요 — 마감 시각(closesAt): 앞으로의 시각이어야 합니다',
      errors: [{ field: 'closesAt', message: '앞으로의 시각이어야 합니다' }],
    });
    expect(problemBody(problem, 'en')).toMatchObject({
      title: 'Bad Request',
      detail: 'closesAt: must be in the future',
      errors: [{ field: 'closesAt', message: 'must be in the future' }],
    });
    expect(problemBody(Problem.notFound('Topic'), 'ko').detail).toBe('의제를 찾을 수 없습니다.');
    expect(problemBody(Problem.notFound('Room'), 'ko').detail).toBe('타운홀을 찾을 수 없습니다.');
    expect(problemBody(Problem.notFound('Topic'), 'en').detail).toBe('Topic not found');
  });

  it('reads the language from Accept-Language, Korean by default', () => {
    expect(pickLang(undefined)).toBe('ko');
    expect(pickLang('en')).toBe('en');
    expect(pickLang('en-GB,en;q=0.9')).toBe('en');
    expect(pickLang('fr, en;q=0.5, ko;q=0.8')).toBe('ko');
    expect(pickLang('fr, de')).toBe('ko');
    expect(pickLang('en;q=0, ko;q=0')).toBe('ko');
  });

  it('maps the router 404 to a sentence of its own', () => {
    const problem = toProblem(new NotFoundException('Cannot GET /api/v1/nope'), logger);
    expect(problemBody(problem, 'ko').detail).toBe('/api/v1/nope 주소를 찾을 수 없습니다.');
    expect(problemBody(problem, 'en').detail).toBe('Cannot GET /api/v1/nope');
  });

  it('does not expose a 5xx HttpException message', () => {
    const problem = toProblem(new HttpException('db password is hunter2', 503), logger);
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toContain('hunter2');
  });
});
