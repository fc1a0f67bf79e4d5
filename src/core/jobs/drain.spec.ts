import { Drain } from './drain';

describe('Drain', () => {
  it('runs one pass at a time, and once more for nudges that came during a pass', async () => {
    let passes = 0;
    let release: () => void = () => undefined;
    const drain = new Drain(
      () =>
        new Promise<void>((resolve) => {
          passes++;
          release = resolve;
        }),
      () => undefined,
    );
    drain.nudge();
    drain.nudge();
    drain.nudge();
    expect(passes).toBe(1);
    release();
    await new Promise((r) => setImmediate(r));
    expect(passes).toBe(2); // the two nudges during the first pass: one more pass
    release();
    await drain.idle();
    expect(passes).toBe(2);
  });

  it('reports a failed pass and keeps working', async () => {
    const errors: unknown[] = [];
    let fail = true;
    let passes = 0;
    const drain = new Drain(
      async () => {
        passes++;
        if (fail) throw new Error('boom');
      },
      (err) => errors.push(err),
    );
    drain.nudge();
    await drain.idle();
    fail = false;
    drain.nudge();
    await drain.idle();
    expect(passes).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
