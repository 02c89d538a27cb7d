import type { JobId } from '../../core/ids.js';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import type { ZooKeeperClient } from '../../ha/zookeeper/zookeeper-client.js';
import { readCompletedCheckpoint } from '../checkpoint/checkpoint-directory-loader.js';
import type { CompletedCheckpoint } from '../checkpoint/completed-checkpoint.js';
import type { RecoverableCheckpointPointers } from '../checkpoint/completed-checkpoint-store.js';
import type { GlobalJobCleanup } from './global-job-cleanup.js';
import type { GloballyTerminalStatus } from './job-result-store.js';

const log = getLogger('checkpoint.ha');

/** Flink pads checkpoint ids to 19 digits so that ZooKeeper lists them in order. */
function nodeName(id: number): string {
  return String(id).padStart(19, '0');
}

/**
 * A job's retained checkpoints as pointers in ZooKeeper, in Flink's layout:
 * `/jobs/<job-id>/checkpoints/<id>` holds the path of a checkpoint whose state and metadata stay in
 * checkpoint storage, and `/jobs/<job-id>/checkpoint_id_counter` the next id. ZooKeeper holds only
 * these small pointers; a new leader reads them to restore the latest checkpoint.
 */
export class ZooKeeperCheckpointPointers implements RecoverableCheckpointPointers {
  private readonly base: string;
  /** Operations run one after another, so a clear never races a record still in flight. */
  private tail: Promise<unknown> = Promise.resolve();
  private cleared = false;

  constructor(
    private readonly client: ZooKeeperClient,
    private readonly jobId: JobId,
    /** Records the job's end first, so no later leader runs it again, then removes its data here. */
    private readonly cleanup: GlobalJobCleanup,
  ) {
    this.base = `/jobs/${jobId}`;
  }

  record(retained: readonly CompletedCheckpoint[]): Promise<void> {
    return this.serially(() => (this.cleared ? Promise.resolve() : this.write(retained)));
  }

  private async write(retained: readonly CompletedCheckpoint[]): Promise<void> {
    const onDisk = retained.filter((checkpoint) => checkpoint.directory !== undefined);
    const keep = new Set(onDisk.map((checkpoint) => nodeName(checkpoint.id)));
    const present = new Set(await this.client.getChildren(`${this.base}/checkpoints`));
    for (const checkpoint of onDisk) {
      const name = nodeName(checkpoint.id);
      if (!present.has(name))
        await this.client.put(`${this.base}/checkpoints/${name}`, Buffer.from(JSON.stringify({ path: checkpoint.directory })));
    }
    const highest = Math.max(0, ...retained.map((checkpoint) => checkpoint.id));
    await this.client.put(`${this.base}/checkpoint_id_counter`, Buffer.from(String(highest + 1)));
    // Added first, removed last: a leader dying in between leaves one pointer too many, never one too few.
    for (const name of present) if (!keep.has(name)) await this.client.removeRecursive(`${this.base}/checkpoints/${name}`);
  }

  async recover(): Promise<CompletedCheckpoint[]> {
    const recovered: CompletedCheckpoint[] = [];
    for (const name of (await this.client.getChildren(`${this.base}/checkpoints`)).sort()) {
      const node = await this.client.getData(`${this.base}/checkpoints/${name}`);
      try {
        const { path } = JSON.parse(node?.data.toString('utf8') ?? '{}') as { path?: unknown };
        if (typeof path !== 'string') throw new Error('the pointer names no path');
        recovered.push(await readCompletedCheckpoint(path));
      } catch (error) {
        log.warn(`Checkpoint ${Number(name)} of job ${this.jobId} recorded in ZooKeeper cannot be used: ${describeError(error)}`);
      }
    }
    return recovered.sort((a, b) => a.id - b.id);
  }

  /** The next checkpoint id a new leader must not go below, as the old leader recorded it. */
  async nextCheckpointId(): Promise<number> {
    const node = await this.client.getData(`${this.base}/checkpoint_id_counter`);
    const value = Number(node?.data.toString('utf8'));
    return Number.isSafeInteger(value) && value > 0 ? value : 1;
  }

  clear(status: GloballyTerminalStatus): Promise<void> {
    return this.serially(async () => {
      this.cleared = true;
      await this.cleanup.jobTerminated(this.jobId, status);
    });
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation, operation);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
