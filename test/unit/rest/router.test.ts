import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBindPorts } from '../../../src/rest/bind-port.js';
import { RestError } from '../../../src/rest/rest-error.js';
import { Router, type RestHandler } from '../../../src/rest/router.js';

const handler =
  (name: string): RestHandler =>
  () => ({ status: 200, json: { name } });

/** Which handler a match found, by the name it answers with. */
async function found(router: Router, method: string, path: string): Promise<{ name: string; params: Record<string, string> }> {
  const match = router.match(method, path);
  assert.equal(match.kind, 'found', `${method} ${path}`);
  if (match.kind !== 'found') throw new Error('unreachable');
  const response = await match.handler({ params: match.params, query: new URLSearchParams(), body: undefined });
  return { name: (response as { json: { name: string } }).json.name, params: match.params };
}

describe('Router', () => {
  const router = new Router()
    .add('GET', '/overview', handler('overview'))
    .add('GET', '/jobs/:jobid/vertices/:vertexid', handler('vertex'))
    .add('PATCH', '/jobs/:jobid', handler('cancel'))
    .add('GET', '/jobs/:jobid', handler('job'))
    .add('GET', '/jobs/overview', handler('jobs-overview'));

  it('extracts path parameters, percent-decoded', async () => {
    assert.deepEqual(await found(router, 'GET', '/jobs/abc/vertices/v%201'), { name: 'vertex', params: { jobid: 'abc', vertexid: 'v 1' } });
    assert.deepEqual((await found(router, 'GET', '/jobs/host%3A123')).params, { jobid: 'host:123' });
  });

  it('serves every route under /v1 too, and ignores a trailing slash', async () => {
    assert.equal((await found(router, 'GET', '/v1/overview')).name, 'overview');
    assert.equal((await found(router, 'GET', '/v1/jobs/x/vertices/y')).name, 'vertex');
    assert.equal((await found(router, 'GET', '/overview/')).name, 'overview');
    assert.deepEqual(router.match('GET', '/v1/v1/overview'), { kind: 'not-found' });
  });

  it('prefers a literal segment over a parameter, whatever the registration order', async () => {
    assert.equal((await found(router, 'GET', '/jobs/overview')).name, 'jobs-overview');
    assert.equal((await found(router, 'GET', '/jobs/other')).name, 'job');
  });

  it('tells 405 (path known under other methods, listing them) from 404 (unknown path)', () => {
    assert.deepEqual(router.match('DELETE', '/overview'), { kind: 'method-not-allowed', allowed: ['GET'] });
    assert.deepEqual(router.match('POST', '/jobs/abc'), { kind: 'method-not-allowed', allowed: ['PATCH', 'GET'] });
    assert.deepEqual(router.match('GET', '/nope'), { kind: 'not-found' });
    assert.deepEqual(router.match('GET', '/'), { kind: 'not-found' });
    assert.deepEqual(router.match('GET', '/overview/extra'), { kind: 'not-found' });
  });

  it('answers malformed percent-encoding with a 400', () => {
    assert.throws(
      () => router.match('GET', '/jobs/%E0%A4%A'),
      (error: unknown) =>
        error instanceof RestError && error.status === 400 && /Malformed percent-encoding in path segment '%E0%A4%A'/.test(error.message),
    );
  });
});

describe('parseBindPorts', () => {
  it('expands single ports, ranges and comma-separated lists, in order', () => {
    assert.deepEqual(parseBindPorts('8081'), [8081]);
    assert.deepEqual(parseBindPorts('50100-50103'), [50100, 50101, 50102, 50103]);
    assert.deepEqual(parseBindPorts('8081, 9000 - 9001,0'), [8081, 9000, 9001, 0]);
    assert.deepEqual(parseBindPorts(' , '), []);
  });

  it('refuses anything else, naming the bad part', () => {
    for (const bad of ['http', '80a', '1-2-3', '-5']) {
      assert.throws(
        () => parseBindPorts(`8081,${bad}`),
        (error: unknown) => error instanceof RestError && error.message === `Invalid port specification '${bad}'.`,
      );
    }
  });
});
