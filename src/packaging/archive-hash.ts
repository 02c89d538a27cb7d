import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { describeError, ProgramError } from '../core/errors.js';

/** sha256 (hex) of an archive's bytes: its identity when shipped as a blob. */
export async function hashArchive(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    await pipeline(createReadStream(path), hash);
  } catch (error) {
    throw new ProgramError(`Cannot read job archive ${path}: ${describeError(error)}`, { cause: error });
  }
  return hash.digest('hex');
}
