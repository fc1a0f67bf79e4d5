/**
 * A pass every node makes on a timer (the schedulers that move topics and budgets by their
 * dates): one pass at a time, a tick that finds the last one still running is skipped, and
 * shutdown waits for the pass in flight. Each pass claims its rows with FOR UPDATE SKIP LOCKED
 * itself, so nodes running it at once never do one row's work twice.
 */
export class PeriodicPass {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  /**
   * `pass` answers how many rows it moved; `onDone` hears that when it is not zero, `onError`
   * any failure (the next tick tries again).
   */
  constructor(
    private readonly pass: () => Promise<number>,
    private readonly onDone: (moved: number) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Every `seconds` (0: never, on this node). */
  start(seconds: number): void {
    if (seconds === 0) return;
    this.timer = setInterval(() => void this.tick(), seconds * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.pass();
    try {
      const moved = await this.running;
      if (moved > 0) this.onDone(moved);
    } catch (err) {
      this.onError(err);
    } finally {
      this.running = undefined;
    }
  }
}
