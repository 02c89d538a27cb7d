/**
 * The checksum thread's body (see checksum-thread.ts): CRC-32s of byte ranges of shared buffers,
 * taken in the order they arrive. A checksum may span several ranges; its value is posted once its
 * last range is in. A fence is echoed once every range sent before it has been read, so the
 * sender may reuse the buffers.
 */
import { parentPort } from 'node:worker_threads';
import { crc32 } from '../../core/crc32.js';
import type { ChecksumReply, ChecksumRequest } from './checksum-thread.js';

const port = parentPort;
if (port === null) throw new Error('checksum-worker.js runs only as a worker thread');
/** CRC-32 so far of each checksum whose last range has not arrived. */
const running = new Map<number, number>();

port.on('message', (request: ChecksumRequest) => {
  if (request.type === 'fence') {
    port.postMessage({ type: 'fenced', fence: request.fence } satisfies ChecksumReply);
    return;
  }
  const value = crc32(new Uint8Array(request.buffer, request.offset, request.length), running.get(request.id) ?? 0);
  if (!request.last) {
    running.set(request.id, value);
    return;
  }
  running.delete(request.id);
  port.postMessage({ type: 'checksum', id: request.id, crc32: value } satisfies ChecksumReply);
});
