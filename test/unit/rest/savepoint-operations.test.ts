import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SavepointOperations } from '../../../src/jobmanager/dispatcher/views/savepoint-operations.js';
import { asJobId, asTriggerId } from '../../helpers/ids.js';

const JOB = asJobId('1'.repeat(32));

/** A savepoint the test completes or fails by hand. */
function manualSavepoint(): {
  run: () => Promise<string>;
  complete: (path: string) => void;
  fail: (error: Error) => void;
  runs: () => number;
} {
  let resolve!: (path: string) => void;
  let reject!: (error: Error) => void;
  let runs = 0;
  const promise = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    run: () => {
      runs++;
      return promise;
    },
    complete: (path) => resolve(path),
    fail: (error) => reject(error),
    runs: () => runs,
  };
}

describe('SavepointOperations', () => {
  it('reports IN_PROGRESS, then the location; a repeated trigger id starts nothing new', async () => {
    const operations = new SavepointOperations();
    const savepoint = manualSavepoint();
    const id = operations.start(JOB, undefined, savepoint.run);
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.deepEqual(await operations.status(JOB, asTriggerId(id), 0), { state: 'IN_PROGRESS' });
    assert.equal(operations.start(JOB, asTriggerId(id), savepoint.run), id);
    savepoint.complete('file:/tmp/sp/savepoint-1');
    assert.deepEqual(await operations.status(JOB, asTriggerId(id), 1_000), {
      state: 'COMPLETED',
      location: 'file:/tmp/sp/savepoint-1',
    });
    assert.equal(savepoint.runs(), 1);
  });

  it('answers a waiting poll as soon as the operation finishes', async () => {
    const operations = new SavepointOperations();
    const savepoint = manualSavepoint();
    const id = operations.start(JOB, asTriggerId('a'.repeat(32)), savepoint.run);
    const poll = operations.status(JOB, asTriggerId(id), 60_000);
    // The poll is waiting now; the failure comes on a later turn of the event loop.
    setImmediate(() => savepoint.fail(new Error('The Flink job is currently not executing.')));
    const status = await poll;
    assert.equal(status.state, 'FAILED');
    assert.equal(status.state === 'FAILED' && status.failure.message, 'The Flink job is currently not executing.');
  });

  it('keys operations by job, and forgets finished ones after the retention time', async () => {
    let now = 0;
    const operations = new SavepointOperations(1_000, () => now);
    const id = operations.start(JOB, undefined, async () => 'file:/x');
    await assert.rejects(operations.status(asJobId('2'.repeat(32)), asTriggerId(id), 0), /no savepoint operation/);
    assert.equal((await operations.status(JOB, asTriggerId(id), 1_000)).state, 'COMPLETED');
    now = 5_000;
    await assert.rejects(
      operations.status(JOB, asTriggerId(id), 0),
      (error: Error & { failure?: string }) => error.failure === 'NOT_FOUND',
    );
  });

  it('lets a shutdown wait until every outcome was read, or until its timeout', async () => {
    const operations = new SavepointOperations();
    const savepoint = manualSavepoint();
    const id = operations.start(JOB, undefined, savepoint.run);
    let waited = false;
    const waiting = operations.whenResultsAccessed(60_000).then(() => {
      waited = true;
    });
    savepoint.complete('file:/tmp/sp/final');
    // Let the completion and anything it triggers run (microtasks, then a full event loop turn).
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(waited, false, 'the result is complete but nobody read it');
    assert.equal((await operations.status(JOB, asTriggerId(id), 0)).state, 'COMPLETED');
    await waiting;
    operations.start(JOB, undefined, () => new Promise(() => undefined));
    const started = Date.now();
    await operations.whenResultsAccessed(100);
    assert.ok(Date.now() - started >= 90, 'an operation that never ends holds the shutdown only until the timeout');
  });
});
