/**
 * On SIGINT or SIGTERM, prints `message`, runs `cleanup` (stopping the processes a command started)
 * and exits 130. Listens with `on`, not `once`: execa's exit hook re-raises a signal that has no
 * other listener left, which would kill the process before its clusters are stopped.
 */
export function cleanUpOnInterrupt(message: (signal: string) => string, cleanup: () => Promise<unknown>): void {
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      process.stderr.write(`${message(signal)}\n`);
      const exit = (): never => process.exit(130);
      cleanup().then(exit, exit);
    });
  }
}
