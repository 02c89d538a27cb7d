import { isHexId } from '../../core/ids.js';
import type { JobResourceRequirements } from '../../rpc/gateways/job-view-types.js';
import type { JobGateway } from '../../rpc/gateways/job-gateway.js';
import { badRequest } from '../rest-error.js';
import { jobIdParam, objectBody } from '../request-params.js';
import type { RestHandler } from '../router.js';

/** GET /jobs/:jobid/resource-requirements: `{"<vertexId>": {"parallelism": {"lowerBound", "upperBound"}}}`, no wrapper object. */
export function resourceRequirementsHandler(jobs: JobGateway): RestHandler {
  return (request) => {
    const requirements = jobs.requestResourceRequirements(jobIdParam(request));
    const json = Object.fromEntries(
      Object.entries(requirements).map(([vertexId, bounds]) => [
        vertexId,
        { parallelism: { lowerBound: bounds.lowerBound, upperBound: bounds.upperBound } },
      ]),
    );
    return { status: 200, json };
  };
}

/** PUT /jobs/:jobid/resource-requirements: the same flat object; 200 with an empty object once applied. */
export function updateResourceRequirementsHandler(jobs: JobGateway): RestHandler {
  return async (request) => {
    const jobId = jobIdParam(request);
    await jobs.updateResourceRequirements(jobId, parseRequirements(objectBody(request, 'resource requirements')));
    return { status: 200, json: {} };
  };
}

/** Reads the flat body; shapes other than `{"parallelism": {"lowerBound": int, "upperBound": int}}` per 32-hex vertex id are refused. */
export function parseRequirements(body: Record<string, unknown>): JobResourceRequirements {
  const requirements: Record<string, { lowerBound: number; upperBound: number }> = {};
  for (const [vertexId, value] of Object.entries(body)) {
    if (!isHexId(vertexId.toLowerCase()))
      throw badRequest(`Invalid job vertex id '${vertexId}' in the resource requirements: expected 32 hexadecimal characters.`);
    const parallelism = (value as { parallelism?: unknown } | null)?.parallelism as
      { lowerBound?: unknown; upperBound?: unknown } | undefined;
    const { lowerBound, upperBound } = parallelism ?? {};
    if (!Number.isInteger(lowerBound) || !Number.isInteger(upperBound)) {
      throw badRequest(
        `Resource requirements of job vertex ${vertexId} must read {"parallelism": {"lowerBound": <int>, "upperBound": <int>}}.`,
      );
    }
    requirements[vertexId.toLowerCase()] = { lowerBound: lowerBound as number, upperBound: upperBound as number };
  }
  return requirements;
}
