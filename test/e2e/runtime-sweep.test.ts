import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { clusterRuntimeOf, waitForProcessExit } from '../helpers/cluster-probes.js';
import { TestDist } from '../helpers/test-dist.js';

describe('what kill -9 leaves in the runtime dir', () => {
  const dist = TestDist.create();
  after(() => dist.destroy());

  it('is removed by the next JobManager or TaskManager that starts', async () => {
    assert.equal((await dist.run('jobmanager.sh', ['start'])).exitCode, 0);
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
    const runtimeDir = clusterRuntimeOf(dist).dir;
    const left = readdirSync(runtimeDir).filter((name) => /^(jm|tm)-/.test(name));
    assert.ok(
      left.some((name) => /^tm-.*\.sock$/.test(name)),
      `a TaskManager data socket (${left.join(', ')})`,
    );
    assert.ok(
      left.some((name) => /^tm-/.test(name) && !name.endsWith('.sock')),
      `a TaskManager work dir (${left.join(', ')})`,
    );
    for (const pid of [...dist.pids('standalonesession'), ...dist.pids('taskexecutor')]) {
      process.kill(pid, 'SIGKILL');
      assert.ok(await waitForProcessExit(pid, 10_000), `pid ${pid} did not die`);
    }
    assert.deepEqual(
      readdirSync(runtimeDir).filter((name) => left.includes(name)),
      left,
      'kill -9 gave the processes no chance to clean up',
    );
    await dist.run('jobmanager.sh', ['stop-all']);
    await dist.run('taskmanager.sh', ['stop-all']);
    assert.equal((await dist.run('jobmanager.sh', ['start'])).exitCode, 0);
    assert.deepEqual(
      readdirSync(runtimeDir).filter((name) => left.includes(name)),
      [],
      "the new JobManager removed the dead processes' work dirs and sockets",
    );
    assert.match(dist.log('standalonesession', 0), /Removed what killed processes left in \S+: /);
  });
});
