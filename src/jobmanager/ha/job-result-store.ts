import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Configuration } from '../../config/configuration.js';
import {
  HIGH_AVAILABILITY_CLUSTER_ID,
  HIGH_AVAILABILITY_STORAGE_DIR,
  JOB_RESULT_STORE_DELETE_ON_COMMIT,
  JOB_RESULT_STORE_STORAGE_PATH,
} from '../../config/options/high-availability-options.js';
import type { JobId } from '../../core/ids.js';
import { toLocalPath } from '../checkpoint/checkpoint-settings.js';
import { writeFileAtomically } from '../checkpoint/atomic-file-writer.js';

/** How a job ended for good, as the job result store records it. */
export type GloballyTerminalStatus = 'FINISHED' | 'CANCELED' | 'FAILED';

/** Flink's file names: a result whose cleanup is still owed, and a committed (clean) one. */
const DIRTY_SUFFIX = '_DIRTY.json';
const CLEAN_SUFFIX = '.json';

/** Flink's application status of each globally terminal job status, as its entries hold it. */
const APPLICATION_STATUS: Record<GloballyTerminalStatus, string> = { FINISHED: 'SUCCEEDED', CANCELED: 'CANCELED', FAILED: 'FAILED' };

/** A recorded result: the job, how it ended, and whether its cleanup is still owed. */
export interface JobResultEntry {
  readonly jobId: JobId;
  readonly status: GloballyTerminalStatus;
  readonly dirty: boolean;
}

/**
 * Flink's file-based job result store. A job that ends for good is written dirty
 * (`<job-id>_DIRTY.json`) before its high-availability data is cleaned up, then committed: removed
 * with `job-result-store.delete-on-commit` (the default), else renamed to `<job-id>.json` and kept.
 * A leader finds here which jobs not to run again and which cleanups a dead leader left unfinished.
 */
export class JobResultStore {
  constructor(
    /** The store's directory (a local path). */
    readonly dir: string,
    private readonly deleteOnCommit: boolean,
  ) {}

  /** The store as configured: `job-result-store.storage-path`, else `<storageDir>/job-result-store/<cluster-id>`. */
  static fromConfiguration(configuration: Configuration): JobResultStore {
    const configured = configuration.get(JOB_RESULT_STORE_STORAGE_PATH);
    const dir =
      configured !== undefined
        ? toLocalPath(configured, JOB_RESULT_STORE_STORAGE_PATH.key)
        : join(
            toLocalPath(configuration.get(HIGH_AVAILABILITY_STORAGE_DIR) ?? '', HIGH_AVAILABILITY_STORAGE_DIR.key),
            'job-result-store',
            configuration.get(HIGH_AVAILABILITY_CLUSTER_ID).replace(/^\/+/, '') || 'default',
          );
    return new JobResultStore(dir, configuration.get(JOB_RESULT_STORE_DELETE_ON_COMMIT));
  }

  /** Records that the job ended for good, before any of its resources are cleaned up. */
  async createDirtyResult(jobId: JobId, status: GloballyTerminalStatus, netRuntimeMs = 0): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const result = { id: jobId, 'application-status': APPLICATION_STATUS[status], 'accumulator-results': {}, 'net-runtime': netRuntimeMs };
    await writeFileAtomically(join(this.dir, `${jobId}${DIRTY_SUFFIX}`), Buffer.from(JSON.stringify({ result, version: 1 })));
  }

  /** The job's resources are cleaned up: its entry is removed (delete-on-commit) or marked clean. */
  async markResultAsClean(jobId: JobId): Promise<void> {
    const dirty = join(this.dir, `${jobId}${DIRTY_SUFFIX}`);
    if (this.deleteOnCommit) await rm(dirty, { force: true });
    else await rename(dirty, join(this.dir, `${jobId}${CLEAN_SUFFIX}`));
  }

  /** The job's entry, dirty or clean, when there is one. */
  async entryOf(jobId: JobId): Promise<JobResultEntry | undefined> {
    return (await this.read(`${jobId}${DIRTY_SUFFIX}`)) ?? (await this.read(`${jobId}${CLEAN_SUFFIX}`));
  }

  /** How the job ended, when the store knows. */
  async statusOf(jobId: JobId): Promise<GloballyTerminalStatus | undefined> {
    return (await this.entryOf(jobId))?.status;
  }

  /** Every result whose cleanup a leader still owes. */
  async dirtyResults(): Promise<JobResultEntry[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const entries = await Promise.all(names.filter((name) => name.endsWith(DIRTY_SUFFIX)).map((name) => this.read(name)));
    return entries.filter((entry): entry is JobResultEntry => entry !== undefined);
  }

  private async read(name: string): Promise<JobResultEntry | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, name), 'utf8');
    } catch {
      return undefined;
    }
    const jobId = name.slice(0, name.indexOf(name.endsWith(DIRTY_SUFFIX) ? DIRTY_SUFFIX : CLEAN_SUFFIX)) as JobId;
    const status = statusIn(text);
    return status === undefined ? undefined : { jobId, status, dirty: name.endsWith(DIRTY_SUFFIX) };
  }
}

/** The status an entry holds: Flink's `result.application-status`, or the `status` of entries tsflink wrote before. */
function statusIn(text: string): GloballyTerminalStatus | undefined {
  try {
    const parsed = JSON.parse(text) as { result?: { 'application-status'?: unknown }; status?: unknown };
    const application = parsed.result?.['application-status'];
    const found = (Object.keys(APPLICATION_STATUS) as GloballyTerminalStatus[]).find(
      (status) => APPLICATION_STATUS[status] === application || status === parsed.status,
    );
    return found;
  } catch {
    return undefined;
  }
}
