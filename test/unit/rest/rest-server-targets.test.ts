import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { RestServer } from '../../../src/rest/rest-server.js';
import { Router } from '../../../src/rest/router.js';

/** A raw GET, so the target reaches the server exactly as written (fetch would normalise dot segments). */
function rawGet(port: number, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('RestServer request targets and headers', () => {
  const router = new Router()
    .add('GET', '/files/:name', ({ params, query }) => ({
      status: 200,
      json: { name: params['name'], q: query.get('q') },
      headers: { 'Cache-Control': 'no-cache' },
    }))
    .add('GET', '/b', () => ({ status: 200, json: { b: true } }));
  const server = new RestServer(router, { bindAddress: '127.0.0.1', port: 0, maxContentLength: 1024, allowOrigin: '*' });
  let port = 0;

  before(async () => {
    port = await server.start();
  });
  after(() => server.stop());

  it('routes the path as sent: dot segments, encoded or not, are not resolved away', async () => {
    assert.deepEqual(JSON.parse((await rawGet(port, '/files/%2e%2e?q=1')).body), { name: '..', q: '1' });
    assert.deepEqual(await rawGet(port, '/files/../b').then((r) => [r.status, JSON.parse(r.body)]), [
      404,
      { errors: ['Not found: /files/../b'] },
    ]);
    assert.equal((await rawGet(port, '/b')).status, 200);
  });

  it('sends the extra headers a handler asks for', async () => {
    assert.equal((await rawGet(port, '/files/x')).headers['cache-control'], 'no-cache');
  });
});
