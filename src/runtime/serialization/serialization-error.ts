import { TsFlinkError } from '../../core/errors.js';

/** Bytes that cannot be decoded (truncated, corrupt, wrong type) or a value the codec cannot carry. */
export class SerializationError extends TsFlinkError {
  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown>; suggestion?: string } = {}) {
    super('SERIALIZATION', message, options);
  }
}
