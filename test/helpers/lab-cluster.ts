import assert from 'node:assert/strict';
import type { ResultPromise } from 'execa';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkLab } from './network-lab.js';
import { FLINK_HOME, type ScriptResult, type TestDist } from './test-dist.js';

/**
 * The config of a cluster spread over the lab's hosts: the JobManager on host `jm` at a fixed port,
 * every endpoint bound to all interfaces, REST reachable from the test, a secret file the hosts
 * share and registration retried at least every second.
 */
export function labClusterConfig(lab: NetworkLab, dir: string): Record<string, string | number | boolean> {
  const secretFile = join(dir, 'cluster-secret');
  writeFileSync(secretFile, 'a secret the hosts of this test share\n', { mode: 0o600 });
  return {
    'jobmanager.rpc.address': lab.host('jm').address,
    'jobmanager.rpc.port': 6123,
    'jobmanager.bind-host': '0.0.0.0',
    'taskmanager.bind-host': '0.0.0.0',
    'rest.address': lab.host('jm').address,
    'rest.bind-address': '0.0.0.0',
    'security.cluster-secret.file': secretFile,
    'cluster.registration.max-timeout': '1 s',
  };
}

/** A dist whose hosts each keep their own pid and log dirs, as separate machines would. */
export class Hosts {
  constructor(
    readonly lab: NetworkLab,
    readonly dist: TestDist,
  ) {}

  dirOf(host: string, kind: 'pid' | 'log'): string {
    const dir = join(this.dist.dir, 'hosts', host, kind);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  env(host: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.dist.env, FLINK_PID_DIR: this.dirOf(host, 'pid'), FLINK_LOG_DIR: this.dirOf(host, 'log'), ...extra };
  }

  /** Runs `bin/<script>` on `host`, with the host's own pid and log dirs. */
  async script(host: string, script: string, args: readonly string[] = [], extra: Record<string, string> = {}): Promise<ScriptResult> {
    const result = await this.lab.run(host, join(FLINK_HOME, 'bin', script), args, this.env(host, extra));
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  }

  /** Starts `bin/<script> start-foreground args` on `host` and leaves it running; the lab's destroy() ends it. */
  startForeground(host: string, script: string, args: readonly string[] = []): ResultPromise {
    return this.lab.spawn(host, join(FLINK_HOME, 'bin', script), ['start-foreground', ...args], this.env(host));
  }

  async startTaskManager(host: string, extra: Record<string, string> = {}): Promise<void> {
    const result = await this.script(host, 'taskmanager.sh', ['start'], extra);
    assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  }

  /** Every `.log` file a host's processes wrote, joined. */
  logs(host: string): string {
    const dir = this.dirOf(host, 'log');
    return readdirSync(dir)
      .filter((name) => name.endsWith('.log'))
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('\n');
  }

  pids(host: string): number[] {
    const dir = this.dirOf(host, 'pid');
    return readdirSync(dir).flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map(Number),
    );
  }
}

/** Established connections to a TaskManager's Unix data socket, in `host`'s network namespace. */
export function unixDataConnections(lab: NetworkLab, host: string): number {
  const listing = execFileSync('ip', ['netns', 'exec', lab.host(host).namespace, 'ss', '-xH', 'state', 'established'], {
    encoding: 'utf8',
  });
  return listing.split('\n').filter((line) => /\/tm-[0-9a-f]{12}\.sock/.test(line)).length;
}

/** A conf dir of its own: the cluster's config.yaml with `changes` in place of its lines. */
export function confWith(hosts: Hosts, name: string, changes: Record<string, string | boolean>): string {
  const dir = join(hosts.dist.dir, name);
  mkdirSync(dir);
  const kept = readFileSync(join(hosts.dist.confDir, 'config.yaml'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !Object.keys(changes).some((key) => line.startsWith(`${key}:`)));
  const added = Object.entries(changes).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  writeFileSync(join(dir, 'config.yaml'), [...kept, ...added].join('\n') + '\n');
  return dir;
}

/** Resource id the JobManager registered the TaskManager of `host` under. */
export function resourceIdOn(hosts: Hosts, host: string): string {
  const address = hosts.lab.host(host).address.replace(/\./g, '\\.');
  return new RegExp(`Registering TaskManager with ResourceID (\\S+) \\(${address}:\\d+\\)`).exec(hosts.logs('jm'))![1]!;
}
