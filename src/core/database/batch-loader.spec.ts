import { BatchLoader, GroupedBatchLoader } from './batch-loader';

describe('BatchLoader', () => {
  it('loads the keys of one turn with one call, each key once, and answers every caller', async () => {
    const calls: string[][] = [];
    const loader = new BatchLoader<string, string>(async (keys) => {
      calls.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'missing'].map((k) => loader.get(k)));
    expect(answers).toEqual(['A', 'B', 'A', undefined]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
    // A later turn is a new batch.
    expect(await loader.get('c')).toBe('C');
    expect(calls).toEqual([['a', 'b', 'missing'], ['c']]);
  });

  it('fails the waiters of a failed batch only', async () => {
    let fail = true;
    const loader = new BatchLoader<number, number>(async (keys) => {
      if (fail) throw new Error('down');
      return new Map(keys.map((k) => [k, k * 2]));
    });
    const failed = await Promise.allSettled([loader.get(1), loader.get(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.get(3)).toBe(6);
  });
});

describe('GroupedBatchLoader', () => {
  it('loads each group of a turn with its own call, and a failing group fails only its waiters', async () => {
    const calls: [string, number[]][] = [];
    const loader = new GroupedBatchLoader<string, number, string>(async (group, keys) => {
      calls.push([group, keys]);
      if (group === 'broken') throw new Error('down');
      return new Map(keys.map((k) => [k, `${group}:${k}`]));
    });
    const answers = await Promise.allSettled([
      loader.get('a', 1),
      loader.get('b', 1),
      loader.get('a', 2),
      loader.get('a', 1),
      loader.get('broken', 1),
    ]);
    expect(answers.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([
      'a:1',
      'b:1',
      'a:2',
      'a:1',
      'failed',
    ]);
    expect(calls).toEqual([
      ['a', [1, 2]],
      ['b', [1]],
      ['broken', [1]],
    ]);
  });
});
