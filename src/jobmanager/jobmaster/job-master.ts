import type { JobId } from '../../core/ids.js';
import type { RecoverableCheckpointPointers } from '../checkpoint/completed-checkpoint-store.js';
import { detach } from '../../core/detach.js';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { Configuration } from '../../config/configuration.js';
import { SLOT_REQUEST_TIMEOUT } from '../../config/options/scheduler-options.js';
import {
  HIGH_AVAILABILITY_CLUSTER_ID,
  HIGH_AVAILABILITY_STORAGE_DIR,
  HIGH_AVAILABILITY_TYPE,
} from '../../config/options/high-availability-options.js';
import { SAVEPOINT_IGNORE_UNCLAIMED_STATE, SAVEPOINT_PATH } from '../../config/options/state-options.js';
import { WEB_EXCEPTION_HISTORY_SIZE } from '../../config/options/web-options.js';
import type { JobGraph } from '../../jobgraph/job-graph.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../rpc/gateways/checkpoint-messages.js';
import type { JobArchive, TaskExecutionStateUpdate, TaskFirstActivity } from '../../rpc/gateways/job-master-gateway.js';
import type { TaskMetricsReport } from '../../rpc/gateways/task-metrics-report.js';
import type { MetricGroup } from '../../metrics/metric-group.js';
import { MetricRegistry } from '../../metrics/metric-registry.js';
import { createJobCheckpointServices, loadSavepointIntoStore } from '../checkpoint/checkpoint-services.js';
import { FileCheckpointPointers } from '../checkpoint/ha-checkpoint-pointers.js';
import {
  checkpointSettingsFrom,
  isPeriodicCheckpointingEnabled,
  taskCheckpointSettings,
  type CheckpointSettings,
} from '../checkpoint/checkpoint-settings.js';
import { createRestartStrategy } from '../failover/restart-strategy.js';
import { JobCheckpointing } from '../scheduler/checkpointing/job-checkpointing.js';
import type { SchedulerContext } from '../scheduler/scheduler-context.js';
import type { JobResult, SchedulerNG } from '../scheduler/scheduler-ng.js';
import type { SlotPool } from '../slotpool/slot-pool.js';
import { ExceptionHistory } from './exception-history.js';
import { JobMetrics } from './job-metrics.js';
import { JobStatusTracker } from './job-status-tracker.js';
import { RescaleTimeline } from './rescale-timeline.js';
import { createScheduler } from './scheduler-factory.js';

const log = getLogger('jobmaster');

/** A job handed to the JobManager: its id, graph and code, and where its state starts from. */
export interface JobSubmission {
  readonly jobId: JobId;
  readonly graph: JobGraph;
  readonly archive: JobArchive;
  /** `--fromSavepoint`; overrides execution.state-recovery.path. */
  readonly savepointPath?: string;
  readonly allowNonRestoredState?: boolean;
  /** Recover checkpoints an earlier JobManager of this job left in the checkpoint directory. */
  readonly recoverCheckpoints?: boolean;
}

/** What a JobMaster gets from the JobManager process. */
export interface JobMasterServices {
  readonly configuration: Configuration;
  readonly slotPool: SlotPool;
  /** The JobManager's metric group; the job's group goes below it (a detached one when absent). */
  readonly metricGroup?: MetricGroup;
  /** Where a highly available JobManager records a job's checkpoints (ZooKeeper); else the file-based store when configured. */
  readonly checkpointPointers?: (jobId: JobId) => RecoverableCheckpointPointers;
}

/**
 * The master of one job: owns its scheduler and checkpointing, serves its TaskManagers' calls
 * (state updates, checkpoint acks, the job's code) and keeps what REST shows about it.
 */
export class JobMaster {
  readonly status: JobStatusTracker;
  readonly exceptions: ExceptionHistory;
  readonly startTime = Date.now();
  endTime: number | undefined;
  readonly metrics: JobMetrics;

  private constructor(
    readonly submission: JobSubmission,
    readonly checkpointSettings: CheckpointSettings,
    readonly checkpointing: JobCheckpointing,
    readonly scheduler: SchedulerNG,
    status: JobStatusTracker,
    exceptions: ExceptionHistory,
    readonly timeline: RescaleTimeline,
    metricGroup: MetricGroup,
  ) {
    this.status = status;
    this.exceptions = exceptions;
    this.metrics = new JobMetrics(metricGroup, {
      jobId: submission.jobId,
      jobName: submission.graph.jobName,
      schedulerType: scheduler.schedulerType,
      status,
      timeline,
      checkpointStats: checkpointing.services.statsTracker,
      vertexIds: submission.graph.vertices.map((vertex) => vertex.id),
      currentGraph: () => scheduler.currentGraph(),
    });
    const ended = scheduler.whenTerminated().then((result) => {
      this.endTime = Date.now();
      this.metrics.close();
      log.info(`Job ${submission.graph.jobName} (${submission.jobId}) reached ${result.status}.`);
    });
    detach(ended, (error) => log.error(`Job ${submission.jobId} could not record its end: ${describeError(error)}`, error));
  }

  /** Sets up the job's checkpointing (loading a savepoint or recovering checkpoints) and its scheduler. */
  static async create(submission: JobSubmission, services: JobMasterServices): Promise<JobMaster> {
    const { configuration } = services;
    const settings = checkpointSettingsFrom(configuration, submission.graph.settings.checkpointIntervalMs);
    const recover = submission.recoverCheckpoints === true;
    const checkpointServices = await createJobCheckpointServices(settings, submission.jobId, {
      recover,
      // Under ZooKeeper HA every job's checkpoints are recorded, also those of a job that starts afresh.
      pointers:
        services.checkpointPointers?.(submission.jobId) ?? (recover ? haCheckpointPointers(configuration, submission.jobId) : undefined),
    });
    const savepoint = submission.savepointPath ?? configuration.get(SAVEPOINT_PATH);
    if (savepoint !== undefined && checkpointServices.store.latest() === undefined)
      await loadSavepointIntoStore(savepoint, checkpointServices);
    const allowNonRestored = submission.allowNonRestoredState ?? configuration.get(SAVEPOINT_IGNORE_UNCLAIMED_STATE);
    const checkpointing = new JobCheckpointing(submission.jobId, settings, checkpointServices, allowNonRestored);
    const status = new JobStatusTracker(submission.jobId, submission.graph.jobName);
    const exceptions = new ExceptionHistory(configuration.get(WEB_EXCEPTION_HISTORY_SIZE));
    const checkpointingOn = isPeriodicCheckpointingEnabled(settings);
    const context: SchedulerContext = {
      jobId: submission.jobId,
      graph: submission.graph,
      slotPool: services.slotPool,
      status,
      exceptions,
      deployment: {
        jobName: submission.graph.jobName,
        checkpointing: taskCheckpointSettings(settings, submission.jobId),
        bufferTimeoutMs: submission.graph.settings.bufferTimeoutMs,
        autoWatermarkIntervalMs: submission.graph.settings.autoWatermarkIntervalMs,
      },
      restartStrategy: createRestartStrategy(configuration, checkpointingOn),
      // parallelism.default as the job's main saw it: `flink run -p` and a jar run's parallelism override the cluster's.
      defaultParallelism: submission.archive.defaults.parallelism,
      slotRequestTimeoutMs: configuration.get(SLOT_REQUEST_TIMEOUT),
    };
    const timeline = new RescaleTimeline();
    const scheduler = createScheduler(configuration, context, checkpointing, timeline);
    const metricGroup = services.metricGroup ?? new MetricRegistry().addRoot('jobmanager', { host: 'localhost' });
    const master = new JobMaster(submission, settings, checkpointing, scheduler, status, exceptions, timeline, metricGroup);
    // As Flink's JobMaster disconnects from its TaskManagers at the end, they drop the job's code and threads at once.
    const released = scheduler.whenTerminated().then(() => {
      for (const taskManager of services.slotPool.taskManagers) taskManager.gateway.releaseJob(submission.jobId);
    });
    detach(released, (error) => log.warn(`Could not release job ${submission.jobId} on its TaskManagers: ${describeError(error)}`));
    return master;
  }

  get jobId(): JobId {
    return this.submission.jobId;
  }

  get jobName(): string {
    return this.submission.graph.jobName;
  }

  start(): void {
    log.info(`Starting execution of job ${this.jobName} (${this.jobId}) with the ${this.scheduler.schedulerType} scheduler.`);
    this.scheduler.startScheduling();
  }

  whenTerminated(): Promise<JobResult> {
    return this.scheduler.whenTerminated();
  }

  updateTaskExecutionState(update: TaskExecutionStateUpdate): boolean {
    const known = this.scheduler.updateTaskExecutionState(update);
    // The end of a task's records: the timeline keeps it for the outage its run's stop opens.
    if (update.lastRecordAt !== undefined || update.idleAtEnd === true) {
      this.timeline.reportTaskEnd(update.attemptId, finiteOrUndefined(update.lastRecordAt), update.idleAtEnd === true);
    }
    return known;
  }

  /** A task of a new run processed its first record (or its source is idle). */
  reportFirstActivity(notice: TaskFirstActivity): void {
    this.timeline.reportFirstActivity(notice.attemptId, notice.at, notice.kind);
  }

  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void {
    this.scheduler.acknowledgeCheckpoint(ack);
  }

  declineCheckpoint(decline: CheckpointDecline): void {
    this.scheduler.declineCheckpoint(decline);
  }

  /** A TaskManager's periodic metrics of this job's subtasks (already validated by the RPC layer). */
  reportTaskMetrics(report: TaskMetricsReport): void {
    this.metrics.report(report);
  }
}

function finiteOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The file-based HA record of the job's checkpoints, when `high-availability.type: filesystem`. */
function haCheckpointPointers(configuration: Configuration, jobId: JobId): FileCheckpointPointers | undefined {
  const storageDir = configuration.get(HIGH_AVAILABILITY_STORAGE_DIR);
  if (configuration.get(HIGH_AVAILABILITY_TYPE) !== 'filesystem' || storageDir === undefined) return undefined;
  return new FileCheckpointPointers(storageDir, configuration.get(HIGH_AVAILABILITY_CLUSTER_ID), jobId);
}
