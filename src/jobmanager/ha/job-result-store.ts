import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobId } from '../../core/ids.js';
import { toLocalPath } from '../checkpoint/checkpoint-settings.js';
import { writeFileAtomically } from '../checkpoint/atomic-file-writer.js';

/** How a job ended for good, as the job result store records it. */
export type GloballyTerminalStatus = 'FINISHED' | 'CANCELED' | 'FAILED';

/**
 * Flink's file-based job result store: `<high-availability.storageDir>/job-result-store/<cluster-id>/<job-id>.json`
 * is written when a job ends for good, before its high-availability data is removed, so that a
 * JobManager leading after that does not run the job again.
 */
export class JobResultStore {
  private readonly dir: string;

  constructor(storageDir: string, clusterId: string) {
    const base = toLocalPath(storageDir, 'high-availability.storageDir');
    this.dir = join(base, 'job-result-store', clusterId.replace(/^\/+/, '') || 'default');
  }

  async record(jobId: JobId, status: GloballyTerminalStatus): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomically(join(this.dir, `${jobId}.json`), Buffer.from(JSON.stringify({ jobId, status, timestamp: Date.now() })));
  }

  /** How the job ended, when it did. */
  async statusOf(jobId: JobId): Promise<GloballyTerminalStatus | undefined> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, `${jobId}.json`), 'utf8')) as { status?: unknown };
      const status = parsed.status;
      return status === 'FINISHED' || status === 'CANCELED' || status === 'FAILED' ? status : undefined;
    } catch {
      return undefined;
    }
  }
}
