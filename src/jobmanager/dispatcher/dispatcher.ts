import type { RecoverableCheckpointPointers } from '../checkpoint/completed-checkpoint-store.js';
import type { JobId, ResourceId } from '../../core/ids.js';
import { getLogger } from '../../core/logging.js';
import { LogDirectory } from '../../daemon/log-directory.js';
import { OWN_THREADS } from '../../daemon/thread-dump.js';
import type { ThreadDumpSource } from '../../rpc/gateways/thread-dump.js';
import type { LogFileSource } from '../../rpc/gateways/log-files.js';
import type { Configuration } from '../../config/configuration.js';
import { JOB_MANAGER_RPC_ADDRESS } from '../../config/options/jobmanager-options.js';
import { registerJobManagerMetrics } from '../../metrics/job-metric-gauges.js';
import type { MetricGroup } from '../../metrics/metric-group.js';
import { ClusterMetricQuery, type MetricQuery } from '../../metrics/metric-query.js';
import { MetricRegistry } from '../../metrics/metric-registry.js';
import { ProcessSampler, registerProcessMetrics } from '../../metrics/process-metrics.js';
import { formatAddress } from '../../rpc/address.js';
import type { ClusterRuntime } from '../../rpc/cluster-runtime.js';
import type { ClusterOverview, DispatcherGateway, TaskManagerDetails } from '../../rpc/gateways/dispatcher-gateway.js';
import type { JobMasterGateway } from '../../rpc/gateways/job-master-gateway.js';
import type { ZooKeeperJobGraphStore } from '../ha/zookeeper-job-graph-store.js';
import { JobMaster, type JobSubmission } from '../jobmaster/job-master.js';
import type { RegisteredTaskManager } from '../resourcemanager/registered-task-manager.js';
import type { ResourceManager } from '../resourcemanager/resource-manager.js';
import type { SlotPool } from '../slotpool/slot-pool.js';
import { JobMasterRouter } from './job-master-router.js';
import { JobViews } from './job-views.js';

const log = getLogger('dispatcher');

/**
 * Accepts jobs and runs a JobMaster for each; answers REST's questions about the cluster and its
 * jobs, and routes TaskManagers' job calls to the right JobMaster.
 */
export class Dispatcher implements DispatcherGateway {
  readonly jobs = new Map<JobId, JobMaster>();
  readonly jobMasterGateway: JobMasterGateway;
  /** Set by a highly available JobManager: where its jobs' checkpoints are recorded for the next leader. */
  checkpointPointers: ((jobId: JobId) => RecoverableCheckpointPointers) | undefined;
  /** Set on a highly available session cluster: where submitted jobs are persisted for the next leader. */
  jobGraphStore: ZooKeeperJobGraphStore | undefined;
  /** The JobManager's metric group (`jobmanager` scope); each job's group goes below it. */
  readonly metricGroup: MetricGroup;
  /** What REST's metric endpoints read. */
  readonly metricQuery: MetricQuery;
  private readonly views: JobViews;
  /** Jobs suspendAll() suspended: they may be submitted again. */
  private readonly suspended = new Set<JobMaster>();
  readonly jobManagerLogs: LogFileSource = LogDirectory.ofProcess();
  readonly jobManagerThreads: ThreadDumpSource = OWN_THREADS;

  constructor(
    private readonly resourceManager: ResourceManager,
    private readonly slotPool: SlotPool,
    private readonly configuration: Configuration,
    private readonly runtime: ClusterRuntime,
    metricRegistry: MetricRegistry = new MetricRegistry(),
  ) {
    this.jobMasterGateway = new JobMasterRouter(() => this.jobs.values());
    this.views = new JobViews(configuration);
    resourceManager.expectedAttempts = (resourceId) => [...this.jobs.values()].flatMap((job) => job.scheduler.attemptsOn(resourceId));
    this.metricGroup = metricRegistry.addRoot('jobmanager', { host: configuration.get(JOB_MANAGER_RPC_ADDRESS) });
    registerProcessMetrics(this.metricGroup, new ProcessSampler());
    registerJobManagerMetrics(this.metricGroup, () => this.requestClusterOverview());
    this.metricQuery = new ClusterMetricQuery({
      jobManager: this.metricGroup,
      jobIds: () => [...this.jobs.keys()],
      job: (jobId) => this.jobs.get(jobId)?.metrics,
      taskManagers: () => this.requestTaskManagers(),
    });
    this.views.setMetricsProvider({ ioMetrics: (attempt) => this.jobs.get(attempt.jobId)?.metrics.ioMetrics(attempt) });
  }

  /**
   * Starts a JobMaster for the job; its scheduler begins at once. With a job graph store the job is
   * persisted first (Flink's persistAndRunJob), unless it was just recovered from there.
   */
  async submitJob(submission: JobSubmission, options: { readonly recovered?: boolean } = {}): Promise<JobMaster> {
    const previous = this.jobs.get(submission.jobId);
    if (previous !== undefined) await this.resubmittable(previous);
    log.info(`Received JobGraph submission '${submission.graph.jobName}' (${submission.jobId}).`);
    if (this.jobGraphStore !== undefined && options.recovered !== true) {
      await this.jobGraphStore.put({
        jobId: submission.jobId,
        jobName: submission.graph.jobName,
        fingerprint: submission.graph.fingerprint,
        archive: submission.archive,
        ...(submission.savepointPath === undefined ? {} : { savepointPath: submission.savepointPath }),
        ...(submission.allowNonRestoredState === undefined ? {} : { allowNonRestoredState: submission.allowNonRestoredState }),
      });
      log.info(`Added the job graph of job ${submission.jobId} to the job graph store.`);
    }
    const jobMaster = await JobMaster.create(submission, {
      configuration: this.configuration,
      slotPool: this.slotPool,
      metricGroup: this.metricGroup,
      checkpointPointers: this.checkpointPointers,
    });
    this.jobs.set(submission.jobId, jobMaster);
    this.views.track(jobMaster);
    jobMaster.start();
    return jobMaster;
  }

  /** Jobs as REST and the web UI see them (and where the metrics subsystem plugs in its provider). */
  get jobGateway(): JobViews {
    return this.views;
  }

  /** Suspends every running job (the JobManager is shutting down, or lost leadership). */
  suspendAll(reason: string): void {
    for (const job of this.jobs.values()) {
      this.suspended.add(job);
      job.scheduler.suspend(reason);
    }
  }

  /**
   * A job suspended when this JobManager lost leadership is submitted again when it leads again,
   * once the suspension is complete. Its status tracker keeps the last status before SUSPENDED (as
   * Flink's does), so the suspension is known from suspendAll and the scheduler's end, not the status.
   */
  private async resubmittable(previous: JobMaster): Promise<void> {
    if (!this.suspended.has(previous)) throw new Error(`Job ${previous.jobId} has already been submitted.`);
    const { status } = await previous.whenTerminated();
    if (status !== 'SUSPENDED') throw new Error(`Job ${previous.jobId} already reached ${status}; it is not run again.`);
    this.suspended.delete(previous);
  }

  requestClusterOverview(): ClusterOverview {
    const counts = { RUNNING: 0, FINISHED: 0, CANCELED: 0, FAILED: 0 };
    for (const job of this.jobs.values()) {
      const status = job.status.status;
      if (status === 'FINISHED' || status === 'CANCELED' || status === 'FAILED') counts[status]++;
      else counts.RUNNING++;
    }
    return {
      taskManagers: this.resourceManager.registered.length,
      slotsTotal: this.slotPool.totalSlots,
      slotsAvailable: this.slotPool.freeSlots,
      jobsRunning: counts.RUNNING,
      jobsFinished: counts.FINISHED,
      jobsCancelled: counts.CANCELED,
      jobsFailed: counts.FAILED,
    };
  }

  requestTaskManagers(): readonly TaskManagerDetails[] {
    return this.resourceManager.registered.map((tm) => this.details(tm));
  }

  taskManagerLogs(resourceId: ResourceId): LogFileSource | undefined {
    return this.resourceManager.get(resourceId)?.gateway;
  }

  taskManagerThreads(resourceId: ResourceId): ThreadDumpSource | undefined {
    return this.resourceManager.get(resourceId)?.gateway;
  }

  requestTaskManager(resourceId: ResourceId): TaskManagerDetails | undefined {
    const taskManager = this.resourceManager.get(resourceId);
    return taskManager === undefined ? undefined : this.details(taskManager);
  }

  private details(tm: RegisteredTaskManager): TaskManagerDetails {
    const allocations = this.slotPool.allocationsOn(tm);
    return {
      resourceId: tm.resourceId,
      path: `${formatAddress(this.runtime.jobManagerAddress)}#${tm.resourceId}`,
      dataAddress: tm.registration.dataAddress,
      registeredAt: tm.registeredAt,
      lastHeartbeat: tm.lastHeartbeat,
      slotsNumber: tm.numberOfSlots,
      freeSlots: tm.numberOfSlots - allocations.length,
      allocatedSlots: allocations.map((a) => ({
        index: a.slotIndex,
        jobId: a.jobId,
        assignedTasks:
          this.jobs
            .get(a.jobId)
            ?.scheduler.currentGraph()
            ?.executions()
            .filter((e) => e.allocation === a && !e.isTerminal).length ?? 0,
      })),
      hardware: tm.registration.hardware,
      memoryConfiguration: tm.registration.memoryConfiguration,
      process: tm.process,
    };
  }
}
