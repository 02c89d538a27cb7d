import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobId } from '../../core/ids.js';
import { describeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { prepareJobModule } from '../../packaging/job-module-preparer.js';
import type { Dispatcher } from '../dispatcher/dispatcher.js';
import { captureProgram } from '../dispatcher/program-capture.js';
import type { JobSubmission } from '../jobmaster/job-master.js';
import type { GlobalJobCleanup } from './global-job-cleanup.js';
import type { StoredJobGraph, ZooKeeperJobGraphStore } from './zookeeper-job-graph-store.js';

const log = getLogger('dispatcher');

/** What a new leader of a session cluster recovers its jobs with. */
export interface JobGraphRecoveryContext {
  readonly dispatcher: Dispatcher;
  readonly jobGraphs: ZooKeeperJobGraphStore;
  readonly cleanup: GlobalJobCleanup;
  /** Where recovered archives are unpacked. */
  readonly workDir: string;
  /** False once the leadership this recovery runs for is gone: nothing more is submitted. */
  readonly stillLeading: () => boolean;
}

/**
 * The Dispatcher's recovery at a leadership grant, as Flink's: cleanups an earlier leader left are
 * finished, then every job in the job graph store that has no result yet is rebuilt and run again,
 * restoring its latest checkpoint. Resolves with the ids of the jobs it resubmitted.
 */
export async function recoverJobGraphs(context: JobGraphRecoveryContext): Promise<JobId[]> {
  const { dispatcher, jobGraphs, cleanup } = context;
  await cleanup.finishDirtyCleanups();
  const ids = await jobGraphs.jobIds();
  log.info(`Retrieved job ids [${ids.join(', ')}] from the job graph store.`);
  const recovered: JobId[] = [];
  for (const jobId of ids) {
    if (!context.stillLeading()) break;
    const running = dispatcher.jobs.get(jobId);
    if (running !== undefined && running.status.status !== 'SUSPENDED') continue;
    if ((await cleanup.results.entryOf(jobId)) !== undefined) {
      // Ended for good but its graph was left behind: it must not run again.
      await jobGraphs.remove(jobId);
      continue;
    }
    try {
      const stored = await jobGraphs.recover(jobId);
      if (stored === undefined) continue;
      const submission = await rebuild(stored, context.workDir);
      if (!context.stillLeading()) break;
      log.info(`Recovered the job graph of job ${jobId} ('${stored.jobName}'); running it again from its latest checkpoint.`);
      await dispatcher.submitJob(submission, { recovered: true });
      recovered.push(jobId);
    } catch (error) {
      log.error(`Could not recover job ${jobId} from the job graph store: ${describeError(error)}`, error);
    }
  }
  return recovered;
}

/** Runs the stored job's main again up to execute() to rebuild its graph, which must be the one submitted. */
async function rebuild(stored: StoredJobGraph, workDir: string): Promise<JobSubmission> {
  const dir = join(workDir, 'recovered', stored.jobId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const archivePath = join(dir, stored.archive.fileName);
  await writeFile(archivePath, stored.archive.bytes, { mode: 0o600 });
  const prepared = await prepareJobModule({ archivePath, mainClass: stored.archive.mainClass, workDir: dir });
  try {
    const program = await captureProgram(prepared.moduleUrl, stored.archive.programArgs, stored.archive.defaults);
    if (program === undefined) throw new Error(`the main method of ${stored.archive.mainClass} returned without executing a job`);
    if (program.graph.fingerprint !== stored.fingerprint)
      throw new Error('the rebuilt job graph differs from the submitted one (its main builds a different job now)');
    return {
      jobId: stored.jobId,
      graph: program.graph,
      archive: stored.archive,
      savepointPath: stored.savepointPath,
      allowNonRestoredState: stored.allowNonRestoredState,
      recoverCheckpoints: true,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
