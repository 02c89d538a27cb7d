import type { TestDist } from '../../test/helpers/test-dist.js';

/** The TaskManager faults the chaos driver injects, and the start that adds a TaskManager. */
export type ChaosEventKind = 'start' | 'stop' | 'kill' | 'freeze-short' | 'freeze-long';

/** Every TaskManager event kind, for counting. */
export const TASKMANAGER_EVENT_KINDS: readonly ChaosEventKind[] = ['start', 'stop', 'kill', 'freeze-short', 'freeze-long'];

/** A deterministic pseudo-random source (mulberry32), so a seed replays the same run of faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The TaskManagers the driver started and still considers alive (frozen ones included). */
export class ChaosFleet {
  readonly alive = new Set<number>();
  readonly frozen = new Set<number>();

  constructor(
    private readonly dist: TestDist,
    private readonly heartbeatTimeoutMs: number,
  ) {}

  async start(): Promise<void> {
    const before = new Set(this.dist.pids('taskexecutor'));
    const result = await this.dist.run('taskmanager.sh', ['start']);
    if (result.exitCode !== 0) throw new Error(`taskmanager.sh start failed: ${result.stderr}`);
    for (const pid of this.dist.pids('taskexecutor')) if (!before.has(pid)) this.alive.add(pid);
  }

  /** The kinds possible now, keeping 1 to 6 TaskManagers alive. */
  possible(): ChaosEventKind[] {
    const kinds: ChaosEventKind[] = [];
    if (this.alive.size < 6) kinds.push('start');
    const newest = this.dist.pids('taskexecutor').at(-1);
    // `stop` pops the newest pid-file line, as Flink's script does; only useful when that one runs.
    if (this.alive.size > 1 && newest !== undefined && this.alive.has(newest) && !this.frozen.has(newest)) kinds.push('stop');
    if (this.thawed().length > 1) kinds.push('kill', 'freeze-short', 'freeze-long');
    return kinds;
  }

  async apply(kind: ChaosEventKind, random: () => number): Promise<void> {
    switch (kind) {
      case 'start':
        return this.start();
      case 'stop':
        return this.stop();
      case 'kill':
        return this.kill(this.pick(random));
      case 'freeze-short':
        return this.freeze(this.pick(random), this.heartbeatTimeoutMs / 3);
      case 'freeze-long':
        return this.freeze(this.pick(random), this.heartbeatTimeoutMs * 1.6);
    }
  }

  /** Thaws everything and makes sure at least `count` TaskManagers run, so the job can finish. */
  async settle(count: number): Promise<void> {
    for (const pid of this.frozen) signal(pid, 'SIGCONT');
    this.frozen.clear();
    while (this.alive.size < count) await this.start();
  }

  private thawed(): number[] {
    return [...this.alive].filter((pid) => !this.frozen.has(pid));
  }

  private pick(random: () => number): number {
    const candidates = this.thawed();
    return candidates[Math.floor(random() * candidates.length)]!;
  }

  private async stop(): Promise<void> {
    const newest = this.dist.pids('taskexecutor').at(-1);
    await this.dist.run('taskmanager.sh', ['stop']);
    if (newest !== undefined) this.alive.delete(newest);
  }

  private kill(pid: number): void {
    signal(pid, 'SIGKILL');
    this.alive.delete(pid);
  }

  /** SIGSTOP for `ms` in the background, then SIGCONT: inside or beyond the heartbeat timeout. */
  private freeze(pid: number, ms: number): void {
    freezeFor(pid, ms, this.frozen);
  }
}

/** SIGSTOP now and SIGCONT after `ms`, in the background; `frozen` holds the pid meanwhile (a settle that thaws it first removes it). */
export function freezeFor(pid: number, ms: number, frozen: Set<number>): void {
  signal(pid, 'SIGSTOP');
  frozen.add(pid);
  setTimeout(() => {
    if (frozen.delete(pid)) signal(pid, 'SIGCONT');
  }, ms);
}

/** Sends `name` to `pid`, ignoring a process that is already gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
