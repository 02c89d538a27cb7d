import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitForProcessExit } from '../helpers/cluster-probes.js';
import { getJson, restUrlFrom, TestDist, waitFor, type ScriptResult } from '../helpers/test-dist.js';

const TOP_SPEED = 'org.apache.flink.streaming.examples.windowing.TopSpeedWindowing';
const JOB_LINE = /^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d : ([0-9a-f]{32}) : CarTopSpeedWindowingExample \(RUNNING\)$/;

/** The local directory of a `file:` savepoint path printed by the CLI. */
function savepointDirectory(output: string): string {
  const match = /^Savepoint completed\. Path: file:(\/\S+)$/m.exec(output);
  assert.ok(match !== null, `no savepoint path in:\n${output}`);
  return match[1]!;
}

describe('bin/flink against a Reactive Mode standalone job', () => {
  const dist = TestDist.create({ config: { 'heartbeat.interval': '500 ms', 'heartbeat.timeout': '5 s' } });
  const savepoints = join(dist.dir, 'savepoints');
  const flink = (...args: string[]): Promise<ScriptResult> => dist.run('flink', args);
  let restUrl = '';

  /** Starts the application cluster and waits until its job runs on the TaskManager. */
  async function startJob(): Promise<string> {
    const start = await dist.run('standalone-job.sh', [
      'start',
      '-Dscheduler-mode=reactive',
      '-Dexecution.checkpointing.interval=500ms',
      '-j',
      TOP_SPEED,
    ]);
    assert.equal(start.exitCode, 0, start.stderr);
    restUrl = restUrlFrom(start.stdout);
    const jobId = (await getJson<{ jobs: Array<{ id: string }> }>(restUrl, '/jobs')).jobs[0]!.id;
    await waitFor(
      'the job to run with a completed checkpoint',
      async () => {
        const checkpoints = await getJson<{ counts: { completed: number } }>(restUrl, `/jobs/${jobId}/checkpoints`);
        return checkpoints.counts.completed > 0 ? true : undefined;
      },
      40_000,
    );
    return jobId;
  }

  before(async () => {
    dist.writeConfig({ 'state.checkpoints.dir': join(dist.dir, 'checkpoints'), 'state.savepoints.dir': savepoints });
    dist.addExampleJar('TopSpeedWindowing');
    assert.equal((await dist.run('taskmanager.sh', ['start'])).exitCode, 0);
  });
  after(() => dist.destroy());

  it('lists, savepoints and cancels, finding the JobManager through its published address (rest.port 0)', async () => {
    const jobId = await startJob();
    const list = await flink('list');
    assert.equal(list.exitCode, 0, list.stderr);
    const lines = list.stdout.trim().split('\n');
    assert.deepEqual(
      [lines[0], lines[1], lines[3], lines[4]],
      [
        'Waiting for response...',
        '------------------ Running/Restarting Jobs -------------------',
        '--------------------------------------------------------------',
        'No scheduled jobs.',
      ],
    );
    assert.equal(JOB_LINE.exec(lines[2]!)?.[1], jobId, lines[2]);
    assert.equal((await flink('list', '-s')).stdout.trim(), 'Waiting for response...\nNo scheduled jobs.');
    const port = new URL(restUrl).port;
    const listAt = await flink('list', '-r', '-m', `localhost:${port}`);
    assert.match(listAt.stdout, new RegExp(JOB_LINE.source, 'm'), listAt.stderr);
    // -D overrides the configuration of any action, as -m does: here the port the configuration leaves at 0.
    for (const args of [[`-Drest.port=${port}`], ['-D', `rest.port=${port}`]]) {
      const listD = await flink('list', ...args);
      assert.equal(listD.exitCode, 0, listD.stderr);
      assert.match(listD.stdout, new RegExp(JOB_LINE.source, 'm'));
    }
    const wrongPort = await flink('list', '-Drest.port=1');
    assert.notEqual(wrongPort.exitCode, 0);
    assert.match(wrongPort.stderr, /http:\/\/localhost:1 /, 'the -D value is the address tried');

    const savepoint = await flink('savepoint', jobId);
    assert.equal(savepoint.exitCode, 0, savepoint.stderr);
    assert.match(
      savepoint.stdout,
      new RegExp(`^Triggering savepoint for job ${jobId}\\.\\nWaiting for response\\.\\.\\.\\nSavepoint completed\\. Path: file:`),
    );
    const defaultDirectory = savepointDirectory(savepoint.stdout);
    assert.match(savepoint.stdout, /\nYou can resume your program from this savepoint with the run command\.\n?$/);
    assert.ok(defaultDirectory.startsWith(`${savepoints}/savepoint-${jobId.slice(0, 6)}-`), defaultDirectory);
    assert.ok(existsSync(join(defaultDirectory, '_metadata')));
    const explicit = join(dist.dir, 'explicit-savepoints');
    const savepointInto = await flink('savepoint', jobId, explicit);
    assert.equal(savepointInto.exitCode, 0, savepointInto.stderr);
    assert.ok(existsSync(join(savepointDirectory(savepointInto.stdout), '_metadata')));
    assert.equal(readdirSync(explicit).length, 1);

    const [pid] = dist.pids('standalonejob');
    const cancel = await flink('cancel', jobId);
    assert.equal(cancel.exitCode, 0, cancel.stderr);
    assert.equal(cancel.stdout, `Cancelling job ${jobId}.\nCancelled job ${jobId}.`);
    assert.ok(await waitForProcessExit(pid!, 20_000), 'the JobManager exits with its canceled job');
    assert.match(dist.log('standalonejob', 0), /to CANCELED\./);
  });

  it('fails in one line with a non-zero exit, and prints the usage for an unknown action', async () => {
    const unknownAction = await flink('frobnicate');
    assert.equal(unknownAction.exitCode, 1);
    assert.match(unknownAction.stdout, /^"frobnicate" is not a valid action\.\n\nUsage: flink <action>/);
    const badId = await flink('cancel', 'not-a-job');
    assert.notEqual(badId.exitCode, 0);
    assert.equal(badId.stderr.trim().split('\n').length, 1, badId.stderr);
    assert.match(badId.stderr, /invalid job id 'not-a-job'/);
    const noJobManager = await flink('list');
    assert.notEqual(noJobManager.exitCode, 0, 'the JobManager of the last test has exited');
    assert.equal(noJobManager.stderr.trim().split('\n').length, 1, noJobManager.stderr);
    assert.match(noJobManager.stderr, /No running JobManager found/);
    const unknownOption = await flink('stop', '--nope', '0'.repeat(32));
    assert.notEqual(unknownOption.exitCode, 0);
    assert.match(unknownOption.stderr, /unknown option '--nope'/);
  });

  it('stops the job with a savepoint: the job ends FINISHED and the JobManager exits', async () => {
    const jobId = await startJob();
    const missing = await flink('cancel', '0'.repeat(32));
    assert.notEqual(missing.exitCode, 0);
    assert.match(missing.stderr, /HTTP 404/);
    const [pid] = dist.pids('standalonejob').slice(-1);
    const target = join(dist.dir, 'final-savepoint');
    const stop = await flink('stop', '-p', target, '--drain', jobId);
    assert.equal(
      stop.exitCode,
      0,
      `${stop.stderr}\n--- JobManager log ---\n${dist.log('standalonejob', 1).split('\n').slice(-40).join('\n')}`,
    );
    assert.match(
      stop.stdout,
      new RegExp(
        `^Triggering stop-with-savepoint for job ${jobId}\\.\\nWaiting for response\\.\\.\\.\\nSavepoint completed\\. Path: file:${target}/savepoint-`,
      ),
    );
    assert.ok(existsSync(join(savepointDirectory(stop.stdout), '_metadata')));
    assert.ok(await waitForProcessExit(pid!, 20_000), 'the JobManager exits once its job finished');
    const log = dist.log('standalonejob', 1);
    assert.match(log, new RegExp(`\\(${jobId}\\) switched from state RUNNING to FINISHED\\.`));
    assert.match(log, /Triggering synchronous savepoint \d+ @ \d+ for job \w+, draining the sources first\./);
  });
});
