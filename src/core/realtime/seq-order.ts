/** How long an event waits for an earlier one of its stream that has not arrived yet. */
export const SEQ_ORDER_WAIT_MS = 100;
/** Streams remembered at most; the least recently active idle ones are forgotten first. */
const MAX_STREAMS = 10_000;

interface Stream {
  /** The highest seq sent (or passed over) so far. */
  last: number;
  /** Events that arrived ahead of an earlier one, by seq; null for another node's event. */
  held: Map<number, (() => void) | null>;
  timer?: NodeJS.Timeout;
}

/**
 * Puts numbered events back in seq order before they are broadcast, per stream (a room, a
 * topic). Numbers follow commit order, but two transactions that commit a moment apart can
 * reach the broadcasting code the other way round: their commit answers come back on
 * different connections, a busy event loop may read the later one first, and some events
 * read their payload after the commit. Clients treat a jump in seq as a gap and call again
 * to replay it — in a room of thousands, a storm of catch-up reads for nothing.
 *
 * An event that arrives ahead of an earlier one waits, at most `waitMs`, for it. Events of
 * other nodes (which their node broadcasts) are passed in with no sender, so the count moves
 * on; when one of those is lost on the way, the wait runs out and the held events go out with
 * the gap, which clients close from the database as usual.
 */
export class SeqOrder {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly waitMs = SEQ_ORDER_WAIT_MS) {}

  /** Event `seq` of `stream` is ready; `send` broadcasts it (null: another node's event). */
  arrived(stream: string, seq: number, send: (() => void) | null): void {
    let s = this.streams.get(stream);
    if (s) {
      // Most recently active last, so the oldest idle streams are the first to go.
      this.streams.delete(stream);
    } else {
      // The first event seen of a stream: nothing earlier is known to be missing.
      s = { last: seq - 1, held: new Map() };
      this.evict();
    }
    this.streams.set(stream, s);
    if (seq <= s.last) {
      // Later than the wait allowed, or a repeat: still sent; clients drop what they have.
      send?.();
      return;
    }
    s.held.set(seq, send);
    this.drain(s);
    if (s.held.size === 0) {
      clearTimeout(s.timer);
      s.timer = undefined;
    } else {
      s.timer ??= setTimeout(() => this.release(stream), this.waitMs);
    }
  }

  /** Forgets a stream that has ended (after sending anything it still holds). */
  forget(stream: string): void {
    this.release(stream);
    this.streams.delete(stream);
  }

  /** Sends everything held, in order: on shutdown. */
  flush(): void {
    for (const stream of [...this.streams.keys()]) this.release(stream);
  }

  private evict(): void {
    if (this.streams.size < MAX_STREAMS) return;
    for (const [name, s] of this.streams) {
      if (s.held.size > 0) continue;
      this.streams.delete(name);
      return;
    }
  }

  private drain(s: Stream): void {
    while (s.held.has(s.last + 1)) {
      const send = s.held.get(s.last + 1);
      s.held.delete(s.last + 1);
      s.last++;
      send?.();
    }
  }

  /** The wait ran out: sends what is held, in order, past the missing numbers. */
  private release(stream: string): void {
    const s = this.streams.get(stream);
    if (!s) return;
    clearTimeout(s.timer);
    s.timer = undefined;
    const seqs = [...s.held.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const send = s.held.get(seq);
      s.held.delete(seq);
      s.last = Math.max(s.last, seq);
      send?.();
    }
  }
}
