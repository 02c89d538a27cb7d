import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { TsFlinkError } from '../../core/errors.js';
import type { ExecutionAttemptId, JobId } from '../../core/ids.js';
import { PARTITION_LOOKUP_TIMEOUT_MS } from '../network/local-input-channel.js';
import type { SlotThread } from './slot-thread.js';

/** A consumer's link to a slot whose thread does not exist yet (its tasks are still being deployed). */
interface WaitingLink {
  readonly jobId: JobId;
  readonly port: MessagePort;
  readonly timer: NodeJS.Timeout;
}

/**
 * Connects consumers to the slot thread that produces what they read: ports from other slot threads,
 * and relayed requests from other TaskManagers. A consumer may ask before its producer is deployed
 * (a job's subtasks are deployed all at once), so both kinds wait here, bounded as a partition
 * lookup is, for the thread or the attempt to arrive.
 */
export class SlotLinks {
  private readonly waitingLinks = new Map<number, WaitingLink[]>();
  private readonly waitingForAttempt = new Map<string, Array<(slot: number) => void>>();

  /** Hands a consumer thread's port to `target`, the thread of its producer's slot, once it serves `jobId` there. */
  connect(jobId: JobId, slot: number, port: MessagePort, target: SlotThread | undefined): void {
    if (target !== undefined && target.jobId === jobId && !target.isRetired) {
      target.post({ type: 'serve-link', port }, [port]);
      return;
    }
    const waiting = this.waitingLinks.get(slot) ?? [];
    const link: WaitingLink = {
      jobId,
      port,
      timer: setTimeout(() => {
        const list = this.waitingLinks.get(slot) ?? [];
        list.splice(list.indexOf(link), 1);
        port.close(); // the consumer's channels fail: no producer came to this slot
      }, PARTITION_LOOKUP_TIMEOUT_MS),
    };
    waiting.push(link);
    this.waitingLinks.set(slot, waiting);
  }

  /** A thread now serves its slot: the links that waited for it are handed over. */
  threadStarted(thread: SlotThread): void {
    const waiting = this.waitingLinks.get(thread.slotIndex) ?? [];
    this.waitingLinks.set(
      thread.slotIndex,
      waiting.filter((link) => {
        if (link.jobId !== thread.jobId) return true;
        clearTimeout(link.timer);
        thread.post({ type: 'serve-link', port: link.port }, [link.port]);
        return false;
      }),
    );
  }

  /** An attempt was deployed into `slot`: relayed requests for its partitions go there. */
  attemptDeployed(attemptId: ExecutionAttemptId, slot: number): void {
    for (const located of this.waitingForAttempt.get(attemptId) ?? []) located(slot);
    this.waitingForAttempt.delete(attemptId);
  }

  /** The slot of a producer attempt: `known` when it is deployed already, else once it is, within `timeoutMs`. */
  locate(attemptId: ExecutionAttemptId, known: number | undefined, timeoutMs: number): Promise<number> {
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waitingForAttempt.get(attemptId) ?? [];
        list.splice(list.indexOf(located), 1);
        if (list.length === 0) this.waitingForAttempt.delete(attemptId);
        reject(new TsFlinkError('PARTITION_NOT_FOUND', `Partition of ${attemptId} was not produced here within ${timeoutMs} ms.`));
      }, timeoutMs);
      const located = (slot: number): void => {
        clearTimeout(timer);
        resolve(slot);
      };
      const list = this.waitingForAttempt.get(attemptId) ?? [];
      list.push(located);
      this.waitingForAttempt.set(attemptId, list);
    });
  }

  /** A new link to `thread`, which serves its slot's partitions on the other end. */
  static open(thread: SlotThread): MessagePort {
    const { port1, port2 } = new MessageChannel();
    thread.post({ type: 'serve-link', port: port2 }, [port2]);
    return port1;
  }
}
