/**
 * A log-bucket latency histogram in the manner of HdrHistogram: values (milliseconds) fall
 * into buckets whose width grows by 1% per bucket, so every percentile is exact to within 1%
 * whatever the range, memory stays small, and histograms from several client processes merge
 * by adding their buckets. Sorting raw samples would cost memory and time in the clients,
 * which must spend their CPU on receiving, not on measuring.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values below this (ms) share the first bucket; clocks here are not finer anyway. */
const FLOOR_MS = 0.01;

export interface HistogramData {
  buckets: Record<string, number>;
  count: number;
  min: number;
  max: number;
  sum: number;
}

export class Histogram {
  private buckets = new Map<number, number>();
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  record(valueMs: number): void {
    const v = Math.max(valueMs, FLOOR_MS);
    const index = Math.floor(Math.log(v / FLOOR_MS) / LOG_GROWTH);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
    this.count++;
    this.sum += valueMs;
    if (valueMs < this.min) this.min = valueMs;
    if (valueMs > this.max) this.max = valueMs;
  }

  /** The value at percentile p (0–100): the upper edge of its bucket, capped at the maximum. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index) ?? 0;
      if (seen >= rank) return Math.min(FLOOR_MS * GROWTH ** (index + 1), this.max);
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  toJSON(): HistogramData {
    return {
      buckets: Object.fromEntries(this.buckets),
      count: this.count,
      min: this.min,
      max: this.max,
      sum: this.sum,
    };
  }

  add(data: HistogramData): void {
    for (const [index, n] of Object.entries(data.buckets)) {
      const key = Number(index);
      this.buckets.set(key, (this.buckets.get(key) ?? 0) + n);
    }
    this.count += data.count;
    this.sum += data.sum;
    if (data.count > 0) {
      this.min = Math.min(this.min, data.min);
      this.max = Math.max(this.max, data.max);
    }
  }

  static merge(parts: HistogramData[]): Histogram {
    const h = new Histogram();
    for (const part of parts) h.add(part);
    return h;
  }
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export const nowMs = (): number => performance.timeOrigin + performance.now();
