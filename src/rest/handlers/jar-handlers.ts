import type { JarList } from '../types/responses.js';
import type { JarGateway, JarProgramRequest, JarRunRequest } from '../../rpc/gateways/jar-gateway.js';
import { parseJobId, type JobId } from '../../core/ids.js';
import { multipartFile } from '../multipart-file.js';
import { badRequest } from '../rest-error.js';
import { objectBody, optionalBoolean, optionalString } from '../request-params.js';
import type { RestHandler, RestRequest } from '../router.js';
import { planJson } from './job-json.js';
import { splitProgramArgs } from './program-args.js';

/** POST /jars/upload: the jar in multipart field `jarfile`; answers the stored path, as Flink's JarUploadResponseBody. */
export function jarUploadHandler(jars: JarGateway): RestHandler {
  return async (request) => {
    const file = await multipartFile(request.multipart, 'jarfile');
    const filename = await jars.uploadJar(file.fileName, file.bytes);
    return { status: 200, json: { filename, status: 'success' } };
  };
}

/** GET /jars: every uploaded jar with its entry classes (JarListInfo). */
export function jarListHandler(jars: JarGateway, address: () => string): RestHandler {
  return async () => ({ status: 200, json: { address: address(), files: await jars.listJars() } satisfies JarList });
}

/** DELETE /jars/:jarid. */
export function jarDeleteHandler(jars: JarGateway): RestHandler {
  return async (request) => {
    await jars.deleteJar(request.params['jarid'] ?? '');
    return { status: 200, json: {} };
  };
}

/** GET and POST /jars/:jarid/plan: the job the jar's main builds, as JobPlanInfo. */
export function jarPlanHandler(jars: JarGateway): RestHandler {
  return async (request) => {
    const plan = await jars.planJar(request.params['jarid'] ?? '', programRequest(request, objectBody(request, 'a jar plan request')));
    return { status: 200, json: { plan: planJson(plan.jobId, plan.name, plan.jobType, plan.nodes) } };
  };
}

/** POST /jars/:jarid/run: runs the jar's main, which submits its job; answers the job id once it is submitted. */
export function jarRunHandler(jars: JarGateway): RestHandler {
  return async (request) => {
    const body = objectBody(request, 'a jar run request');
    const run: JarRunRequest = {
      ...programRequest(request, body),
      savepointPath: optionalString(body, 'savepointPath') ?? queryValue(request, 'savepointPath'),
      allowNonRestoredState: optionalBoolean(body, 'allowNonRestoredState', queryValue(request, 'allowNonRestoredState') === 'true'),
    };
    checkRestoreMode(optionalString(body, 'restoreMode') ?? queryValue(request, 'restoreMode'));
    return { status: 200, json: { jobid: await jars.runJar(request.params['jarid'] ?? '', run) } };
  };
}

/** Flink's JarRequestBody, from the body and, where the body is silent, the query (body values win). */
function programRequest(request: RestRequest, body: Record<string, unknown>): JarProgramRequest {
  const entryClass = optionalString(body, 'entryClass') ?? queryValue(request, 'entry-class') ?? queryValue(request, 'entryClass');
  const argsText = optionalString(body, 'programArgs') ?? queryValue(request, 'program-args') ?? queryValue(request, 'programArgs');
  const argsList =
    stringList(body['programArgsList']) ?? (request.query.getAll('programArg').length > 0 ? request.query.getAll('programArg') : undefined);
  if (argsText !== undefined && argsList !== undefined)
    throw badRequest('Confusing request: programArgs and programArgsList are specified, please, use only programArgsList.');
  return {
    entryClass: entryClass === undefined || entryClass.trim() === '' ? undefined : entryClass.trim(),
    programArgs: argsList ?? (argsText === undefined ? [] : splitProgramArgs(argsText)),
    parallelism: parallelismOf(body['parallelism'] ?? queryValue(request, 'parallelism')),
    jobId: jobIdOf(optionalString(body, 'jobId') ?? queryValue(request, 'jobId')),
  };
}

function queryValue(request: RestRequest, name: string): string | undefined {
  const value = request.query.get(name);
  return value === null || value === '' ? undefined : value;
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
    throw badRequest("Field 'programArgsList' must be a list of strings.");
  return value;
}

/** A positive parallelism; Flink treats absent, null and non-positive values as "use the default". */
function parallelismOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number > 32_768)
    throw badRequest(`Field 'parallelism' must be a whole number up to 32768, got ${JSON.stringify(value)}.`);
  return number > 0 ? number : undefined;
}

function jobIdOf(value: string | undefined): JobId | undefined {
  if (value === undefined) return undefined;
  const jobId = parseJobId(value);
  if (jobId === undefined) throw badRequest(`Field 'jobId' must be 32 hexadecimal characters, got '${value.slice(0, 100)}'.`);
  return jobId;
}

/** tsflink restores every savepoint the same way; the modes Flink knows are accepted, anything else refused. */
function checkRestoreMode(value: string | undefined): void {
  if (value !== undefined && !['CLAIM', 'NO_CLAIM', 'LEGACY'].includes(value))
    throw badRequest(`Field 'restoreMode' must be CLAIM, NO_CLAIM or LEGACY, got '${value.slice(0, 100)}'.`);
}
