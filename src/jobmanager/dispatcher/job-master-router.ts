import type { JobId } from '../../core/ids.js';
import { RpcError } from '../../core/errors.js';
import type { CheckpointAcknowledgement, CheckpointDecline } from '../../rpc/gateways/checkpoint-messages.js';
import type { JobArchive, JobMasterGateway, TaskExecutionStateUpdate, TaskFirstActivity } from '../../rpc/gateways/job-master-gateway.js';
import { validateTaskMetricsReport, type TaskMetricsReport } from '../../rpc/gateways/task-metrics-report.js';
import type { JobMaster } from '../jobmaster/job-master.js';

/**
 * The JobMaster gateway TaskManagers call: one endpoint for all jobs of the JobManager, routing each
 * call to its job's JobMaster by job id (checkpoint messages by attempt when the id is missing).
 */
export class JobMasterRouter implements JobMasterGateway {
  constructor(private readonly jobs: () => Iterable<JobMaster>) {}

  async updateTaskExecutionState(update: TaskExecutionStateUpdate): Promise<boolean> {
    if (update === null || typeof update !== 'object' || typeof update.attemptId !== 'string')
      throw new RpcError('RPC_PROTOCOL', 'malformed task state update');
    return this.find(update.jobId)?.updateTaskExecutionState(update) ?? false;
  }

  async requestJobArchive(jobId: JobId): Promise<JobArchive> {
    // String() of a peer's object may itself throw (a "toString" field): check the type first.
    if (typeof jobId !== 'string')
      throw new RpcError('RPC_PROTOCOL', `requestJobArchive needs a job id string, got ${jobId === null ? 'null' : typeof jobId}`);
    const job = this.find(jobId);
    if (job === undefined) throw new RpcError('RPC_REMOTE', `unknown job ${jobId}`);
    return job.submission.archive;
  }

  acknowledgeCheckpoint(ack: CheckpointAcknowledgement): void {
    if (ack === null || typeof ack !== 'object') return;
    this.find(ack.jobId)?.acknowledgeCheckpoint(ack);
  }

  declineCheckpoint(decline: CheckpointDecline): void {
    if (decline === null || typeof decline !== 'object') return;
    const job = this.find(decline.jobId);
    if (job !== undefined) job.declineCheckpoint(decline);
    else for (const candidate of this.jobs()) candidate.declineCheckpoint(decline);
  }

  async reportTaskMetrics(report: TaskMetricsReport): Promise<boolean> {
    const job = this.find(validateTaskMetricsReport(report).jobId);
    job?.reportTaskMetrics(report);
    return job !== undefined;
  }

  reportFirstActivity(notice: TaskFirstActivity): void {
    // A notification has no reply to carry an error: a malformed one is dropped.
    if (notice === null || typeof notice !== 'object' || typeof notice.attemptId !== 'string' || !Number.isFinite(notice.at)) return;
    if (notice.kind !== 'record' && notice.kind !== 'idle') return;
    this.find(notice.jobId)?.reportFirstActivity(notice);
  }

  private find(jobId: unknown): JobMaster | undefined {
    for (const job of this.jobs()) if (job.jobId === jobId) return job;
    return undefined;
  }
}
