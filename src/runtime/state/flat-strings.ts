/**
 * Strings kept in keyed state as one flat run of characters. V8 builds a concatenation (and
 * `repeat`) as a rope: a tree of pieces that is joined into a flat copy only when something reads
 * it through. A value kept in state lives long enough to reach the old generation as a rope; the
 * first snapshot then flattens it while encoding, and the rope's pieces (nearly 40 % of a
 * 1000-character value built by `repeat`) become garbage of the old generation, which only a full
 * collection frees: at 300 MB of state that was 120 MB of RSS until the next one. Flattening when
 * the value is stored makes the copy while the pieces are still young, where a scavenge frees them
 * at almost no cost, and leaves the snapshot only flat strings to copy. The copy is the one Java
 * makes on every concatenation, and the one the snapshot would make anyway. What it gives up: a
 * snapshot that flattened old ropes laid the copies out in the order snapshots read them, which
 * made later snapshots of values that never change somewhat faster (strings stored flat lie in
 * the order records came, as every value decoded from a record always did).
 */

/** V8 joins concatenations shorter than this into a flat string at once (ConsString::kMinLength). */
const SHORTEST_ROPE = 13;

/** `value`, with a string value made flat (reading a character through a rope flattens it in place). */
export function flattened<T>(value: T): T {
  if (typeof value === 'string' && value.length >= SHORTEST_ROPE) value.charCodeAt(0);
  return value;
}
