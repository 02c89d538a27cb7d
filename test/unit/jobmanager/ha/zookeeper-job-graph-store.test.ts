import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { JobId } from '../../../../src/core/ids.js';
import { GlobalJobCleanup } from '../../../../src/jobmanager/ha/global-job-cleanup.js';
import { JobResultStore } from '../../../../src/jobmanager/ha/job-result-store.js';
import { ZooKeeperJobGraphStore, type StoredJobGraph } from '../../../../src/jobmanager/ha/zookeeper-job-graph-store.js';
import { FakeZooKeeper } from './fake-zookeeper.js';

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90' as JobId;

function storedGraph(jobId: JobId): StoredJobGraph {
  return {
    jobId,
    jobName: 'Keyed counter',
    fingerprint: 'f00d',
    archive: {
      fileName: 'job.jar',
      mainClass: 'org.example.Job',
      sha256: 'abc',
      bytes: Buffer.from([0, 1, 2, 250, 255]),
      programArgs: ['--records', '10'],
      defaults: { parallelism: 2, maxParallelism: 128, autoWatermarkIntervalMs: 200, checkpointIntervalMs: 500, bufferTimeoutMs: 100 },
    },
    savepointPath: '/savepoints/sp-1',
  };
}

describe('ZooKeeperJobGraphStore and GlobalJobCleanup', () => {
  const root = mkdtempSync(join(tmpdir(), 'jgs-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps a small pointer in /jobgraphs/<job-id> and the job itself in a submittedJobGraph file under storageDir', async () => {
    const zookeeper = new FakeZooKeeper();
    const dir = join(root, 'store');
    const store = new ZooKeeperJobGraphStore(zookeeper.client, dir);
    await store.put(storedGraph(JOB));
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^submittedJobGraph[0-9a-f]{12}$/);
    assert.deepEqual(JSON.parse(zookeeper.nodes.get(`/jobgraphs/${JOB}`)!.toString()), { path: join(dir, files[0]!) });
    assert.deepEqual(await store.jobIds(), [JOB]);
    const recovered = await store.recover(JOB);
    assert.deepEqual(
      { ...recovered, archive: { ...recovered!.archive, bytes: [...recovered!.archive.bytes] } },
      {
        ...storedGraph(JOB),
        archive: { ...storedGraph(JOB).archive, bytes: [0, 1, 2, 250, 255] },
      },
    );
    // Put again (the same job persisted anew): one file, the newest.
    await store.put(storedGraph(JOB));
    assert.equal(readdirSync(dir).length, 1);
    await store.remove(JOB);
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(await store.jobIds(), []);
    assert.equal(await store.recover(JOB), undefined);
  });

  it("cleans up a terminated job in Flink's order: result dirty, checkpoint pointers, job graph, result committed", async () => {
    const zookeeper = new FakeZooKeeper();
    const results = new JobResultStore(join(root, 'results'), false);
    const store = new ZooKeeperJobGraphStore(zookeeper.client, join(root, 'ordered'));
    await store.put(storedGraph(JOB));
    await zookeeper.put(`/jobs/${JOB}/checkpoints/0000000000000000003`, Buffer.from('{}'));
    const cleanup = new GlobalJobCleanup(zookeeper.client, results, store);
    const original = results.markResultAsClean.bind(results);
    const seenWhenCommitting: string[] = [];
    results.markResultAsClean = async (jobId) => {
      seenWhenCommitting.push(...zookeeper.nodes.keys(), ...(await results.dirtyResults()).map((entry) => `dirty ${entry.jobId}`));
      await original(jobId);
    };
    await cleanup.jobTerminated(JOB, 'FINISHED');
    assert.deepEqual(zookeeper.log.slice(-2), [`remove /jobs/${JOB}`, `remove /jobgraphs/${JOB}`]);
    assert.deepEqual(seenWhenCommitting, [`dirty ${JOB}`], 'committed only after every ZooKeeper node of the job was gone');
    assert.deepEqual(await results.entryOf(JOB), { jobId: JOB, status: 'FINISHED', dirty: false });
  });

  it('a new leader finishes the cleanup an earlier leader left dirty', async () => {
    const zookeeper = new FakeZooKeeper();
    const results = new JobResultStore(join(root, 'left-dirty'), true);
    const store = new ZooKeeperJobGraphStore(zookeeper.client, join(root, 'left-dirty-graphs'));
    await store.put(storedGraph(JOB));
    await results.createDirtyResult(JOB, 'CANCELED');
    await new GlobalJobCleanup(zookeeper.client, results, store).finishDirtyCleanups();
    assert.deepEqual(await store.jobIds(), []);
    assert.deepEqual(readdirSync(join(root, 'left-dirty-graphs')), []);
    assert.equal(await results.entryOf(JOB), undefined);
  });
});
