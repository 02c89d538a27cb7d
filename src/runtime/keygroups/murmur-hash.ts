/**
 * Flink's `MathUtils.murmurHash(int)`: MurmurHash3 x86_32 of one 4-byte block with seed 0, made
 * non-negative. It spreads Java hash codes, which are often small consecutive integers, evenly
 * over key groups.
 */
export function murmurHash(code: number): number {
  let k = Math.imul(code | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);

  let h = k;
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;

  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;

  // Java negates negative results; Integer.MIN_VALUE has no positive twin and becomes 0.
  if (h >= 0) return h;
  return h === -2147483648 ? 0 : -h;
}
