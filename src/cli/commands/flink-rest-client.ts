import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { TsFlinkError } from '../../core/errors.js';
import { describeConnectionFailure } from './rest-connection-error.js';

/** Per-request limit, so a JobManager that accepts but never answers cannot hang the CLI. */
const REQUEST_TIMEOUT_MS = 30_000;

/** A request to the JobManager's REST API that failed: unreachable, refused, or answered with an error. */
export class FlinkClientError extends TsFlinkError {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super('FLINK_CLIENT', message);
  }

  /** True when the JobManager could not be reached at all (nothing was answered). */
  get unreachable(): boolean {
    return this.status === undefined;
  }
}

/** A request body with its content type. */
interface Body {
  readonly bytes: Buffer;
  readonly contentType: string;
}

/**
 * The few calls `bin/flink` makes to the REST API, with errors turned into one readable line.
 * node:http(s) rather than fetch: Node 20's fetch cannot be given a truststore or a client
 * certificate, which a JobManager with security.ssl.rest.* needs.
 */
export class FlinkRestClient {
  private readonly agent: HttpAgent;

  /** `tls` (restClientTls) applies to an https:// URL; without it, the system's CAs are trusted. */
  constructor(
    readonly baseUrl: string,
    tls?: ConnectionOptions,
  ) {
    // Keep-alive lets the polls of `flink run` and `flink stop` reuse one TLS session; idle sockets do not hold the process.
    this.agent = baseUrl.startsWith('https:') ? new HttpsAgent({ ...tls, keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path, undefined);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    const json = body === undefined ? undefined : { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' };
    return this.call<T>('POST', path, json);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' });
  }

  patch<T>(path: string): Promise<T> {
    return this.call<T>('PATCH', path, undefined);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path, undefined);
  }

  /** Sends a file as multipart/form-data in field `field`, as Flink's jar upload expects. */
  async upload<T>(path: string, field: string, fileName: string, bytes: Buffer): Promise<T> {
    const form = new FormData();
    form.append(field, new Blob([bytes], { type: 'application/x-java-archive' }), fileName);
    // A Response encodes the form as a browser would, boundary in its Content-Type included.
    const encoded = new Response(form);
    const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
    return this.call<T>('POST', path, { bytes: Buffer.from(await encoded.arrayBuffer()), contentType });
  }

  private async call<T>(method: string, path: string, body: Body | undefined): Promise<T> {
    let response: { status: number; text: string; location: string | undefined };
    let url = `${this.baseUrl}${path}`;
    try {
      response = await this.send(method, url, body);
      // A standby JobManager redirects to the leader (307 keeps the method and body); follow it a few times at most.
      for (let hops = 0; (response.status === 307 || response.status === 308) && response.location !== undefined && hops < 3; hops++) {
        url = new URL(response.location, url).toString();
        response = await this.send(method, url, body);
      }
    } catch (error) {
      throw new FlinkClientError(describeConnectionFailure(error, this.baseUrl, REQUEST_TIMEOUT_MS), undefined);
    }
    const json = parseJson(response.text);
    if (response.status < 200 || response.status > 299)
      throw new FlinkClientError(errorMessage(method, path, response.status, json, response.text), response.status);
    return json as T;
  }

  private send(
    method: string,
    target: string,
    body: Body | undefined,
  ): Promise<{ status: number; text: string; location: string | undefined }> {
    const url = new URL(target);
    const headers = body === undefined ? {} : { 'Content-Type': body.contentType, 'Content-Length': body.bytes.length };
    const options = { method, headers, agent: this.agent, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), location: response.headers.location }),
        );
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body?.bytes);
    });
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Flink's `{"errors": [...]}` joined into one line; the status line when the body says nothing. */
function errorMessage(method: string, path: string, status: number, json: unknown, text: string): string {
  const errors = (json as { errors?: unknown } | undefined)?.errors;
  const detail = Array.isArray(errors) && errors.length > 0 ? errors.map(String).join(' ') : text.trim() || 'no details';
  return `${method} ${path} failed with HTTP ${status}: ${detail.replace(/\s*\n\s*/g, ' ')}`;
}
