import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { JobId } from '../../../../src/core/ids.js';
import type { Dispatcher } from '../../../../src/jobmanager/dispatcher/dispatcher.js';
import { GlobalJobCleanup } from '../../../../src/jobmanager/ha/global-job-cleanup.js';
import { recoverJobGraphs } from '../../../../src/jobmanager/ha/job-graph-recovery.js';
import { JobResultStore } from '../../../../src/jobmanager/ha/job-result-store.js';
import { ZooKeeperJobGraphStore } from '../../../../src/jobmanager/ha/zookeeper-job-graph-store.js';
import { FakeZooKeeper } from './fake-zookeeper.js';

const ENDED = 'a1b2c3d4e5f60718293a4b5c6d7e8f90' as JobId;
const BROKEN = 'b1b2c3d4e5f60718293a4b5c6d7e8f91' as JobId;

describe('recovering a session’s jobs at a leadership grant', () => {
  const root = mkdtempSync(join(tmpdir(), 'jgr-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  /** A store holding two jobs: one that ended (its result is recorded) and one whose archive is no job. */
  async function setUp(name: string): Promise<{ zookeeper: FakeZooKeeper; store: ZooKeeperJobGraphStore; cleanup: GlobalJobCleanup }> {
    const zookeeper = new FakeZooKeeper();
    const store = new ZooKeeperJobGraphStore(zookeeper.client, join(root, name, 'graphs'));
    const results = new JobResultStore(join(root, name, 'results'), false);
    const defaults = { parallelism: 1, maxParallelism: 128, autoWatermarkIntervalMs: 200, checkpointIntervalMs: 500, bufferTimeoutMs: 100 };
    for (const jobId of [ENDED, BROKEN]) {
      await store.put({
        jobId,
        jobName: jobId,
        fingerprint: 'f',
        archive: { fileName: 'job.js', mainClass: 'job', sha256: '', bytes: Buffer.from('export {};'), programArgs: [], defaults },
      });
    }
    await results.createDirtyResult(ENDED, 'FINISHED');
    await results.markResultAsClean(ENDED);
    return { zookeeper, store, cleanup: new GlobalJobCleanup(zookeeper.client, results, store) };
  }

  /** Runs recovery over a fresh store in `name`, with a dispatcher that records what it is given. */
  async function recoverIn(name: string, leading: boolean) {
    const { store, cleanup } = await setUp(name);
    const submitted: JobId[] = [];
    const dispatcher = { jobs: new Map(), submitJob: (s: { jobId: JobId }) => submitted.push(s.jobId) } as unknown as Dispatcher;
    const recovered = await recoverJobGraphs({
      dispatcher,
      jobGraphs: store,
      cleanup,
      workDir: join(root, name, 'work'),
      stillLeading: () => leading,
    });
    return { store, submitted, recovered };
  }

  it('removes the graph of a job that already ended instead of running it; a job that cannot be rebuilt is logged and left', async () => {
    const { store, submitted, recovered } = await recoverIn('ended', true);
    assert.deepEqual(recovered, []);
    assert.deepEqual(submitted, []);
    assert.deepEqual(await store.jobIds(), [BROKEN], 'the ended job is gone from /jobgraphs; the broken one is kept for a later try');
  });

  it('submits nothing once the leadership it runs for is gone', async () => {
    const { store, recovered } = await recoverIn('deposed', false);
    assert.deepEqual(recovered, []);
    assert.deepEqual((await store.jobIds()).sort(), [ENDED, BROKEN], 'nothing is touched either');
  });
});
