import { GroupedBatchWriter } from './batch-loader';

describe('GroupedBatchWriter', () => {
  it('writes the items of one turn per group in one call, answering each item in order', async () => {
    const calls: [string, number[]][] = [];
    const writer = new GroupedBatchWriter<string, number, string>(async (group, items) => {
      calls.push([group, items]);
      return items.map((n) => `${group}:${n * 10}`);
    });
    const answers = await Promise.all([
      writer.submit('a', 1),
      writer.submit('b', 2),
      writer.submit('a', 3),
      writer.submit('a', 1),
    ]);
    expect(answers).toEqual(['a:10', 'b:20', 'a:30', 'a:10']);
    expect(calls).toEqual([
      ['a', [1, 3, 1]],
      ['b', [2]],
    ]);
    // A later turn is a new batch.
    expect(await writer.submit('a', 5)).toBe('a:50');
    expect(calls).toHaveLength(3);
  });

  it("fails only the failed group's items", async () => {
    const writer = new GroupedBatchWriter<string, number, number>(async (group, items) => {
      if (group === 'bad') throw new Error('refused');
      return items;
    });
    const [good, bad1, bad2] = await Promise.allSettled([
      writer.submit('good', 1),
      writer.submit('bad', 2),
      writer.submit('bad', 3),
    ]);
    expect(good).toEqual({ status: 'fulfilled', value: 1 });
    expect(bad1).toMatchObject({ status: 'rejected', reason: new Error('refused') });
    expect(bad2).toMatchObject({ status: 'rejected', reason: new Error('refused') });
  });
});
