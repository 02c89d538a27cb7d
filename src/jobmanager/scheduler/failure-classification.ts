import { hasErrorCode, type ErrorCode } from '../../core/error-codes.js';
import type { SerializedError } from '../../core/errors.js';

/**
 * Error codes of failures a restart would only repeat, as Flink's SuppressRestartsException: the
 * job fails at once instead of spending its restart attempts on them.
 */
const UNRECOVERABLE_CODES: readonly ErrorCode[] = ['RECORD_TOO_LARGE'];

/** Whether `error` must fail the job without a restart. */
export function isUnrecoverable(error: SerializedError): boolean {
  return UNRECOVERABLE_CODES.some((code) => hasErrorCode(error, code));
}
