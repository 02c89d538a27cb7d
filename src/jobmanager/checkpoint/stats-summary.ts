import type { StatsSummaryJson } from '../../rest/types/responses.js';

export type { StatsSummaryJson } from '../../rest/types/responses.js';

/** How many recent values the percentiles are computed over (Flink's histogram window). */
const WINDOW_SIZE = 10_000;

/**
 * Running min/max/average over every value ever added, with percentiles over the most recent
 * values, computed with the estimator Flink's histogram uses (Commons Math's default percentile).
 */
export class StatsSummary {
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private readonly window: number[] = [];
  private next = 0;
  private sorted: number[] | undefined;

  add(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.window.length < WINDOW_SIZE) this.window.push(value);
    else this.window[this.next] = value;
    this.next = (this.next + 1) % WINDOW_SIZE;
    this.sorted = undefined;
  }

  /** The values as REST renders them; all zero before the first value. */
  toJson(): StatsSummaryJson {
    if (this.count === 0) return { min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
    return {
      min: this.min,
      max: this.max,
      avg: Math.floor(this.sum / this.count),
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
    };
  }

  /** Commons Math's legacy estimate: position q·(n+1) between the neighbouring order statistics. */
  quantile(q: number): number {
    const sorted = this.sorted ?? (this.sorted = [...this.window].sort((a, b) => a - b));
    const n = sorted.length;
    if (n === 0) return 0;
    const position = q * (n + 1);
    if (position < 1) return sorted[0]!;
    if (position >= n) return sorted[n - 1]!;
    const below = Math.floor(position);
    const lower = sorted[below - 1]!;
    const upper = sorted[below]!;
    return lower + (position - below) * (upper - lower);
  }
}
