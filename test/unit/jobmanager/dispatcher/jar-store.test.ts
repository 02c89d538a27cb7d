import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JarStore } from '../../../../src/jobmanager/dispatcher/jars/jar-store.js';
import { JarRequestError } from '../../../../src/rpc/gateways/jar-gateway.js';

describe('the uploaded jars of a JobManager', () => {
  const root = mkdtempSync(join(tmpdir(), 'jar-store-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('stores each upload privately under a fresh id, lists it and removes it', async () => {
    const store = new JarStore(join(root, 'a', 'flink-web-upload'));
    const path = await store.add('some/dir/My Job.jar', Buffer.from('not really a zip'));
    assert.equal(statSync(join(root, 'a', 'flink-web-upload')).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const [jar] = await store.list();
    assert.equal(jar!.name, 'My Job.jar');
    assert.match(jar!.id, /^[0-9a-f-]{36}_My Job\.jar$/);
    assert.deepEqual(jar!.entry, [], 'a file that is no zip is listed without entry classes');
    assert.equal(await store.path(jar!.id), path);
    await store.remove(jar!.id);
    assert.deepEqual(readdirSync(join(root, 'a', 'flink-web-upload')), []);
  });

  it('refuses names that are not jars and ids that are not its own', async () => {
    const store = new JarStore(join(root, 'b'));
    await assert.rejects(
      store.add('job.zip', Buffer.from('x')),
      (e: unknown) => e instanceof JarRequestError && e.message === 'Only Jar files are allowed.',
    );
    for (const id of ['../b/x.jar', '00000000-0000-0000-0000-000000000000_../../x.jar', 'x.jar', '']) {
      await assert.rejects(
        store.path(id),
        (e: unknown) => e instanceof JarRequestError && e.failure === 'NOT_FOUND' && /does not exist/.test(e.message),
        id,
      );
    }
  });
});
