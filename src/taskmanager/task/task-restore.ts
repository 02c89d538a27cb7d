/**
 * A task's restore: reads what its operators restore and hands it to the chain before `open`.
 * The keyed state of a head with network input is streamed instead (see KeyedStateLoader): the
 * task runs while its key groups arrive, and records wait only for the group they need.
 */
import type { Logger } from '../../core/logging.js';
import type { TaskDeploymentDescriptor } from '../../rpc/gateways/task-deployment-descriptor.js';
import type { OperatorChain } from '../../runtime/task-contract.js';
import { KeyedStateLoader } from '../checkpoint/keyed-state-loader.js';
import { StateFiles } from '../checkpoint/restore-resolver.js';
import type { ArrivingState } from './stream-input-processor.js';
import type { TaskEnvironment } from './task-environment.js';
import { restoredBytes } from './task-services.js';

/** What the restore needs from its task. */
export interface TaskRestoreHost {
  readonly tdd: TaskDeploymentDescriptor;
  readonly name: string;
  readonly log: Logger;
  readonly env: TaskEnvironment;
  /** Runs `action` in the task's mailbox, between records, and wakes the task. */
  inMailbox(action: () => void): void;
  fail(error: Error): void;
}

/** The restore of one task attempt, from initialization until every byte of its state is here. */
export class TaskRestore {
  private eagerLocal = 0;
  private eagerFromStorage = 0;
  private loader: KeyedStateLoader | undefined;
  /** A streamed restore is still reading. */
  private streaming = false;
  /** Set for a streamed restore: the head's arriving state, for the input processor. */
  arriving: ArrivingState | undefined;

  constructor(private readonly host: TaskRestoreHost) {}

  /** Bytes read from local copies; 0 until the restore is complete, so a reader never sees part of it. */
  get bytesLocal(): number {
    return this.streaming ? 0 : this.eagerLocal + (this.loader?.bytesLocal ?? 0);
  }

  /** Bytes read from checkpoint storage; 0 until the restore is complete. */
  get bytesFromStorage(): number {
    return this.streaming ? 0 : this.eagerFromStorage + (this.loader?.bytesFromStorage ?? 0);
  }

  /** Restores the chain (before `open`): everything now, except a streamed head's key groups. */
  async initialize(chain: OperatorChain): Promise<void> {
    const { tdd, env } = this.host;
    const started = performance.now();
    const head = chain.source === undefined ? chain.streamedRestore : undefined;
    const restored = await env.resolveRestore(tdd, head?.operatorId);
    await chain.initializeState(restored?.operators);
    if (restored === undefined) return;
    this.eagerLocal = restored.bytesLocal;
    this.eagerFromStorage = restored.bytesFromStorage;
    const eagerBytes = restoredBytes(restored.operators);
    const streamed = restored.streamed;
    if (streamed === undefined || head === undefined) {
      this.logRestored(eagerBytes, started);
      return;
    }
    const target = head.target;
    const loader = new KeyedStateLoader(tdd.restore!.checkpointId, streamed.chains, new StateFiles(env.localState), {
      arrived: (offset, chunks) => this.host.inMailbox(() => target.arrive(offset, chunks)),
      done: () => {
        this.streaming = false;
        this.host.inMailbox(() => this.logRestored(eagerBytes + loader.bytes, started));
      },
      failed: (error) => this.host.fail(error),
    });
    this.loader = loader;
    this.streaming = true;
    target.expect(loader.groups);
    this.arriving = { target, needs: (offset) => loader.prioritize(offset) };
  }

  /** The task runs: streamed key groups start to arrive. */
  start(): void {
    this.loader?.start();
  }

  /** The task ended: a streamed restore still reading stops. */
  stop(): void {
    this.loader?.stop();
  }

  private logRestored(bytes: number, started: number): void {
    const local =
      this.host.env.localState === undefined
        ? ''
        : ` (${this.bytesLocal} from the local copy, ${this.bytesFromStorage} from checkpoint storage)`;
    const streamed = this.loader === undefined ? '' : ', its keyed state streamed while it ran';
    this.host.log.info(
      `${this.host.name} restored ${bytes} bytes of state from checkpoint ${this.host.tdd.restore?.checkpointId} in ${Math.round(performance.now() - started)} ms${local}${streamed}.`,
    );
  }
}
