import { getLogger } from '../core/logging.js';
import type { AutoscalerDecisionRecord } from '../rest/types/responses.js';
import type { AutoscalerSettings } from './autoscaler-settings.js';
import { decisionLogLine, decisionRecord } from './decision-record.js';
import type { AutoscalerRestApi } from './rest-metric-collector.js';
import { collectJob, RestMetricCollector, runningJobIds } from './rest-metric-collector.js';
import type { ScalingActuator } from './scaling-actuator.js';
import { ScalingDecider } from './scaling-decider.js';
import type { ScalingDecision } from './scaling-decision.js';

const log = getLogger('autoscaler');

/** What the service needs: the cluster's REST API, the settings, how to act and whether the cluster is reactive. */
export interface AutoscalerServiceOptions {
  readonly api: AutoscalerRestApi;
  readonly settings: AutoscalerSettings;
  readonly actuator: ScalingActuator;
  /** Reactive Mode: one parallelism for every vertex (the slot count). */
  readonly reactive: boolean;
  readonly now?: () => number;
}

/**
 * One control-loop round per call: for every running job, collect a sample, decide, act (unless dry
 * run), and record the decision in the log and on the JobManager (POST /jobs/:jobid/autoscaler).
 */
export class AutoscalerService {
  readonly #deciders = new Map<string, ScalingDecider>();
  readonly #collector: RestMetricCollector;
  readonly #settings: AutoscalerSettings;
  readonly #now: () => number;
  #publishWarned = false;

  constructor(private readonly options: AutoscalerServiceOptions) {
    this.#collector = new RestMetricCollector(options.api);
    this.#now = options.now ?? Date.now;
    // The actuator's own bound (TaskManagers × slots) caps every vertex, so the decider never asks for what cannot be had.
    const limit = options.actuator.parallelismLimit;
    const max = limit === undefined ? options.settings.vertexMaxParallelism : Math.min(limit, options.settings.vertexMaxParallelism);
    this.#settings = { ...options.settings, vertexMaxParallelism: max };
  }

  /** Runs one round over every running job; returns the decisions it recorded. */
  async round(): Promise<AutoscalerDecisionRecord[]> {
    const records: AutoscalerDecisionRecord[] = [];
    const running = await runningJobIds(this.options.api);
    for (const jobId of [...this.#deciders.keys()]) if (!running.includes(jobId)) this.#deciders.delete(jobId);
    for (const jobId of running) {
      const record = await this.#roundFor(jobId);
      if (record) records.push(record);
    }
    return records;
  }

  async #roundFor(jobId: string): Promise<AutoscalerDecisionRecord | undefined> {
    const job = await collectJob(this.options.api, jobId);
    if (job.status !== 'RUNNING') return undefined;
    const sample = await this.#collector.sample(job, this.#now());
    const decider = this.#decider(jobId);
    const decision = decider.observe(job.topology, sample);
    if (decision.outcome === 'stabilizing' || decision.outcome === 'collecting') {
      log.debug(`Job ${jobId}: ${decision.reason}.`);
      return undefined;
    }
    const acted = await this.#act(jobId, decision, decider);
    const record = decisionRecord(decision, acted);
    const line = decisionLogLine(jobId, record);
    if (decision.outcome === 'within-target') log.debug(line);
    else log.info(line);
    await this.#publish(jobId, record);
    return record;
  }

  async #act(
    jobId: string,
    decision: ScalingDecision,
    decider: ScalingDecider,
  ): Promise<{ dryRun: boolean; applied: boolean; action: string | undefined }> {
    const dryRun = !this.#settings.scalingEnabled;
    if (decision.outcome !== 'scale' || decision.parallelism === undefined) return { dryRun, applied: false, action: undefined };
    if (dryRun) return { dryRun, applied: false, action: 'recommended only (job.autoscaler.scaling.enabled: false)' };
    try {
      const result = await this.options.actuator.apply(jobId, decision.parallelism);
      // Whether or not anything changed, the next decision needs fresh metrics after a settling time.
      decider.markApplied(this.#now());
      return { dryRun, applied: result.applied, action: result.detail };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`Job ${jobId}: acting on the decision failed: ${message}`);
      return { dryRun, applied: false, action: `failed: ${message}` };
    }
  }

  /** The JobManager keeps the record for REST and the timeline; a cluster without the endpoint (Flink) is told once in the log. */
  async #publish(jobId: string, record: AutoscalerDecisionRecord): Promise<void> {
    try {
      await this.options.api.post(`/jobs/${jobId}/autoscaler`, record);
    } catch (error) {
      if (this.#publishWarned) return;
      this.#publishWarned = true;
      log.warn(
        `Could not record decisions on the JobManager (${error instanceof Error ? error.message : String(error)}); they are logged here only.`,
      );
    }
  }

  #decider(jobId: string): ScalingDecider {
    let decider = this.#deciders.get(jobId);
    if (!decider) {
      decider = new ScalingDecider(this.#settings, { uniformParallelism: this.options.reactive });
      this.#deciders.set(jobId, decider);
    }
    return decider;
  }
}
