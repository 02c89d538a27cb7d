import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { RestServer } from '../../../src/rest/rest-server.js';
import { Router } from '../../../src/rest/router.js';

const LIMIT = 64;

/** What came back for one request. */
interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends one request with node:http, optionally streaming the body in chunks without a Content-Length. */
function send(port: number, method: string, path: string, body?: string | string[]): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const chunked = Array.isArray(body);
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: chunked ? { 'Transfer-Encoding': 'chunked' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    if (Array.isArray(body)) for (const part of body) req.write(part);
    else if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('RestServer', () => {
  const logs = new MemoryLogSink();
  let calls = 0;
  const router = new Router()
    .add('GET', '/ok', () => ({ status: 200, json: { ok: true, calls: ++calls } }))
    .add('POST', '/echo', ({ body }) => ({ status: 200, json: { got: body ?? null } }))
    .add('GET', '/items/:id', ({ params, query }) => ({ status: 200, json: { id: params['id'], q: query.get('q') } }))
    .add('GET', '/boom', () => {
      throw new Error('handler exploded');
    })
    .add('GET', '/reject', async () => {
      throw new TypeError('async failure');
    })
    .add('GET', '/raw', () => ({ status: 200, raw: '<html></html>', contentType: 'text/html' }));
  const server = new RestServer(router, { bindAddress: '127.0.0.1', port: 0, maxContentLength: LIMIT, allowOrigin: '*' });
  let port = 0;

  before(async () => {
    configureLogging(logs, 'INFO');
    port = await server.start();
  });
  after(() => server.stop());

  it("answers an unknown path with 404 and Flink's error body", async () => {
    const reply = await send(port, 'GET', '/x');
    assert.equal(reply.status, 404);
    assert.equal(reply.body, '{"errors":["Not found: /x"]}');
    assert.match(String(reply.headers['content-type']), /^application\/json/);
  });

  it('answers a known path with the wrong method with 405, naming the allowed ones', async () => {
    const reply = await send(port, 'DELETE', '/ok');
    assert.equal(reply.status, 405);
    assert.deepEqual(JSON.parse(reply.body), { errors: ['Method DELETE is not allowed for /ok; allowed: GET.'] });
  });

  it('serves JSON with parameters, query, CORS header, the /v1 prefix and HEAD', async () => {
    const reply = await send(port, 'GET', '/v1/items/a%2Fb?q=1');
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { id: 'a/b', q: '1' });
    assert.equal(reply.headers['access-control-allow-origin'], '*');
    const head = await send(port, 'HEAD', '/ok');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    const raw = await send(port, 'GET', '/raw');
    assert.equal(raw.body, '<html></html>');
    assert.equal(raw.headers['content-type'], 'text/html');
  });

  it('parses a JSON body and refuses one that is not JSON with 400', async () => {
    assert.deepEqual(JSON.parse((await send(port, 'POST', '/echo', '{"a":[1]}')).body), { got: { a: [1] } });
    assert.deepEqual(JSON.parse((await send(port, 'POST', '/echo', '')).body), { got: null });
    const bad = await send(port, 'POST', '/echo', '{"a":');
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), { errors: ['Request body is not valid JSON.'] });
  });

  it('answers malformed percent-encoding with 400', async () => {
    const reply = await send(port, 'GET', '/items/%E0%A4%A');
    assert.equal(reply.status, 400);
    assert.match(JSON.parse(reply.body).errors[0], /Malformed percent-encoding/);
  });

  it('refuses a body over rest.server.max-content-length with 413, declared or streamed', async () => {
    const declared = await send(port, 'POST', '/echo', JSON.stringify({ pad: 'x'.repeat(LIMIT) }));
    assert.equal(declared.status, 413);
    assert.match(
      JSON.parse(declared.body).errors[0],
      new RegExp(`exceeds the limit of ${LIMIT} bytes \\(rest\\.server\\.max-content-length\\)`),
    );
    const streamed = await send(port, 'POST', '/echo', ['{"pad":"', 'y'.repeat(LIMIT), '"}']);
    assert.equal(streamed.status, 413);
    assert.match(JSON.parse(streamed.body).errors[0], /exceeds the limit/);
  });

  it('answers a throwing or rejecting handler with 500, logs it, and keeps serving', async () => {
    const boom = await send(port, 'GET', '/boom');
    assert.equal(boom.status, 500);
    assert.deepEqual(JSON.parse(boom.body), { errors: ['Internal server error.', 'handler exploded'] });
    assert.equal((await send(port, 'GET', '/reject')).status, 500);
    assert.ok(logs.lines.some((line) => /ERROR rest - Unhandled exception serving GET \/boom: handler exploded/.test(line)));
    const ok = await send(port, 'GET', '/ok');
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).ok, true);
  });

  it('survives a client that sends garbage instead of HTTP', async () => {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.end('\u0000\u0001 not http at all\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    assert.match(answer, /^HTTP\/1\.1 400/);
    assert.equal((await send(port, 'GET', '/ok')).status, 200);
  });
});
