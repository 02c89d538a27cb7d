import type { JobId } from '../../core/ids.js';
import { TsFlinkError } from '../../core/errors.js';
import type { JobPlanNode } from './job-view-types.js';

import type { UploadedJar } from '../../rest/types/responses.js';

export type { UploadedJar } from '../../rest/types/responses.js';

/** How to run a jar's main: Flink's JarRequestBody. */
export interface JarProgramRequest {
  /** The class to run; the manifest's entry class when absent. */
  readonly entryClass: string | undefined;
  readonly programArgs: readonly string[];
  /** Overrides parallelism.default for the job; undefined keeps it. */
  readonly parallelism: number | undefined;
  /** The job id to submit under (32 hex); a fresh one when absent. */
  readonly jobId: JobId | undefined;
}

/** What POST /jars/:jarid/run adds: Flink's JarRunRequestBody. */
export interface JarRunRequest extends JarProgramRequest {
  readonly savepointPath: string | undefined;
  readonly allowNonRestoredState: boolean;
}

/** A jar's job as it would run: Flink's JobPlanInfo, before submission. */
export interface JarPlan {
  readonly jobId: JobId;
  readonly name: string;
  readonly jobType: string;
  readonly nodes: readonly JobPlanNode[];
}

/** Why a jar request was refused: an unknown jar (404) or a request the jar cannot serve (400). */
export type JarRequestFailure = 'NOT_FOUND' | 'BAD_REQUEST';

/** A jar request that cannot be served, with the message REST returns in Flink's `errors` list. */
export class JarRequestError extends TsFlinkError {
  constructor(
    readonly failure: JarRequestFailure,
    message: string,
  ) {
    super(`JAR_REQUEST_${failure}`, message);
  }
}

/**
 * Jobs submitted as jars on a session cluster (Flink's /jars handlers): upload, list, delete, show a
 * jar's plan, and run its main, which submits the job and answers once it is submitted.
 */
export interface JarGateway {
  /** Stores the jar under a fresh id; a name not ending in .jar is a BAD_REQUEST. Returns the stored path. */
  uploadJar(fileName: string, bytes: Buffer): Promise<string>;
  listJars(): Promise<readonly UploadedJar[]>;
  deleteJar(jarId: string): Promise<void>;
  planJar(jarId: string, request: JarProgramRequest): Promise<JarPlan>;
  /** Resolves with the job id once the job is submitted (main keeps running in the background). */
  runJar(jarId: string, request: JarRunRequest): Promise<string>;
  /** The directory jars are stored in (web.upload.dir), for GET /jars' address and messages. */
  readonly uploadDir: string;
}
