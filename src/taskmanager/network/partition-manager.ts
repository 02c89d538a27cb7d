import { TsFlinkError } from '../../core/errors.js';
import type { ResultPartition } from './result-partition.js';

interface PendingLookup {
  resolve(partition: ResultPartition): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * The partitions produced on this TaskManager, by key. Consumers may ask before the producer's
 * task has registered its partition (all subtasks are deployed at once); such requests wait here.
 */
export class PartitionManager {
  private readonly partitions = new Map<string, ResultPartition>();
  private readonly pending = new Map<string, PendingLookup[]>();

  register(partition: ResultPartition): void {
    this.partitions.set(partition.key, partition);
    const waiting = this.pending.get(partition.key) ?? [];
    this.pending.delete(partition.key);
    for (const lookup of waiting) {
      clearTimeout(lookup.timer);
      lookup.resolve(partition);
    }
  }

  release(key: string): void {
    this.partitions.get(key)?.release();
    this.partitions.delete(key);
  }

  /** The partition, waiting up to `timeoutMs` for its producer to register it. */
  lookup(key: string, timeoutMs: number): Promise<ResultPartition> {
    const partition = this.partitions.get(key);
    if (partition !== undefined) return Promise.resolve(partition);
    return new Promise((resolve, reject) => {
      const lookup: PendingLookup = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const list = this.pending.get(key) ?? [];
          list.splice(list.indexOf(lookup), 1);
          if (list.length === 0) this.pending.delete(key);
          reject(new TsFlinkError('PARTITION_NOT_FOUND', `Partition ${key} was not produced here within ${timeoutMs} ms.`));
        }, timeoutMs),
      };
      const list = this.pending.get(key) ?? [];
      list.push(lookup);
      this.pending.set(key, list);
    });
  }

  /** Fails waiting lookups of a producer that will not come (its task failed before registering). */
  failPending(keyPrefix: string, reason: string): void {
    for (const [key, lookups] of this.pending) {
      if (!key.startsWith(keyPrefix)) continue;
      this.pending.delete(key);
      for (const lookup of lookups) {
        clearTimeout(lookup.timer);
        lookup.reject(new TsFlinkError('PARTITION_NOT_FOUND', reason));
      }
    }
  }
}
