import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CollectionSource } from '../../../../src/runtime/sources/collection-source.js';
import { DataGeneratorSource } from '../../../../src/runtime/sources/data-generator-source.js';
import { FileSource, TextLineInputFormat } from '../../../../src/runtime/sources/file-source.js';
import { NumberSequenceSource } from '../../../../src/runtime/sources/number-sequence-source.js';
import { createSequenceSplits } from '../../../../src/runtime/sources/sequence-splits.js';
import { SocketTextSource } from '../../../../src/runtime/sources/socket-text-source.js';
import type { Source } from '../../../../src/runtime/sources/source.js';
import { SourceOperator } from '../../../../src/runtime/sources/source-operator.js';
import { MAX_WATERMARK, type RestoredOperatorState } from '../../../../src/runtime/task-contract.js';
import { WatermarkStrategy } from '../../../../src/runtime/watermarks/watermark-strategy.js';
import { singleOperatorChain, TestingProcessingTimeService, testServices } from '../testing.js';
import { redistribute } from './redistribute.js';

async function sourceChain(
  source: Source<unknown, unknown>,
  opts: {
    subtask?: number;
    parallelism?: number;
    maxParallelism?: number;
    restored?: RestoredOperatorState;
    strategy?: WatermarkStrategy<unknown>;
    pts?: TestingProcessingTimeService;
  } = {},
) {
  const services = testServices({
    subtaskIndex: opts.subtask ?? 0,
    parallelism: opts.parallelism ?? 1,
    maxParallelism: opts.maxParallelism ?? 128,
    processingTime: opts.pts ?? new TestingProcessingTimeService(0),
  });
  const h = singleOperatorChain(() => new SourceOperator(source, opts.strategy ?? WatermarkStrategy.noWatermarks()), {
    services,
    operatorId: 'b'.repeat(32),
  });
  await h.chain.initializeState(opts.restored === undefined ? undefined : [opts.restored]);
  await h.chain.open();
  return h;
}

function drain(h: Awaited<ReturnType<typeof sourceChain>>, budget = 1000): string {
  let status = 'MORE_AVAILABLE';
  while (status === 'MORE_AVAILABLE') status = h.chain.source!.emitNext(budget);
  return status;
}

describe('sequence splits', () => {
  it('cut a range into contiguous splits covering it exactly', () => {
    const splits = createSequenceSplits(10, 19, 4);
    assert.deepEqual(
      splits.map((s) => [s.next, s.end]),
      [
        [10, 12],
        [13, 15],
        [16, 17],
        [18, 19],
      ],
    );
    assert.equal(createSequenceSplits(0, 2, 128).length, 3, 'never more splits than numbers');
    const huge = createSequenceSplits(0, Number.MAX_SAFE_INTEGER - 1, 128);
    assert.equal(huge.at(-1)!.end, Number.MAX_SAFE_INTEGER - 1);
    for (let i = 1; i < huge.length; i++) assert.equal(huge[i]!.next, huge[i - 1]!.end + 1);
  });
});

describe('NumberSequenceSource', () => {
  it('emits every number exactly once across a rescale from 2 to 3 subtasks', async () => {
    const source = new NumberSequenceSource(1, 1000) as Source<unknown, unknown>;
    const seen: number[] = [];
    const old = await Promise.all([0, 1].map((i) => sourceChain(source, { subtask: i, parallelism: 2, maxParallelism: 16 })));
    for (const h of old) {
      h.chain.source!.emitNext(137);
      seen.push(...(h.output.values() as number[]));
    }
    const snapshots = old.map((h) => h.chain.snapshotState(1, 0)[0]);
    const shares = redistribute(snapshots, 3);
    for (let i = 0; i < 3; i++) {
      const h = await sourceChain(source, { subtask: i, parallelism: 3, maxParallelism: 16, restored: shares[i] });
      assert.equal(drain(h), 'END_OF_INPUT');
      seen.push(...(h.output.values() as number[]));
      assert.equal(h.output.watermarks.at(-1), MAX_WATERMARK, 'MAX watermark before the end of input');
      assert.equal(h.chain.source!.numRecordsOut, h.output.values().length, 'the source counts what it emitted');
    }
    assert.deepEqual(
      seen.sort((a, b) => a - b),
      Array.from({ length: 1000 }, (_, i) => i + 1),
    );
  });

  it('reports its backlog and keeps per-split watermarks at the minimum over its splits', async () => {
    const pts = new TestingProcessingTimeService(0);
    const strategy = WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((n) => n) as WatermarkStrategy<unknown>;
    const h = await sourceChain(new NumberSequenceSource(0, 99), { maxParallelism: 4, strategy, pts });
    assert.equal(h.chain.source!.pendingRecords(), 100);
    h.chain.source!.emitNext(8); // two from each split: 0,25,50,75,1,26,51,76
    assert.equal(h.chain.source!.pendingRecords(), 92);
    pts.advanceTo(200);
    assert.deepEqual(h.output.watermarks, [0], 'min over splits: split 0 has seen 1, so 1 - 1');
  });
});

describe('DataGeneratorSource', () => {
  it('maps indexes through the generator, rate limited per subtask', async () => {
    const pts = new TestingProcessingTimeService(0);
    const gen = new DataGeneratorSource((i: number) => `r${i}`, 5, 10, { kind: 'STRING' }) as Source<unknown, unknown>;
    const h = await sourceChain(gen, { pts });
    assert.equal(h.chain.source!.emitNext(10), 'NOTHING_AVAILABLE');
    assert.deepEqual(h.output.values(), ['r0']);
    pts.advanceTo(99);
    assert.equal(h.chain.source!.emitNext(10), 'NOTHING_AVAILABLE');
    assert.equal(h.output.values().length, 1);
    pts.advanceTo(100);
    h.chain.source!.emitNext(10);
    assert.deepEqual(h.output.values(), ['r0', 'r1']);
    let status = h.chain.source!.emitNext(10);
    while (status !== 'END_OF_INPUT') {
      assert.equal(status, 'NOTHING_AVAILABLE');
      pts.advanceTo(pts.time + 100);
      status = h.chain.source!.emitNext(10);
    }
    assert.deepEqual(h.output.values(), ['r0', 'r1', 'r2', 'r3', 'r4']);
    assert.equal(pts.time, 400, 'one record per 100 ms');
  });

  it('gives every subtask its own copy of a generator object', async () => {
    class Counter {
      calls = 0;
      map(i: number): string {
        this.calls++;
        return `${i}:${this.calls}`;
      }
    }
    const original = new Counter();
    const gen = new DataGeneratorSource(original, 4, undefined, { kind: 'STRING' }) as Source<unknown, unknown>;
    const a = await sourceChain(gen, { subtask: 0, parallelism: 2, maxParallelism: 2 });
    const b = await sourceChain(gen, { subtask: 1, parallelism: 2, maxParallelism: 2 });
    drain(a);
    drain(b);
    assert.deepEqual(
      [a.output.values(), b.output.values()],
      [
        ['0:1', '1:2'],
        ['2:1', '3:2'],
      ],
    );
    assert.equal(original.calls, 0);
  });
});

describe('FileSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsflink-files-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'b.txt'), 'b1\r\nb2\nb3');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'c.txt'), 'c1\n\nc3\n');
  writeFileSync(join(dir, '.hidden'), 'never');
  writeFileSync(join(dir, 'a.txt'), 'a1\na2\n');

  it('expands directories in sorted order, skips hidden files, and reads lines as Java does', async () => {
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), dir).build() as Source<unknown, unknown>;
    const h = await sourceChain(source);
    assert.equal(drain(h), 'END_OF_INPUT');
    assert.deepEqual(h.output.values(), ['a1', 'a2', 'b1', 'b2', 'b3', 'c1', '', 'c3']);
  });

  it('resumes a file after the records already read', async () => {
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), join(dir, 'b.txt'), join(dir, 'a.txt')).build() as Source<
      unknown,
      unknown
    >;
    const first = await sourceChain(source);
    first.chain.source!.emitNext(2);
    const snap = first.chain.snapshotState(1, 0)[0];
    const second = await sourceChain(source, { restored: redistribute([snap], 1)[0] });
    drain(second);
    assert.deepEqual([...first.output.values(), ...second.output.values()], ['b1', 'b2', 'b3', 'a1', 'a2']);
  });

  it('fails clearly on a missing path', async () => {
    const source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), join(dir, 'nope')).build() as Source<unknown, unknown>;
    await assert.rejects(sourceChain(source), /does not exist/);
  });
});

describe('CollectionSource', () => {
  it('is restored at its offset', async () => {
    const source = new CollectionSource(['a', 'b', 'c', 'd'], { kind: 'STRING' }) as Source<unknown, unknown>;
    const first = await sourceChain(source);
    first.chain.source!.emitNext(3);
    const snap = first.chain.snapshotState(7, 0)[0];
    const second = await sourceChain(source, { restored: redistribute([snap], 1)[0] });
    drain(second);
    assert.deepEqual(second.output.values(), ['d']);
    assert.equal(second.chain.source!.pendingRecords(), 0);
  });
});

describe('SocketTextSource', () => {
  it('emits lines until the peer closes', async () => {
    const server = createServer((socket) => socket.end('hello world\r\nsecond\nlast without newline'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const h = await sourceChain(new SocketTextSource('127.0.0.1', port));
      let status = h.chain.source!.emitNext(100);
      while (status !== 'END_OF_INPUT') {
        await h.chain.source!.whenAvailable();
        status = h.chain.source!.emitNext(100);
      }
      assert.deepEqual(h.output.values(), ['hello world', 'second', 'last without newline']);
      await h.chain.close();
    } finally {
      server.close();
    }
  });

  it('fails with the address when it cannot connect', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    await assert.rejects(sourceChain(new SocketTextSource('127.0.0.1', port)), new RegExp(`Cannot connect to socket 127.0.0.1:${port}`));
  });
});
