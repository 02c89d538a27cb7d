/**
 * The throughput benchmark's baseline: the same record batches the data plane sends, encoded with
 * the same codec and framing, pushed from one process to another over a Unix socket with nothing
 * else in between. `node raw-pipe.js reader <socket>` prints {records, bytes, ms} when the writer
 * closes; `node raw-pipe.js writer <socket> <records> [every]` generates <records> and sends every
 * <every>-th one (default 1, all of them): with 2 it moves the share a parallelism-2 keyBy job sends
 * across TaskManagers, the rest being generated and kept in the process as a local channel keeps it.
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

async function writer(path: string, total: number, every: number): Promise<void> {
  const socket = connect(path);
  await once(socket, 'connect');
  const out = new DataOutputWriter(64 * 1024);
  const kept: unknown[] = [];
  for (let made = 0; made < total;) {
    const batch: ElementBatch = { values: [], timestamps: [] };
    for (; batch.values.length < BATCH_RECORDS && made < total; made++) {
      const record = [made % 10_000, made, made * 0.5, 'payload'];
      if (made % every !== 0) {
        // Stays in this process, as a record for a local subtask does; dropped in batches to bound memory.
        if (kept.push(record) >= BATCH_RECORDS) kept.length = 0;
        continue;
      }
      batch.values.push(record);
      batch.timestamps.push(NO_TIMESTAMP);
    }
    if (batch.values.length === 0) continue;
    out.reset();
    encodeBatch(batch, SERIALIZER, out);
    let writable = true;
    for (const part of encodeDataFrame(DataFrameType.Batch, 1, out.toBuffer())) writable = socket.write(part) && writable;
    if (!writable) await once(socket, 'drain');
  }
  socket.end();
}

const [mode, path, count, every] = process.argv.slice(2);
const fail = (error: unknown): void => {
  process.stderr.write(`raw-pipe ${mode ?? ''} failed: ${String(error)}\n`);
  process.exit(1);
};
if (mode === 'reader' && path !== undefined) reader(path).catch(fail);
else if (mode === 'writer' && path !== undefined && Number.isSafeInteger(Number(every ?? 1)) && Number(every ?? 1) >= 1)
  writer(path, Number(count), Number(every ?? 1)).catch(fail);
else {
  process.stderr.write('usage: raw-pipe.js reader <socket> | writer <socket> <records> [every]\n');
  process.exit(2);
}
