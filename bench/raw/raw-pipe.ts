/**
 * The throughput benchmark's baseline: the same record batches the data plane sends, encoded with
 * the same codec and framing, pushed from one process to another over a Unix socket with nothing
 * else in between. `node raw-pipe.js reader <socket>` prints {records, bytes, ms} when the writer
 * closes; `node raw-pipe.js writer <socket> <records>` sends.
 */
import { createServer, connect } from 'node:net';
import { once } from 'node:events';
import { Types } from '../../src/api/types.js';
import { FrameDecoder } from '../../src/rpc/frame-decoder.js';
import { createSerializer, DataOutputWriter } from '../../src/runtime/serialization/index.js';
import { decodeBatch, encodeBatch } from '../../src/taskmanager/network/batch-codec.js';
import { decodeDataFrame, DataFrameType, encodeDataFrame } from '../../src/taskmanager/network/data-protocol.js';
import { BATCH_RECORDS } from '../../src/taskmanager/network/result-subpartition.js';
import { NO_TIMESTAMP, type ElementBatch } from '../../src/taskmanager/network/stream-elements.js';

const SERIALIZER = createSerializer(Types.TUPLE([Types.INT, Types.LONG, Types.DOUBLE, Types.STRING]));

async function reader(path: string): Promise<void> {
  let records = 0;
  let bytes = 0;
  let started = 0;
  const server = createServer((socket) => {
    const decoder = new FrameDecoder(64 * 1024 * 1024);
    started = performance.now();
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (const payload of decoder.push(chunk)) records += decodeBatch(decodeDataFrame(payload).body, SERIALIZER).values.length;
    });
    socket.on('end', () => {
      process.stdout.write(`${JSON.stringify({ records, bytes, ms: performance.now() - started })}\n`);
      server.close();
    });
  });
  server.listen(path, () => process.stdout.write('ready\n'));
}

async function writer(path: string, total: number): Promise<void> {
  const socket = connect(path);
  await once(socket, 'connect');
  const out = new DataOutputWriter(64 * 1024);
  for (let sent = 0; sent < total;) {
    const batch: ElementBatch = { values: [], timestamps: [] };
    for (let i = 0; i < BATCH_RECORDS && sent < total; i++, sent++) {
      batch.values.push([sent % 10_000, sent, sent * 0.5, 'payload']);
      batch.timestamps.push(NO_TIMESTAMP);
    }
    out.reset();
    encodeBatch(batch, SERIALIZER, out);
    let writable = true;
    for (const part of encodeDataFrame(DataFrameType.Batch, 1, out.toBuffer())) writable = socket.write(part) && writable;
    if (!writable) await once(socket, 'drain');
  }
  socket.end();
}

const [mode, path, count] = process.argv.slice(2);
const fail = (error: unknown): void => {
  process.stderr.write(`raw-pipe ${mode ?? ''} failed: ${String(error)}\n`);
  process.exit(1);
};
if (mode === 'reader' && path !== undefined) reader(path).catch(fail);
else if (mode === 'writer' && path !== undefined) writer(path, Number(count)).catch(fail);
else {
  process.stderr.write('usage: raw-pipe.js reader <socket> | writer <socket> <records>\n');
  process.exit(2);
}
