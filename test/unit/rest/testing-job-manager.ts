import type { JobId, OperatorId, VertexId } from '../../../src/core/ids.js';
import { LogDirectory } from '../../../src/daemon/log-directory.js';
import { newJobId } from '../../../src/core/ids.js';
import { Configuration, type ConfigOverrides } from '../../../src/config/configuration.js';
import type { JobGraph, JobVertex } from '../../../src/jobgraph/job-graph.js';
import { GENERIC_TYPE } from '../../../src/jobgraph/type-descriptor.js';
import { Dispatcher } from '../../../src/jobmanager/dispatcher/dispatcher.js';
import type { JobMaster } from '../../../src/jobmanager/jobmaster/job-master.js';
import { RegisteredTaskManager } from '../../../src/jobmanager/resourcemanager/registered-task-manager.js';
import { ResourceManager } from '../../../src/jobmanager/resourcemanager/resource-manager.js';
import { SlotPool } from '../../../src/jobmanager/slotpool/slot-pool.js';
import type { ClusterRuntime } from '../../../src/rpc/cluster-runtime.js';
import type { TaskDeploymentDescriptor } from '../../../src/rpc/gateways/task-deployment-descriptor.js';
import type { StorageProbeReply, TaskExecutorGateway } from '../../../src/rpc/gateways/task-executor-gateway.js';
import type { RpcConnection } from '../../../src/rpc/rpc-connection.js';
import { createRestRouter } from '../../../src/rest/rest-routes.js';
import { RestServer } from '../../../src/rest/rest-server.js';
import type { ThreadInfo } from '../../../src/rpc/gateways/thread-dump.js';
import { asAttemptId, asJobId, asResourceId } from '../../helpers/ids.js';

/** A TaskManager without a log directory (it logs to its console). */
const NO_LOGS = LogDirectory.of(undefined);

/** Vertex ids of the test graph: a source feeding a keyed sink. */
export const SOURCE_ID = '0123456789abcdef0123456789abcdef' as VertexId;
export const SINK_ID = 'fedcba9876543210fedcba9876543210' as VertexId;

/** A two-vertex streaming graph (source -> HASH -> sink), both at the job's parallelism unless set. */
export function twoVertexGraph(options: { parallelism?: number; maxParallelism?: number; sourceParallelism?: number } = {}): JobGraph {
  const vertex = (id: VertexId, name: string, isSource: boolean, parallelism: number): JobVertex => ({
    id,
    name,
    parallelism,
    maxParallelism: -1,
    slotSharingGroup: 'default',
    isSource,
    operators: [
      { id: id.split('').reverse().join('') as OperatorId, uid: undefined, name, kind: isSource ? 'source' : 'sink', keyed: !isSource },
    ],
    inputs: isSource ? [] : [{ source: SOURCE_ID, target: id, shipStrategy: 'HASH', inputIndex: 0, type: GENERIC_TYPE }],
  });
  return {
    jobName: 'Testing Job',
    jobType: 'STREAMING',
    vertices: [vertex(SOURCE_ID, 'Source: numbers', true, options.sourceParallelism ?? -1), vertex(SINK_ID, 'Sink: collect', false, -1)],
    settings: {
      parallelism: options.parallelism ?? -1,
      maxParallelism: options.maxParallelism ?? -1,
      autoWatermarkIntervalMs: 200,
      checkpointIntervalMs: undefined,
      bufferTimeoutMs: 100,
      programArgs: ['--rounds', '3'],
    },
    fingerprint: 'testing',
  };
}

/**
 * A TaskManager's gateway that runs nothing: it accepts every deployment and reports the attempt
 * INITIALIZING then RUNNING back to the JobManager, and confirms cancellations.
 */
class TestingTaskExecutor implements TaskExecutorGateway {
  readonly deployed: TaskDeploymentDescriptor[] = [];
  constructor(private readonly report: (jobId: string, attemptId: string, state: 'INITIALIZING' | 'RUNNING') => void) {}
  requestHeartbeat(): void {}
  disconnectResourceManager(): void {}
  async submitTask(deployment: TaskDeploymentDescriptor): Promise<void> {
    this.deployed.push(deployment);
    setImmediate(() => {
      this.report(deployment.jobId, deployment.attemptId, 'INITIALIZING');
      this.report(deployment.jobId, deployment.attemptId, 'RUNNING');
    });
  }
  async cancelTask(): Promise<void> {}
  releaseJob(): void {}
  triggerCheckpoint(): void {}
  notifyCheckpointComplete(): void {}
  notifyCheckpointAborted(): void {}
  async probeStorage(): Promise<StorageProbeReply> {
    return { ok: true };
  }
  requestLogList = NO_LOGS.requestLogList;
  requestLogChunk = NO_LOGS.requestLogChunk;
  requestLogNames = NO_LOGS.requestLogNames;
  requestThreadDump = (): Promise<readonly ThreadInfo[]> =>
    Promise.resolve([{ threadName: 'main', stringifiedThreadInfo: '"main" Id=0 RUNNABLE\n' }]);
}

/**
 * A JobManager in this process without sockets: the real Dispatcher, JobMasters and schedulers,
 * TaskManagers whose tasks only report their state, and the real REST router on a real HTTP server.
 */
export class TestingJobManager {
  readonly slotPool = new SlotPool();
  readonly resourceManager = new ResourceManager({ jobManagerId: 'testing-jm', heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 120_000 });
  readonly dispatcher: Dispatcher;
  private server: RestServer | undefined;
  private taskManagers = 0;

  constructor(overrides: ConfigOverrides = {}) {
    const runtime: ClusterRuntime = {
      dir: '/nonexistent',
      jobManagerAddress: { kind: 'unix', path: '/nonexistent/jm.sock' },
      secretPath: '/nonexistent/secret',
      jobManagerInfoPath: '/nonexistent/jm.json',
    };
    this.dispatcher = new Dispatcher(this.resourceManager, this.slotPool, Configuration.empty().withOverrides(overrides), runtime);
  }

  /** Offers `slots` more slots on a new TaskManager. */
  addTaskManager(slots: number): RegisteredTaskManager {
    const index = ++this.taskManagers;
    const gateway = new TestingTaskExecutor((jobId, attemptId, state) => {
      // A rejected update is a bug in the code under test: rethrown, it fails the test run as an unhandled rejection.
      this.dispatcher.jobMasterGateway
        .updateTaskExecutionState({ jobId: asJobId(jobId), attemptId: asAttemptId(attemptId), state })
        .catch((error: unknown) => {
          throw error;
        });
    });
    const registration = {
      resourceId: asResourceId(`testing-tm-${index}`),
      dataAddress: `localhost:${40_000 + index}`,
      numberOfSlots: slots,
      pid: 1000 + index,
      host: 'localhost',
      hardware: { cpuCores: 2, physicalMemory: 0, freeMemory: 0, managedMemory: 0 },
      memoryConfiguration: {
        frameworkHeap: 0,
        taskHeap: 0,
        frameworkOffHeap: 0,
        taskOffHeap: 0,
        networkMemory: 0,
        managedMemory: 0,
        jvmMetaspace: 0,
        jvmOverhead: 0,
        totalFlinkMemory: 0,
        totalProcessMemory: 0,
      },
    };
    // Only `isClosed` of the connection is read on these paths; no socket exists in this process.
    const connection = { isClosed: false, close: () => undefined } as unknown as RpcConnection;
    const taskManager = new RegisteredTaskManager(registration, `registration-${index}`, connection, gateway);
    this.slotPool.onTaskManagerRegistered(taskManager);
    return taskManager;
  }

  /** Submits a job built from `graph`; the scheduler starts at once. */
  submit(graph: JobGraph, jobId: JobId = newJobId()): Promise<JobMaster> {
    return this.dispatcher.submitJob({
      jobId,
      graph,
      archive: {
        fileName: 'Testing.jar',
        mainClass: 'org.tsflink.Testing',
        sha256: '0',
        bytes: new Uint8Array(),
        programArgs: [],
        defaults: {
          parallelism: 1,
          maxParallelism: -1,
          autoWatermarkIntervalMs: 200,
          checkpointIntervalMs: undefined,
          bufferTimeoutMs: 100,
        },
      },
    });
  }

  /** Serves the REST API on a free port; returns its base URL. */
  async startRest(): Promise<string> {
    this.server = new RestServer(createRestRouter(this.dispatcher), {
      bindAddress: '127.0.0.1',
      port: 0,
      maxContentLength: 1 << 20,
      allowOrigin: '*',
    });
    return `http://127.0.0.1:${await this.server.start()}`;
  }

  /** Cancels every job still running (ending its timers) and stops the REST server. */
  async close(): Promise<void> {
    for (const job of this.dispatcher.jobs.values()) job.scheduler.cancel();
    await Promise.all([...this.dispatcher.jobs.values()].map((job) => job.whenTerminated()));
    await this.server?.stop();
    this.resourceManager.shutdown();
  }
}
