import { baseline, median, meets, type MetricResult, type Target } from '../benchmark.js';

/** Both systems' values of one figure, one per pair (or several per pair). */
export interface Paired {
  tsflink: number[];
  flink: number[];
}

/** Collects figures by name, keeping the order they were first seen. */
export class Figures {
  private readonly figures = new Map<string, { unit: string; target?: Target; values: Paired }>();

  add(figure: string, unit: string, system: 'tsflink' | 'flink', values: readonly number[], target?: Target): void {
    let entry = this.figures.get(figure);
    if (entry === undefined) {
      entry = { unit, ...(target === undefined ? {} : { target }), values: { tsflink: [], flink: [] } };
      this.figures.set(figure, entry);
    }
    entry.values[system].push(...values);
  }

  /** One row per figure: the ratio of the medians, with both medians and each pair's ratio. */
  metrics(): MetricResult[] {
    const rows: MetricResult[] = [];
    for (const [figure, { unit, target, values }] of this.figures) {
      if (values.tsflink.length === 0 || values.flink.length === 0) continue;
      const ts = median(values.tsflink);
      const fl = median(values.flink);
      const ratio = fl === 0 ? (ts === 0 ? 1 : Number.POSITIVE_INFINITY) : ts / fl;
      const pairs = values.tsflink.slice(0, values.flink.length).map((v, i) => (values.flink[i] === 0 ? 1 : v / values.flink[i]!));
      const rounded = Math.round(ratio * 1000) / 1000;
      rows.push({
        metric: `${figure} (${unit}): ratio tsflink / Flink`,
        unit: 'ratio',
        runs: pairs.map((p) => Math.round(p * 1000) / 1000),
        median: rounded,
        baselines: [baseline(`tsflink, ${unit}`, values.tsflink), baseline(`Apache Flink, ${unit}`, values.flink)],
        ...(target === undefined ? {} : { target, met: meets(rounded, target) }),
      });
    }
    return rows;
  }
}
