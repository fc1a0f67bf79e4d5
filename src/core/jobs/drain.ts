/**
 * A drain that runs at most once at a time on this node: `nudge()` starts it, and a nudge while
 * it runs makes it go round once more when it ends, so work committed during a pass is never
 * left for the next sweep. Used by the workers that empty a table's due rows (the notifier, the
 * email sender): the rows, not this object, are the queue, so a node that dies loses nothing.
 */
export class Drain {
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Resolves once no pass is running (for shutdown); a stopped owner nudges no more. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }
}
