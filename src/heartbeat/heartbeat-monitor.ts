import type { HeartbeatTarget } from './heartbeat-listener.js';

/** Watches one target: a timer that every heartbeat pushes back, firing once if it runs out. */
export class HeartbeatMonitor<O> {
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  /** Epoch ms of the last heartbeat from the target (or of when monitoring began). */
  lastHeartbeat = Date.now();

  constructor(
    readonly targetId: string,
    readonly target: HeartbeatTarget<O>,
    private readonly timeoutMs: number,
    onTimeout: (targetId: string) => void,
  ) {
    this.timer = setTimeout(() => {
      if (this.timedOut) return;
      this.timedOut = true;
      onTimeout(targetId);
    }, timeoutMs);
    this.timer.unref();
  }

  /** Records a heartbeat and restarts the timeout. */
  reportHeartbeat(): void {
    if (this.timedOut) return;
    this.lastHeartbeat = Date.now();
    this.timer.refresh();
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
