import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobId } from '../../core/ids.js';
import type { ZooKeeperClient } from '../../ha/zookeeper/zookeeper-client.js';
import type { JobArchive, ProgramDefaults } from '../../rpc/gateways/job-master-gateway.js';
import { writeFileAtomically } from '../checkpoint/atomic-file-writer.js';

/** Flink's node for submitted job graphs, below the cluster's namespace. */
export const JOB_GRAPHS_PATH = '/jobgraphs';

/**
 * What a new leader needs to run a submitted job again. The graph itself is code (user functions),
 * so what is kept is the job's archive and how its main was called; the graph is rebuilt from it
 * and checked against the fingerprint.
 */
export interface StoredJobGraph {
  readonly jobId: JobId;
  readonly jobName: string;
  readonly fingerprint: string;
  readonly archive: JobArchive;
  readonly savepointPath?: string;
  readonly allowNonRestoredState?: boolean;
}

/** The file's JSON form: the archive's bytes as base64. */
interface StoredJobGraphFile extends Omit<StoredJobGraph, 'archive'> {
  readonly archive: Omit<JobArchive, 'bytes'> & { readonly bytes: string; readonly defaults: ProgramDefaults };
}

/**
 * Flink's ZooKeeper job graph store for a session cluster: `/jobgraphs/<job-id>` holds a small
 * pointer (`{"path": …}`) to a `submittedJobGraph…` file under `<storageDir>/<cluster-id>/`, which
 * holds the job. Written before the job runs, removed when it ends for good.
 */
export class ZooKeeperJobGraphStore {
  constructor(
    private readonly client: ZooKeeperClient,
    /** `<high-availability.storageDir>/<cluster-id>` as a local path. */
    private readonly storageDir: string,
  ) {}

  /** Persists the job: the file first, then the pointer, so a pointer never names a missing file. */
  async put(graph: StoredJobGraph): Promise<void> {
    await mkdir(this.storageDir, { recursive: true, mode: 0o700 });
    const path = join(this.storageDir, `submittedJobGraph${randomBytes(6).toString('hex')}`);
    const file: StoredJobGraphFile = {
      ...graph,
      archive: { ...graph.archive, bytes: Buffer.from(graph.archive.bytes).toString('base64') },
    };
    await writeFileAtomically(path, Buffer.from(JSON.stringify(file)));
    const previous = await this.pathOf(graph.jobId);
    await this.client.put(`${JOB_GRAPHS_PATH}/${graph.jobId}`, Buffer.from(JSON.stringify({ path })));
    if (previous !== undefined && previous !== path) await rm(previous, { force: true });
  }

  /** The ids of every job whose graph is stored. */
  jobIds(): Promise<JobId[]> {
    return this.client.getChildren(JOB_GRAPHS_PATH) as Promise<JobId[]>;
  }

  /** The stored job, or undefined when its pointer is gone; a pointer to a missing or unreadable file fails. */
  async recover(jobId: JobId): Promise<StoredJobGraph | undefined> {
    const path = await this.pathOf(jobId);
    if (path === undefined) return undefined;
    const file = JSON.parse(await readFile(path, 'utf8')) as StoredJobGraphFile;
    return { ...file, archive: { ...file.archive, bytes: Buffer.from(file.archive.bytes, 'base64') } };
  }

  /** Removes the job's pointer, then its file (Flink's order: a file left behind is garbage, never a job to recover). */
  async remove(jobId: JobId): Promise<void> {
    const path = await this.pathOf(jobId);
    await this.client.removeRecursive(`${JOB_GRAPHS_PATH}/${jobId}`);
    if (path !== undefined) await rm(path, { force: true });
  }

  private async pathOf(jobId: JobId): Promise<string | undefined> {
    const node = await this.client.getData(`${JOB_GRAPHS_PATH}/${jobId}`);
    if (node === undefined) return undefined;
    const { path } = JSON.parse(node.data.toString('utf8')) as { path?: unknown };
    if (typeof path !== 'string') throw new Error(`the job graph pointer of job ${jobId} names no path`);
    return path;
  }
}
