import type { JobId, TriggerId, VertexId } from '../../core/ids.js';
import type { JobStatus } from '../../rest/types/job-status.js';
import type {
  CheckpointingStatistics,
  CheckpointStatistics,
  CheckpointSubtaskDetails,
  AutoscalerDecisionRecord,
  AutoscalerDecisions,
  ParallelismHistory,
} from '../../rest/types/responses.js';
import { ConfigurationError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { Configuration } from '../../config/configuration.js';
import type {
  DashboardSettings,
  JobConfigDetails,
  JobDetails,
  JobExceptions,
  JobManagerEnvironment,
  JobOverview,
  JobResourceRequirements,
  JobVertexDetails,
  JobVertexTaskManagers,
  SavepointOperationStatus,
  SavepointRequest,
} from '../../rpc/gateways/job-view-types.js';
import { JobRequestError, type JobGateway } from '../../rpc/gateways/job-gateway.js';
import { toLocalPath } from '../checkpoint/checkpoint-settings.js';
import type { JobMaster } from '../jobmaster/job-master.js';
import { isGloballyTerminal } from '../scheduler/execution-graph/job-status.js';
import { dashboardSettings, jobManagerEnvironment } from './views/cluster-info-view.js';
import { NO_METRICS, type SubtaskMetricsProvider } from './views/io-metrics.js';
import {
  checkpointConfig,
  checkpointDetails,
  checkpointSubtaskDetails,
  checkpointStatistics,
  jobConfig,
  jobExceptions,
  parallelismHistory,
} from './views/job-info-view.js';
import { jobDetails, jobOverview } from './views/job-overview-view.js';
import { AutoscalerDecisionStore } from './views/autoscaler-decisions.js';
import { ResourceRequirementsService } from './views/resource-requirements.js';
import { SavepointOperations } from './views/savepoint-operations.js';
import { TrackedJob, type VertexShape } from './views/tracked-job.js';
import { vertexDetails, vertexTaskManagers } from './views/vertex-view.js';

const log = getLogger('dispatcher');

/**
 * The dispatcher's jobs as REST, the web UI and `bin/flink` see them: read views in Flink's terms
 * (which keep a job's last run after it ended) and the commands on jobs (cancel, savepoints,
 * resource requirements).
 */
export class JobViews implements JobGateway {
  private readonly tracked = new Map<string, TrackedJob>();
  private readonly requirements = new ResourceRequirementsService();
  private readonly savepoints = new SavepointOperations();
  private readonly autoscalerDecisions = new AutoscalerDecisionStore();
  private metrics: SubtaskMetricsProvider = NO_METRICS;

  /** True on a session cluster that serves the jar endpoints (web.submit.enable): the UI shows its submit page. */
  jarSubmission = false;

  constructor(
    private readonly configuration: Configuration,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts following a submitted job, so its last run stays visible after it ends. */
  track(jobMaster: JobMaster): void {
    this.tracked.set(jobMaster.jobId, new TrackedJob(jobMaster, jobMaster.submission.archive.defaults.parallelism));
  }

  /** Where vertex and subtask I/O metrics come from; zeros until the metrics subsystem registers itself. */
  setMetricsProvider(provider: SubtaskMetricsProvider): void {
    this.metrics = provider;
  }

  requestJobsOverview(): readonly JobOverview[] {
    const now = this.now();
    return [...this.tracked.values()].map((job) => jobOverview(job, now));
  }

  requestJobStatus(jobId: JobId): JobStatus {
    return this.job(jobId).status;
  }

  requestJobDetails(jobId: JobId): JobDetails {
    return jobDetails(this.job(jobId), this.metrics, this.now());
  }

  requestJobVertex(jobId: JobId, vertexId: VertexId): JobVertexDetails {
    return vertexDetails(jobId, this.vertex(jobId, vertexId), this.metrics, this.now());
  }

  requestJobVertexTaskManagers(jobId: JobId, vertexId: VertexId): JobVertexTaskManagers {
    return vertexTaskManagers(jobId, this.vertex(jobId, vertexId), this.metrics, this.now());
  }

  requestJobConfig(jobId: JobId): JobConfigDetails {
    const job = this.job(jobId);
    return jobConfig(job, this.configuration, job.master.submission.archive.defaults.parallelism);
  }

  requestJobExceptions(jobId: JobId, maxExceptions: number): JobExceptions {
    return jobExceptions(this.job(jobId), maxExceptions);
  }

  requestCheckpointStatistics(jobId: JobId): CheckpointingStatistics {
    return checkpointStatistics(this.job(jobId));
  }

  requestCheckpointConfig(jobId: JobId): Readonly<Record<string, unknown>> {
    return checkpointConfig(this.job(jobId));
  }

  requestCheckpointDetails(jobId: JobId, checkpointId: number): CheckpointStatistics {
    return checkpointDetails(this.job(jobId), checkpointId);
  }

  requestCheckpointSubtaskDetails(jobId: JobId, checkpointId: number, vertexId: VertexId): CheckpointSubtaskDetails {
    return checkpointSubtaskDetails(this.job(jobId), checkpointId, vertexId);
  }

  requestParallelismHistory(jobId: JobId): ParallelismHistory {
    return parallelismHistory(this.job(jobId));
  }

  recordAutoscalerDecision(jobId: JobId, record: AutoscalerDecisionRecord): void {
    const job = this.job(jobId);
    this.autoscalerDecisions.add(jobId, record);
    this.autoscalerDecisions.registerMetrics(jobId, job.master.metrics.group);
    if (record.applied && record.summary !== null) {
      log.info(`Job ${job.master.jobName} (${jobId}): ${record.summary}`);
      job.master.timeline.labelNextRun(record.summary);
    }
  }

  requestAutoscalerDecisions(jobId: JobId): AutoscalerDecisions {
    this.job(jobId);
    return this.autoscalerDecisions.decisions(jobId);
  }

  requestResourceRequirements(jobId: JobId): JobResourceRequirements {
    return this.requirements.requirements(this.job(jobId));
  }

  updateResourceRequirements(jobId: JobId, requirements: JobResourceRequirements): Promise<void> {
    return this.requirements.update(this.job(jobId), requirements);
  }

  cancelJob(jobId: JobId): void {
    const job = this.job(jobId);
    const status = job.status;
    if (status === 'CANCELED' || status === 'CANCELLING') return;
    if (isGloballyTerminal(status)) throw new JobRequestError('CONFLICT', `Job ${jobId} cannot be canceled: it already ended ${status}.`);
    log.info(`Cancelling job ${job.master.jobName} (${jobId}) as requested through REST.`);
    job.master.scheduler.cancel();
  }

  triggerSavepoint(jobId: JobId, request: SavepointRequest & { readonly cancelJob: boolean }): string {
    const job = this.job(jobId);
    const target = this.savepointTarget(job, request.targetDirectory);
    const scheduler = job.master.scheduler;
    return this.savepoints.start(jobId, request.triggerId, async () => {
      const location = await scheduler.triggerSavepoint(target);
      if (request.cancelJob) scheduler.cancel();
      return location;
    });
  }

  stopWithSavepoint(jobId: JobId, request: SavepointRequest & { readonly drain: boolean }): string {
    const job = this.job(jobId);
    const target = this.savepointTarget(job, request.targetDirectory);
    return this.savepoints.start(jobId, request.triggerId, () => job.master.scheduler.stopWithSavepoint(target, request.drain));
  }

  requestSavepointStatus(jobId: JobId, triggerId: TriggerId, waitMs: number): Promise<SavepointOperationStatus> {
    this.job(jobId);
    return this.savepoints.status(jobId, triggerId, waitMs);
  }

  whenOperationResultsAccessed(timeoutMs: number): Promise<void> {
    return this.savepoints.whenResultsAccessed(timeoutMs);
  }

  requestClusterConfiguration(): ReadonlyArray<{ readonly key: string; readonly value: string }> {
    return this.configuration.entries();
  }

  requestDashboardSettings(): DashboardSettings {
    return dashboardSettings(this.configuration, this.jarSubmission);
  }

  requestJobManagerEnvironment(): JobManagerEnvironment {
    return jobManagerEnvironment(this.tracked.values());
  }

  private job(jobId: JobId): TrackedJob {
    const job = this.tracked.get(jobId);
    if (job === undefined) throw new JobRequestError('NOT_FOUND', `Job ${jobId} is unknown to this JobManager.`);
    return job;
  }

  private vertex(jobId: JobId, vertexId: VertexId): VertexShape {
    const shape = this.job(jobId)
      .vertices()
      .find((candidate) => candidate.jobVertex.id === vertexId);
    if (shape === undefined) throw new JobRequestError('NOT_FOUND', `Job ${jobId} has no vertex ${vertexId}.`);
    return shape;
  }

  /** The directory a savepoint goes to: the request's, else the job's default; a local path either way. */
  private savepointTarget(job: TrackedJob, requested: string | undefined): string {
    if (requested === undefined) {
      const fallback = job.master.checkpointSettings.savepointDirectory;
      if (fallback === undefined) {
        throw new JobRequestError(
          'BAD_REQUEST',
          'No savepoint directory: give a target directory with the request, or set execution.checkpointing.savepoint-dir (state.savepoints.dir).',
        );
      }
      return fallback;
    }
    try {
      return toLocalPath(requested, 'target directory');
    } catch (error) {
      if (error instanceof ConfigurationError) throw new JobRequestError('BAD_REQUEST', error.message);
      throw error;
    }
  }
}
