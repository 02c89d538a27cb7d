import { createHmac } from 'node:crypto';
import { encodeFrame } from '../../../src/rpc/frame-decoder.js';
import { PROTOCOL_VERSION } from '../../../src/rpc/handshake.js';
import { corruptLengthPrefix, deepNestingText, mutateBytesRounds, mutateJsonRounds, randomJson } from '../mutators.js';
import type { Prng } from '../prng.js';

/** Bytes a stranger sends after reading the server's challenge (then it ends its side). */
export interface HandshakeAttack {
  readonly kind: string;
  readonly bytes: Buffer;
}

function hello(rng: Prng, nonce: string, secret: Buffer): Record<string, unknown> {
  const role = rng.pick(['taskmanager', 'client', 'taskmanager-data', 'jobmanager']);
  const id = `stranger-${rng.string(6)}`;
  const mac = createHmac('sha256', secret).update([nonce, role, id].join('\n')).digest('hex');
  return { proto: 'tsflink', v: PROTOCOL_VERSION, role, id, cnonce: rng.bytes(16).toString('hex'), mac };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
}

/**
 * Builds one unauthenticated attack on a handshake: garbage, truncated or oversized frames, and
 * hellos with a wrong protocol, version, MAC (made with a wrong secret) or malformed fields.
 */
export function handshakeAttack(rng: Prng, nonce: string): HandshakeAttack {
  const wrongSecret = rng.bytes(32);
  const base = hello(rng, nonce, wrongSecret);
  const kind = rng.weighted<string>([
    [3, 'random-bytes'],
    [3, 'truncated-frame'],
    [3, 'huge-prefix'],
    [3, 'wrong-version'],
    [2, 'wrong-proto'],
    [3, 'wrong-mac'],
    [3, 'mutated-hello'],
    [2, 'not-an-object'],
    [1, 'deep-nesting'],
    [1, 'oversized-fields'],
    [1, 'pipelined-garbage'],
  ]);
  const frame = (value: unknown): Buffer => encodeFrame(json(value));
  switch (kind) {
    case 'random-bytes':
      return { kind, bytes: rng.bytes(rng.size(8192)) };
    case 'truncated-frame': {
      const full = frame(base);
      return { kind, bytes: full.subarray(0, rng.int(0, full.length - 1)) };
    }
    case 'huge-prefix':
      return { kind, bytes: corruptLengthPrefix(rng, json(base)) };
    case 'wrong-version':
      return { kind, bytes: frame({ ...base, v: rng.pick([0, 2, -1, '1', null, true, 1.5, 1e9, [1], { v: 1 }]) }) };
    case 'wrong-proto':
      return { kind, bytes: frame({ ...base, proto: rng.pick(['flink', '', 'TSFLINK', null, 1, 'tsflink\0']) }) };
    case 'wrong-mac':
      return {
        kind,
        bytes: frame({
          ...base,
          mac: rng.pick([base['mac'], '', 'zz'.repeat(32), 'ab', 12, null, (base['mac'] as string).toUpperCase(), 'a'.repeat(4000)]),
        }),
      };
    case 'mutated-hello':
      return { kind, bytes: rng.chance(0.5) ? mutateBytesRounds(rng, frame(base)) : frame(mutateJsonRounds(rng, base)) };
    case 'not-an-object':
      return { kind, bytes: encodeFrame(rng.chance(0.5) ? json(randomJson(rng, 2)) : rng.bytes(rng.size(2000))) };
    case 'deep-nesting':
      return { kind, bytes: encodeFrame(Buffer.from(deepNestingText(rng.int(100, 2000), '1', rng.chance(0.5)))) };
    case 'oversized-fields': {
      const field = rng.pick(['role', 'id', 'cnonce']);
      return { kind, bytes: frame({ ...base, [field]: 'x'.repeat(rng.pick([65, 257, 3000])) }) };
    }
    default:
      return { kind, bytes: Buffer.concat([frame(base), encodeFrame(rng.bytes(rng.size(1000))), rng.bytes(rng.size(100))]) };
  }
}
