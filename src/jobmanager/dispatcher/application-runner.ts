import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { JobExecutionResult } from '../../api/environment/program-context.js';
import { ProgramError, TsFlinkError } from '../../core/errors.js';
import { newJobId, type JobId } from '../../core/ids.js';
import { getLogger } from '../../core/logging.js';
// Named modules, not the packaging index: that would load the jar writer (yazl) into every JobManager.
import { hashArchive } from '../../packaging/archive-hash.js';
import { findJobArchive } from '../../packaging/job-archive-finder.js';
import { prepareJobModule } from '../../packaging/job-module-preparer.js';
import type { JobArchive, ProgramDefaults } from '../../rpc/gateways/job-master-gateway.js';
import type { JobProgram } from '../../runtime/task-contract.js';
import type { JobMaster } from '../jobmaster/job-master.js';
import type { JobResult } from '../scheduler/scheduler-ng.js';
import type { Dispatcher } from './dispatcher.js';
import { runProgramMainOffThread } from './program-thread.js';

const log = getLogger('application');

/** Where the application's code is and how to run it. */
export interface ApplicationSettings {
  readonly libDirs: readonly string[];
  readonly jobClassName: string | undefined;
  readonly jobId: JobId | undefined;
  readonly programArgs: readonly string[];
  readonly workDir: string;
  readonly defaults: ProgramDefaults;
  readonly savepointPath: string | undefined;
  readonly allowNonRestoredState: boolean;
  /** With a file-based HA store: resume from the checkpoints an earlier JobManager of this job left. */
  readonly recoverCheckpoints: boolean;
}

/** A program located and unpacked, ready to run. */
interface PreparedProgram {
  readonly moduleUrl: string;
  readonly archive: Omit<JobArchive, 'programArgs' | 'defaults'>;
}

/** How the application ended: the job's result, or why the program never produced one. */
export type ApplicationOutcome =
  { readonly kind: 'job'; readonly result: JobResult } | { readonly kind: 'program-failed'; readonly error: Error };

/**
 * Application mode (Flink's ApplicationDispatcherBootstrap): find the job in lib/ and usrlib/, run
 * its main on a thread of the JobManager, submit what execute() builds, and finish when main returns.
 */
export class ApplicationRunner {
  private submitted: JobMaster | undefined;
  private onSubmitted: ((job: JobMaster) => void) | undefined;

  constructor(
    private readonly settings: ApplicationSettings,
    private readonly dispatcher: Dispatcher,
  ) {}

  /** Locates and unpacks the program; errors here are startup failures (missing class, corrupt jar). */
  async prepare(): Promise<PreparedProgram> {
    const { archivePath, mainClass } = await findJobArchive({
      libDirs: [...this.settings.libDirs],
      jobClassName: this.settings.jobClassName,
    });
    log.info(`Found the job ${mainClass} in ${archivePath}.`);
    const { moduleUrl } = await prepareJobModule({ archivePath, mainClass, workDir: join(this.settings.workDir, 'application') });
    const bytes = await readFile(archivePath);
    return { moduleUrl, archive: { fileName: basename(archivePath), mainClass, sha256: await hashArchive(archivePath), bytes } };
  }

  /**
   * Runs main; `submitted` settles when execute() has submitted the job (or main failed first),
   * `finished` when the application is over.
   */
  run(prepared: PreparedProgram): { submitted: Promise<JobMaster>; finished: Promise<ApplicationOutcome> } {
    const submitted = new Promise<JobMaster>((resolve) => {
      this.onSubmitted = resolve;
    });
    const archive: JobArchive = { ...prepared.archive, programArgs: this.settings.programArgs, defaults: this.settings.defaults };
    // main runs on a worker thread: one that loops or waits forever leaves REST, RPC and signals alive.
    const finished = runProgramMainOffThread(prepared.moduleUrl, this.settings.programArgs, this.settings.defaults, (program) =>
      this.execute(program, archive),
    )
      .finished.then(async (): Promise<ApplicationOutcome> => {
        const job = this.submitted;
        if (job === undefined) throw new ProgramError('The application finished without submitting a job.');
        return { kind: 'job', result: await job.whenTerminated() };
      })
      .catch(async (error: unknown): Promise<ApplicationOutcome> => {
        // A job that ran and failed is the outcome; main rethrowing its failure is not news.
        const job = this.submitted;
        if (job !== undefined) return { kind: 'job', result: await job.whenTerminated() };
        return { kind: 'program-failed', error: error instanceof Error ? error : new Error(String(error)) };
      });
    return {
      submitted: Promise.race([
        submitted,
        finished.then((outcome) => {
          throw outcomeError(outcome);
        }),
      ]),
      finished,
    };
  }

  private async execute(program: JobProgram, archive: JobArchive): Promise<JobExecutionResult> {
    if (this.submitted !== undefined) throw new ProgramError('Application mode runs one job: this main called execute() more than once.');
    const jobId = this.settings.jobId ?? newJobId();
    const job = await this.dispatcher.submitJob({
      jobId,
      graph: program.graph,
      archive,
      savepointPath: this.settings.savepointPath,
      allowNonRestoredState: this.settings.allowNonRestoredState,
      recoverCheckpoints: this.settings.recoverCheckpoints,
    });
    this.submitted = job;
    this.onSubmitted?.(job);
    const result = await job.whenTerminated();
    if (result.status !== 'FINISHED') {
      throw new TsFlinkError(
        'JOB_EXECUTION_FAILED',
        `Job execution failed: job ${jobId} ended ${result.status}${result.error === undefined ? '' : `: ${result.error.message}`}`,
      );
    }
    return { jobName: program.graph.jobName, jobId, netRuntimeMs: (job.endTime ?? Date.now()) - job.startTime };
  }
}

function outcomeError(outcome: ApplicationOutcome): Error {
  return outcome.kind === 'program-failed' ? outcome.error : new Error(`the application ended ${outcome.result.status} before submitting`);
}
