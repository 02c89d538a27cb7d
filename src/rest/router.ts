import { RestError } from './rest-error.js';

/** What a handler receives: path parameters, query parameters and the parsed JSON body (or a multipart upload, unparsed). */
export interface RestRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  /** A multipart/form-data body as sent, with its Content-Type (which names the boundary); left to the handler that expects one. */
  readonly multipart?: { readonly contentType: string; readonly bytes: Buffer };
}

/** A handler's answer: a JSON body with a status, or raw content (the web UI's files); extra headers optional. */
export type RestResponse =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | {
      readonly status: number;
      readonly raw: Buffer | string;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | {
      readonly status: number;
      /** Sent piece by piece as it is produced (chunked), for files too large to hold in memory. */
      readonly stream: AsyncIterable<Buffer>;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
    };

export type RestHandler = (request: RestRequest) => RestResponse | Promise<RestResponse>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  readonly method: HttpMethod;
  readonly segments: readonly string[];
  readonly handler: RestHandler;
}

/** The outcome of matching a path: a handler, a path known under other methods, or nothing. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly handler: RestHandler; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

/**
 * Matches `/jobs/:jobid/vertices/:vertexid` style templates. Every route is reachable both as is
 * and under `/v1`, as Flink registers each handler twice.
 */
export class Router {
  private readonly routes: Route[] = [];
  private readonly stopHooks: Array<() => Promise<void>> = [];

  /** Work the server must let finish, still serving, before it stops (e.g. results clients have yet to read). */
  beforeStop(hook: () => Promise<void>): this {
    this.stopHooks.push(hook);
    return this;
  }

  /** Runs every beforeStop hook; a failing hook does not keep the server from stopping. */
  async runStopHooks(): Promise<void> {
    await Promise.allSettled(this.stopHooks.map((hook) => hook()));
  }

  add(method: HttpMethod, template: string, handler: RestHandler): this {
    this.routes.push({ method, segments: split(template), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    let segments = split(path);
    if (segments[0] === 'v1') segments = segments.slice(1);
    const allowed: HttpMethod[] = [];
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      // A literal segment beats a parameter, so `/jobs/overview` wins over `/jobs/:jobid` in any order.
      const literals = route.segments.filter((segment) => !segment.startsWith(':')).length;
      if (best === undefined || literals > best.literals) best = { route, params, literals };
    }
    if (best !== undefined) return { kind: 'found', handler: best.route.handler, params: best.params };
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(template: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (template.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const expected = template[i]!;
    let value: string;
    try {
      value = decodeURIComponent(actual[i]!);
    } catch {
      throw new RestError(400, `Malformed percent-encoding in path segment '${actual[i]}'.`);
    }
    if (expected.startsWith(':')) params[expected.slice(1)] = value;
    else if (expected !== value) return undefined;
  }
  return params;
}
