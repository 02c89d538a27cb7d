import { mutateBytesRounds } from '../mutators.js';
import type { Prng } from '../prng.js';

/** Bytes that are not (quite) HTTP/1.1, written straight to the REST port. */
export interface RawHttpAttack {
  readonly kind: string;
  readonly bytes: Buffer;
}

const GOOD = 'GET /overview HTTP/1.1\r\nHost: localhost\r\n\r\n';

/** Malformed request lines, unknown methods, bad header bytes, oversized headers, garbage and mutations. */
export function rawHttpAttack(rng: Prng): RawHttpAttack {
  const kind = rng.weighted<string>([
    [2, 'unknown-method'],
    [2, 'bad-request-line'],
    [2, 'bad-header'],
    [1, 'huge-header'],
    [1, 'garbage'],
    [3, 'mutated'],
    [1, 'http2-preface'],
    [1, 'short-body'],
  ]);
  const text = (value: string): RawHttpAttack => ({ kind, bytes: Buffer.from(value, 'latin1') });
  switch (kind) {
    case 'unknown-method':
      return text(`${rng.pick(['FOO', 'BREW', 'get', 'G\u00e9T', 'GET\u0000', 'CONNECT', 'PRI'])} /overview HTTP/1.1\r\nHost: x\r\n\r\n`);
    case 'bad-request-line':
      return text(
        rng.pick([
          'GET\r\n\r\n',
          'GET /overview\r\n\r\n',
          'GET /overview HTTP/9.9\r\nHost: x\r\n\r\n',
          'GET  /overview  HTTP/1.1\r\n\r\n',
          '/overview HTTP/1.1\r\n\r\n',
          'GET /over view HTTP/1.1\r\n\r\n',
          'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n',
        ]),
      );
    case 'bad-header':
      return text(
        `GET /overview HTTP/1.1\r\nHost: x\r\n${rng.pick(['Bad Header: 1', 'X: a\u0000b', ': empty', 'Content-Length: -1', 'Content-Length: abc', 'Content-Length: 1\r\nContent-Length: 2', 'Transfer-Encoding: chunked\r\nContent-Length: 3', 'X-Fold: a\r\n folded'])}\r\n\r\n`,
      );
    case 'huge-header':
      return text(`GET /overview HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(rng.pick([17_000, 70_000]))}\r\n\r\n`);
    case 'garbage':
      return { kind, bytes: rng.bytes(rng.size(4096)) };
    case 'http2-preface':
      return text('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    case 'short-body':
      return text(
        `PUT /jobs/${'0'.repeat(32)}/resource-requirements HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{"a":1}GARBAGE\r\n\r\n`,
      );
    default:
      return { kind, bytes: mutateBytesRounds(rng, Buffer.from(GOOD, 'latin1')) };
  }
}
