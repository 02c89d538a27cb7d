import { Gauge, Registry } from 'prom-client';
import { readSafely, type MetricGroup } from './metric-group.js';
import type { MetricRegistry } from './metric-registry.js';

/** Characters Prometheus allows in metric and label names; every other one becomes `_`, as Flink's reporter does. */
const INVALID_CHARACTERS = /[^a-zA-Z0-9:_]/g;

/** Replaces the characters Prometheus does not allow with `_`. */
export function prometheusSafe(text: string): string {
  return text.replace(INVALID_CHARACTERS, '_');
}

/** Flink's Prometheus name of a metric: `flink_` + logical scope + generic groups + name, joined by `_`. */
export function prometheusName(group: MetricGroup, metric: string): string {
  return ['flink', ...group.logicalScope, ...group.path, metric].map(prometheusSafe).join('_');
}

/** One metric family of a scrape: every sample shares the label names. */
interface Family {
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly samples: Array<{ readonly labels: Record<string, string>; readonly value: number }>;
}

/**
 * Renders a process's metric tree in Prometheus' text format as Flink's PrometheusReporter does:
 * every numeric metric becomes a gauge named by its scope, its scope variables become labels;
 * text-valued metrics are left out. prom-client writes the format; its gauges are refilled from
 * the tree at every scrape, so nothing is kept up to date in between.
 */
export class PrometheusCollector {
  private readonly registry = new Registry();
  private readonly gauges = new Map<string, { readonly gauge: Gauge; readonly labelKey: string }>();

  constructor(
    private readonly metrics: MetricRegistry,
    private readonly filterLabelValues = true,
  ) {}

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The current metrics as Prometheus text. */
  async scrape(): Promise<string> {
    const families = this.gather();
    this.sync(families);
    return this.registry.metrics();
  }

  private gather(): Map<string, Family> {
    const families = new Map<string, Family>();
    this.metrics.forEachMetric((group, name, read) => {
      const value = readSafely(read);
      if (typeof value !== 'number') return;
      const familyName = prometheusName(group, name);
      const labels: Record<string, string> = {};
      for (const [key, raw] of Object.entries(group.variables))
        labels[prometheusSafe(key)] = this.filterLabelValues ? prometheusSafe(raw) : raw;
      const labelNames = Object.keys(labels);
      let family = families.get(familyName);
      if (family === undefined) {
        family = { help: `${name} (scope: ${[...group.logicalScope, ...group.path].join('_')})`, labelNames, samples: [] };
        families.set(familyName, family);
      }
      // A family's samples must share label names; a metric that does not fit is left out, as in Flink.
      if (family.labelNames.join(',') === labelNames.join(',')) family.samples.push({ labels, value });
    });
    return families;
  }

  private sync(families: ReadonlyMap<string, Family>): void {
    for (const [name, entry] of this.gauges) {
      const family = families.get(name);
      if (family === undefined || family.labelNames.join(',') !== entry.labelKey) {
        this.registry.removeSingleMetric(name);
        this.gauges.delete(name);
      }
    }
    for (const [name, family] of families) {
      let entry = this.gauges.get(name);
      if (entry === undefined) {
        const gauge = new Gauge({ name, help: family.help, labelNames: [...family.labelNames], registers: [this.registry] });
        entry = { gauge, labelKey: family.labelNames.join(',') };
        this.gauges.set(name, entry);
      }
      entry.gauge.reset();
      for (const sample of family.samples) entry.gauge.set(sample.labels, sample.value);
    }
  }
}
