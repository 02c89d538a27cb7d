import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestServer } from '../../../src/rest/rest-server.js';
import { Router } from '../../../src/rest/router.js';

const SETTINGS = { bindAddress: '127.0.0.1', port: 0, maxContentLength: 1024, allowOrigin: '*' };

describe('RestServer.stop', () => {
  it('lets a request in flight finish and refuses new connections', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived!: () => void;
    const hasArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const router = new Router().add('GET', '/slow', async () => {
      arrived();
      await released;
      return { status: 200, json: { done: true } };
    });
    const server = new RestServer(router, SETTINGS);
    const port = await server.start();
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
    await hasArrived; // the request is in the handler: stopping now must let it finish
    const stopped = server.stop(10_000);
    release();
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { done: true });
    assert.equal(response.headers.get('connection'), 'close');
    await stopped;
    await assert.rejects(fetch(`http://127.0.0.1:${port}/slow`));
  });

  it('drops a request that outlasts the grace period', async () => {
    let arrived!: () => void;
    const hasArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const router = new Router().add('GET', '/never', () => {
      arrived();
      return new Promise(() => undefined);
    });
    const server = new RestServer(router, SETTINGS);
    const port = await server.start();
    const inFlight = fetch(`http://127.0.0.1:${port}/never`);
    await hasArrived;
    await server.stop(100);
    await assert.rejects(inFlight);
  });
});

describe('RestServer.stop with beforeStop work', () => {
  it("keeps serving, new connections included, until the router's beforeStop hooks are done", async () => {
    let fetched = false;
    let markFetched!: () => void;
    const readByClient = new Promise<void>((resolve) => {
      markFetched = resolve;
    });
    const router = new Router()
      .add('GET', '/result', () => {
        fetched = true;
        markFetched();
        return { status: 200, json: { location: 'file:/sp' } };
      })
      .beforeStop(() => readByClient);
    const server = new RestServer(router, SETTINGS);
    const port = await server.start();
    const stopped = server.stop();
    // Stopping has begun (its hooks run first); a new connection must still be served.
    const response = await fetch(`http://127.0.0.1:${port}/result`);
    assert.deepEqual(await response.json(), { location: 'file:/sp' });
    await stopped;
    assert.ok(fetched);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/result`));
  });
});
