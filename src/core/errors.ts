import type { ErrorCode } from './error-codes.js';

/** Base of every error tsflink raises on purpose: a stable code, context and a suggestion for the user. */
export class TsFlinkError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, unknown>;
  readonly suggestion: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; context?: Record<string, unknown>; suggestion?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context ?? {};
    this.suggestion = options.suggestion;
  }
}

/** A configuration value or file that cannot be used; raised before any process starts. */
export class ConfigurationError extends TsFlinkError {
  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown>; suggestion?: string } = {}) {
    super('CONFIG_INVALID', message, options);
  }
}

/** Command-line arguments that a script or entry point does not accept. */
export class UsageError extends TsFlinkError {
  constructor(message: string, options: { context?: Record<string, unknown>; suggestion?: string } = {}) {
    super('USAGE', message, options);
  }
}

/** A job archive or job module that cannot be loaded. */
export class ProgramError extends TsFlinkError {
  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown>; suggestion?: string } = {}) {
    super('PROGRAM_INVALID', message, options);
  }
}

/** A remote call that failed, timed out, or whose peer went away. */
export class RpcError extends TsFlinkError {
  constructor(
    code: 'RPC_TIMEOUT' | 'RPC_CLOSED' | 'RPC_REMOTE' | 'RPC_PROTOCOL' | 'RPC_REFUSED' | 'FENCING_TOKEN_MISMATCH',
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
  }
}

/** The first line of an error's message plus its causes, for one-line reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause === undefined ? '' : ` (caused by: ${describeError(error.cause)})`;
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** Serializable form of an error, for travel over RPC and into exception histories. */
export interface SerializedError {
  name: string;
  message: string;
  stack: string;
  code?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: describeError(error),
      stack: error.stack ?? `${error.name}: ${error.message}`,
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  return { name: 'Error', message: String(error), stack: String(error) };
}

/** Rebuilds an Error from its serialized form, keeping the remote stack. */
export function deserializeError(value: SerializedError): Error {
  const error = new Error(value.message);
  error.name = value.name;
  error.stack = value.stack;
  if (value.code !== undefined) (error as Error & { code?: string }).code = value.code;
  return error;
}
