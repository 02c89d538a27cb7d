import { deepNestingText, mutateJsonRounds, randomJson, randomString } from '../mutators.js';
import type { Prng } from '../prng.js';

/** What the fuzzer knows about the cluster behind the REST API. */
export interface RestFuzzContext {
  readonly jobId: string;
  readonly vertexIds: readonly string[];
  readonly taskManagerId: string;
}

/** One HTTP request as the fuzzer sends it through node:http. */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

/** Every route template the JobManager serves (as registered in src/rest/rest-routes.ts), and the web UI's. */
const TEMPLATES: readonly string[] = [
  '/',
  '/index.html',
  '/assets/:file',
  '/config',
  '/overview',
  '/jobmanager/config',
  '/jobmanager/environment',
  '/taskmanagers',
  '/taskmanagers/:taskmanagerid',
  '/jobs',
  '/jobs/overview',
  '/jobs/:jobid',
  '/jobs/:jobid/status',
  '/jobs/:jobid/plan',
  '/jobs/:jobid/config',
  '/jobs/:jobid/exceptions',
  '/jobs/:jobid/vertices/:vertexid',
  '/jobs/:jobid/vertices/:vertexid/taskmanagers',
  '/jobs/:jobid/checkpoints',
  '/jobs/:jobid/checkpoints/config',
  '/jobs/:jobid/checkpoints/details/:checkpointid',
  '/jobs/:jobid/savepoints',
  '/jobs/:jobid/savepoints/:triggerid',
  '/jobs/:jobid/stop',
  '/jobs/:jobid/resource-requirements',
  '/jobs/:jobid/rescaling',
  '/jobs/:jobid/rescaling/:triggerid',
  '/jobs/:jobid/parallelism-history',
  '/jobs/:jobid/jobmanager/config',
  '/jobs/:jobid/jobmanager/environment',
  '/jobmanager/metrics',
  '/jobs/metrics',
  '/jobs/:jobid/metrics',
  '/jobs/:jobid/vertices/:vertexid/metrics',
  '/jobs/:jobid/vertices/:vertexid/jm-operator-metrics',
  '/jobs/:jobid/vertices/:vertexid/subtasks/metrics',
  '/jobs/:jobid/vertices/:vertexid/subtasks/:subtaskindex/metrics',
  '/taskmanagers/metrics',
  '/taskmanagers/:taskmanagerid/metrics',
];

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on those). */
function encodeSegment(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8'))
    out += /[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte))
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

const ODD_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F',
  '%00',
  '%ff',
  '%c0%ae',
  '%',
  '%zz',
  '%2f',
  '..%2f..%2f',
  '~',
  ';',
  '%20',
  'a%0d%0aX-Injected:%201',
  '%C3%A9',
  '%E2%80%AE',
];

function paramValue(rng: Prng, name: string, ctx: RestFuzzContext): string {
  const odd = (): string => (rng.chance(0.5) ? rng.pick(ODD_SEGMENTS) : encodeSegment(randomString(rng, 200)));
  switch (name) {
    case 'jobid':
      return rng.weighted<() => string>([
        [6, () => ctx.jobId],
        [2, () => rng.hexId()],
        [1, () => ctx.jobId.toUpperCase()],
        [1, () => `${ctx.jobId}0`],
        [2, odd],
      ])();
    case 'vertexid':
      return rng.weighted<() => string>([
        [5, () => rng.pick(ctx.vertexIds)],
        [2, () => rng.hexId()],
        [2, odd],
      ])();
    case 'taskmanagerid':
      return rng.chance(0.6) ? encodeSegment(ctx.taskManagerId) : odd();
    case 'checkpointid':
      return rng.pick(['1', '0', '-1', '2', '999999999999999', '99999999999999999999', '1.5', 'abc', odd()]);
    case 'triggerid':
      return rng.chance(0.6) ? rng.hexId() : odd();
    case 'subtaskindex':
      return rng.pick(['0', '1', '-1', '127', '128', '99999999999999999999', '1.5', 'x', odd()]);
    case 'file':
      return rng.pick(['app-shell.js', 'index.html', '..', '.env', '%2e%2e%2fpackage.json', 'x'.repeat(300), odd()]);
    default:
      return odd();
  }
}

function randomPath(rng: Prng, ctx: RestFuzzContext): string {
  if (rng.chance(0.15)) {
    const segments = Array.from({ length: rng.int(0, 8) }, () =>
      rng.chance(0.4) ? rng.pick(ODD_SEGMENTS) : encodeSegment(randomString(rng, 64)),
    );
    return `/${segments.join(rng.chance(0.1) ? '//' : '/')}`;
  }
  if (rng.chance(0.05)) return `/${'a/'.repeat(rng.int(100, 3000))}`;
  const template = rng.pick(TEMPLATES);
  const path = template.replace(/:(\w+)/g, (_, name: string) => paramValue(rng, name, ctx));
  return `${rng.chance(0.2) ? '/v1' : ''}${path}${rng.chance(0.1) ? '/' : ''}`;
}

function randomQuery(rng: Prng): string {
  if (rng.chance(0.6)) return '';
  const keys = [
    'parallelism',
    'maxExceptions',
    'mode',
    'get',
    'agg',
    'subtasks',
    'jobs',
    'taskmanagers',
    'targetDirectory',
    'a',
    randomString(rng, 20),
  ];
  const pairs = Array.from(
    { length: rng.int(1, 5) },
    () =>
      `${encodeSegment(rng.pick(keys))}=${rng.chance(0.7) ? encodeSegment(randomString(rng, 100)) : rng.pick(['%', '%zz', '&&', '=', '1', '-1', '1e999', ''])}`,
  );
  return `?${pairs.join('&')}`;
}

/** Bodies Flink documents, for mutation: resource requirements, savepoint trigger, stop-with-savepoint. */
function documentedBody(rng: Prng, path: string, ctx: RestFuzzContext): unknown {
  if (path.includes('resource-requirements')) {
    return Object.fromEntries(ctx.vertexIds.map((id) => [id, { parallelism: { lowerBound: rng.int(1, 2), upperBound: rng.int(1, 4) } }]));
  }
  if (path.endsWith('/stop'))
    return {
      targetDirectory: `/tmp/fuzz-${rng.string(6)}`,
      drain: rng.chance(0.5),
      formatType: rng.pick(['CANONICAL', 'NATIVE']),
      triggerId: rng.hexId(),
    };
  return {
    'target-directory': `/tmp/fuzz-${rng.string(6)}`,
    'cancel-job': rng.chance(0.5),
    formatType: rng.pick(['CANONICAL', 'NATIVE']),
    triggerId: rng.hexId(),
  };
}

function randomBody(rng: Prng, path: string, ctx: RestFuzzContext, maxContentLength: number): Buffer | undefined {
  return rng.weighted<() => Buffer | undefined>([
    [3, () => undefined],
    [6, () => Buffer.from(JSON.stringify(mutateJsonRounds(rng, documentedBody(rng, path, ctx))) ?? 'null')],
    [2, () => Buffer.from(JSON.stringify(randomJson(rng, 3)) ?? 'null')],
    [
      2,
      () =>
        Buffer.from(rng.pick(['{', '{"a":', 'nul', '[1,]', '{"a":1}{', '\ufeff{}', '"\\ud800"', '1e999999', '{"__proto__":{"x":1}}', ' '])),
    ],
    [1, () => rng.bytes(rng.size(8192))],
    [1, () => Buffer.from(deepNestingText(rng.pick([1000, 50_000, 200_000]), '1', rng.chance(0.5)))],
    [1, () => Buffer.alloc(maxContentLength + rng.int(1, 1024), 0x20)],
  ])();
}

const HEADER_NAMES = [
  'Content-Type',
  'Accept',
  'Accept-Encoding',
  'Origin',
  'Cookie',
  'X-Forwarded-For',
  'Authorization',
  'If-None-Match',
  'Range',
  'Expect',
  'Cache-Control',
  'Transfer-Encoding',
];
const HEADER_VALUE_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&\'*+-.^_`|~/:;=?@()[]{}",<>\\';

function randomHeaders(rng: Prng, body: Buffer | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const count = rng.chance(0.5) ? 0 : rng.size(60);
  // Node's parser refuses more than 16 KiB of headers before the application sees them; raw-http covers that.
  let budget = 8 * 1024;
  for (let i = 0; i < count && budget > 0; i++) {
    const name = rng.chance(0.7) ? rng.pick(HEADER_NAMES) : `X-${rng.string(rng.int(1, 30), 'abcdefghijklmnopqrstuvwxyz-0123456789')}`;
    if (name === 'Transfer-Encoding' || name === 'Expect') continue;
    headers[name] = rng.string(Math.min(budget, rng.size(2000)), HEADER_VALUE_CHARS).trim();
    budget -= name.length + headers[name].length + 4;
  }
  if (body !== undefined && rng.chance(0.7))
    headers['Content-Type'] = rng.pick([
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
    ]);
  return headers;
}

/** A random request: a route (or not) with odd parameters, a method, headers, a query and a body. */
export function fuzzRequest(rng: Prng, ctx: RestFuzzContext, maxContentLength: number): FuzzRequest {
  const method = rng.weighted<string>([
    [8, 'GET'],
    [3, 'POST'],
    [2, 'PUT'],
    [2, 'PATCH'],
    [1, 'DELETE'],
    [1, 'HEAD'],
    [1, 'OPTIONS'],
    [1, 'TRACE'],
  ]);
  const path = randomPath(rng, ctx);
  const body =
    method === 'GET' || method === 'HEAD'
      ? rng.chance(0.1)
        ? randomBody(rng, path, ctx, maxContentLength)
        : undefined
      : randomBody(rng, path, ctx, maxContentLength);
  return { method, path: `${path}${randomQuery(rng)}`, headers: randomHeaders(rng, body), body };
}

function decodeAll(segments: readonly string[]): string[] {
  const decoded = segments
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return decoded[0] === 'v1' ? decoded.slice(1) : decoded;
}

/**
 * The segments the REST router may see for a path: as sent, and with dot segments resolved as
 * WHATWG URL parsing does (a server may route either way), each decoded and without `/v1`.
 */
function routedSegmentsVariants(path: string): string[][] {
  const asSent = decodeAll(path.split('?')[0]!.split('/'));
  try {
    return [asSent, decodeAll(new URL(path, 'http://localhost').pathname.split('/'))];
  } catch {
    return [asSent];
  }
}

/**
 * Keeps the running job alive: a cancel, a stop, a savepoint that cancels, or a savepoint into an
 * arbitrary directory must never reach the real job, so those go to an unknown (well-formed) job id.
 * Routing is judged as the server does it (`/jobs/<id>/vertices/..` is `/jobs/<id>`).
 */
export function defuse(request: FuzzRequest, ctx: RestFuzzContext, unknownJobId: string): FuzzRequest {
  const swap = (): FuzzRequest => ({ ...request, path: request.path.replace(new RegExp(ctx.jobId, 'gi'), unknownJobId) });
  for (const segments of routedSegmentsVariants(request.path)) {
    if (segments[0] !== 'jobs' || segments[1]?.toLowerCase() !== ctx.jobId) continue;
    const action = segments[2];
    if (request.method === 'PATCH' && segments.length === 2) return swap();
    if (request.method === 'POST' && action === 'stop') return swap();
    if (request.method === 'POST' && action === 'savepoints') {
      const text = request.body?.toString('utf8') ?? '';
      if (/cancel-job/.test(text) || /target-directory/.test(text)) return swap();
    }
  }
  return request;
}

/** Whether a path may be one of the web UI's files (the only successes that are not JSON), however the server routes it. */
export function isWebUiPath(path: string): boolean {
  return routedSegmentsVariants(path).some(
    (segments) =>
      segments.length === 0 ||
      (segments.length === 1 && segments[0] === 'index.html') ||
      (segments.length === 2 && segments[0] === 'assets'),
  );
}
