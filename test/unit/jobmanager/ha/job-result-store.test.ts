import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Configuration } from '../../../../src/config/configuration.js';
import type { JobId } from '../../../../src/core/ids.js';
import { JobResultStore } from '../../../../src/jobmanager/ha/job-result-store.js';

const JOB = 'a1b2c3d4e5f60718293a4b5c6d7e8f90' as JobId;

function configuration(entries: Record<string, string>): Configuration {
  return Configuration.fromEntries(Object.entries(entries).map(([key, value]) => ({ key, value, origin: { kind: 'dynamic' } as const })));
}

describe('JobResultStore (job-result-store.*)', () => {
  const root = mkdtempSync(join(tmpdir(), 'jrs-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lives at {storageDir}/job-result-store/{cluster-id} unless job-result-store.storage-path names a directory', () => {
    const byDefault = JobResultStore.fromConfiguration(
      configuration({ 'high-availability.storageDir': `file://${root}/ha`, 'high-availability.cluster-id': '/cluster-7' }),
    );
    assert.equal(byDefault.dir, join(root, 'ha', 'job-result-store', 'cluster-7'));
    const configured = JobResultStore.fromConfiguration(
      configuration({ 'high-availability.storageDir': `file://${root}/ha`, 'job-result-store.storage-path': `file://${root}/results` }),
    );
    assert.equal(configured.dir, join(root, 'results'));
  });

  it("writes a result dirty, in Flink's format, and with delete-on-commit (the default) removes it once committed", async () => {
    const store = JobResultStore.fromConfiguration(configuration({ 'job-result-store.storage-path': join(root, 'deleting') }));
    await store.createDirtyResult(JOB, 'CANCELED', 1234);
    assert.deepEqual(readdirSync(store.dir), [`${JOB}_DIRTY.json`]);
    const written = JSON.parse(readFileSync(join(store.dir, `${JOB}_DIRTY.json`), 'utf8')) as unknown;
    assert.deepEqual(written, {
      result: { id: JOB, 'application-status': 'CANCELED', 'accumulator-results': {}, 'net-runtime': 1234 },
      version: 1,
    });
    assert.deepEqual(await store.entryOf(JOB), { jobId: JOB, status: 'CANCELED', dirty: true });
    assert.deepEqual(await store.dirtyResults(), [{ jobId: JOB, status: 'CANCELED', dirty: true }]);
    await store.markResultAsClean(JOB);
    assert.deepEqual(readdirSync(store.dir), []);
    assert.equal(await store.statusOf(JOB), undefined);
  });

  it('with delete-on-commit: false keeps a committed result as <job-id>.json, no longer dirty', async () => {
    const store = JobResultStore.fromConfiguration(
      configuration({ 'job-result-store.storage-path': join(root, 'keeping'), 'job-result-store.delete-on-commit': 'false' }),
    );
    await store.createDirtyResult(JOB, 'FINISHED');
    await store.markResultAsClean(JOB);
    assert.deepEqual(readdirSync(store.dir), [`${JOB}.json`]);
    assert.deepEqual(await store.entryOf(JOB), { jobId: JOB, status: 'FINISHED', dirty: false });
    assert.deepEqual(await store.dirtyResults(), []);
  });

  it("reads results tsflink wrote before it used Flink's format, and ignores files that are not results", async () => {
    const store = new JobResultStore(join(root, 'old'), true);
    await store.createDirtyResult(JOB, 'FAILED');
    writeFileSync(
      join(store.dir, 'b1b2c3d4e5f60718293a4b5c6d7e8f91.json'),
      JSON.stringify({ jobId: 'x', status: 'FINISHED', timestamp: 1 }),
    );
    writeFileSync(join(store.dir, 'c1b2c3d4e5f60718293a4b5c6d7e8f91_DIRTY.json'), 'not json');
    assert.equal(await store.statusOf('b1b2c3d4e5f60718293a4b5c6d7e8f91' as JobId), 'FINISHED');
    assert.deepEqual(await store.dirtyResults(), [{ jobId: JOB, status: 'FAILED', dirty: true }]);
  });
});
