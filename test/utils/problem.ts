import type { Response } from 'supertest';

/** Asserts an RFC 9457 answer with this status and code; returns its field names. */
export function expectProblem(res: Response, status: number, code: string): string[] {
  expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  return (res.body.errors ?? []).map((e: { field: string }) => e.field);
}

/** A 400 that names exactly these fields (order-insensitive, duplicates folded). */
export function expectFieldErrors(res: Response, fields: string[]): void {
  const named = expectProblem(
    res,
    400,
    res.body.code === 'malformed_json' ? 'malformed_json' : 'validation_failed',
  );
  expect([...new Set(named)].sort()).toEqual([...new Set(fields)].sort());
}
