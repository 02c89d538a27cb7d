import { createServer, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { TLSSocket, TlsOptions } from 'node:tls';
import { detach } from '../core/detach.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { HandshakeFailureLog } from './handshake-failure-log.js';
import { RestError, toRestError } from './rest-error.js';
import type { RestResponse, Router } from './router.js';

const log = getLogger('rest');

/** How long stop() waits for requests in flight. */
const STOP_GRACE_MS = 2_000;

/** How long a client may take over the TLS handshake (Node's default of 120 s would let idle sockets pile up). */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * How much of a refused body is read and dropped before answering, so a client still sending gets
 * the refusal instead of a reset; beyond it the connection closes mid-body.
 */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** Where and how the REST endpoint serves. */
export interface RestServerSettings {
  readonly bindAddress: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly maxContentLength: number;
  readonly allowOrigin: string;
  /** HTTPS instead of HTTP (security.ssl.rest.*), with client certificates when these options ask for them. */
  readonly tls?: TlsOptions | undefined;
  /** Answers a request before routing when it returns a response: a standby JobManager points to its leader. */
  readonly gate?: (target: string) => RestResponse | undefined;
}

/**
 * Flink's REST endpoint on node:http: JSON in and out, `{"errors": [...]}` for every failure,
 * bodies above the limit refused, and no request able to crash the process or hang a socket.
 */
export class RestServer {
  private server: Server | undefined;
  private stopping = false;

  constructor(
    private readonly router: Router,
    private readonly settings: RestServerSettings,
  ) {}

  /** `https` when the endpoint serves TLS, else `http`. */
  get scheme(): 'http' | 'https' {
    return this.settings.tls === undefined ? 'http' : 'https';
  }

  /** Starts listening; resolves with the actual port (useful with port 0). */
  async start(): Promise<number> {
    const server = this.createServer((request, response) => {
      // handle() answers every failure it expects; one escaping it (a broken socket mid-send) ends that response only.
      detach(this.handle(request, response), (error) => {
        log.warn(`Could not answer ${request.method ?? 'GET'} ${request.url ?? '/'}: ${describeError(error)}`);
        response.destroy();
      });
    });
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerUnparsable(error, socket));
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.settings.port, this.settings.bindAddress, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  /**
   * A node:http server, or a node:https one with the configured TLS. A client that fails the
   * handshake (plain HTTP on this port, no or an untrusted certificate) is dropped by Node at once;
   * it is only logged here.
   */
  private createServer(listener: RequestListener): Server {
    // Flink's endpoint serves HTTP/1.1 requests without a Host header; node would answer them with a bare 400.
    if (this.settings.tls === undefined) return createServer({ requireHostHeader: false }, listener);
    const server = createHttpsServer({ ...this.settings.tls, handshakeTimeout: HANDSHAKE_TIMEOUT_MS, requireHostHeader: false }, listener);
    const failures = new HandshakeFailureLog(log);
    server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => failures.failed(error, socket));
    return server;
  }

  /**
   * Lets the router's beforeStop work finish while still serving, then stops accepting
   * connections, lets requests in flight finish for up to `graceMs` (a client polling a
   * stop-with-savepoint must still get its answer while the JobManager winds down), then drops
   * whatever is left.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    await this.router.runStopHooks();
    this.server = undefined;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(deadline);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let result: RestResponse;
    try {
      result = await this.route(request);
    } catch (error) {
      const known = toRestError(error);
      result = known !== undefined ? { status: known.status, json: { errors: known.errors } } : this.internalError(request, error);
    }
    // A body we did not read to the end must not keep the connection (and its sender) going;
    // nor may a connection outlive a server that is stopping.
    if (!request.complete || this.stopping) response.setHeader('Connection', 'close');
    this.send(response, result);
  }

  private async route(request: IncomingMessage): Promise<RestResponse> {
    const { pathname, query } = splitTarget(request.url ?? '/');
    const gated = this.settings.gate?.(request.url ?? '/');
    if (gated !== undefined) {
      await drain(request);
      return gated;
    }
    const method = request.method ?? 'GET';
    const match = this.router.match(method === 'HEAD' ? 'GET' : method, pathname);
    if (match.kind === 'not-found') {
      await drain(request);
      throw new RestError(404, `Not found: ${pathname}`);
    }
    if (match.kind === 'method-not-allowed') {
      await drain(request);
      throw new RestError(405, `Method ${method} is not allowed for ${pathname}; allowed: ${match.allowed.join(', ')}.`);
    }
    const contentType = request.headers['content-type'] ?? '';
    const bytes = await this.readBody(request);
    if (/^multipart\/form-data/i.test(contentType))
      return match.handler({ params: match.params, query, body: undefined, multipart: { contentType, bytes } });
    return match.handler({ params: match.params, query, body: parseJsonBody(bytes) });
  }

  /** The request body, refused with 413 beyond rest.server.max-content-length. */
  private readBody(request: IncomingMessage): Promise<Buffer> {
    const limit = this.settings.maxContentLength;
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) {
      return drain(request).then(() => {
        throw new RestError(413, `Request body of ${declared} bytes exceeds the limit of ${limit} bytes (rest.server.max-content-length).`);
      });
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          // Stop buffering but drain, so the 413 reaches a client that is still sending.
          request.removeAllListeners('data');
          request.removeAllListeners('end');
          const refuse = (): void =>
            reject(new RestError(413, `Request body exceeds the limit of ${limit} bytes (rest.server.max-content-length).`));
          drain(request).then(refuse, refuse);
        } else {
          chunks.push(chunk);
        }
      });
      request.on('error', () => reject(new RestError(400, 'The request body could not be read.')));
      request.on('end', () => resolve(Buffer.concat(chunks)));
    });
  }

  private internalError(request: IncomingMessage, error: unknown): RestResponse {
    log.error(`Unhandled exception serving ${request.method} ${request.url}: ${describeError(error)}`, error);
    return { status: 500, json: { errors: ['Internal server error.', describeError(error)] } };
  }

  private send(response: ServerResponse, result: RestResponse): void {
    if (response.headersSent || response.destroyed) return;
    response.setHeader('Access-Control-Allow-Origin', this.settings.allowOrigin);
    for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, value);
    if ('json' in result) {
      const body = result.json === undefined ? '' : JSON.stringify(result.json);
      response.writeHead(result.status, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(body) });
      response.end(body);
    } else if ('raw' in result) {
      response.writeHead(result.status, { 'Content-Type': result.contentType, 'Content-Length': Buffer.byteLength(result.raw) });
      response.end(result.raw);
    } else {
      response.writeHead(result.status, { 'Content-Type': result.contentType });
      streamBody(response, result.stream).catch((error: unknown) => {
        log.warn(`Streaming a response failed: ${describeError(error)}`);
        response.destroy();
      });
    }
  }
}

/** Writes each piece as the client takes it (waiting for drain), so memory holds one piece at a time. */
async function streamBody(response: ServerResponse, pieces: AsyncIterable<Buffer>): Promise<void> {
  for await (const piece of pieces) {
    if (response.destroyed) return;
    if (!response.write(piece)) await new Promise<void>((resolve) => response.once('drain', resolve).once('close', resolve));
  }
  response.end();
}

/** A JSON body; an empty one is undefined. */
function parseJsonBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RestError(400, 'Request body is not valid JSON.');
  }
}

/** Reads and drops the rest of a body nobody will use, up to DRAIN_LIMIT_BYTES. */
function drain(request: IncomingMessage): Promise<void> {
  if (request.complete) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = (): void => {
      request.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT_BYTES) done();
    };
    request.on('data', onData);
    request.once('end', done);
    request.once('close', done);
    request.once('error', done);
    request.resume();
  });
}

/**
 * A request node:http could not parse (bad request line, header bytes or method, headers too large)
 * gets Flink's JSON error body too, then the connection closes.
 */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'Request header fields too large: at most 16 KiB of headers are accepted.'
      : status === 408
        ? 'Request timeout: the request did not arrive in time.'
        : `Bad request: not a valid HTTP/1.1 request (${error.code ?? 'parse error'}).`;
  const body = JSON.stringify({ errors: [message] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=UTF-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * The path and query of a request target as sent. WHATWG URL parsing would resolve `.` and `..`
 * segments (even percent-encoded ones) before routing; the router must see them to refuse them.
 */
function splitTarget(target: string): { pathname: string; query: URLSearchParams } {
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?]*/i, '') || '/' : target;
  const mark = path.indexOf('?');
  return mark < 0
    ? { pathname: path, query: new URLSearchParams() }
    : { pathname: path.slice(0, mark), query: new URLSearchParams(path.slice(mark + 1)) };
}
