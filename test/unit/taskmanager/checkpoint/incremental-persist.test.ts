import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CheckpointAcknowledgement, OperatorStateHandle } from '../../../../src/rpc/gateways/checkpoint-messages.js';
import type { StateSlice, TaskDeploymentDescriptor } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { HeapKeyedStateBackend } from '../../../../src/runtime/state/heap-keyed-state-backend.js';
import { ValueStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { ValueState } from '../../../../src/runtime/state/state-types.js';
import type { OperatorChain } from '../../../../src/runtime/task-contract.js';
import { resolveRestore } from '../../../../src/taskmanager/checkpoint/restore-resolver.js';
import { SubtaskCheckpointer } from '../../../../src/taskmanager/checkpoint/subtask-checkpointer.js';
import type { ChainOutputWriter } from '../../../../src/taskmanager/network/chain-output-writer.js';
import { CheckpointBarrier } from '../../../../src/taskmanager/network/stream-elements.js';
import type { GroupChain } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { persistSnapshot, type PersistedSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import { asOperatorId } from '../../../helpers/ids.js';

const OP = asOperatorId('op');
const INT = { kind: 'INT' } as const;
const STRING = { kind: 'STRING' } as const;
const desc = new ValueStateDescriptor<string>('payload', STRING);

function backend(): HeapKeyedStateBackend {
  return new HeapKeyedStateBackend(INT, 128, computeKeyGroupRangeForOperatorIndex(128, 1, 0));
}

function put(b: HeapKeyedStateBackend, key: number, value: string | undefined): void {
  b.setCurrentKey(key);
  (b.getPartitionedState(desc) as unknown as ValueState<string>).update(value);
}

function get(b: HeapKeyedStateBackend, key: number): string | undefined {
  b.setCurrentKey(key);
  return (b.getPartitionedState(desc) as unknown as ValueState<string>).value();
}

/** The slices a restore reads, as the JobManager's state assignment orders them: per group, base then deltas. */
function restoreSlices(handle: OperatorStateHandle): StateSlice[] {
  const groups = handle.keyGroups!;
  return groups.slices.flatMap((base, g) => [...(base === null ? [] : [base]), ...(groups.deltas?.[g] ?? [])]);
}

describe('incremental snapshot persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-incremental-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('references unchanged groups, writes deltas for changed ones, and restores exactly', async () => {
    const b = backend();
    for (let k = 0; k < 2_000; k++) put(b, k, `value-${k}`.padEnd(100, '.'));
    const chains = new Map<number, Map<typeof OP, GroupChain[]>>();
    const persist = async (id: number): Promise<PersistedSnapshot> => {
      const snapshot = b.snapshot(id, { incremental: true });
      const persisted = await persistSnapshot(
        [{ operatorId: OP, keyGroups: snapshot }],
        { kind: 'file', path: join(dir, 'shared', `chk-${id}`, 'v-0-0') },
        (base, operatorId) => chains.get(base)?.get(operatorId),
      );
      chains.set(id, persisted.chains);
      return persisted;
    };
    const first = await persist(1);
    assert.equal(first.checkpointedSize, first.stateSize, 'the first is full');
    b.notifyCheckpointComplete(1);

    put(b, 5, 'changed');
    put(b, 6, undefined);
    const second = await persist(2);
    const handle = second.operators[0]!;
    assert.ok(second.checkpointedSize * 50 < second.stateSize, `${second.checkpointedSize} of ${second.stateSize} bytes written`);
    const deltas = handle.keyGroups!.deltas!;
    const changed = deltas.flatMap((d, g) => (d !== null && d.length > 0 ? [g] : []));
    assert.ok(changed.length >= 1 && changed.length <= 2, `changed groups ${changed.join(', ')}`);
    for (const slice of handle.keyGroups!.slices) {
      if (slice?.kind === 'file') assert.ok(slice.path.includes('chk-1'), 'every base is the first checkpoint’s');
    }

    const restored = backend();
    const resolved = await resolveRestore({
      restore: { checkpointId: 2, operators: [{ operatorId: OP, keyGroupSlices: restoreSlices(handle), listStates: [] }] },
    } as unknown as TaskDeploymentDescriptor);
    restored.restore(resolved!.operators[0]!.keyGroupChunks);
    for (let k = 0; k < 2_000; k++) assert.equal(get(restored, k), get(b, k), `key ${k}`);
    assert.equal(get(restored, 6), undefined);
    assert.equal(get(restored, 5), 'changed');
  });

  it('refuses to write a delta whose base chains it does not know', async () => {
    const b = backend();
    put(b, 1, 'a');
    b.snapshot(1, { incremental: true }).release();
    b.notifyCheckpointComplete(1);
    put(b, 1, 'b');
    await assert.rejects(
      persistSnapshot([{ operatorId: OP, keyGroups: b.snapshot(2, { incremental: true }) }], { kind: 'memory' }, () => undefined),
      /chains of checkpoint 1/,
    );
  });
});

describe('SubtaskCheckpointer with incremental checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-incremental-task-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("asks for incremental checkpoints into shared/chk-<id>, for full savepoints into chk-<id>, and a rescale's for no rebase", async () => {
    const asked: unknown[] = [];
    const chain = {
      snapshotState: (_id: number, _ts: number, options: unknown) => {
        asked.push(options);
        return [{ operatorId: OP, listStates: [{ name: 'offsets', mode: 'SPLIT_DISTRIBUTE', entries: [new Uint8Array([1])] }] }];
      },
    } as unknown as OperatorChain;
    const writer = { broadcastEvent: () => {}, numRecordsOut: 0 } as unknown as ChainOutputWriter;
    const acks: CheckpointAcknowledgement[] = [];
    const tdd = {
      jobId: 'f'.repeat(32),
      attemptId: 'attempt',
      vertexId: 'v',
      subtaskIndex: 0,
      attemptNumber: 0,
      checkpointing: { enabled: true, mode: 'EXACTLY_ONCE', checkpointDirectory: dir, incremental: true },
    } as unknown as TaskDeploymentDescriptor;
    const checkpointer = new SubtaskCheckpointer(tdd, chain, writer, { acknowledge: (ack) => acks.push(ack), decline: () => {} });
    checkpointer.perform(new CheckpointBarrier(1, 0, 'CHECKPOINT'), 0);
    checkpointer.perform(new CheckpointBarrier(2, 0, 'SAVEPOINT'), 0);
    checkpointer.perform(new CheckpointBarrier(3, 0, 'CHECKPOINT', true), 0);
    await waitUntil(() => acks.length === 3);
    assert.deepEqual(asked, [
      { savepoint: false, incremental: true, deferRebase: false },
      { savepoint: true, incremental: false, deferRebase: false },
      // A planned rescale's checkpoint (its sources halt after it) leaves rebasing to the next one.
      { savepoint: false, incremental: true, deferRebase: true },
    ]);
    const pathOf = (ack: CheckpointAcknowledgement): string => {
      const slice = ack.state.operators[0]!.listStates![0]!.entries[0]!;
      return slice.kind === 'file' ? slice.path : '';
    };
    const byId = new Map(acks.map((ack) => [ack.checkpointId, pathOf(ack)]));
    assert.equal(byId.get(1), join(dir, 'f'.repeat(32), 'shared', 'chk-1', 'v-0-0'));
    assert.equal(byId.get(2), join(dir, 'f'.repeat(32), 'chk-2', 'v-0-0'));
  });
});

async function waitUntil(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}
