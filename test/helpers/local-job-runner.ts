import { newJobId, type ExecutionAttemptId } from '../../src/core/ids.js';
/**
 * Runs a JobProgram in this process on the real task layer: one real Task per subtask, wired as a
 * TaskManager wires them (result partitions, input gates with local channels, the mailbox, barrier
 * handling, end of input), with deployment descriptors built the way the JobManager builds them.
 * With `checkpointIntervalMs`, a small coordinator triggers checkpoints on the sources and notifies
 * every task once all of them acknowledged, so the barrier path and the final checkpoint run too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserializeError } from '../../src/core/errors.js';
import type { JobVertex } from '../../src/jobgraph/job-graph.js';
import type { ExecutionState, TaskExecutionStateUpdate } from '../../src/rpc/gateways/job-master-gateway.js';
import type {
  InputGateDescriptor,
  ResultPartitionDescriptor,
  TaskCheckpointSettings,
  TaskDeploymentDescriptor,
} from '../../src/rpc/gateways/task-deployment-descriptor.js';
import { computeDefaultMaxParallelism } from '../../src/runtime/keygroups/index.js';
import type { JobProgram } from '../../src/runtime/task-contract.js';
import type { CheckpointResponder } from '../../src/taskmanager/checkpoint/subtask-checkpointer.js';
import { DataClient, socketOpener } from '../../src/taskmanager/network/data-client.js';
import { PartitionManager } from '../../src/taskmanager/network/partition-manager.js';
import { CheckpointBarrier } from '../../src/taskmanager/network/stream-elements.js';
import { Task } from '../../src/taskmanager/task/task.js';
import type { TaskEnvironment } from '../../src/taskmanager/task/task-environment.js';
import { asAllocationId, asAttemptId, asResourceId } from './ids.js';

/** How to run a program locally. */
export interface LocalRunOptions {
  /** Parallelism of vertices that do not set their own. */
  readonly parallelism: number;
  /** Fail when the job has not finished after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Take exactly-once checkpoints at this interval (snapshots go to a temporary directory). Off by default. */
  readonly checkpointIntervalMs?: number;
  /** Runs beside the job once its tasks started, e.g. to trigger checkpoints by hand; the run ends when both are done. */
  readonly whileRunning?: (run: LocalRunControl) => Promise<void>;
}

/** A running local job, for a test that acts on it. */
export interface LocalRunControl {
  readonly tasks: readonly Task[];
  readonly completedCheckpoints: readonly number[];
  /** Triggers the next checkpoint at the sources (halting them after its barrier if asked); returns its id. */
  triggerCheckpoint(haltSources: boolean): number;
}

/** What a local run produced. */
export interface LocalRunResult {
  /** stdout lines of all subtasks, in the order written. */
  readonly stdout: string[];
  /** Records in/out of each chain, per vertex name and subtask. */
  readonly counters: Map<string, { numRecordsIn: number; numRecordsOut: number }[]>;
  /** Checkpoints every task acknowledged, in order. */
  readonly completedCheckpoints: number[];
}

/** The resource id every local channel names: all producers are in this process. */
const LOCAL_RESOURCE = asResourceId('local-job-runner');

/** Runs `program` to completion on real Tasks and returns its stdout and counters. */
export async function runLocalJob(program: JobProgram, options: LocalRunOptions): Promise<LocalRunResult> {
  const checkpointDirectory = options.checkpointIntervalMs === undefined ? undefined : await mkdtemp(join(tmpdir(), 'tsflink-local-'));
  try {
    return await new LocalRun(program, options, checkpointDirectory).execute();
  } finally {
    if (checkpointDirectory !== undefined) await rm(checkpointDirectory, { recursive: true, force: true });
  }
}

class LocalRun implements CheckpointResponder {
  private readonly stdout: string[] = [];
  private readonly tasks: Task[] = [];
  private readonly partitions = new PartitionManager();
  private failure: Error | undefined;
  private failed!: (error: Error) => void;
  private readonly failedPromise = new Promise<never>((_, reject) => {
    this.failed = reject;
  });
  private readonly jobId = newJobId();
  /** Acknowledgements per pending checkpoint. */
  private readonly acks = new Map<number, number>();
  private readonly completed: number[] = [];
  private nextCheckpointId = 1;

  constructor(
    private readonly program: JobProgram,
    private readonly options: LocalRunOptions,
    private readonly checkpointDirectory: string | undefined,
  ) {
    this.failedPromise.catch(() => undefined);
  }

  async execute(): Promise<LocalRunResult> {
    const graph = this.program.graph;
    const checkpointing: TaskCheckpointSettings = {
      enabled: this.checkpointDirectory !== undefined,
      mode: 'EXACTLY_ONCE',
      checkpointDirectory: this.checkpointDirectory,
    };
    const attempts = new Map(
      graph.vertices.map((v) => [v.id, Array.from({ length: this.parallelismOf(v) }, (_, i) => asAttemptId(`${v.id}-${i}`))]),
    );
    const env: TaskEnvironment = {
      resourceId: LOCAL_RESOURCE,
      partitions: this.partitions,
      // Never connects: every channel's producer is local.
      dataClient: new DataClient(socketOpener(() => Buffer.alloc(32), LOCAL_RESOURCE)),
      stdout: (line) => this.stdout.push(line),
      reportState: (update) => this.onState(update),
      resolveRestore: () => Promise.resolve(undefined),
      checkpointResponder: this,
    };
    for (const vertex of graph.vertices) {
      for (let i = 0; i < this.parallelismOf(vertex); i++) {
        const tdd: TaskDeploymentDescriptor = {
          jobId: this.jobId,
          jobName: graph.jobName,
          vertexId: vertex.id,
          vertexName: vertex.name,
          subtaskIndex: i,
          parallelism: this.parallelismOf(vertex),
          maxParallelism: this.maxParallelismOf(vertex),
          attemptId: attempts.get(vertex.id)![i]!,
          attemptNumber: 0,
          slotIndex: 0,
          allocationId: asAllocationId('local'),
          fingerprint: graph.fingerprint,
          inputs: this.inputsOf(vertex, i, attempts),
          outputs: this.outputsOf(vertex),
          restore: undefined,
          checkpointing,
          bufferTimeoutMs: graph.settings.bufferTimeoutMs,
          autoWatermarkIntervalMs: graph.settings.autoWatermarkIntervalMs,
        };
        this.tasks.push(new Task(tdd, this.program, env));
      }
    }
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    let deadline: NodeJS.Timeout | undefined;
    let checkpoints: NodeJS.Timeout | undefined;
    try {
      for (const task of this.tasks) task.start();
      if (this.options.checkpointIntervalMs !== undefined)
        checkpoints = setInterval(() => this.triggerCheckpoint(), this.options.checkpointIntervalMs);
      const timedOut = new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(new Error(`The local job did not finish within ${timeoutMs} ms`)), timeoutMs);
      });
      const control: LocalRunControl = {
        tasks: this.tasks,
        completedCheckpoints: this.completed,
        triggerCheckpoint: (halt) => this.triggerCheckpoint(halt),
      };
      const watching = this.options.whileRunning?.(control) ?? Promise.resolve();
      await Promise.race([Promise.all([...this.tasks.map((task) => task.whenTerminated()), watching]), this.failedPromise, timedOut]);
    } finally {
      clearTimeout(deadline);
      clearInterval(checkpoints);
      await Promise.all(this.tasks.map((task) => task.cancel()));
    }
    if (this.failure !== undefined) throw this.failure;
    const counters = new Map<string, { numRecordsIn: number; numRecordsOut: number }[]>();
    for (const task of this.tasks) {
      const list = counters.get(task.tdd.vertexName) ?? [];
      list.push({ ...(task.chain?.counters ?? { numRecordsIn: 0, numRecordsOut: 0 }) });
      counters.set(task.tdd.vertexName, list);
    }
    return { stdout: this.stdout, counters, completedCheckpoints: this.completed };
  }

  acknowledge(ack: { checkpointId: number }): void {
    const count = (this.acks.get(ack.checkpointId) ?? 0) + 1;
    this.acks.set(ack.checkpointId, count);
    if (count < this.tasks.length) return;
    this.acks.delete(ack.checkpointId);
    this.completed.push(ack.checkpointId);
    for (const task of this.tasks) task.notifyCheckpointComplete(ack.checkpointId);
  }

  decline(decline: { checkpointId: number; reason: string; notReady?: boolean }): void {
    // A source already finished declines as not ready; the checkpoint is dropped, as the JobManager does.
    this.acks.delete(decline.checkpointId);
    for (const task of this.tasks) task.notifyCheckpointAborted(decline.checkpointId);
  }

  private triggerCheckpoint(haltSources = false): number {
    const barrier = new CheckpointBarrier(this.nextCheckpointId++, Date.now(), 'CHECKPOINT');
    this.acks.set(barrier.checkpointId, 0);
    for (const task of this.tasks) if (task.chain?.source !== undefined) task.triggerCheckpoint(barrier, false, haltSources);
    return barrier.checkpointId;
  }

  private onState(update: TaskExecutionStateUpdate): void {
    const state: ExecutionState = update.state;
    if (state === 'FAILED' && this.failure === undefined) {
      this.failure = update.error === undefined ? new Error(`task ${update.attemptId} failed`) : deserializeError(update.error);
      this.failed(this.failure);
    }
  }

  private parallelismOf(v: JobVertex): number {
    return v.parallelism > 0 ? v.parallelism : this.options.parallelism;
  }

  private maxParallelismOf(v: JobVertex): number {
    return v.maxParallelism > 0 ? v.maxParallelism : computeDefaultMaxParallelism(this.parallelismOf(v));
  }

  /** Out edges in the order the JobManager numbers them (consumers in vertex order, then their inputs). */
  private outEdges(vertex: JobVertex): Array<{ target: JobVertex; edge: JobVertex['inputs'][number]; edgeIndex: number }> {
    const out: Array<{ target: JobVertex; edge: JobVertex['inputs'][number]; edgeIndex: number }> = [];
    for (const target of this.program.graph.vertices) {
      for (const edge of target.inputs) if (edge.source === vertex.id) out.push({ target, edge, edgeIndex: out.length });
    }
    return out;
  }

  private isPointwise(producer: JobVertex, consumer: JobVertex, strategy: string): boolean {
    return strategy === 'FORWARD' && this.parallelismOf(producer) === this.parallelismOf(consumer);
  }

  private inputsOf(vertex: JobVertex, subtask: number, attempts: Map<string, ExecutionAttemptId[]>): InputGateDescriptor[] {
    return vertex.inputs.map((edge) => {
      const producer = this.program.graph.vertices.find((v) => v.id === edge.source)!;
      const partitionIndex = this.outEdges(producer).find((out) => out.edge === edge)!.edgeIndex;
      const pointwise = this.isPointwise(producer, vertex, edge.shipStrategy);
      const producerAttempts = attempts.get(producer.id)!;
      const producers = pointwise ? [producerAttempts[subtask]!] : producerAttempts;
      return {
        edge,
        channels: producers.map((attemptId) => ({
          producerAttemptId: attemptId,
          partitionIndex,
          subpartitionIndex: pointwise ? 0 : subtask,
          producerResourceId: LOCAL_RESOURCE,
          producerSlotIndex: 0,
          producerDataAddress: 'unused',
        })),
      };
    });
  }

  private outputsOf(vertex: JobVertex): ResultPartitionDescriptor[] {
    return this.outEdges(vertex).map(({ target, edge, edgeIndex }) => {
      const pointwise = this.isPointwise(vertex, target, edge.shipStrategy);
      return {
        partitionIndex: edgeIndex,
        edge,
        numberOfSubpartitions: pointwise ? 1 : this.parallelismOf(target),
        consumerMaxParallelism: this.maxParallelismOf(target),
        pointwise,
      };
    });
  }
}
