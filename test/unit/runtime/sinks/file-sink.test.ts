import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { BasePathBucketAssigner, DefaultRollingPolicy, SimpleStringEncoder } from '../../../../src/runtime/sinks/file-sink-config.js';
import { FileSinkOperator } from '../../../../src/runtime/sinks/file-sink-operator.js';
import { FileSink } from '../../../../src/runtime/sinks/file-sink.js';
import type { OperatorSnapshotData, RestoredOperatorState } from '../../../../src/runtime/task-contract.js';
import { singleOperatorChain, TestingProcessingTimeService, testServices } from '../testing.js';

const STRING = { kind: 'STRING' } as const;
let dirs: string[] = [];
afterEach(() => {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  dirs = [];
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsflink-filesink-'));
  dirs.push(d);
  return d;
}

function files(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)).map((f) => join(n, f)) : [n]))
    .sort();
}
const visible = (dir: string) => files(dir).filter((f) => !f.split('/').pop()!.startsWith('.'));
const visibleLines = (dir: string) =>
  visible(dir)
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    )
    .sort();

function sinkSpec(base: string, maxPartSize = 1024 * 1024) {
  return FileSink.forRowFormat<string>(base, new SimpleStringEncoder())
    .withBucketAssigner(new BasePathBucketAssigner())
    .withRollingPolicy(DefaultRollingPolicy.builder().withMaxPartSize(maxPartSize).build())
    .build().spec as never;
}

async function sink(
  base: string,
  opts: { subtask?: number; parallelism?: number; checkpointing?: boolean; restored?: RestoredOperatorState; maxPartSize?: number } = {},
) {
  const services = testServices({
    subtaskIndex: opts.subtask ?? 0,
    parallelism: opts.parallelism ?? 1,
    checkpointingEnabled: opts.checkpointing ?? true,
    processingTime: new TestingProcessingTimeService(0),
  });
  const h = singleOperatorChain(() => new FileSinkOperator(sinkSpec(base, opts.maxPartSize)), {
    services,
    inputType: STRING,
    operatorId: 'c'.repeat(32),
  });
  await h.chain.initializeState(opts.restored === undefined ? undefined : [opts.restored]);
  await h.chain.open();
  return h.chain;
}

/** Union state: every new subtask receives all entries of all old subtasks. */
function unionRestore(snaps: OperatorSnapshotData[]): RestoredOperatorState {
  return {
    operatorId: snaps[0]!.operatorId,
    keyGroupChunks: [],
    listStates: [{ name: 'file-sink-pending', mode: 'UNION', entries: snaps.flatMap((s) => s.listStates?.[0]?.entries ?? []) }],
  };
}

describe('FileSink two-phase commit', () => {
  it('shows nothing until the checkpoint completes, then publishes whole part files named as Flink', async () => {
    const base = tempDir();
    const chain = await sink(base);
    chain.processElement('one', undefined);
    chain.processElement('two', undefined);
    assert.deepEqual(visible(base), []);
    assert.match(files(base)[0]!, /^\.part-[0-9a-f-]{36}-0-0\.inprogress\.[0-9a-f-]{36}$/);
    chain.snapshotState(1, 0);
    assert.deepEqual(visible(base), [], 'pending files stay hidden until the commit');
    await chain.notifyCheckpointComplete(1);
    assert.match(visible(base)[0]!, /^part-[0-9a-f-]{36}-0-0$/);
    assert.deepEqual(visibleLines(base), ['one', 'two']);
    assert.equal(files(base).length, 1, 'the in-progress file was renamed, not copied');
    await chain.close();
  });

  it('commits only checkpoints up to the completed one', async () => {
    const base = tempDir();
    const chain = await sink(base);
    chain.processElement('a', undefined);
    chain.snapshotState(1, 0);
    chain.processElement('b', undefined);
    chain.snapshotState(2, 0);
    await chain.notifyCheckpointComplete(1);
    assert.deepEqual(visibleLines(base), ['a']);
    await chain.notifyCheckpointComplete(2);
    assert.deepEqual(visibleLines(base), ['a', 'b']);
  });

  it('on restore commits what the checkpoint left pending and deletes stray in-progress files', async () => {
    const base = tempDir();
    const before = await sink(base);
    before.processElement('kept', undefined);
    const snap1 = before.snapshotState(1, 0);
    before.processElement('lost-after-checkpoint', undefined);
    await before.close(); // crash: checkpoint 1 completed but its notification never arrived
    assert.equal(files(base).length, 2);
    await sink(base, { restored: unionRestore(snap1) });
    assert.deepEqual(visibleLines(base), ['kept']);
    assert.deepEqual(
      files(base).filter((f) => f.startsWith('.')),
      [],
      'the stray in-progress file is gone',
    );
  });

  it('discards what a failed, uncompleted checkpoint wrote when restoring an earlier one', async () => {
    const base = tempDir();
    const before = await sink(base);
    before.processElement('a', undefined);
    const snap1 = before.snapshotState(1, 0);
    await before.notifyCheckpointComplete(1);
    before.processElement('b', undefined);
    before.snapshotState(2, 0); // never completes
    await before.close();
    await sink(base, { restored: unionRestore(snap1) });
    assert.deepEqual(visibleLines(base), ['a']);
    assert.equal(files(base).length, 1);
  });

  it('after a rescale from 2 to 1 the remaining subtask commits and cleans for both', async () => {
    const base = tempDir();
    const old = await Promise.all([0, 1].map((i) => sink(base, { subtask: i, parallelism: 2 })));
    old[0]!.processElement('from-0', undefined);
    old[1]!.processElement('from-1', undefined);
    const snaps = old.map((c) => c.snapshotState(5, 0)[0]!);
    old[1]!.processElement('stray-1', undefined);
    for (const c of old) await c.close();
    await sink(base, { subtask: 0, parallelism: 1, restored: unionRestore(snaps) });
    assert.deepEqual(visibleLines(base), ['from-0', 'from-1']);
    assert.equal(files(base).length, 2);
  });

  it('without checkpointing commits at the end of input', async () => {
    const base = tempDir();
    const chain = await sink(base, { checkpointing: false });
    chain.processElement('x', undefined);
    assert.deepEqual(visible(base), []);
    await chain.endInput();
    assert.deepEqual(visibleLines(base), ['x']);
  });

  it('rolls to a new part file when the part size is exceeded', async () => {
    const base = tempDir();
    const chain = await sink(base, { checkpointing: false, maxPartSize: 10 });
    for (const w of ['aaaaa', 'bbbbb', 'ccccc', 'ddddd']) chain.processElement(w, undefined);
    await chain.endInput();
    assert.deepEqual(
      visible(base).map((f) => f.replace(/^part-[0-9a-f-]{36}-/, '')),
      ['0-0', '0-1'],
    );
    assert.deepEqual(visibleLines(base), ['aaaaa', 'bbbbb', 'ccccc', 'ddddd']);
  });
});

describe('DateTimeBucketAssigner', () => {
  it('formats the processing time with the pattern in local time', async () => {
    const { DateTimeBucketAssigner } = await import('../../../../src/runtime/sinks/file-sink-config.js');
    const t = new Date(2026, 10, 24, 7, 5, 9).getTime();
    const ctx = { currentProcessingTime: () => t, timestamp: () => undefined };
    assert.equal(new DateTimeBucketAssigner().getBucketId('x', ctx), '2026-11-24--07');
    assert.equal(new DateTimeBucketAssigner('yyyyMMdd/HHmmss').getBucketId('x', ctx), '20261124/070509');
  });
});
