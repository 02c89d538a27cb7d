import { TsFlinkError } from '../../core/errors.js';

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

/** The few calls `bin/flink` makes to the REST API, with errors turned into one readable line. */
export class FlinkRestClient {
  constructor(readonly baseUrl: string) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path, undefined);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  patch<T>(path: string): Promise<T> {
    return this.call<T>('PATCH', path, undefined);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path, undefined);
  }

  /** Sends a file as multipart/form-data in field `field`, as Flink's jar upload expects. */
  upload<T>(path: string, field: string, fileName: string, bytes: Buffer): Promise<T> {
    const form = new FormData();
    form.append(field, new Blob([bytes], { type: 'application/x-java-archive' }), fileName);
    return this.call<T>('POST', path, form);
  }

  private async call<T>(method: string, path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        // A form sets its own multipart Content-Type, boundary included.
        headers: body === undefined || body instanceof FormData ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new FlinkClientError(
        `Could not reach the JobManager's REST API at ${this.baseUrl} (${networkReason(error)}); is it running? -m <host:port> names another address.`,
        undefined,
      );
    }
    const text = await response.text();
    const json = parseJson(text);
    if (!response.ok) throw new FlinkClientError(errorMessage(method, path, response.status, json, text), response.status);
    return json as T;
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

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
