import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { FuzzCluster } from '../fuzz-cluster.js';
import { withDeadline, type FuzzOutcome, type FuzzTarget } from '../fuzz-target.js';
import { preview } from '../mutators.js';
import type { Prng } from '../prng.js';
import type { LogTail } from './log-scan.js';
import { defuse, fuzzRequest, isWebUiPath, type FuzzRequest } from './rest-requests.js';
import { rawHttpAttack } from './raw-http.js';

/** The fuzz cluster's `rest.server.max-content-length`: small, so "too large" bodies stay cheap. */
export const FUZZ_MAX_CONTENT_LENGTH = 256 * 1024;
/** Per-request idle deadline (twice that in all): every answer must come well within it. */
const REQUEST_TIMEOUT_MS = 15_000;

/** An HTTP answer as received. */
interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function send(url: string, request: FuzzRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    // A body always travels with its length: without it, node sends GET/OPTIONS/TRACE bodies unframed.
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'Content-Length': String(request.body.length) };
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.path,
        headers,
        agent: false,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms (hang)`)));
    req.on('error', reject);
    // A body the server refused early may not be fully written; the answer still counts.
    if (request.body !== undefined) req.write(request.body, () => undefined);
    req.end();
  });
}

/** What is wrong with an answer: not JSON where it must be, or an error body without `errors`. */
export function judgeAnswer(method: string, path: string, answer: HttpAnswer): string | undefined {
  const type = String(answer.headers['content-type'] ?? '');
  const status = answer.status;
  if (status < 100 || status > 599) return `status ${status} is not an HTTP status`;
  if (status < 400 && isWebUiPath(path)) return undefined;
  if (!type.startsWith('application/json')) return `HTTP ${status} with Content-Type '${type}' instead of JSON`;
  if (method === 'HEAD' || status === 204 || status === 304) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return `HTTP ${status} with a body that is not JSON: ${preview(answer.body.toString('utf8'), 200)}`;
  }
  if (status >= 400) {
    const errors = (json as { errors?: unknown } | null)?.errors;
    if (!Array.isArray(errors) || errors.length === 0 || !errors.every((e) => typeof e === 'string' && e !== '')) {
      return `HTTP ${status} without a {"errors": [...]} body: ${preview(json, 200)}`;
    }
  }
  return undefined;
}

/**
 * (d) REST: random paths (routes with odd ids, `..`, encoded bytes, very long ones), methods,
 * headers, query strings and bodies (invalid JSON, too large, every documented field with a wrong
 * type), plus raw malformed HTTP. Every answer comes in time as well-formed HTTP, with JSON
 * `{"errors": [...]}` for every 4xx/5xx; no request crashes a handler (no "Unhandled exception").
 */
export class RestTarget implements FuzzTarget {
  readonly name = 'rest';
  readonly concurrency = 6;
  readonly batchSize = 60;
  private log: LogTail | undefined;
  private readonly unknownJobId = 'f'.repeat(32);

  constructor(private readonly cluster: FuzzCluster) {}

  async setup(): Promise<void> {
    this.log = this.cluster.tailJobManagerLog();
  }

  async runOne(rng: Prng): Promise<FuzzOutcome> {
    if (rng.chance(0.1)) return this.runRaw(rng);
    const ctx = { ...this.cluster.job, taskManagerId: this.cluster.taskManagerId };
    const request = defuse(fuzzRequest(rng, ctx, FUZZ_MAX_CONTENT_LENGTH), ctx, this.unknownJobId);
    const input = `${request.method} ${preview(request.path, 300)} headers=${preview(request.headers, 200)} body=${request.body === undefined ? '-' : preview(request.body.toString('utf8'), 300)}`;
    let answer: HttpAnswer;
    try {
      answer = await withDeadline(send(this.cluster.url, request), 2 * REQUEST_TIMEOUT_MS, 'the request');
    } catch (error) {
      const oversized = (request.body?.length ?? 0) > FUZZ_MAX_CONTENT_LENGTH && /EPIPE|ECONNRESET|socket hang up/.test(String(error));
      if (oversized)
        return { input, problem: `a body above rest.server.max-content-length got a reset instead of an answer: ${String(error)}` };
      return { input, problem: `no well-formed answer: ${String(error)}` };
    }
    const problem = judgeAnswer(request.method, request.path, answer);
    return { input, ...(problem === undefined ? {} : { problem }) };
  }

  async checkHealth(): Promise<string[]> {
    const problems = await this.cluster.checkJobManager();
    const lines = this.log?.newLines() ?? [];
    for (const line of lines.filter((l) => /Unhandled exception serving/.test(l)))
      problems.push(`a handler crashed: ${line.slice(0, 400)}`);
    return problems;
  }

  async teardown(): Promise<void> {
    // The cluster outlives this target.
  }

  private async runRaw(rng: Prng): Promise<FuzzOutcome> {
    const { kind, bytes } = rawHttpAttack(rng);
    const input = `raw ${kind}: ${preview(bytes.toString('latin1'), 300)}`;
    const { port, hostname } = new URL(this.cluster.url);
    const problem = await rawExchange(hostname, Number(port), bytes);
    return { input, ...(problem === undefined ? {} : { problem }) };
  }
}

/** Writes raw bytes and requires an HTTP status line back (or a clean close) in time. */
function rawExchange(host: string, port: number, bytes: Buffer): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    let reset = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`no answer within ${REQUEST_TIMEOUT_MS} ms (hang)`);
    }, REQUEST_TIMEOUT_MS);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reset = error.code === 'ECONNRESET';
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]).subarray(0, 64 * 1024);
    });
    socket.on('connect', () => socket.end(bytes));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = received.toString('latin1');
      if (received.length === 0) return resolve(reset ? 'the connection was reset without an answer' : undefined);
      const status = /^HTTP\/1\.[01] (\d{3}) /.exec(text);
      if (status === null) return resolve(`the answer is not HTTP: ${preview(text, 200)}`);
      const head = text.split('\r\n\r\n')[0]!;
      if (Number(status[1]) >= 400 && !/^content-type: application\/json/im.test(head)) {
        return resolve(
          `HTTP ${status[1]} from the HTTP parser without a JSON {"errors": [...]} body: ${preview(head.replace(/\r\n/g, ' | '), 200)}`,
        );
      }
      resolve(undefined);
    });
  });
}
