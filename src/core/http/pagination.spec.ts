import { decodeCursor, decodeKeyset, encodeCursor, toPage } from './pagination';
import { Problem } from './problem';

describe('cursor pagination', () => {
  it('round-trips a keyset position', () => {
    const position = ['2026-11-21T00:00:00.000Z', 42, null, 'b6d7'];
    expect(decodeCursor(encodeCursor(position), 4)).toEqual(position);
  });

  it('refuses cursors of the wrong shape', () => {
    expect(() => decodeCursor('!!!', 1)).toThrow(Problem);
    expect(() => decodeCursor(encodeCursor(['a']), 2)).toThrow(Problem);
    expect(() => decodeCursor(Buffer.from('{"a":1}').toString('base64url'), 1)).toThrow(Problem);
  });

  it('checks every element of a keyset before it can reach SQL', () => {
    const id = 'b6d7c4a2-3f1e-4c5d-9a8b-7e6f5d4c3b2a';
    const ok = (v: unknown[], fields: Parameters<typeof decodeKeyset>[1]) =>
      decodeKeyset(encodeCursor(v as (string | number)[]), fields);
    expect(ok(['2026-11-21 09:30:00.123456+00', id], ['time', 'uuid'])).toEqual([
      '2026-11-21 09:30:00.123456+00',
      id,
    ]);
    expect(ok(['2026-11-21T09:30:00.123456Z', id], ['time', 'uuid'])).toHaveLength(2);
    expect(ok([42, id], ['int', 'uuid'])).toEqual([42, id]);
    expect(ok(['12345'], ['bigint'])).toEqual(['12345']);
    expect(ok(['서울', id], ['text', 'uuid'])).toEqual(['서울', id]);
    for (const [value, fields] of [
      [
        ['garbage', id],
        ['time', 'uuid'],
      ],
      [
        ['2026-13-45 99:99:99+00', id],
        ['time', 'uuid'],
      ],
      [
        [42, id],
        ['time', 'uuid'],
      ], // a cursor kept across a change of sort
      [
        ['2026-11-21T09:30:00Z', id],
        ['int', 'uuid'],
      ],
      [
        ['2026-11-21T09:30:00Z', 'not-a-uuid'],
        ['time', 'uuid'],
      ],
      [[1.5], ['int']],
      [['x'], ['int']],
      [['0'], ['bigint']],
      [
        [null, id],
        ['text', 'uuid'],
      ],
    ] as const)
      expect(() => ok([...value], fields)).toThrow(Problem);
  });

  it('uses the extra row only to say there is more', () => {
    const page = toPage(
      [1, 2, 3],
      2,
      (n) => n * 10,
      (n) => [n],
    );
    expect(page.items).toEqual([10, 20]);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual([2]);
    expect(
      toPage(
        [1, 2],
        2,
        (n) => n,
        (n) => [n],
      ).nextCursor,
    ).toBeNull();
  });
});
