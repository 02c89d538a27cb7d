/** Small reusable fakes for runtime unit tests: a manual clock, task services, a collecting output, one-operator chains. */
import type { JobId, OperatorId, VertexId } from '../../../src/core/ids.js';
import { Logger } from '../../../src/core/logging.js';
import type { TypeDescriptor } from '../../../src/jobgraph/type-descriptor.js';
import { buildOperatorChain, type StreamOperatorChain } from '../../../src/runtime/chain/stream-operator-chain.js';
import type { KeyedInputInfo, OperatorFactory } from '../../../src/runtime/operators/stream-operator.js';
import type { Cancellable, ChainOutput, ProcessingTimeService, TaskServices } from '../../../src/runtime/task-contract.js';

/** A processing-time service whose clock only moves when the test says so. */
export class TestingProcessingTimeService implements ProcessingTimeService {
  private timers: { at: number; seq: number; fire: () => void; cancelled: boolean }[] = [];
  private seq = 0;
  constructor(public time = 0) {}

  now(): number {
    return this.time;
  }

  registerTimer(timestamp: number, callback: (timestamp: number) => void): Cancellable {
    const t = { at: timestamp, seq: this.seq++, fire: () => callback(timestamp), cancelled: false };
    this.timers.push(t);
    return { cancel: () => void (t.cancelled = true) };
  }

  scheduleAtFixedRate(callback: () => void, initialDelayMs: number, periodMs: number): Cancellable {
    let cancelled = false;
    let handle: Cancellable | undefined;
    const schedule = (at: number): void => {
      handle = this.registerTimer(at, () => {
        if (cancelled) return;
        callback();
        schedule(at + periodMs);
      });
    };
    schedule(this.time + initialDelayMs);
    return { cancel: () => ((cancelled = true), handle?.cancel()) };
  }

  /** Moves the clock to `time`, firing every due timer in time order. */
  advanceTo(time: number): void {
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= time).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.time = Math.max(this.time, due.at);
      this.timers = this.timers.filter((t) => t !== due);
      due.fire();
    }
    this.time = time;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

/** Task services for one subtask, with stdout collected. */
export function testServices(overrides: Partial<TaskServices> & { lines?: string[] } = {}): TaskServices {
  const lines = overrides.lines ?? [];
  return {
    jobId: '0'.repeat(32) as JobId,
    jobName: 'test-job',
    vertexId: '1'.repeat(32) as VertexId,
    taskName: 'test-task',
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: 128,
    attemptNumber: 0,
    processingTime: new TestingProcessingTimeService(),
    stdout: (line) => lines.push(line),
    logger: new Logger('test'),
    autoWatermarkIntervalMs: 200,
    checkpointingEnabled: false,
    ...overrides,
  };
}

/** Collects what a chain emits. */
export class CollectingOutput implements ChainOutput {
  readonly records: { value: unknown; timestamp: number | undefined }[] = [];
  readonly watermarks: number[] = [];
  collect(value: unknown, timestamp: number | undefined): void {
    this.records.push({ value, timestamp });
  }
  emitWatermark(watermark: number): void {
    this.watermarks.push(watermark);
  }
  values(): unknown[] {
    return this.records.map((r) => r.value);
  }
  clear(): void {
    this.records.length = 0;
    this.watermarks.length = 0;
  }
}

/** Options of a one-operator chain. */
export interface SingleChainOptions {
  readonly services?: TaskServices;
  readonly keyed?: KeyedInputInfo;
  readonly inputType?: TypeDescriptor;
  readonly outputType?: TypeDescriptor;
  readonly operatorId?: string;
}

/** A chain of one operator, with its output collected. */
export function singleOperatorChain(
  factory: OperatorFactory,
  options: SingleChainOptions = {},
): { chain: StreamOperatorChain; output: CollectingOutput; services: TaskServices } {
  const services = options.services ?? testServices();
  const output = new CollectingOutput();
  const chain = buildOperatorChain(
    [
      {
        operatorId: (options.operatorId ?? 'a'.repeat(32)) as OperatorId,
        name: 'op',
        factory,
        keyed: options.keyed,
        inputType: options.inputType,
        outputType: options.outputType ?? { kind: 'GENERIC' },
      },
    ],
    services,
    output,
  );
  return { chain, output, services };
}

/** Opens a fresh (not restored) chain. */
export async function openFresh(chain: StreamOperatorChain): Promise<void> {
  await chain.initializeState(undefined);
  await chain.open();
}
