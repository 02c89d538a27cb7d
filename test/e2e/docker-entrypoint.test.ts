import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { parseAllDocuments } from 'yaml';
import { FLINK_HOME, getJson, TestDist, waitFor } from '../helpers/test-dist.js';
import { waitUntil } from '../helpers/wait-until.js';

const ENTRYPOINT = join(FLINK_HOME, 'docker-entrypoint.sh');
const KUBERNETES = join(FLINK_HOME, 'deploy', 'kubernetes');

/** One run of docker-entrypoint.sh, its output collected as it comes. */
class EntrypointRun {
  stdout = '';
  stderr = '';
  readonly child: ResultPromise<{ reject: false }>;

  constructor(command: readonly string[], env: Record<string, string>, cwd: string) {
    const [file, ...args] = command;
    this.child = execa(file!, args, { env, reject: false, cwd });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Resolves with the first match of `pattern` in the output once it appears. */
  async waitForOutput(pattern: RegExp, what: string, timeoutMs = 20_000): Promise<RegExpExecArray> {
    await waitUntil(() => pattern.test(this.output) || this.child.exitCode !== null, what, timeoutMs);
    const match = pattern.exec(this.output);
    if (match === null) throw new Error(`The process ended before ${what}:\n${this.output}`);
    return match;
  }

  /** The REST URL the JobManager logged on the console. */
  async restUrl(): Promise<string> {
    return (await this.waitForOutput(/Web frontend listening at (http:\/\/\S+?)\.?$/m, 'the REST endpoint'))[1]!;
  }
}

/**
 * A test cluster driven through docker-entrypoint.sh: a TestDist for its own conf, pid, log, lib
 * and tmp dirs, with conf/config.yaml a copy of the shipped one (or of a manifest's), and every
 * process it started killed by destroy(), whatever happened in the test.
 */
class EntrypointCluster {
  readonly dist = TestDist.create();
  private readonly runs: EntrypointRun[] = [];

  constructor(configYaml = readFileSync(join(FLINK_HOME, 'conf', 'config.yaml'), 'utf8')) {
    for (const name of readdirSync(join(FLINK_HOME, 'conf'))) copyFileSync(join(FLINK_HOME, 'conf', name), join(this.dist.confDir, name));
    writeFileSync(this.configFile, configYaml);
  }

  get configFile(): string {
    return join(this.dist.confDir, 'config.yaml');
  }

  /** What a container would have: FLINK_HOME, the dist's dirs, and FLINK_PROPERTIES with an ephemeral REST port and private tmp dirs first. */
  env(properties: readonly string[] = [], extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...this.dist.env,
      FLINK_HOME,
      TMPDIR: this.dist.tmpDir,
      FLINK_PROPERTIES: ['rest.port: 0', `io.tmp.dirs: ${this.dist.tmpDir}`, ...properties].join('\n'),
      ...extra,
    };
  }

  start(args: readonly string[], env: Record<string, string>, command: readonly string[] = [ENTRYPOINT]): EntrypointRun {
    const run = new EntrypointRun([...command, ...args], env, this.dist.dir);
    this.runs.push(run);
    return run;
  }

  async destroy(): Promise<void> {
    for (const run of this.runs) run.child.kill('SIGKILL');
    // The JobManager or TaskManager under a killed script holds its output pipes open, so a run
    // ends only once the dist has killed the processes of its pid files.
    await this.dist.destroy();
    await Promise.allSettled(this.runs.map((run) => run.child));
  }
}

interface ConfigEntry {
  key: string;
  value: string;
}

async function configOf(url: string): Promise<Map<string, string>> {
  return new Map((await getJson<ConfigEntry[]>(url, '/jobmanager/config')).map(({ key, value }) => [key, value]));
}

async function taskManagers(url: string): Promise<Array<{ id: string; slotsNumber: number }>> {
  return (await getJson<{ taskmanagers: Array<{ id: string; slotsNumber: number }> }>(url, '/taskmanagers')).taskmanagers;
}

describe('docker-entrypoint.sh without a container', () => {
  const clusters: EntrypointCluster[] = [];
  const newCluster = (configYaml?: string): EntrypointCluster => {
    const cluster = new EntrypointCluster(configYaml);
    clusters.push(cluster);
    return cluster;
  };
  after(async () => {
    await Promise.all(clusters.map((cluster) => cluster.destroy()));
  });

  it('prints its usage for help and exits 0, under sh (dash) and bash, leaving the config alone', async () => {
    const cluster = newCluster();
    const before = readFileSync(cluster.configFile, 'utf8');
    for (const shell of ['sh', 'bash']) {
      const result = await cluster.start(['help'], cluster.env(['heartbeat.timeout: 1 min']), [shell, ENTRYPOINT]).child;
      assert.equal(result.exitCode, 0, `${shell}: ${result.stderr}`);
      assert.match(result.stdout, /^Usage: docker-entrypoint\.sh \(jobmanager\|standalone-job\|taskmanager\|help\)$/m);
      assert.equal(result.stderr, '');
    }
    assert.equal(readFileSync(cluster.configFile, 'utf8'), before);
  });

  it('runs any other command with the prepared configuration, refuses the modes tsflink lacks and a malformed property', async () => {
    const cluster = newCluster();
    const env = cluster.env(['heartbeat.timeout: 1 min', 'execution.checkpointing.dir: file://${CHECKPOINTS}'], {
      CHECKPOINTS: '/data/chk',
    });
    const command = await cluster.start(['sh', '-c', 'cat "$FLINK_CONF_DIR/config.yaml"'], env).child;
    assert.equal(command.exitCode, 0, command.stderr);
    assert.match(command.stdout, /^heartbeat\.timeout: 1 min$/m, 'a value keeps its inner space');
    assert.match(command.stdout, /^execution\.checkpointing\.dir: file:\/\/\/data\/chk$/m, '$VARS in values are replaced');
    assert.match(command.stdout, /^ {2}port: "?0"?$/m, 'rest.port is set where the nested key is, not added twice');

    // A uid without a passwd entry may come without HOME; the commands passed through get one.
    const withoutHome = { ...cluster.env(), PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
    const home = await execa(ENTRYPOINT, ['sh', '-c', 'printf %s "$HOME"'], { env: withoutHome, extendEnv: false, reject: false });
    assert.equal(home.stdout, FLINK_HOME);

    const history = await cluster.start(['history-server'], cluster.env()).child;
    assert.equal(history.exitCode, 1);
    assert.match(history.stderr, /tsflink has no history-server/);

    const malformed = await cluster.start(['jobmanager'], cluster.env(['rest.port 8081'])).child;
    assert.equal(malformed.exitCode, 1);
    assert.equal(malformed.stderr.trim(), "FLINK_PROPERTIES line 'rest.port 8081' is not a 'key: value' pair.");
    assert.deepEqual(cluster.dist.pids('standalonesession'), [], 'nothing was started');
  });

  it('jobmanager and taskmanager: a session cluster with FLINK_PROPERTIES in its config, logs on the console, and a graceful stop on SIGTERM', async () => {
    const cluster = newCluster();
    // A long heartbeat timeout, so only the TaskManager's own goodbye can make the JobManager notice at once.
    const env = cluster.env(['heartbeat.timeout: 1 min', 'taskmanager.numberOfTaskSlots: ${SLOTS}', 'web.submit.enable: false'], {
      SLOTS: '2',
      ENABLE_BUILT_IN_PLUGINS: 'flink-s3-fs-hadoop-1.20.0.jar;flink-gs-fs-hadoop-1.20.0.jar',
    });
    const jobManager = cluster.start(['jobmanager'], env);
    const url = await jobManager.restUrl();
    assert.match(jobManager.stdout, /^Starting Job Manager$/m);
    assert.match(jobManager.stdout, /INFO {2}entrypoint - Starting StandaloneSessionClusterEntrypoint/, 'the log goes to the console');
    const pluginNotes = jobManager.stderr.split('\n').filter((line) => line.includes('ENABLE_BUILT_IN_PLUGINS'));
    assert.deepEqual(pluginNotes, [
      'ENABLE_BUILT_IN_PLUGINS is ignored: tsflink has no plugins (asked for: flink-s3-fs-hadoop-1.20.0.jar;flink-gs-fs-hadoop-1.20.0.jar).',
    ]);
    const config = await configOf(url);
    assert.equal(config.get('heartbeat.timeout'), '1 min');
    assert.equal(config.get('web.submit.enable'), 'false');
    assert.equal(config.get('rest.port'), '0');
    assert.equal(config.get('taskmanager.numberOfTaskSlots'), '2');
    assert.equal((await getJson<{ taskmanagers: number }>(url, '/overview')).taskmanagers, 0);

    const taskManager = cluster.start(['taskmanager'], env);
    const [registered] = await waitFor('the TaskManager to register', async () => {
      const list = await taskManagers(url);
      return list.length === 1 ? list : undefined;
    });
    assert.equal(registered!.slotsNumber, 2, 'FLINK_PROPERTIES reached the TaskManager too');
    await taskManager.waitForOutput(/Successful registration at resource manager/, 'the registration on the console');
    assert.match(taskManager.stdout, /^Starting Task Manager$/m);

    const stoppedAt = Date.now();
    taskManager.child.kill('SIGTERM');
    await waitFor('the JobManager to drop the TaskManager', async () => ((await taskManagers(url)).length === 0 ? true : undefined));
    const noticedMs = Date.now() - stoppedAt;
    assert.ok(noticedMs < 5_000, `the JobManager noticed the stop in ${noticedMs} ms, not after the 1 min heartbeat timeout`);
    const ended = await taskManager.child;
    assert.equal(ended.exitCode, 0, taskManager.output);
    assert.match(taskManager.stdout, /RECEIVED SIGNAL SIGTERM: shutting down as requested/);
    assert.match(taskManager.stdout, /Stopping TaskExecutor \S+: received SIGTERM/);
    await jobManager.waitForOutput(/TaskManager \S+ lost: TaskManager stopped/, 'the JobManager to log the stop');

    jobManager.child.kill('SIGTERM');
    const jobManagerEnded = await jobManager.child;
    assert.equal(jobManagerEnded.exitCode, 0, jobManager.output);
    assert.match(jobManager.stdout, /Terminating cluster entrypoint process StandaloneSessionClusterEntrypoint with exit code 0/);
  });

  it('copies a read-only conf dir, as Kubernetes mounts a ConfigMap, before setting FLINK_PROPERTIES', async () => {
    const cluster = newCluster();
    const before = readFileSync(cluster.configFile, 'utf8');
    // A private mount namespace in which the conf dir is a read-only bind mount, as a ConfigMap volume is.
    const readOnly = ['unshare', '--mount', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', cluster.dist.confDir, ENTRYPOINT];
    const jobManager = cluster.start(['jobmanager'], cluster.env(['heartbeat.timeout: 42 s']), readOnly);
    const url = await jobManager.restUrl();
    assert.match(jobManager.stdout, /The configuration directory \S+ is read-only: using a copy in \S+\./);
    assert.equal((await configOf(url)).get('heartbeat.timeout'), '42 s');
    assert.equal(readFileSync(cluster.configFile, 'utf8'), before, 'the mounted config is untouched');
  });

  it("standalone-job and taskmanager run the example job with the Kubernetes manifests' arguments and configuration", async () => {
    const manifests = loadManifests();
    const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'flink-config')!;
    const cluster = newCluster(configMap.data!['config.yaml']);
    const jobPod = manifests.find((m) => m.kind === 'Job')!.spec!.template!.spec!;
    const taskManagerPod = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'flink-taskmanager')!.spec!.template!.spec!;
    const secret = join(cluster.dist.dir, 'cluster-secret');
    writeFileSync(secret, 'a'.repeat(64), { mode: 0o600 });
    const data = join(cluster.dist.dir, 'flink-data');
    // What only a cluster provides (Service names, fixed ports, the mounted volumes) is pointed at this host.
    const env = cluster.env([
      'jobmanager.rpc.address: localhost',
      'jobmanager.bind-host: localhost',
      'cluster.transport: auto',
      'taskmanager.bind-host: localhost',
      'taskmanager.data.port: 0',
      'rest.address: localhost',
      'rest.bind-address: localhost',
      `security.cluster-secret.file: ${secret}`,
      `execution.checkpointing.dir: file://${data}/checkpoints`,
      `execution.checkpointing.savepoint-dir: file://${data}/savepoints`,
      `high-availability.storageDir: file://${data}/ha`,
      'metrics.reporter.prom.port: 0',
      // Sooner than the manifest's 10 s, so a checkpoint completes before the test rescales.
      'execution.checkpointing.interval: 300 ms',
    ]);
    // Mount paths of the pods, mapped to this checkout and the dist's usrlib (beside its lib dir).
    const usrlib = join(cluster.dist.dir, 'usrlib');
    mkdirSync(usrlib);
    const local = (arg: string): string =>
      arg
        .replace('/opt/flink/usrlib', usrlib)
        .replace('/opt/flink', FLINK_HOME)
        .replace(/\$\((\w+)\)/g, (_, name: string) => ({ POD_IP: '127.0.0.1' })[name] ?? `$(${name})`);

    const init = await cluster.start(jobPod.initContainers![0]!.args!.map(local), env).child;
    assert.equal(init.exitCode, 0, init.stderr);
    assert.deepEqual(readdirSync(usrlib), ['TopSpeedWindowing.jar']);

    const jobManager = cluster.start(jobPod.containers[0]!.args!.map(local), env);
    const url = await jobManager.restUrl();
    const jobId = await waitFor('the job to be submitted', async () => {
      const jobs = (await getJson<{ jobs: Array<{ jid: string; name: string }> }>(url, '/jobs/overview')).jobs;
      return jobs[0]?.jid;
    });
    const taskManagerArgs = taskManagerPod.containers[0]!.args!.map(local);
    assert.deepEqual(taskManagerArgs, ['taskmanager', '-Dtaskmanager.host=127.0.0.1']);
    const runningAt = (parallelism: number): Promise<true> =>
      waitFor(`the job to run at parallelism ${parallelism}`, async () => {
        const job = await getJson<{ state: string; vertices: Array<{ parallelism: number; status: string }> }>(url, `/jobs/${jobId}`);
        const ok = job.state === 'RUNNING' && job.vertices.every((v) => v.parallelism === parallelism && v.status === 'RUNNING');
        return ok ? true : undefined;
      });
    const first = cluster.start(taskManagerArgs, env);
    await runningAt(1);
    await jobManager.waitForOutput(/Completed checkpoint \d+/, 'a checkpoint');
    const second = cluster.start(taskManagerArgs, env);
    await runningAt(2);
    assert.match(jobManager.output, /Restoring job \S+ from checkpoint/, 'the rescale restored a checkpoint on the shared volume');

    // The probes of the manifests, against the real endpoints.
    for (const probe of [jobPod.containers[0]!.readinessProbe!, jobPod.containers[0]!.livenessProbe!]) {
      const response = await fetch(`${url}${probe.httpGet!.path}`);
      assert.equal(response.status, 200, `JobManager probe ${probe.httpGet!.path}`);
    }
    const liveness = taskManagerPod.containers[0]!.livenessProbe!.httpGet!;
    assert.equal(liveness.port, 'metrics');
    const metricsPort = (await first.waitForOutput(/Started PrometheusReporter HTTP server on port (\d+)\./, 'the metrics endpoint'))[1]!;
    assert.equal((await fetch(`http://127.0.0.1:${metricsPort}${liveness.path}`)).status, 200, 'TaskManager liveness probe');

    // Kubernetes deletes a pod of a scaled-down Deployment with SIGTERM: the job scales down at once.
    second.child.kill('SIGTERM');
    assert.equal((await second.child).exitCode, 0);
    await runningAt(1);
  });
});

interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template?: { spec?: PodSpec } };
}

interface PodSpec {
  initContainers?: Container[];
  containers: Container[];
}

interface Container {
  args?: string[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

interface Probe {
  httpGet?: { path: string; port: number | string };
}

/** The documents of the application cluster's manifests. */
function loadManifests(): Manifest[] {
  return readdirSync(KUBERNETES)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) =>
      parseAllDocuments(readFileSync(join(KUBERNETES, name), 'utf8'), { version: '1.1' }).map((doc) => doc.toJS() as Manifest),
    );
}
