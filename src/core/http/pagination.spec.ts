import { decodeCursor, encodeCursor, toPage } from './pagination';
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
