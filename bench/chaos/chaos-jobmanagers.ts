import { processExists } from '../../test/helpers/cluster-probes.js';
import type { TestDist } from '../../test/helpers/test-dist.js';
import { freezeFor, signal } from './chaos-events.js';

/** The JobManager faults of a run with ZooKeeper HA, and the start that brings a JobManager back. */
export type JobManagerEventKind = 'jm-start' | 'jm-stop' | 'jm-kill' | 'jm-freeze-short' | 'jm-freeze-long';

/** Every JobManager event kind, for counting. */
export const JOBMANAGER_EVENT_KINDS: readonly JobManagerEventKind[] = [
  'jm-start',
  'jm-stop',
  'jm-kill',
  'jm-freeze-short',
  'jm-freeze-long',
];

const GRANTED = 'was granted leadership with leader session id';
const DEPOSED = 'is no longer the leader';

/**
 * The JobManagers of a chaos run under ZooKeeper HA: up to `count` of them, each started by
 * `standalone-job.sh start` for the same job (a fixed job id), one elected, the others standing by.
 * Faults pick the leader (the first always, later ones two times in three), so failovers are frequent; the last running
 * JobManager is never stopped, killed or frozen. A JobManager that exits by itself ends the run:
 * the job is over (finish() tells whether it succeeded).
 */
export class ChaosJobManagers {
  readonly alive = new Set<number>();
  readonly frozen = new Set<number>();
  /** Faults that hit the JobManager leading at that moment. */
  leaderHits = 0;
  /** JobManagers that exited without being stopped or killed. */
  private readonly ended: number[] = [];

  constructor(
    private readonly dist: TestDist,
    private readonly startArgs: readonly string[],
    private readonly count: number,
    private readonly sessionTimeoutMs: number,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Starts one more JobManager; it joins the election as a standby unless nobody leads. */
  async start(): Promise<void> {
    const before = new Set(this.dist.pids('standalonejob'));
    const result = await this.dist.run('standalone-job.sh', ['start', ...this.startArgs]);
    if (result.exitCode !== 0) throw new Error(`standalone-job.sh start failed: ${result.stderr}`);
    for (const pid of this.dist.pids('standalonejob')) if (!before.has(pid)) this.alive.add(pid);
    this.log(`jm-start: ${this.alive.size} JobManager(s) running.`);
  }

  /** Whether a JobManager ended by itself: the job is over, or a JobManager crashed. */
  get finished(): boolean {
    this.reap();
    return this.ended.length > 0;
  }

  /** The kinds possible now: a start below `count`; a fault while another JobManager runs. */
  possible(): JobManagerEventKind[] {
    if (this.finished) return [];
    const kinds: JobManagerEventKind[] = [];
    if (this.alive.size < this.count) kinds.push('jm-start');
    if (this.alive.size > 1 && this.thawed().length > 0) kinds.push('jm-kill', 'jm-stop', 'jm-freeze-short', 'jm-freeze-long');
    return kinds;
  }

  async apply(kind: JobManagerEventKind, random: () => number): Promise<void> {
    if (kind === 'jm-start') return this.start();
    const pid = this.pick(random);
    const leads = this.leads(pid);
    if (leads) this.leaderHits++;
    this.log(`${kind}: JobManager ${pid} (${leads ? 'the leader' : 'a standby'}).`);
    switch (kind) {
      case 'jm-kill':
        signal(pid, 'SIGKILL');
        this.alive.delete(pid);
        return;
      case 'jm-stop':
        // What `standalone-job.sh stop` sends, to any JobManager (the script stops only the newest).
        signal(pid, 'SIGTERM');
        this.alive.delete(pid);
        return;
      case 'jm-freeze-short':
        return this.freeze(pid, this.sessionTimeoutMs / 3);
      case 'jm-freeze-long':
        return this.freeze(pid, this.sessionTimeoutMs * 1.6);
    }
  }

  /**
   * Thaws every JobManager, starts one when none runs and the job is not over, and waits until every
   * JobManager has ended. Resolves with their logs; throws when one failed or nobody finished the job.
   */
  async finish(timeoutMs = 30 * 60_000): Promise<string> {
    for (const pid of this.frozen) signal(pid, 'SIGCONT');
    this.frozen.clear();
    if (!this.finished && this.alive.size === 0) await this.start();
    const deadline = Date.now() + timeoutMs;
    while (this.reap() > 0) {
      if (Date.now() > deadline) throw new Error(`the JobManagers ${[...this.alive].join(', ')} did not end within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const logs = this.dist.pids('standalonejob').map((_, instance) => this.dist.log('standalonejob', instance));
    if (!logs.some((log) => log.includes('Application completed SUCCESSFULLY')))
      throw new Error(`no JobManager completed the application:\n${logs.map((log) => log.slice(-1500)).join('\n---\n')}`);
    return logs.join('\n');
  }

  /**
   * Moves JobManagers that exited by themselves out of `alive`, throwing at once for one that did not
   * exit 0 (the run is lost); resolves with how many still run.
   */
  private reap(): number {
    for (const pid of this.alive) {
      if (processExists(pid)) continue;
      this.alive.delete(pid);
      this.frozen.delete(pid);
      this.ended.push(pid);
      const log = this.logOf(pid);
      if (!/Terminating cluster entrypoint process \w+ with exit code 0\./.test(log))
        throw new Error(`JobManager ${pid} ended on its own, but not with exit code 0:\n${log.slice(-3000)}`);
    }
    return this.alive.size;
  }

  private thawed(): number[] {
    return [...this.alive].filter((pid) => !this.frozen.has(pid));
  }

  /** A running JobManager: the leader, when it runs, for the first fault and two times in three after it. */
  private pick(random: () => number): number {
    const candidates = this.thawed();
    const leader = candidates.find((pid) => this.leads(pid));
    if (leader !== undefined && (this.leaderHits === 0 || random() < 2 / 3)) return leader;
    return candidates[Math.floor(random() * candidates.length)]!;
  }

  /** Whether `pid` believes it leads: its log's last word on leadership is a grant. */
  private leads(pid: number): boolean {
    const log = this.logOf(pid);
    return log.lastIndexOf(GRANTED) > log.lastIndexOf(DEPOSED);
  }

  private logOf(pid: number): string {
    // Instance ids are pid-file line numbers; lines stay, since JobManagers are never stopped through the script here.
    return this.dist.log('standalonejob', this.dist.pids('standalonejob').indexOf(pid));
  }

  /** SIGSTOP for `ms` in the background, then SIGCONT: inside or beyond the ZooKeeper session timeout. */
  private freeze(pid: number, ms: number): void {
    freezeFor(pid, ms, this.frozen);
  }
}
