import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import type { Configuration } from '../config/configuration.js';
import { METRICS_REPORTER_FILTER_LABEL_VALUE_CHARACTERS, METRICS_REPORTER_PORT } from '../config/options/metrics-options.js';
import type { MetricRegistry } from './metric-registry.js';
import { expandPortRange } from './port-range.js';
import type { MetricReporter } from './prometheus-reporter.js';

const log = getLogger('metrics');

/** The names under which Flink's Prometheus reporter is configured (`factory.class`, or the older `class`). */
const PROMETHEUS_IMPLEMENTATIONS = new Set([
  'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
  'org.apache.flink.metrics.prometheus.PrometheusReporter',
]);

/** The reporters one process started, closed together when it shuts down. */
export class MetricReporters {
  constructor(readonly reporters: readonly MetricReporter[]) {}

  /** Closes every reporter; a pull reporter's port is free once this resolves. */
  async close(): Promise<void> {
    await Promise.allSettled(this.reporters.map((reporter) => reporter.close()));
  }
}

/**
 * Starts the reporters configured under `metrics.reporter.<name>.*` (only those listed in
 * `metrics.reporters` when it is set), as Flink's ReporterSetup does: a reporter that cannot be
 * created or started is logged and skipped; the process goes on without it.
 */
export async function startMetricReporters(configuration: Configuration, registry: MetricRegistry): Promise<MetricReporters> {
  const started: MetricReporter[] = [];
  for (const name of configuration.metricReporterNames()) {
    const parameters = configuration.reporterParameters(name);
    const implementation = parameters['factory.class'] ?? parameters['class'];
    if (implementation === undefined) {
      log.warn(`No reporter factory set for reporter ${name}. Metrics might not be exposed/reported.`);
      continue;
    }
    if (!PROMETHEUS_IMPLEMENTATIONS.has(implementation.trim())) {
      log.warn(
        `Reporter ${name} (${implementation}) is not available in tsflink, which ships only org.apache.flink.metrics.prometheus.PrometheusReporterFactory; metrics are not reported through it.`,
      );
      continue;
    }
    try {
      // Loaded only when configured: prom-client costs tens of milliseconds at process start.
      const { PrometheusReporter } = await import('./prometheus-reporter.js');
      const reporter = new PrometheusReporter(name, registry, configuration.getNamed(METRICS_REPORTER_FILTER_LABEL_VALUE_CHARACTERS, name));
      if (await reporter.open(expandPortRange(configuration.getNamed(METRICS_REPORTER_PORT, name)))) started.push(reporter);
    } catch (error) {
      log.error(`Could not start reporter ${name}: ${describeError(error)}`);
    }
  }
  if (started.length > 0) log.info(`Started ${started.length} metric reporter(s): ${started.map((reporter) => reporter.name).join(', ')}.`);
  return new MetricReporters(started);
}
