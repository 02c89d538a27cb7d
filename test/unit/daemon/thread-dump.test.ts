import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { processThreadDump } from '../../../src/daemon/thread-dump.js';

describe("a process's thread dump", () => {
  it('lists the main thread and each worker with the JavaScript it is running, busy or not', async () => {
    // A worker spinning in a named function, as a job's main that never returns does.
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads');
       function spinForever() { parentPort.postMessage('spinning'); for (let i = 0; i >= 0; i = (i + 1) % 1e9); }
       spinForever();`,
      { eval: true },
    );
    try {
      await new Promise((resolve) => worker.once('message', resolve));
      const threads = processThreadDump();
      assert.equal(threads[0]!.threadName, 'main');
      assert.match(threads[0]!.stringifiedThreadInfo, /^"main" Id=0 RUNNABLE\n/);
      const spinning = threads.find((thread) => thread.threadName === `worker-${worker.threadId}`);
      assert.ok(spinning, `no worker-${worker.threadId} in ${threads.map((t) => t.threadName).join(', ')}`);
      assert.match(spinning.stringifiedThreadInfo, /at spinForever/);
      assert.doesNotMatch(threads.map((t) => t.stringifiedThreadInfo).join('\n'), /node:internal\/process\/report/);
    } finally {
      await worker.terminate();
    }
  });
});
