import type { MetricGroup } from '../../../metrics/metric-group.js';
import type { AutoscalerDecisionRecord, AutoscalerDecisions, ScalingMetricValue } from '../../../rest/types/responses.js';

/** How many decisions are kept per job: enough for a trial of an hour at a 5 s loop with repeats folded. */
const MAX_DECISIONS = 200;

/** One job's decisions, the operator-style counters, and each vertex's latest Flink scaling metrics. */
interface JobDecisions {
  readonly list: AutoscalerDecisionRecord[];
  scalings: number;
  errors: number;
  balanced: number;
  readonly latest: Map<string, Readonly<Record<string, ScalingMetricValue>>>;
}

/**
 * The decisions an autoscaler reported for each job, for GET /jobs/:jobid/autoscaler. A decision that
 * says what the previous one said (the same outcome, nothing applied) replaces it, so a job at rest
 * keeps one entry rather than one per round. Beside them it keeps what Flink's Kubernetes operator
 * exposes as its autoscaler metrics: counters of scalings, errors and balanced rounds, and each
 * vertex's scaling metrics from the latest decision that had it.
 */
export class AutoscalerDecisionStore {
  readonly #byJob = new Map<string, JobDecisions>();

  add(jobId: string, record: AutoscalerDecisionRecord): void {
    const job = this.#job(jobId);
    const list = job.list;
    const last = list.at(-1);
    if (last && !last.applied && !record.applied && last.outcome === record.outcome && last.summary === record.summary) list.pop();
    list.push(record);
    if (list.length > MAX_DECISIONS) list.splice(0, list.length - MAX_DECISIONS);
    // As the operator's counters: a scaling is a decision acted on, an error one whose action failed,
    // a balanced round one that found nothing to change.
    if (record.applied) job.scalings++;
    else if (record.action?.startsWith('failed')) job.errors++;
    else if (record.outcome === 'within-target' || record.outcome === 'no-change') job.balanced++;
    for (const vertex of record.vertices) if (vertex.scalingMetrics !== undefined) job.latest.set(vertex.id, vertex.scalingMetrics);
  }

  decisions(jobId: string): AutoscalerDecisions {
    return { decisions: [...(this.#byJob.get(jobId)?.list ?? [])], metrics: this.metrics(jobId) };
  }

  /** Flink's operator names: `<jobVertexID>.<ScalingMetric>.Current|Average`, `scalings`, `errors`, `balanced`. */
  metrics(jobId: string): Record<string, number | null> {
    const job = this.#byJob.get(jobId);
    const out: Record<string, number | null> = { scalings: job?.scalings ?? 0, errors: job?.errors ?? 0, balanced: job?.balanced ?? 0 };
    for (const [vertexId, metrics] of job?.latest ?? []) {
      for (const [name, value] of Object.entries(metrics)) {
        out[`${vertexId}.${name}.Current`] = value.current;
        if (value.average !== undefined) out[`${vertexId}.${name}.Average`] = value.average;
      }
    }
    return out;
  }

  /**
   * Registers the job's autoscaler metrics on its metric group as the operator does under its
   * `AutoScaler` group: the counters, and per vertex `jobVertexID.<id>.<ScalingMetric>.Current|Average`.
   * Gauges read the store, so a later decision needs no new registration unless it brings a new vertex.
   */
  registerMetrics(jobId: string, group: MetricGroup): void {
    const autoscaler = group.addGroup('AutoScaler');
    const read = (key: string) => (): number | undefined => this.metrics(jobId)[key] ?? Number.NaN;
    for (const counter of ['scalings', 'errors', 'balanced']) autoscaler.gauge(counter, read(counter));
    for (const [vertexId, metrics] of this.#byJob.get(jobId)?.latest ?? []) {
      const vertex = autoscaler.addKeyedGroup('jobVertexID', vertexId);
      for (const [name, value] of Object.entries(metrics)) {
        const metric = vertex.addGroup(name);
        metric.gauge('Current', read(`${vertexId}.${name}.Current`));
        if (value.average !== undefined) metric.gauge('Average', read(`${vertexId}.${name}.Average`));
      }
    }
  }

  #job(jobId: string): JobDecisions {
    let job = this.#byJob.get(jobId);
    if (job === undefined) {
      job = { list: [], scalings: 0, errors: 0, balanced: 0, latest: new Map() };
      this.#byJob.set(jobId, job);
    }
    return job;
  }
}
