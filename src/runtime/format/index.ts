/** Java-compatible text rendering of records, as Flink's print() and text sinks write them. */
export * from './format-java-double.js';
export * from './format-value.js';
