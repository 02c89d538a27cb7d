/** Typed errors raised inside a running task: state, time, sources and sinks. */
import { TsFlinkError } from '../core/errors.js';

type ErrorOptions = { cause?: unknown; context?: Record<string, unknown>; suggestion?: string };

/** Keyed or operator state was used wrongly or cannot be restored. */
export class StateError extends TsFlinkError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('STATE_ERROR', message, options);
  }
}

/** An event-time operation met a record without a timestamp. */
export class MissingTimestampError extends TsFlinkError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('MISSING_TIMESTAMP', message, options);
  }
}

/** A source could not read its input (file, socket). */
export class SourceReadError extends TsFlinkError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('SOURCE_READ', message, options);
  }
}

/** A sink could not write or commit its output. */
export class SinkWriteError extends TsFlinkError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('SINK_WRITE', message, options);
  }
}

/** A function or operator was used in a way the runtime does not support. */
export class UnsupportedOperationError extends TsFlinkError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('UNSUPPORTED_OPERATION', message, options);
  }
}

/** A user function does not have the shape its use needs (e.g. an object without map()). */
export class InvalidFunctionError extends TsFlinkError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('FUNCTION_INVALID', message, options);
  }
}
