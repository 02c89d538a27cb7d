import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Configuration } from '../../../config/configuration.js';
import { describeError, ProgramError } from '../../../core/errors.js';
import { newJobId, type JobId } from '../../../core/ids.js';
import { getLogger } from '../../../core/logging.js';
import { hashArchive } from '../../../packaging/archive-hash.js';
import { inspectJar } from '../../../packaging/jar-inspector.js';
import { prepareJobModule } from '../../../packaging/job-module-preparer.js';
import {
  JarRequestError,
  type JarGateway,
  type JarPlan,
  type JarProgramRequest,
  type JarRunRequest,
  type UploadedJar,
} from '../../../rpc/gateways/jar-gateway.js';
import type { JobArchive, ProgramDefaults } from '../../../rpc/gateways/job-master-gateway.js';
import type { JobProgram } from '../../../runtime/task-contract.js';
import { savepointPathProblem } from '../../checkpoint/checkpoint-directory-loader.js';
import type { JobSubmission } from '../../jobmaster/job-master.js';
import { captureProgram } from '../program-capture.js';
import { programDefaults } from '../program-defaults.js';
import { runProgramMainOffThread } from '../program-thread.js';
import { planDescription } from '../views/job-overview-view.js';
import type { JarStore } from './jar-store.js';

const log = getLogger('dispatcher');

/** A jar's main, unpacked and ready to import. */
interface PreparedJar {
  readonly moduleUrl: string;
  readonly dir: string;
  readonly mainClass: string;
  readonly path: string;
}

/**
 * Flink's jar handlers behind REST on a session cluster: stores uploads, runs a jar's main here on
 * the JobManager to show its plan or to submit its job, as a web submission does (detached: the
 * main's execute() returns once the job is submitted).
 */
export class JarSubmitter implements JarGateway {
  constructor(
    private readonly store: JarStore,
    private readonly configuration: Configuration,
    private readonly workDir: string,
    private readonly submit: (submission: JobSubmission) => Promise<unknown>,
  ) {}

  get uploadDir(): string {
    return this.store.dir;
  }

  uploadJar(fileName: string, bytes: Buffer): Promise<string> {
    return this.store.add(fileName, bytes);
  }

  listJars(): Promise<readonly UploadedJar[]> {
    return this.store.list();
  }

  deleteJar(jarId: string): Promise<void> {
    return this.store.remove(jarId);
  }

  async planJar(jarId: string, request: JarProgramRequest): Promise<JarPlan> {
    const prepared = await this.prepare(jarId, request.entryClass);
    const defaults = programDefaults(this.configuration, request.parallelism);
    let captured: JobProgram | undefined;
    try {
      captured = await captureProgram(prepared.moduleUrl, request.programArgs, defaults);
    } catch (error) {
      throw programFailed(error);
    } finally {
      await rm(prepared.dir, { recursive: true, force: true });
    }
    if (captured !== undefined) return planOf(captured, request.jobId ?? newJobId(), defaults);
    throw new JarRequestError('BAD_REQUEST', `The main method of ${prepared.mainClass} returned without executing a job.`);
  }

  async runJar(jarId: string, request: JarRunRequest): Promise<string> {
    if (request.savepointPath !== undefined) {
      const problem = await savepointPathProblem(request.savepointPath);
      if (problem !== undefined) throw new JarRequestError('BAD_REQUEST', problem);
    }
    const prepared = await this.prepare(jarId, request.entryClass);
    const defaults = programDefaults(this.configuration, request.parallelism);
    const archive = await this.archiveOf(prepared, request.programArgs, defaults);
    return new Promise<string>((resolve, reject) => {
      let submitted: string | undefined;
      const main = runProgramMainOffThread(prepared.moduleUrl, request.programArgs, defaults, async (program) => {
        if (submitted !== undefined) throw new ProgramError('A jar run submits one job: this main called execute() more than once.');
        const jobId = request.jobId ?? newJobId();
        await this.submit({
          jobId,
          graph: program.graph,
          archive,
          savepointPath: request.savepointPath,
          allowNonRestoredState: request.allowNonRestoredState,
          recoverCheckpoints: false,
        });
        submitted = jobId;
        resolve(jobId);
        return { jobName: program.graph.jobName, jobId, netRuntimeMs: 0 };
      }).finished;
      main
        .then(
          () => {
            if (submitted === undefined)
              reject(new JarRequestError('BAD_REQUEST', `The main method of ${prepared.mainClass} returned without executing a job.`));
          },
          (error: unknown) => {
            if (submitted === undefined) reject(programFailed(error));
            else log.warn(`The main method of ${prepared.mainClass} failed after submitting job ${submitted}: ${describeError(error)}`);
          },
        )
        .finally(() => rm(prepared.dir, { recursive: true, force: true }))
        .catch((error: unknown) => log.debug(`Could not remove ${prepared.dir}: ${describeError(error)}`));
    });
  }

  /** Unpacks the jar and resolves its entry class: the request's, else the manifest's. */
  private async prepare(jarId: string, entryClass: string | undefined): Promise<PreparedJar> {
    const path = await this.store.path(jarId);
    try {
      const mainClass = entryClass ?? (await inspectJar(path)).manifest?.entryClass;
      if (mainClass === undefined)
        throw new JarRequestError('BAD_REQUEST', "Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file.");
      const { moduleUrl, dir } = await prepareJobModule({ archivePath: path, mainClass, workDir: join(this.workDir, 'jars') });
      return { moduleUrl, dir, mainClass, path };
    } catch (error) {
      throw programFailed(error);
    }
  }

  private async archiveOf(prepared: PreparedJar, programArgs: readonly string[], defaults: ProgramDefaults): Promise<JobArchive> {
    const fileName = prepared.path.slice(prepared.path.lastIndexOf('/') + 1);
    return {
      fileName,
      mainClass: prepared.mainClass,
      sha256: await hashArchive(prepared.path),
      bytes: await readFile(prepared.path),
      programArgs,
      defaults,
    };
  }
}

/** A failure of the jar or its main is the request's problem (400), in one message. */
function programFailed(error: unknown): JarRequestError {
  if (error instanceof JarRequestError) return error;
  return new JarRequestError('BAD_REQUEST', `Could not execute application: ${describeError(error)}`);
}

/** The plan a run of `program` would have: each vertex at its own parallelism, else the default. */
function planOf(program: JobProgram, jobId: JobId, defaults: ProgramDefaults): JarPlan {
  const graph = program.graph;
  return {
    jobId,
    name: graph.jobName,
    jobType: graph.jobType,
    nodes: graph.vertices.map((vertex) => ({
      id: vertex.id,
      description: planDescription(vertex),
      parallelism:
        vertex.parallelism > 0 ? vertex.parallelism : graph.settings.parallelism > 0 ? graph.settings.parallelism : defaults.parallelism,
      inputs: vertex.inputs.map((edge, num) => ({ id: edge.source, num, shipStrategy: edge.shipStrategy })),
    })),
  };
}
