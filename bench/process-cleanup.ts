/** Everything a benchmark started and must stop, even when the run is interrupted. */
const cleanups = new Set<() => void | Promise<void>>();

/** Registers a cleanup to run at the end of its scope, or on Ctrl-C; returns the function that runs and forgets it. */
export function onCleanup(action: () => void | Promise<void>): () => Promise<void> {
  cleanups.add(action);
  return async () => {
    if (!cleanups.delete(action)) return;
    await action();
  };
}

/** Runs every pending cleanup (on interruption). */
export async function cleanupAll(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  await Promise.allSettled(pending.map(async (action) => action()));
}

/** SIGKILLs a pid we started, ignoring one that is already gone. */
export function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
