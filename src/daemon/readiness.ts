/**
 * Messages a daemon sends its launcher over IPC once, so that `start` returns only when the
 * process is ready (or has failed) instead of when it was merely spawned.
 */
export type ReadinessMessage =
  | { readonly type: 'ready'; readonly summary: string; readonly details: Readonly<Record<string, string | number>> }
  /** Running, but still waiting on something outside it (a TaskManager whose JobManager is not up). */
  | { readonly type: 'waiting'; readonly summary: string }
  | { readonly type: 'failed'; readonly message: string };

/** Type guard for messages arriving over IPC from a daemon. */
export function isReadinessMessage(value: unknown): value is ReadinessMessage {
  if (value === null || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'waiting' || type === 'failed';
}

/** Sends a readiness message to the launcher, if there is one, then lets go of the IPC channel. */
export function reportReadiness(message: ReadinessMessage): void {
  if (typeof process.send !== 'function' || !process.connected) return;
  process.send(message, undefined, undefined, () => {
    if (process.connected) process.disconnect();
  });
}
