import { PeriodicPass } from './periodic-pass';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicPass', () => {
  it('skips a tick while the last pass runs, reports what moved, and stop waits for the pass', async () => {
    let passes = 0;
    let finished = 0;
    const moved: number[] = [];
    const job = new PeriodicPass(
      async () => {
        passes++;
        await sleep(2500); // longer than two ticks
        finished++;
        return 3;
      },
      (n) => moved.push(n),
      () => undefined,
    );
    job.start(1);
    await sleep(2300);
    expect(passes).toBe(1);
    await job.stop();
    expect(finished).toBe(1);
    expect(moved).toEqual([3]);
  });

  it('never runs when started with 0 seconds', async () => {
    let passes = 0;
    const job = new PeriodicPass(
      () => Promise.resolve(passes++),
      () => undefined,
      () => undefined,
    );
    job.start(0);
    await sleep(50);
    await job.stop();
    expect(passes).toBe(0);
  });
});
