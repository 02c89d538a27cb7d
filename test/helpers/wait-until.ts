import { createHook } from 'node:async_hooks';

/**
 * Resolves once `condition` holds, checking it after every callback the process runs (a promise
 * continuation, an I/O completion, a timer) instead of polling on a timer: the code under test can
 * only change what `condition` reads inside such a callback, so no change goes unseen and an idle
 * wait costs nothing. Rejects, naming `what`, when `timeoutMs` pass without it holding, and with
 * the condition's own error if it throws.
 */
export function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let checking = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      hook.disable();
      clearTimeout(deadline);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const check = (): void => {
      // The check itself may run callbacks' hooks (resolving the wait does): never re-enter.
      if (settled || checking) return;
      checking = true;
      try {
        if (condition()) finish();
      } catch (error) {
        finish(error);
      } finally {
        checking = false;
      }
    };
    const hook = createHook({ after: check });
    const deadline = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    hook.enable();
  });
}
