import type { HeartbeatTarget } from './heartbeat-listener.js';

/** Watches one target: a timer that every heartbeat pushes back, firing once if it runs out. */
export class HeartbeatMonitor<O> {
  private timer: NodeJS.Timeout;
  private timedOut = false;
  /** Epoch ms of the last heartbeat from the target (or of when monitoring began). */
  lastHeartbeat = Date.now();

  constructor(
    readonly targetId: string,
    readonly target: HeartbeatTarget<O>,
    private readonly timeoutMs: number,
    private readonly onTimeout: (targetId: string) => void,
  ) {
    this.timer = this.startTimer();
  }

  /** Records a heartbeat and restarts the timeout. */
  reportHeartbeat(): void {
    if (this.timedOut) return;
    this.lastHeartbeat = Date.now();
    // A new timer rather than refresh(): heartbeats are rare, and test clocks (node:test's mock timers) follow it exactly.
    clearTimeout(this.timer);
    this.timer = this.startTimer();
  }

  private startTimer(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (this.timedOut) return;
      this.timedOut = true;
      this.onTimeout(this.targetId);
    }, this.timeoutMs);
    // Heartbeat timers must not keep a process alive.
    timer.unref();
    return timer;
  }

  /** Milliseconds until the target counts as lost, if it stays silent. */
  get remainingMs(): number {
    return Math.max(0, this.lastHeartbeat + this.timeoutMs - Date.now());
  }

  cancel(): void {
    this.timedOut = true;
    clearTimeout(this.timer);
  }
}
