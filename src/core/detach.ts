/**
 * Lets `work` run on without waiting for it, handing a rejection to `onError`. A promise nobody
 * handles ends the process (process-lifecycle exits on an unhandled rejection), so every
 * fire-and-forget call goes through here with the path its failure should take.
 */
export function detach(work: Promise<unknown>, onError: (error: unknown) => void): void {
  work.catch((error: unknown) => {
    try {
      onError(error);
    } catch {
      // The handler is the last resort; a second failure in it has nowhere left to go.
    }
  });
}
