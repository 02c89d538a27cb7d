/**
 * Keys → key groups → operator subtasks, with Flink's exact integer formulas
 * (KeyGroupRangeAssignment), so state and records land where Flink would put them.
 */
import type { TypeDescriptor } from '../../jobgraph/type-descriptor.js';
import { javaHashCode } from './java-hash-code.js';
import { KeyGroupRange } from './key-group-range.js';
import { murmurHash } from './murmur-hash.js';

/** Smallest max parallelism Flink derives by default (2^7). */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;
/** Largest max parallelism Flink accepts (2^15). */
export const UPPER_BOUND_MAX_PARALLELISM = 32768;

/** The key group of a key hash: murmur-spread, then modulo the max parallelism. */
export function computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
  return murmurHash(keyHash) % maxParallelism;
}

/** The key group of `key`, hashing it as the Java type `type` describes. */
export function assignToKeyGroup(key: unknown, maxParallelism: number, type?: TypeDescriptor): number {
  return murmurHash(javaHashCode(key, type)) % maxParallelism;
}

/** The subtask index owning `keyGroup`: floor(keyGroup · parallelism / maxParallelism). */
export function computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The subtask index a keyed record goes to; what the HASH partitioner calls per record. */
export function assignKeyToParallelOperator(key: unknown, maxParallelism: number, parallelism: number, type?: TypeDescriptor): number {
  const keyGroup = murmurHash(javaHashCode(key, type)) % maxParallelism;
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The key groups subtask `operatorIndex` owns at `parallelism`. */
export function computeKeyGroupRangeForOperatorIndex(maxParallelism: number, parallelism: number, operatorIndex: number): KeyGroupRange {
  checkParallelismPreconditions(maxParallelism, parallelism);
  if (!Number.isInteger(operatorIndex) || operatorIndex < 0 || operatorIndex >= parallelism) {
    throw new RangeError(`Operator index ${operatorIndex} is outside [0, ${parallelism}).`);
  }
  const start = Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism);
  return new KeyGroupRange(start, end);
}

/** Flink's default max parallelism: 1.5 × parallelism rounded up to a power of two, within [128, 32768]. */
export function computeDefaultMaxParallelism(parallelism: number): number {
  if (!Number.isInteger(parallelism) || parallelism <= 0 || parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new RangeError(`Operator parallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${parallelism}.`);
  }
  const wanted = roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2));
  return Math.min(Math.max(wanted, DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
}

/** Throws unless 0 < parallelism ≤ maxParallelism ≤ 32768, the domain of the range formulas. */
export function checkParallelismPreconditions(maxParallelism: number, parallelism: number): void {
  if (!Number.isInteger(maxParallelism) || maxParallelism <= 0 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new RangeError(`Maximum parallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${maxParallelism}.`);
  }
  if (!Number.isInteger(parallelism) || parallelism <= 0 || parallelism > maxParallelism) {
    throw new RangeError(`Parallelism must be an integer in [1, maximum parallelism ${maxParallelism}], got ${parallelism}.`);
  }
}

/** The smallest power of two ≥ x, for x in [1, 2^30]. */
export function roundUpToPowerOfTwo(x: number): number {
  let v = x - 1;
  v |= v >>> 1;
  v |= v >>> 2;
  v |= v >>> 4;
  v |= v >>> 8;
  v |= v >>> 16;
  return v + 1;
}
