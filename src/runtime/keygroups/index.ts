/** Key groups: Java-compatible key hashing and Flink's key-group/subtask assignment. */
export * from './java-hash-code.js';
export * from './murmur-hash.js';
export * from './key-group-range.js';
export * from './key-group-range-assignment.js';
