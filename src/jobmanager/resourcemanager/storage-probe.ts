import { readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomHex } from '../../core/ids.js';
import type { TaskExecutorGateway } from '../../rpc/gateways/task-executor-gateway.js';
import type { TaskExecutorRegistration } from '../../rpc/gateways/task-executor-registration.js';

/** Where probes go inside the checkpoint directory, apart from any job's checkpoints. */
export const PROBE_DIRECTORY = '.tsflink-storage-probes';

/**
 * Checks that what a TaskManager writes under the checkpoint directory is what the JobManager reads
 * there: on several hosts, `file://` checkpoint storage must be a mount every host shares, as in
 * Flink, or checkpoints would complete with state no one can restore. Returns the one line saying
 * which host and path fail, or undefined when the storage is shared.
 */
export async function probeSharedStorage(
  gateway: Pick<TaskExecutorGateway, 'probeStorage'>,
  registration: TaskExecutorRegistration,
  directory: string,
): Promise<string | undefined> {
  const path = join(directory, PROBE_DIRECTORY, `${registration.resourceId.replace(/[^A-Za-z0-9._-]/g, '_')}-${randomHex(4)}`);
  const token = randomHex(16);
  const who = `TaskManager ${registration.resourceId} on host ${registration.host}`;
  const reply = await gateway.probeStorage(path, token);
  if (!reply.ok) return `${who} cannot write the checkpoint directory ${directory}: ${reply.reason}.`;
  let read: string;
  try {
    read = readFileSync(path, 'utf8');
  } catch (error) {
    return `${who} wrote ${path}, but the JobManager cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}): the checkpoint directory ${directory} must be storage every host shares, such as a mount of the same network file system.`;
  } finally {
    rmSync(path, { force: true });
    removeIfEmpty(join(directory, PROBE_DIRECTORY));
  }
  if (read !== token)
    return `${who} and the JobManager see different files at ${path}: the checkpoint directory ${directory} is not storage they share.`;
  return undefined;
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Another probe is under way, or the directory was never made here.
  }
}
