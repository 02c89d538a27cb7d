/** A REST call that failed: an HTTP status (0 when the JobManager could not be reached) and why. */
export class RestClientError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RestClientError';
  }

  /** The endpoint does not exist (yet) or the thing asked for is gone. */
  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** How long one call may take before the dashboard calls the JobManager unreachable. */
const REQUEST_TIMEOUT_MS = 10_000;

/** GETs a same-origin REST path and parses its JSON body, turning Flink's `{"errors": [...]}` into the message. */
export async function getJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { cache: 'no-store', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new RestClientError(path, 0, `Cannot reach the JobManager (${error instanceof Error ? error.message : String(error)}).`);
  }
  const text = await response.text();
  if (!response.ok) throw new RestClientError(path, response.status, `GET ${path} answered ${response.status}: ${errorText(text)}`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new RestClientError(path, response.status, `GET ${path} answered with a body that is not JSON.`);
  }
}

/** PATCHes a same-origin REST path (Flink's job cancel); a refusal throws with the JobManager's message. */
export async function patch(path: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'PATCH', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new RestClientError(path, 0, `Cannot reach the JobManager (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (!response.ok)
    throw new RestClientError(path, response.status, `PATCH ${path} answered ${response.status}: ${errorText(await response.text())}`);
}

/**
 * Sends a body (JSON, or a multipart form for an upload) with `method` and parses the JSON answer;
 * a refusal throws with the JobManager's message.
 */
export async function send<T>(method: 'POST' | 'DELETE', path: string, body?: FormData | object): Promise<T> {
  const init: RequestInit =
    body === undefined
      ? { method }
      : body instanceof FormData
        ? { method, body }
        : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  let response: Response;
  try {
    // Uploads and runs take as long as the jar and its main do; no dashboard timeout applies.
    response = await fetch(path, init);
  } catch (error) {
    throw new RestClientError(path, 0, `Cannot reach the JobManager (${error instanceof Error ? error.message : String(error)}).`);
  }
  const text = await response.text();
  if (!response.ok) throw new RestClientError(path, response.status, `${method} ${path} answered ${response.status}: ${errorText(text)}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

/** Like getJson, but a missing endpoint or entity yields undefined: for the sections that may not exist yet. */
export async function getOptionalJson<T>(path: string): Promise<T | undefined> {
  try {
    return await getJson<T>(path);
  } catch (error) {
    if (error instanceof RestClientError && (error.isNotFound || error.status === 501)) return undefined;
    throw error;
  }
}

/** Settles a call into its value or undefined, for panels that show "No data" instead of failing the page. */
export async function settle<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch {
    return undefined;
  }
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0) return parsed.errors.map(String).join('; ');
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200) || 'no details';
}
