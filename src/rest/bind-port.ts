import { badRequest } from './rest-error.js';

/** Expands `rest.bind-port` (`8081`, `50100-50200`, `8081,8082`) into the ports to try, in order. */
export function parseBindPorts(spec: string): number[] {
  const ports: number[] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    if (range !== null) {
      for (let port = Number(range[1]); port <= Number(range[2]); port++) ports.push(port);
    } else if (/^\d+$/.test(part)) {
      ports.push(Number(part));
    } else {
      throw badRequest(`Invalid port specification '${part}'.`);
    }
  }
  return ports;
}
