/** Teardowns of everything a fuzz run started (clusters, throw-away dists), for an interrupted run. */
const pending = new Set<() => Promise<void>>();

/** Remembers a teardown until the returned function forgets it again (after a normal teardown). */
export function registerCleanup(teardown: () => Promise<void>): () => void {
  pending.add(teardown);
  return () => pending.delete(teardown);
}

/** Runs every remembered teardown, e.g. on SIGINT, so no JobManager or TaskManager outlives the fuzzer. */
export async function runCleanups(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.allSettled(all.map((teardown) => teardown()));
}
