import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands over one batch per interval, a key once, the newest value by default', async () => {
    const batches: Map<string, number>[] = [];
    const c = new Coalescer<string, number>(200, (batch) => void batches.push(batch));
    c.add('a', 1);
    c.add('b', 1);
    c.add('a', 2);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(199);
    expect(batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    ]);
    c.add('a', 3);
    await jest.advanceTimersByTimeAsync(200);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toEqual(new Map([['a', 3]]));
  });

  it('merges with the given function', async () => {
    const batches: Map<string, number>[] = [];
    const c = new Coalescer<string, number>(
      100,
      (batch) => void batches.push(batch),
      (sum, n) => (sum ?? 0) + n,
    );
    for (let i = 0; i < 5; i++) c.add('👏', 1);
    await jest.advanceTimersByTimeAsync(100);
    expect(batches).toEqual([new Map([['👏', 5]])]);
  });

  it('never runs two flushes at once, and a failing one does not stop the next', async () => {
    const events: string[] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    let calls = 0;
    const c = new Coalescer<string, number>(10, async (batch) => {
      calls++;
      events.push(`start ${[...batch.keys()].join()}`);
      if (calls === 1) await first;
      if (calls === 2) throw new Error('database down');
      events.push(`end ${[...batch.keys()].join()}`);
    });
    c.add('a', 1);
    await jest.advanceTimersByTimeAsync(10);
    c.add('b', 1);
    await jest.advanceTimersByTimeAsync(10);
    c.add('c', 1);
    await jest.advanceTimersByTimeAsync(10);
    expect(events).toEqual(['start a']);
    release();
    await c.drain();
    expect(events).toEqual(['start a', 'end a', 'start b', 'start c', 'end c']);
  });

  it('drain flushes now; take hands the pending values over without a flush; close forgets them', async () => {
    const batches: Map<string, number>[] = [];
    const c = new Coalescer<string, number>(1000, (batch) => void batches.push(batch));
    c.add('a', 1);
    await c.drain();
    expect(batches).toEqual([new Map([['a', 1]])]);
    c.add('b', 2);
    expect(c.take()).toEqual(new Map([['b', 2]]));
    c.add('c', 3);
    c.close();
    await jest.advanceTimersByTimeAsync(2000);
    expect(batches).toHaveLength(1);
  });
});
