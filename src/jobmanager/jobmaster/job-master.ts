import { getLogger } from '../../core/logging.js';
import type { Configuration } from '../../config/configuration.js';
import { PARALLELISM_DEFAULT } from '../../config/options/core-options.js';
import { CHECKPOINTS_DIRECTORY, CHECKPOINTING_INTERVAL, CHECKPOINTING_MODE } from '../../config/options/checkpointing-options.js';
import { SLOT_REQUEST_TIMEOUT } from '../../config/options/scheduler-options.js';
import { WEB_EXCEPTION_HISTORY_SIZE } from '../../config/options/web-options.js';
import type { JobGraph } from '../../jobgraph/job-graph.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../rpc/gateways/checkpoint-messages.js';
import type { JobArchive, TaskExecutionStateUpdate } from '../../rpc/gateways/job-master-gateway.js';
import { createRestartStrategy } from '../failover/restart-strategy.js';
import { DefaultScheduler } from '../scheduler/default/default-scheduler.js';
import type { DeploymentSettings } from '../scheduler/deployment/deployment-builder.js';
import type { SchedulerContext } from '../scheduler/scheduler-context.js';
import type { JobResult, SchedulerNG } from '../scheduler/scheduler-ng.js';
import type { SlotPool } from '../slotpool/slot-pool.js';
import { ExceptionHistory } from './exception-history.js';
import { JobStatusTracker } from './job-status-tracker.js';

const log = getLogger('jobmaster');

/** A job handed to the JobManager: its id, graph and code. */
export interface JobSubmission {
  readonly jobId: string;
  readonly graph: JobGraph;
  readonly archive: JobArchive;
}

/** What a JobMaster gets from the JobManager process. */
export interface JobMasterServices {
  readonly configuration: Configuration;
  readonly slotPool: SlotPool;
}

/**
 * The master of one job: owns its scheduler, serves its TaskManagers' calls (state updates,
 * checkpoint acks, the job's code) and keeps what REST shows about it.
 */
export class JobMaster {
  readonly status: JobStatusTracker;
  readonly exceptions: ExceptionHistory;
  readonly scheduler: SchedulerNG;
  readonly startTime = Date.now();
  endTime: number | undefined;

  constructor(readonly submission: JobSubmission, services: JobMasterServices) {
    const { configuration } = services;
    this.status = new JobStatusTracker(submission.jobId, submission.graph.jobName);
    this.exceptions = new ExceptionHistory(configuration.get(WEB_EXCEPTION_HISTORY_SIZE));
    const checkpointIntervalMs = submission.graph.settings.checkpointIntervalMs ?? configuration.get(CHECKPOINTING_INTERVAL);
    const context: SchedulerContext = {
      jobId: submission.jobId,
      graph: submission.graph,
      slotPool: services.slotPool,
      status: this.status,
      exceptions: this.exceptions,
      deployment: deploymentSettings(submission.graph, configuration, checkpointIntervalMs !== undefined),
      restartStrategy: createRestartStrategy(configuration, checkpointIntervalMs !== undefined),
      defaultParallelism: configuration.get(PARALLELISM_DEFAULT),
      slotRequestTimeoutMs: configuration.get(SLOT_REQUEST_TIMEOUT),
    };
    this.scheduler = new DefaultScheduler(context);
    void this.scheduler.whenTerminated().then((result) => {
      this.endTime = Date.now();
      log.info(`Job ${submission.graph.jobName} (${submission.jobId}) reached ${result.status}.`);
    });
  }

  get jobId(): string {
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
    return this.scheduler.updateTaskExecutionState(update);
  }

  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void {
    this.scheduler.acknowledgeCheckpoint(ack);
  }

  declineCheckpoint(decline: CheckpointDecline): void {
    this.scheduler.declineCheckpoint(decline);
  }
}

function deploymentSettings(graph: JobGraph, configuration: Configuration, checkpointing: boolean): DeploymentSettings {
  return {
    jobName: graph.jobName,
    checkpointing: {
      enabled: checkpointing,
      mode: configuration.get(CHECKPOINTING_MODE) === 'AT_LEAST_ONCE' ? 'AT_LEAST_ONCE' : 'EXACTLY_ONCE',
      checkpointDirectory: configuration.get(CHECKPOINTS_DIRECTORY),
    },
    bufferTimeoutMs: graph.settings.bufferTimeoutMs,
    autoWatermarkIntervalMs: graph.settings.autoWatermarkIntervalMs,
  };
}
