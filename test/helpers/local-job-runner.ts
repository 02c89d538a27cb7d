/**
 * A test-only, in-process runner for a JobProgram: every vertex runs at its parallelism in this
 * process, records are routed synchronously through the program's partitioners, watermarks are the
 * minimum over each subtask's input channels, end of input propagates as the task layer does
 * (MAX watermark, then endInput). No checkpoints.
 */
import { randomBytes } from 'node:crypto';
import type { JobId } from '../../src/core/ids.js';
import { getLogger } from '../../src/core/logging.js';
import type { JobVertex } from '../../src/jobgraph/job-graph.js';
import { computeDefaultMaxParallelism } from '../../src/runtime/keygroups/index.js';
import {
  MAX_WATERMARK,
  MIN_WATERMARK,
  type Cancellable,
  type ChainOutput,
  type JobProgram,
  type OperatorChain,
  type Partitioner,
  type ProcessingTimeService,
  type TaskServices,
} from '../../src/runtime/task-contract.js';

/** How to run a program locally. */
export interface LocalRunOptions {
  /** Parallelism of vertices that do not set their own. */
  readonly parallelism: number;
  /** Stop gracefully (no end of input) after this long and return what was produced; for unbounded jobs. */
  readonly stopAfterMs?: number;
  /** Fail when the job has not finished after this long (default 60 s). */
  readonly timeoutMs?: number;
  /** Records a source may emit per emitNext call (default 64). */
  readonly sourceBudget?: number;
  readonly processingTime?: ProcessingTimeService;
}

/** What a local run produced. */
export interface LocalRunResult {
  /** stdout lines of all subtasks, in the order written. */
  readonly stdout: string[];
  /** Records in/out per vertex name and subtask. */
  readonly counters: Map<string, { numRecordsIn: number; numRecordsOut: number }[]>;
}

/** Real wall-clock timers whose callback errors are reported to `onError`. */
export class RealProcessingTimeService implements ProcessingTimeService {
  private readonly handles = new Set<NodeJS.Timeout>();
  constructor(private readonly onError: (error: unknown) => void) {}
  now(): number {
    return Date.now();
  }
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.onError(error);
    }
  }
  registerTimer(timestamp: number, callback: (timestamp: number) => void): Cancellable {
    const h = setTimeout(() => {
      this.handles.delete(h);
      this.guard(() => callback(timestamp));
    }, Math.max(0, timestamp - Date.now()));
    this.handles.add(h);
    return { cancel: () => (clearTimeout(h), this.handles.delete(h)) };
  }
  scheduleAtFixedRate(callback: () => void, initialDelayMs: number, periodMs: number): Cancellable {
    let interval: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      this.handles.delete(first);
      this.guard(callback);
      interval = setInterval(() => this.guard(callback), periodMs);
      this.handles.add(interval);
    }, initialDelayMs);
    this.handles.add(first);
    return {
      cancel: () => {
        clearTimeout(first);
        this.handles.delete(first);
        if (interval !== undefined) {
          clearInterval(interval);
          this.handles.delete(interval);
        }
      },
    };
  }
  shutdown(): void {
    for (const h of this.handles) clearTimeout(h);
    this.handles.clear();
  }
}

interface Subtask {
  readonly vertex: JobVertex;
  readonly index: number;
  chain: OperatorChain;
  readonly outputs: { partitioner: Partitioner; consumers: Subtask[]; inputIndex: number }[];
  readonly channelWatermarks: Map<string, number>;
  numChannels: number;
  endedChannels: number;
  watermark: number;
  finished: boolean;
}

/** Runs `program` to completion (or until stopAfterMs) and returns its stdout and counters. */
export async function runLocalJob(program: JobProgram, options: LocalRunOptions): Promise<LocalRunResult> {
  const run = new LocalRun(program, options);
  return run.execute();
}

class LocalRun {
  private readonly stdout: string[] = [];
  private readonly subtasks = new Map<string, Subtask[]>();
  private failure: unknown;
  private failed!: (error: unknown) => void;
  private readonly failedPromise = new Promise<never>((_, reject) => (this.failed = reject));
  private readonly pts: ProcessingTimeService;
  private readonly ownPts: RealProcessingTimeService | undefined;
  private stopped = false;

  constructor(private readonly program: JobProgram, private readonly options: LocalRunOptions) {
    this.failedPromise.catch(() => {});
    if (options.processingTime === undefined) {
      this.ownPts = new RealProcessingTimeService((e) => this.fail(e));
      this.pts = this.ownPts;
    } else {
      this.pts = options.processingTime;
    }
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.failed(error);
  }

  private parallelismOf(v: JobVertex): number {
    return v.parallelism > 0 ? v.parallelism : this.options.parallelism;
  }

  private maxParallelismOf(v: JobVertex): number {
    return v.maxParallelism > 0 ? v.maxParallelism : computeDefaultMaxParallelism(this.parallelismOf(v));
  }

  async execute(): Promise<LocalRunResult> {
    const jobId = randomBytes(16).toString('hex') as JobId;
    try {
      this.createSubtasks(jobId);
      this.wire();
      const all = [...this.subtasks.values()].flat();
      for (const s of all) await s.chain.initializeState(undefined);
      for (const s of all) await s.chain.open();
      const sources = all.filter((s) => s.vertex.isSource);
      const done = Promise.all(sources.map((s) => this.runSource(s)));
      await Promise.race([done, this.failedPromise, this.deadline()]);
      if (this.failure !== undefined) throw this.failure instanceof Error ? this.failure : new Error(String(this.failure));
    } finally {
      this.stopped = true;
      this.ownPts?.shutdown();
      for (const s of [...this.subtasks.values()].flat()) await s.chain?.close().catch(() => {});
    }
    const counters = new Map<string, { numRecordsIn: number; numRecordsOut: number }[]>();
    for (const [, list] of this.subtasks) counters.set(list[0]!.vertex.name, list.map((s) => ({ ...s.chain.counters })));
    return { stdout: this.stdout, counters };
  }

  private deadline(): Promise<void> {
    const { stopAfterMs, timeoutMs = 60_000 } = this.options;
    return new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => {
        if (stopAfterMs !== undefined) {
          this.stopped = true;
          resolve();
        } else reject(new Error(`The local job did not finish within ${timeoutMs} ms`));
      }, stopAfterMs ?? timeoutMs);
      this.failedPromise.catch(() => clearTimeout(t));
      t.unref?.();
    });
  }

  private createSubtasks(jobId: JobId): void {
    const graph = this.program.graph;
    for (const v of graph.vertices) {
      const p = this.parallelismOf(v);
      const list: Subtask[] = [];
      for (let i = 0; i < p; i++) {
        const s: Subtask = { vertex: v, index: i, chain: undefined as never, outputs: [], channelWatermarks: new Map(), numChannels: 0, endedChannels: 0, watermark: MIN_WATERMARK, finished: false };
        const services: TaskServices = {
          jobId, jobName: graph.jobName, vertexId: v.id, taskName: v.name, subtaskIndex: i, parallelism: p,
          maxParallelism: this.maxParallelismOf(v), attemptNumber: 0, processingTime: this.pts,
          stdout: (line) => this.stdout.push(line), logger: getLogger(`Task ${v.name}`),
          autoWatermarkIntervalMs: graph.settings.autoWatermarkIntervalMs, checkpointingEnabled: false,
        };
        s.chain = this.program.createChain(v.id, services, this.outputOf(s));
        list.push(s);
      }
      this.subtasks.set(v.id, list);
    }
  }

  private wire(): void {
    for (const v of this.program.graph.vertices) {
      const consumers = this.subtasks.get(v.id)!;
      for (const edge of v.inputs) {
        const producers = this.subtasks.get(edge.source)!;
        for (const c of consumers) c.numChannels += producers.length;
        for (const p of producers) {
          const partitioner = this.program.createPartitioner(edge, consumers.length, this.maxParallelismOf(v), p.index);
          p.outputs.push({ partitioner, consumers, inputIndex: edge.inputIndex });
        }
      }
    }
  }

  private outputOf(s: Subtask): ChainOutput {
    return {
      collect: (value, timestamp) => {
        for (const out of s.outputs) {
          const ch = out.partitioner.selectChannel(value);
          if (ch === -1) for (const c of out.consumers) c.chain.processElement(value, timestamp);
          else out.consumers[ch]!.chain.processElement(value, timestamp);
        }
      },
      emitWatermark: (watermark) => {
        for (const out of s.outputs) for (const c of out.consumers) this.onChannelWatermark(c, `${s.vertex.id}/${s.index}/${out.inputIndex}`, watermark);
      },
    };
  }

  private onChannelWatermark(c: Subtask, channel: string, watermark: number): void {
    c.channelWatermarks.set(channel, watermark);
    if (c.channelWatermarks.size < c.numChannels) return;
    let min = MAX_WATERMARK;
    for (const wm of c.channelWatermarks.values()) if (wm < min) min = wm;
    if (min > c.watermark) {
      c.watermark = min;
      c.chain.processWatermark(min);
    }
  }

  private async runSource(s: Subtask): Promise<void> {
    const source = s.chain.source!;
    const budget = this.options.sourceBudget ?? 64;
    while (!this.stopped) {
      const status = source.emitNext(budget);
      if (status === 'END_OF_INPUT') return this.finish(s);
      if (status === 'NOTHING_AVAILABLE') await Promise.race([source.whenAvailable(), this.failedPromise, this.tick(50)]);
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  private tick(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  private async finish(s: Subtask): Promise<void> {
    if (!s.vertex.isSource && s.watermark < MAX_WATERMARK) {
      s.watermark = MAX_WATERMARK;
      s.chain.processWatermark(MAX_WATERMARK);
    }
    await s.chain.endInput();
    s.finished = true;
    for (const out of s.outputs) {
      for (const c of out.consumers) {
        c.endedChannels++;
        if (c.endedChannels === c.numChannels && !this.stopped) await this.finish(c);
      }
    }
  }
}
