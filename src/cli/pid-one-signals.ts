/**
 * Imported right after ensure-home by the CLI. In a container the CLI is often PID 1, and the kernel
 * ignores a signal PID 1 has no handler for: a `docker stop` or a Kubernetes pod deletion arriving
 * before a foreground daemon starts (while the CLI loads its configuration or waits for the pid
 * file's lock) would be ignored until the grace period ends in SIGKILL. Until someone else takes the
 * signal over, it ends the CLI here as it would anywhere else.
 */
const EXIT_CODES = { SIGTERM: 143, SIGINT: 130 } as const;

if (process.pid === 1) {
  for (const [signal, code] of Object.entries(EXIT_CODES) as Array<[keyof typeof EXIT_CODES, number]>) {
    process.on(signal, () => {
      if (process.listenerCount(signal) === 1) process.exit(code);
    });
  }
}
