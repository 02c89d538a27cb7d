import assert from 'node:assert/strict';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { FLINK_HOME, TestDist } from '../helpers/test-dist.js';

// In a container the CLI is PID 1, where the kernel ignores a signal without a handler.
describe('the CLI as PID 1 of a container', () => {
  const dist = TestDist.create();
  after(() => dist.destroy());

  it('ends on SIGTERM while it is still waiting to start its daemon', async () => {
    assert.equal(process.getuid?.(), 0, 'this test makes a PID namespace, which needs root (npm test runs as root)');
    // A lock on the pid file that pid 1 (the CLI itself, in its namespace) holds: its start waits on it.
    writeFileSync(`${dist.pidFile('taskexecutor')}.lock`, '1');
    const child = execa('unshare', ['--pid', '--fork', '--mount-proc', join(FLINK_HOME, 'bin', 'taskmanager.sh'), 'start-foreground'], {
      env: dist.env,
      reject: false,
    });
    const exited = child.then(() => true);
    const deadline = Date.now() + 20_000;
    let ended = false;
    // The CLI may not have installed its handler when the first signal comes: repeat until it ends.
    // Without the handler it would wait out the lock (30 s) and only then fail.
    while (!ended && Date.now() < deadline) {
      for (const pid of await cliPids(child.pid!)) process.kill(pid, 'SIGTERM');
      ended = await Promise.race([exited, sleep(200).then(() => false)]);
    }
    assert.ok(ended, 'the CLI ignored SIGTERM as PID 1');
    const result = await child;
    assert.doesNotMatch(String(result.stdout), /Starting taskexecutor/);
  });
});

/** The pids, as this namespace sees them, of the node processes under `unshare` (the CLI is PID 1 in its own). */
async function cliPids(unsharePid: number): Promise<number[]> {
  const listing = await execa('ps', ['-o', 'pid=,args=', '--ppid', String(unsharePid)], { reject: false });
  return String(listing.stdout)
    .split('\n')
    .filter((line) => line.includes('dist/src/cli/main.js'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
