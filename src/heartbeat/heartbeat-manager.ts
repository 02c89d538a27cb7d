import { getLogger } from '../core/logging.js';
import type { HeartbeatListener, HeartbeatTarget } from './heartbeat-listener.js';
import { HeartbeatMonitor } from './heartbeat-monitor.js';

const log = getLogger('heartbeat');

/**
 * The receiving side of heartbeats, transport-free: it monitors targets, answers their requests
 * and reports a target that stays silent for `timeoutMs`. Flink's TaskExecutor is a receiver.
 */
export class HeartbeatManager<I, O> {
  protected readonly monitors = new Map<string, HeartbeatMonitor<O>>();
  protected stopped = false;

  constructor(
    readonly ownId: string,
    protected readonly listener: HeartbeatListener<I, O>,
    readonly timeoutMs: number,
  ) {}

  monitorTarget(targetId: string, target: HeartbeatTarget<O>): void {
    if (this.stopped) return;
    this.monitors.get(targetId)?.cancel();
    this.monitors.set(targetId, new HeartbeatMonitor(targetId, target, this.timeoutMs, (id) => this.onTimeout(id)));
  }

  unmonitorTarget(targetId: string): void {
    this.monitors.get(targetId)?.cancel();
    this.monitors.delete(targetId);
  }

  /** The target answered one of our requests. */
  receiveHeartbeat(fromId: string, payload: I): void {
    if (this.touch(fromId)) this.listener.reportPayload(fromId, payload);
  }

  /** The target asked for a heartbeat: note it and answer with our payload. */
  requestHeartbeat(fromId: string, payload: I): void {
    const monitor = this.monitors.get(fromId);
    if (monitor === undefined || this.stopped) return;
    monitor.reportHeartbeat();
    this.listener.reportPayload(fromId, payload);
    monitor.target.receiveHeartbeat(this.ownId, this.listener.retrievePayload(fromId));
  }

  /** Epoch ms of the last heartbeat from `targetId`, if monitored. */
  lastHeartbeatFrom(targetId: string): number | undefined {
    return this.monitors.get(targetId)?.lastHeartbeat;
  }

  stop(): void {
    this.stopped = true;
    for (const monitor of this.monitors.values()) monitor.cancel();
    this.monitors.clear();
  }

  private touch(fromId: string): boolean {
    const monitor = this.monitors.get(fromId);
    if (monitor === undefined || this.stopped) return false;
    monitor.reportHeartbeat();
    return true;
  }

  private onTimeout(targetId: string): void {
    if (this.stopped || !this.monitors.has(targetId)) return;
    this.monitors.delete(targetId);
    log.debug(`Heartbeat of ${targetId} timed out after ${this.timeoutMs} ms`);
    this.listener.notifyHeartbeatTimeout(targetId);
  }
}

/**
 * The sending side: every `intervalMs` it asks each monitored target for a heartbeat, starting at
 * once. Flink's ResourceManager and JobMaster are senders.
 */
export class HeartbeatSender<I, O> extends HeartbeatManager<I, O> {
  private readonly loop: NodeJS.Timeout;

  constructor(
    ownId: string,
    listener: HeartbeatListener<I, O>,
    timeoutMs: number,
    readonly intervalMs: number,
  ) {
    super(ownId, listener, timeoutMs);
    this.loop = setInterval(() => this.requestAll(), intervalMs);
    this.loop.unref();
  }

  override monitorTarget(targetId: string, target: HeartbeatTarget<O>): void {
    super.monitorTarget(targetId, target);
    this.requestFrom(targetId);
  }

  override stop(): void {
    clearInterval(this.loop);
    super.stop();
  }

  private requestAll(): void {
    for (const targetId of [...this.monitors.keys()]) this.requestFrom(targetId);
  }

  private requestFrom(targetId: string): void {
    const monitor = this.monitors.get(targetId);
    if (monitor === undefined || this.stopped) return;
    try {
      monitor.target.requestHeartbeat(this.ownId, this.listener.retrievePayload(targetId));
    } catch (error) {
      log.warn(`Could not request a heartbeat from ${targetId}`, error);
    }
  }
}
