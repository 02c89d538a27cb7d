import type { Server } from 'node:net';
import { ConfigurationError } from '../core/errors.js';

/**
 * Expands a port setting (`9249`, `9250-9260`, `9250,9252-9254`) into the ports to try, in order.
 * The configuration's validation has already accepted the text; this throws only for text that
 * never went through it.
 */
export function expandPortRange(spec: string): number[] {
  const ports: number[] = [];
  for (const part of spec
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')) {
    const match = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    const low = match === null ? NaN : Number(match[1]);
    const high = match?.[2] === undefined ? low : Number(match[2]);
    if (!(low >= 0 && high >= low && high <= 65_535)) {
      throw new ConfigurationError(
        `Invalid port setting '${spec}': expected a port, a range such as '9250-9260', or a comma-separated list of them.`,
      );
    }
    for (let port = low; port <= high; port++) ports.push(port);
  }
  return ports;
}

/** Listens on the first of `ports` that is free (several processes on one host share a range); undefined when none is. */
export async function listenOnFirstFree(server: Server, ports: readonly number[], host?: string): Promise<number | undefined> {
  for (const port of ports) {
    const bound = await new Promise<number | undefined>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        server.off('listening', onListening);
        if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
        else reject(error);
      };
      const onListening = (): void => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, host);
    });
    if (bound !== undefined) return bound;
  }
  return undefined;
}
