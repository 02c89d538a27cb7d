import type { JobId } from '../../core/ids.js';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgramMain } from '../../api/program-runner.js';
import { ProgramError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { prepareJobModule } from '../../packaging/job-module-preparer.js';
import type { JobArchive, JobMasterGateway } from '../../rpc/gateways/job-master-gateway.js';
import type { JobProgram } from '../../runtime/task-contract.js';

const log = getLogger('taskexecutor');

/**
 * Gets the code of a job onto this TaskManager: fetches its archive from the JobManager (blob
 * transfer), unpacks it into a private directory and runs its main in capture mode, which yields
 * the same program the JobManager built, checked by the graph's fingerprint. One load per job.
 */
export class JobProgramLoader {
  private readonly programs = new Map<string, Promise<JobProgram>>();

  constructor(private readonly workDir: string) {}

  /** The program of `jobId`, loading it on first use; a failed load is forgotten so a later deployment retries. */
  load(jobId: JobId, expectedFingerprint: string, jobMaster: JobMasterGateway): Promise<JobProgram> {
    let program = this.programs.get(jobId);
    if (program === undefined) {
      program = this.fetchAndBuild(jobId, jobMaster);
      this.programs.set(jobId, program);
      program.catch(() => this.programs.delete(jobId));
    }
    return program.then((loaded) => {
      if (loaded.graph.fingerprint !== expectedFingerprint) {
        throw new ProgramError(
          `The job graph built on this TaskManager (fingerprint ${loaded.graph.fingerprint.slice(0, 12)}) differs from the JobManager's (${expectedFingerprint.slice(0, 12)}): the job's main must build the same graph every time it runs (no randomness, clocks or environment-dependent branching in graph construction).`,
        );
      }
      return loaded;
    });
  }

  /** Forgets a job's code and removes its files. */
  release(jobId: JobId): void {
    this.programs.delete(jobId);
    rmSync(join(this.workDir, `job-${jobId}`), { recursive: true, force: true });
  }

  private async fetchAndBuild(jobId: JobId, jobMaster: JobMasterGateway): Promise<JobProgram> {
    const started = Date.now();
    const archive = await jobMaster.requestJobArchive(jobId);
    const archivePath = this.storeArchive(jobId, archive);
    const { moduleUrl } = await prepareJobModule({
      archivePath,
      mainClass: archive.mainClass,
      workDir: join(this.workDir, `job-${jobId}`),
    });
    const program = await captureProgram(moduleUrl, archive);
    log.info(`Loaded job ${jobId} (${archive.fileName}, ${archive.bytes.byteLength} bytes) in ${Date.now() - started} ms.`);
    return program;
  }

  private storeArchive(jobId: JobId, archive: JobArchive): string {
    const bytes = Buffer.from(archive.bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== archive.sha256)
      throw new ProgramError(
        `The archive of job ${jobId} arrived damaged (sha256 ${sha256.slice(0, 12)}, expected ${archive.sha256.slice(0, 12)}).`,
      );
    const dir = join(this.workDir, `job-${jobId}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const safeName = archive.fileName.replace(/[^A-Za-z0-9._-]/g, '_');
    const path = join(dir, safeName);
    writeFileSync(path, bytes, { mode: 0o600 });
    return path;
  }
}

/** Runs the job's main until it calls execute(), and returns the program it would have submitted. */
function captureProgram(moduleUrl: string, archive: JobArchive): Promise<JobProgram> {
  return new Promise<JobProgram>((resolve, reject) => {
    runProgramMain(moduleUrl, [...archive.programArgs], archive.defaults, (program) => {
      resolve(program);
      // The TaskManager only needs the graph: the job's main stays parked in execute() for good.
      return new Promise(() => undefined);
    }).then(() => reject(new ProgramError(`The main of ${archive.mainClass} returned without calling execute().`)), reject);
  });
}
