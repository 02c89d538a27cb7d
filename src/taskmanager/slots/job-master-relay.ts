import { describeError } from '../../core/errors.js';
import type { JobMasterGateway } from '../../rpc/gateways/job-master-gateway.js';
import { RELAYED_JOB_MASTER_CALLS } from './slot-messages.js';
import type { SlotThread } from './slot-thread.js';

/**
 * Makes a slot thread's JobMaster call on the TaskManager's connection and answers the thread with
 * the result, unless nobody waits for it (call 0). Only the calls a slot thread may make are made.
 */
export function relayJobMasterCall(
  jobMaster: JobMasterGateway | undefined,
  thread: SlotThread,
  call: number,
  method: string,
  args: readonly unknown[],
): void {
  if (!(RELAYED_JOB_MASTER_CALLS as readonly string[]).includes(method)) return;
  const reply = (value: unknown, error?: unknown): void => {
    if (call === 0) return;
    thread.post(error === undefined ? { type: 'reply', call, value } : { type: 'reply', call, error: describeError(error) });
  };
  if (jobMaster === undefined) {
    reply(undefined, new Error('not connected to a JobManager'));
    return;
  }
  try {
    const invoke = jobMaster[method as keyof JobMasterGateway] as (...values: unknown[]) => unknown;
    Promise.resolve(invoke.apply(jobMaster, [...args])).then(
      (value) => reply(value),
      (error: unknown) => reply(undefined, error),
    );
  } catch (error) {
    reply(undefined, error);
  }
}
