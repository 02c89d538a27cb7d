import type { VertexId } from '../../../core/ids.js';
import { ParameterTool } from '../../../api/parameter-tool.js';
import type { Configuration } from '../../../config/configuration.js';
import { OBJECT_REUSE } from '../../../config/options/pipeline-options.js';
import type { JobConfigDetails, JobExceptions } from '../../../rpc/gateways/job-view-types.js';
import type {
  CheckpointingStatistics,
  CheckpointStatistics,
  CheckpointSubtaskDetails,
  ParallelismHistory,
} from '../../../rest/types/responses.js';
import { JobRequestError } from '../../../rpc/gateways/job-gateway.js';
import { renderCheckpointConfig } from '../../checkpoint/checkpoint-stats-json.js';
import { isPeriodicCheckpointingEnabled } from '../../checkpoint/checkpoint-settings.js';
import { createRestartStrategy } from '../../failover/restart-strategy.js';
import type { TrackedJob } from './tracked-job.js';

/** The job's execution settings: restart strategy, parallelism, object reuse and its program arguments. */
export function jobConfig(job: TrackedJob, configuration: Configuration, clusterDefaultParallelism: number): JobConfigDetails {
  const graph = job.master.submission.graph;
  const restart = createRestartStrategy(configuration, isPeriodicCheckpointingEnabled(job.master.checkpointSettings));
  return {
    jobId: job.jobId,
    name: graph.jobName,
    restartStrategy: restart.describe(),
    parallelism: graph.settings.parallelism > 0 ? graph.settings.parallelism : clusterDefaultParallelism,
    objectReuse: configuration.get(OBJECT_REUSE),
    userConfig: userConfigOf(graph.settings.programArgs),
  };
}

/** The newest `max` failures, and whether there were more. */
export function jobExceptions(job: TrackedJob, max: number): JobExceptions {
  const history = job.master.exceptions;
  const all = history.list().map((entry) => ({
    exceptionName: entry.exceptionName,
    stacktrace: entry.stacktrace,
    timestamp: entry.timestamp,
    taskName: entry.taskName ?? undefined,
    endpoint: entry.endpoint ?? undefined,
    taskManagerId: entry.taskManagerId ?? undefined,
  }));
  const ended = job.status === 'FAILED' || job.status === 'FAILING';
  const currentRunFailed = job.master.scheduler.schedulerType !== 'Adaptive' || ended;
  return {
    entries: all.slice(0, max),
    root: currentRunFailed ? all[0] : undefined,
    truncated: all.length > max || history.truncated,
  };
}

/** Every run of the job with its parallelism, cause and downtime. */
export function parallelismHistory(job: TrackedJob): ParallelismHistory {
  const timeline = job.master.timeline;
  return {
    changes: timeline.changes.map((change) => ({
      timestamp: change.timestamp,
      cause: change.cause,
      parallelism: { ...change.parallelism },
      downtimeMs: change.downtimeMs,
      downtimeStart: change.downtimeStart,
      downtimeBasis: change.downtimeBasis,
      restoredCheckpointId: change.restoredCheckpointId ?? null,
      recordsReplayed: change.recordsReplayed ?? null,
      restartBackoffMs: change.restartBackoffMs,
    })),
    numRestarts: timeline.numRestarts,
    numRescales: timeline.numRescales,
  };
}

/** Checkpoint statistics in Flink's wire format. */
export function checkpointStatistics(job: TrackedJob): CheckpointingStatistics {
  return { ...job.master.checkpointing.services.statsTracker.renderCheckpointingStatistics() };
}

/** One checkpoint of the statistics history with its per-vertex numbers. */
export function checkpointDetails(job: TrackedJob, checkpointId: number): CheckpointStatistics {
  const details = job.master.checkpointing.services.statsTracker.renderCheckpointDetails(checkpointId);
  if (details === undefined) {
    throw new JobRequestError(
      'NOT_FOUND',
      `Checkpoint ${checkpointId} of job ${job.jobId} is not in the checkpoint statistics history (web.checkpoints.history keeps the newest ones).`,
    );
  }
  return details;
}

/** One vertex's subtasks in one checkpoint of the statistics history. */
export function checkpointSubtaskDetails(job: TrackedJob, checkpointId: number, vertexId: VertexId): CheckpointSubtaskDetails {
  const details = job.master.checkpointing.services.statsTracker.renderSubtaskDetails(checkpointId, vertexId);
  if (details === undefined) {
    throw new JobRequestError(
      'NOT_FOUND',
      `Checkpoint ${checkpointId} of job ${job.jobId} has no vertex ${vertexId} in the checkpoint statistics history (web.checkpoints.history keeps the newest ones).`,
    );
  }
  return details;
}

/** The job's checkpoint settings in Flink's wire format. */
export function checkpointConfig(job: TrackedJob): Readonly<Record<string, unknown>> {
  return renderCheckpointConfig(job.master.checkpointSettings);
}

/** Program arguments as `--key value` pairs, as Flink shows global job parameters; none when they do not parse. */
function userConfigOf(args: readonly string[]): Record<string, string> {
  try {
    return ParameterTool.fromArgs(args).toMap();
  } catch {
    return {};
  }
}
