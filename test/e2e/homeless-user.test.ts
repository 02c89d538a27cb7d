import assert from 'node:assert/strict';
import { execa } from 'execa';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FLINK_HOME } from '../helpers/test-dist.js';

// A container run under a user id with no passwd entry and no HOME (Kubernetes runAsUser,
// OpenShift's random uids): os.homedir() throws there, which once crashed every script at load.
describe('a user with no passwd entry and no HOME', () => {
  it('still gets answers from the bin/ scripts, not a crash', async () => {
    assert.equal(process.getuid?.(), 0, 'this test switches to another uid, which needs root (npm test runs as root)');
    const run = (script: string, args: readonly string[]) =>
      execa(
        'setpriv',
        ['--reuid', '54321', '--regid', '54321', '--clear-groups', 'env', '-u', 'HOME', join(FLINK_HOME, 'bin', script), ...args],
        {
          reject: false,
          env: { NO_COLOR: '1' },
          cwd: '/',
        },
      );
    // As Flink's, the script answers an unknown verb with its usage.
    const help = await run('taskmanager.sh', ['--help']);
    assert.match(help.stdout, /^Usage: taskmanager\.sh \(start\|start-foreground\|stop\|stop-all\)/);
    assert.equal(help.stderr, '');
    const list = await run('flink', ['list', '-m', 'localhost:1']);
    assert.equal(list.exitCode, 1);
    assert.doesNotMatch(list.stderr, /homedir|ERR_SYSTEM_ERROR|\n\s+at /);
    assert.equal(list.stderr.trim().split('\n').length, 1, list.stderr);
  });
});
