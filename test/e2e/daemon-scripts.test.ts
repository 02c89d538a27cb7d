import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { getJson, restUrlFrom, TestDist, waitFor } from '../helpers/test-dist.js';

const DEAD_PID = 999_999;

describe('daemon script semantics', () => {
  const dists: TestDist[] = [];
  const newDist = (config: Record<string, string | number | boolean> = {}): TestDist => {
    const dist = TestDist.create({ config });
    dists.push(dist);
    return dist;
  };
  after(async () => {
    await Promise.all(dists.map((d) => d.destroy()));
  });

  it('prints the usage and exits 1 for an unknown verb, and standalone-job.sh has no stop-all', async () => {
    const dist = newDist();
    const tm = await dist.run('taskmanager.sh', ['restart']);
    assert.equal(tm.exitCode, 1);
    assert.equal(tm.stdout.trim(), 'Usage: taskmanager.sh (start|start-foreground|stop|stop-all)');
    const job = await dist.run('standalone-job.sh', ['stop-all']);
    assert.equal(job.exitCode, 1);
    assert.equal(job.stdout.trim(), 'Usage: standalone-job.sh ((start|start-foreground))|stop [args]');
  });

  it('refuses a bad -D value in one line before starting anything', async () => {
    const dist = newDist();
    const result = await dist.run('jobmanager.sh', ['start', '-Dtaskmanager.numberOfTaskSlots=0']);
    assert.equal(result.exitCode, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0]!, /taskmanager\.numberOfTaskSlots/);
    assert.match(lines[0]!, /-D/);
    assert.equal(existsSync(dist.pidFile('standalonesession')), false, 'no process was started');
  });

  it('refuses Reactive Mode for a session cluster in one line before starting anything', async () => {
    const dist = newDist();
    const result = await dist.run('jobmanager.sh', ['start', '-Dscheduler-mode=reactive']);
    assert.equal(result.exitCode, 1);
    assert.deepEqual(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /reactive mode is only supported by standalone application clusters \(bin\/standalone-job\.sh\)/);
    assert.equal(existsSync(dist.pidFile('standalonesession')), false, 'no process was started');
  });

  it('refuses a bad value in config.yaml naming the file and line', async () => {
    const dist = newDist({ 'heartbeat.interval': 'soon' });
    const result = await dist.run('taskmanager.sh', ['start']);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /heartbeat\.interval/);
    assert.match(result.stderr, /config\.yaml:\d+/);
    assert.deepEqual(dist.pids('taskexecutor'), []);
  });

  it('refuses a config.yaml that is a directory, and a pid or log dir that is a file, in one line each', async () => {
    const dist = newDist();
    const notADir = join(dist.dir, 'a-file');
    writeFileSync(notADir, '');
    for (const [env, pattern] of [
      [
        { FLINK_PID_DIR: notADir },
        /^The pid directory .*a-file \(FLINK_PID_DIR or env\.pid\.dir\) is not a usable directory: a file is in the way/,
      ],
      [
        { FLINK_LOG_DIR: notADir },
        /^The log directory .*a-file \(FLINK_LOG_DIR or env\.log\.dir\) is not a usable directory: a file is in the way/,
      ],
    ] as const) {
      const result = await dist.run('jobmanager.sh', ['start'], env);
      assert.equal(result.exitCode, 1);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, pattern);
    }
    rmSync(join(dist.confDir, 'config.yaml'));
    mkdirSync(join(dist.confDir, 'config.yaml'));
    const result = await dist.run('jobmanager.sh', ['start']);
    assert.equal(result.exitCode, 1);
    assert.equal(
      result.stderr.trim(),
      `Cannot read the configuration file ${join(dist.confDir, 'config.yaml')}: it is a directory; make it a readable YAML file or remove it.`,
    );
    assert.deepEqual(dist.pids('standalonesession'), [], 'nothing started');
  });

  it('names the key a mistyped -D meant on the terminal, before anything starts', async () => {
    const dist = newDist();
    const result = await dist.run('jobmanager.sh', ['start', '-Dheartbeat.timeuot=5 s']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr.trim(), "[WARN] Unknown configuration key 'heartbeat.timeuot' (from -D); did you mean 'heartbeat.timeout'?");
    assert.match(dist.log('standalonesession', 0), /did you mean 'heartbeat\.timeout'\?/);
  });

  it('writes a -D value with a newline as one escaped log line', async () => {
    const dist = newDist();
    const result = await dist.run('jobmanager.sh', ['start', '-Dmy.note=first\n2026-12-03 10:00:00,000 INFO  forged - line']);
    assert.equal(result.exitCode, 0, result.stderr);
    const log = dist.log('standalonesession', 0);
    assert.match(log, /Loading configuration property: my\.note, first\\n2026-12-03 10:00:00,000 INFO {2}forged - line\n/);
    assert.doesNotMatch(log, /^2026-12-03 10:00:00,000 INFO {2}forged/m);
  });

  it('rotates the .out file like the .log file when an instance starts again', async () => {
    const dist = newDist();
    for (let run = 0; run < 3; run++) {
      assert.equal((await dist.run('jobmanager.sh', ['start'])).exitCode, 0);
      assert.equal((await dist.run('jobmanager.sh', ['stop'])).exitCode, 0);
    }
    const files = readdirSync(dist.logDir)
      .filter((f) => f.includes('-standalonesession-0-'))
      .sort();
    assert.deepEqual(
      files.map((f) => f.slice(f.search(/\.(log|out)/))),
      ['.log', '.log.1', '.log.2', '.out', '.out.1', '.out.2'],
    );
  });

  it('counts stale pid lines for the instance id and stops nothing else when the newest is dead', async () => {
    const dist = newDist({ 'heartbeat.interval': '200 ms', 'heartbeat.timeout': '2 s' });
    const jm = await dist.run('jobmanager.sh', ['start']);
    assert.equal(jm.exitCode, 0, jm.stderr);
    writeFileSync(dist.pidFile('taskexecutor'), `${DEAD_PID}\n`);
    const tm = await dist.run('taskmanager.sh', ['start']);
    assert.equal(tm.exitCode, 0, tm.stderr);
    assert.doesNotMatch(tm.stdout, /already running/, 'a dead pid is not a running instance');
    assert.ok(dist.log('taskexecutor', 1).includes('Successful registration'), 'the stale line made this instance 1');
    const live = dist.pids('taskexecutor')[1]!;
    writeFileSync(dist.pidFile('taskexecutor'), `${DEAD_PID}\n${live}\n${DEAD_PID}\n`);
    const stop = await dist.run('taskmanager.sh', ['stop']);
    assert.match(stop.stdout, new RegExp(`No taskexecutor daemon \\(pid: ${DEAD_PID}\\) is running anymore on`));
    assert.doesNotThrow(() => process.kill(live, 0), 'the live TaskManager was not stopped');
    const stopAll = await dist.run('taskmanager.sh', ['stop-all']);
    assert.match(stopAll.stdout, new RegExp(`Skipping taskexecutor daemon \\(pid: ${DEAD_PID}\\), because it is not running anymore on`));
    assert.match(stopAll.stdout, new RegExp(`Stopping taskexecutor daemon \\(pid: ${live}\\)`));
  });

  it('runs two clusters side by side with their own conf dirs and ports', async () => {
    const a = newDist();
    const b = newDist();
    const [jmA, jmB] = await Promise.all([a.run('jobmanager.sh', ['start']), b.run('jobmanager.sh', ['start'])]);
    assert.equal(jmA.exitCode, 0, jmA.stderr);
    assert.equal(jmB.exitCode, 0, jmB.stderr);
    await Promise.all([a.run('taskmanager.sh', ['start']), b.run('taskmanager.sh', ['start']), b.run('taskmanager.sh', ['start'])]);
    const [urlA, urlB] = [restUrlFrom(jmA.stdout), restUrlFrom(jmB.stdout)];
    assert.notEqual(urlA, urlB);
    assert.equal((await getJson<{ taskmanagers: number }>(urlA, '/overview')).taskmanagers, 1);
    assert.equal((await getJson<{ taskmanagers: number }>(urlB, '/overview')).taskmanagers, 2);
  });

  it('reports a JobManager that cannot start, with the end of its log, and exits non-zero', async () => {
    const dist = newDist();
    const first = await dist.run('jobmanager.sh', ['start']);
    const port = new URL(restUrlFrom(first.stdout)).port;
    const other = newDist({ 'rest.port': Number(port) });
    const second = await other.run('jobmanager.sh', ['start']);
    assert.notEqual(second.exitCode, 0);
    assert.match(second.stderr, /Error starting standalonesession daemon/);
    assert.match(second.stderr, /last lines of .*\.log/);
    assert.deepEqual(other.pids('standalonesession'), [], 'the failed start took its pid line back');
    const again = await other.run('jobmanager.sh', ['start']);
    assert.notEqual(again.exitCode, 0);
    assert.doesNotMatch(again.stdout, /already running/, 'the failed process is not counted as running');
  });

  it('start-foreground stays attached, logs to the console and can be stopped with stop', async () => {
    const dist = newDist();
    const child = dist.startForeground('jobmanager.sh');
    let output = '';
    child.all?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor('the console JobManager to log its REST endpoint', () => (/Rest endpoint listening/.test(output) ? true : undefined));
    assert.match(output, /Starting standalonesession as a console application on host/);
    assert.equal(dist.pids('standalonesession').length, 1);
    const stop = await dist.run('jobmanager.sh', ['stop']);
    assert.match(stop.stdout, /Stopping standalonesession daemon/);
    const result = await child;
    assert.equal(result.exitCode, 0);
  });

  it('start-cluster.sh starts one TaskManager per workers line and stop-cluster.sh stops them all', async () => {
    const dist = newDist();
    writeFileSync(join(dist.confDir, 'workers'), '# two workers on this host\nlocalhost\n/rack1/localhost\n\n');
    const start = await dist.run('start-cluster.sh');
    assert.equal(start.exitCode, 0, start.stderr);
    assert.match(start.stdout, /^Starting cluster\.$/m);
    const url = restUrlFrom(start.stdout);
    assert.equal((await getJson<{ taskmanagers: number }>(url, '/overview')).taskmanagers, 2);
    const stop = await dist.run('stop-cluster.sh');
    assert.equal(stop.exitCode, 0, stop.stderr);
    assert.equal((stop.stdout.match(/Stopping taskexecutor daemon/g) ?? []).length, 2);
    assert.match(stop.stdout, /Stopping standalonesession daemon/);
    assert.deepEqual(dist.pids('taskexecutor'), []);
  });

  it('start-cluster.sh and stop-cluster.sh print their usage on --help and refuse other arguments', async () => {
    const dist = newDist();
    for (const script of ['start-cluster.sh', 'stop-cluster.sh']) {
      const help = await dist.run(script, ['--help']);
      assert.equal(help.exitCode, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`^Usage: ${script.replace('.', '\\.')}\n`));
      const bad = await dist.run(script, ['--bogus']);
      assert.equal(bad.exitCode, 1);
      assert.equal(bad.stderr.trim(), `${script} takes no arguments, got '--bogus' (see ${script} --help).`);
    }
    assert.deepEqual(dist.pids('standalonesession'), [], 'nothing started');
  });

  it('start-cluster.sh without a workers file says so and fails', async () => {
    const dist = newDist();
    const result = await dist.run('start-cluster.sh');
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /No workers file\. Please specify workers in 'conf\/workers'\./);
  });
});
