import type { OperatorId } from '../../../../src/core/ids.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperatorStateHandle } from '../../../../src/rpc/gateways/checkpoint-messages.js';
import type { StateSlice, TaskRestoreDescriptor } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { CheckpointStatsTracker } from '../../../../src/jobmanager/checkpoint/checkpoint-stats-tracker.js';
import { CheckpointIdCounter } from '../../../../src/jobmanager/checkpoint/checkpoint-id-counter.js';
import { restoreLatestCheckpoint } from '../../../../src/jobmanager/checkpoint/checkpoint-services.js';
import { CompletedCheckpointStore } from '../../../../src/jobmanager/checkpoint/completed-checkpoint-store.js';
import type { CompletedCheckpoint } from '../../../../src/jobmanager/checkpoint/completed-checkpoint.js';
import {
  assignState,
  checkpointMaxParallelism,
  StateAssignmentError,
  type VertexRestorePlan,
} from '../../../../src/jobmanager/checkpoint/state-assignment.js';
import { JOB_ID } from './testing-checkpoint-context.js';
import { captureLogs } from './testing-clock.js';
import { asOperatorId, asVertexId } from '../../../helpers/ids.js';

captureLogs();

const MAX_P = 128;
const inline = (text: string): StateSlice => ({ kind: 'inline', bytes: new TextEncoder().encode(text) });
const text = (slice: StateSlice): string => new TextDecoder().decode((slice as { bytes: Uint8Array }).bytes);
const list = (name: string, mode: 'SPLIT_DISTRIBUTE' | 'UNION' | 'BROADCAST', entries: string[]) => ({
  name,
  mode,
  entries: entries.map(inline),
});

function checkpointOf(
  operators: Array<{ id: string; vertex?: string; maxParallelism?: number; states: Array<OperatorStateHandle | undefined> }>,
): CompletedCheckpoint {
  return {
    jobId: JOB_ID,
    id: 7,
    kind: 'CHECKPOINT',
    triggerTimestamp: 1,
    completionTimestamp: 2,
    vertices: [],
    externalPath: undefined,
    directory: undefined,
    stateSize: 0,
    operators: operators.map((o) => ({
      operatorId: asOperatorId(o.id),
      vertexId: asVertexId(o.vertex ?? 'v'),
      parallelism: o.states.length,
      maxParallelism: o.maxParallelism ?? MAX_P,
      subtaskStates: o.states,
    })),
  };
}

function plan(
  parallelism: number,
  operatorIds: OperatorId[] = [asOperatorId('keyed')],
  extra: Partial<VertexRestorePlan> = {},
): VertexRestorePlan[] {
  return [{ vertexId: asVertexId('v'), parallelism, maxParallelism: MAX_P, maxParallelismDerived: false, operatorIds, ...extra }];
}

/** Keyed handles of `parallelism` subtasks as a snapshot lays them out: one slot per key group of the range, null when empty. */
function keyedHandles(parallelism: number, content: (keyGroup: number) => string | undefined): OperatorStateHandle[] {
  return Array.from({ length: parallelism }, (_, i) => {
    const range = computeKeyGroupRangeForOperatorIndex(MAX_P, parallelism, i);
    const slices: Array<StateSlice | null> = [];
    for (const kg of range) {
      const value = content(kg);
      slices.push(value === undefined ? null : inline(value));
    }
    return { operatorId: asOperatorId('keyed'), keyGroups: { start: range.startKeyGroup, slices } };
  });
}

/** Which key groups (by their payload) each new subtask received. */
function receivedKeyGroups(restores: ReadonlyArray<TaskRestoreDescriptor | undefined>): number[][] {
  return restores.map((restore) => restore!.operators[0]!.keyGroupSlices.map((slice) => Number(text(slice).split(':')[0])));
}

describe('keyed state assignment', () => {
  it('assigns every key group exactly once through rescales 2 → 3 → 1 → 2, each to the subtask owning it', () => {
    const empty = (kg: number) => kg % 7 === 3;
    let handles = keyedHandles(2, (kg) => (empty(kg) ? undefined : `${kg}:v`));
    for (const newP of [3, 1, 2]) {
      const assignment = assignState(checkpointOf([{ id: 'keyed', states: handles }]), plan(newP));
      const received = receivedKeyGroups(assignment.tasks.get('v')!);
      const all = received.flat().sort((a, b) => a - b);
      const expected = Array.from({ length: MAX_P }, (_, kg) => kg).filter((kg) => !empty(kg));
      assert.deepEqual(all, expected, `p=${newP}: every non-empty key group exactly once`);
      received.forEach((groups, i) => {
        const range = computeKeyGroupRangeForOperatorIndex(MAX_P, newP, i);
        for (const kg of groups) assert.ok(range.contains(kg), `p=${newP}: key group ${kg} lands on subtask ${i}, which owns ${range}`);
        assert.deepEqual(
          groups,
          [...groups].sort((a, b) => a - b),
          'in key-group order',
        );
      });
      // The new subtasks snapshot what they restored: that is the next checkpoint.
      const owned = new Map(received.flatMap((groups) => groups.map((kg) => [kg, `${kg}:v`] as const)));
      handles = keyedHandles(newP, (kg) => owned.get(kg));
    }
  });

  it('gives each subtask its own slices when the parallelism is unchanged', () => {
    const handles = keyedHandles(3, (kg) => `${kg}:x`);
    const assignment = assignState(checkpointOf([{ id: 'keyed', states: handles }]), plan(3));
    for (let i = 0; i < 3; i++) {
      const own = handles[i]!.keyGroups!.slices;
      assert.deepEqual(assignment.restoreFor(asVertexId('v'), i)!.operators[0]!.keyGroupSlices, own, 'the very same slices');
      assert.equal(assignment.restoreFor(asVertexId('v'), i)!.operators[0]!.keyGroupSlices[0], own[0]);
    }
    assert.equal(assignment.restoreFor(asVertexId('v'), 0)!.checkpointId, 7);
  });
});

describe('restored chains for incremental checkpoints', () => {
  const DIR = '/cp/job';
  const file = (path: string, offset: number): StateSlice => ({ kind: 'file', path, offset, length: 10, crc32: 0 });
  /** Incremental handles of 2 subtasks: per group a shared base, and a shared delta on even groups. */
  function sharedHandles(root = `${DIR}/shared/chk-6`): OperatorStateHandle[] {
    return [0, 1].map((i) => {
      const range = computeKeyGroupRangeForOperatorIndex(MAX_P, 2, i);
      const slices: StateSlice[] = [];
      const deltas: Array<StateSlice[] | null> = [];
      for (const kg of range) {
        slices.push(file(`${root}/v-${i}-0`, kg * 10));
        deltas.push(kg % 2 === 0 ? [file(`${DIR}/shared/chk-7/v-${i}-0`, kg * 10)] : null);
      }
      return { operatorId: asOperatorId('keyed'), keyGroups: { start: range.startKeyGroup, slices, deltas } };
    });
  }
  const checkpoint = (handles: OperatorStateHandle[], kind: CompletedCheckpoint['kind'] = 'CHECKPOINT'): CompletedCheckpoint => ({
    ...checkpointOf([{ id: 'keyed', states: handles }]),
    kind,
    directory: `${DIR}/chk-7`,
  });

  it('gives each new subtask the chain of every group of its range, in order, when the job owns the shared files', () => {
    const assignment = assignState(checkpoint(sharedHandles()), plan(3), { ownsSharedState: true });
    for (let i = 0; i < 3; i++) {
      const range = computeKeyGroupRangeForOperatorIndex(MAX_P, 3, i);
      const operator = assignment.restoreFor(asVertexId('v'), i)!.operators[0]!;
      assert.equal(operator.chainsReusable, true);
      const chains = operator.keyGroupChains!;
      assert.equal(chains.length, range.size());
      chains.forEach((chain, offset) => {
        const kg = range.startKeyGroup + offset;
        assert.equal((chain.base as { offset: number }).offset, kg * 10, `group ${kg}'s base`);
        assert.equal(chain.deltas.length, kg % 2 === 0 ? 1 : 0, `group ${kg}'s deltas`);
      });
    }
  });

  it("restoreLatestCheckpoint marks the chains of the job's own checkpoints reusable, not those of one loaded from another job", async () => {
    for (const external of [false, true]) {
      const services = {
        store: new CompletedCheckpointStore({ numRetained: 2, discard: async () => undefined }),
        idCounter: new CheckpointIdCounter(),
        statsTracker: new CheckpointStatsTracker(),
      };
      await services.store.add(checkpoint(sharedHandles()), { external });
      const restored = restoreLatestCheckpoint(services, plan(2));
      const operator = restored!.assignment.restoreFor(asVertexId('v'), 1)!.operators[0]!;
      assert.equal(operator.chainsReusable === true, !external, external ? 'loaded (NO_CLAIM): not reusable' : 'its own: reusable');
      assert.ok(operator.keyGroupChains !== undefined, 'the groups are described either way');
    }
  });

  it('marks no chains reusable for a savepoint, files outside the shared directory, or shared files the job does not own', () => {
    const cases: Array<[string, CompletedCheckpoint, boolean]> = [
      ['a savepoint', checkpoint(sharedHandles(), 'SAVEPOINT'), true],
      ['an exclusive chk-n file', checkpoint(sharedHandles(`${DIR}/chk-6`)), true],
      ["another job's checkpoint (NO_CLAIM)", checkpoint(sharedHandles()), false],
    ];
    for (const [what, cp, owns] of cases) {
      const assignment = assignState(cp, plan(3), { ownsSharedState: owns });
      assert.equal(assignment.restoreFor(asVertexId('v'), 0)!.operators[0]!.chainsReusable, undefined, what);
      assert.ok(assignment.restoreFor(asVertexId('v'), 0)!.operators[0]!.keyGroupSlices.length > 0, `${what}: still restored`);
    }
  });
});

describe('list state redistribution', () => {
  const restoredLists = (restore: TaskRestoreDescriptor | undefined) =>
    Object.fromEntries(restore!.operators[0]!.listStates.map((l) => [l.name, l.entries.map(text)]));

  it('SPLIT_DISTRIBUTE: contiguous chunks, the first (total mod n) one longer, start rotating per named state', () => {
    const states: OperatorStateHandle[] = [
      {
        operatorId: asOperatorId('src'),
        listStates: [list('s1', 'SPLIT_DISTRIBUTE', ['a0', 'a1', 'a2']), list('s2', 'SPLIT_DISTRIBUTE', ['c0'])],
      },
      {
        operatorId: asOperatorId('src'),
        listStates: [list('s1', 'SPLIT_DISTRIBUTE', ['b0', 'b1']), list('s2', 'SPLIT_DISTRIBUTE', ['d0', 'd1', 'd2'])],
      },
    ];
    const assignment = assignState(checkpointOf([{ id: 'src', states }]), plan(3, [asOperatorId('src')]));
    assert.deepEqual(
      [0, 1, 2].map((i) => restoredLists(assignment.restoreFor(asVertexId('v'), i))),
      [
        { s1: ['a0', 'a1'], s2: ['d1'] },
        { s1: ['a2', 'b0'], s2: ['d2'] },
        { s1: ['b1'], s2: ['c0', 'd0'] },
      ],
    );
    const down = assignState(checkpointOf([{ id: 'src', states }]), plan(1, [asOperatorId('src')]));
    assert.deepEqual(restoredLists(down.restoreFor(asVertexId('v'), 0)), {
      s1: ['a0', 'a1', 'a2', 'b0', 'b1'],
      s2: ['c0', 'd0', 'd1', 'd2'],
    });
    const same = assignState(checkpointOf([{ id: 'src', states }]), plan(2, [asOperatorId('src')]));
    assert.deepEqual(
      [0, 1].map((i) => restoredLists(same.restoreFor(asVertexId('v'), i))),
      [
        { s1: ['a0', 'a1', 'a2'], s2: ['c0'] },
        { s1: ['b0', 'b1'], s2: ['d0', 'd1', 'd2'] },
      ],
    );
    const wide = assignState(checkpointOf([{ id: 'src', states }]), plan(4, [asOperatorId('src')]));
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => restoredLists(wide.restoreFor(asVertexId('v'), i)).s1),
      [['a0', 'a1'], ['a2'], ['b0'], ['b1']],
    );
    // s1 gave receiver 0 the extra entry, so s2 starts at receiver 1 and wraps around.
    assert.deepEqual(
      [0, 1, 2, 3].map((i) => restoredLists(wide.restoreFor(asVertexId('v'), i)).s2),
      [['d2'], ['c0'], ['d0'], ['d1']],
    );
  });

  it('UNION: every subtask gets all entries, also at unchanged parallelism', () => {
    const states: OperatorStateHandle[] = [
      { operatorId: asOperatorId('src'), listStates: [list('u', 'UNION', ['x', 'y'])] },
      { operatorId: asOperatorId('src'), listStates: [list('u', 'UNION', ['z'])] },
    ];
    for (const newP of [2, 3]) {
      const assignment = assignState(checkpointOf([{ id: 'src', states }]), plan(newP, [asOperatorId('src')]));
      for (let i = 0; i < newP; i++) assert.deepEqual(restoredLists(assignment.restoreFor(asVertexId('v'), i)), { u: ['x', 'y', 'z'] });
    }
  });

  it('BROADCAST: new subtask i gets the copy of old subtask i mod oldP', () => {
    const states: OperatorStateHandle[] = [
      { operatorId: asOperatorId('src'), listStates: [list('b', 'BROADCAST', ['copy0'])] },
      { operatorId: asOperatorId('src'), listStates: [list('b', 'BROADCAST', ['copy1'])] },
    ];
    const up = assignState(checkpointOf([{ id: 'src', states }]), plan(5, [asOperatorId('src')]));
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((i) => restoredLists(up.restoreFor(asVertexId('v'), i)).b),
      [['copy0'], ['copy1'], ['copy0'], ['copy1'], ['copy0']],
    );
    const down = assignState(checkpointOf([{ id: 'src', states }]), plan(1, [asOperatorId('src')]));
    assert.deepEqual(restoredLists(down.restoreFor(asVertexId('v'), 0)).b, ['copy0']);
  });

  it('marks every subtask of a stateful vertex as restoring, even one that gets no entries', () => {
    const states: OperatorStateHandle[] = [{ operatorId: asOperatorId('src'), listStates: [list('splits', 'SPLIT_DISTRIBUTE', ['only'])] }];
    const assignment = assignState(checkpointOf([{ id: 'src', states }]), plan(2, [asOperatorId('src')]));
    assert.deepEqual(restoredLists(assignment.restoreFor(asVertexId('v'), 1)), { splits: [] });
  });
});

describe('restore preconditions', () => {
  const keyed = () => checkpointOf([{ id: 'keyed', states: keyedHandles(2, (kg) => `${kg}:k`) }]);

  it("refuses a parallelism above the checkpoint's max parallelism", () => {
    const checkpoint = checkpointOf([
      { id: 'keyed', maxParallelism: 4, states: [{ operatorId: asOperatorId('keyed'), keyGroups: { start: 0, slices: [inline('0:k')] } }] },
    ]);
    assert.throws(
      () => assignState(checkpoint, plan(5, [asOperatorId('keyed')], { maxParallelism: 4 })),
      (error: unknown) =>
        error instanceof StateAssignmentError &&
        error.code === 'STATE_MAX_PARALLELISM_TOO_LOW' &&
        /parallelism 5.*maximum parallelism 4/.test(error.message),
    );
  });

  it("refuses a changed configured max parallelism but adopts the checkpoint's over a derived one", () => {
    assert.throws(
      () => assignState(keyed(), plan(2, [asOperatorId('keyed')], { maxParallelism: 256 })),
      (error: unknown) =>
        error instanceof StateAssignmentError && error.code === 'STATE_MAX_PARALLELISM_CHANGED' && /128.*256/.test(error.message),
    );
    const adopted = assignState(keyed(), plan(3, [asOperatorId('keyed')], { maxParallelism: 256, maxParallelismDerived: true }));
    assert.equal(adopted.adoptedMaxParallelism.get('v'), 128);
    const last = receivedKeyGroups(adopted.tasks.get('v')!)[2]!;
    assert.deepEqual([last[0], last.at(-1)], [86, 127], "ranges follow the checkpoint's max parallelism 128");
    assert.equal(checkpointMaxParallelism(keyed(), [asOperatorId('other'), asOperatorId('keyed')]), 128);
    assert.equal(checkpointMaxParallelism(keyed(), [asOperatorId('other')]), undefined);
  });

  it('names stateful operators missing from the new job unless non-restored state is allowed', () => {
    const checkpoint = checkpointOf([
      { id: 'keyed', states: keyedHandles(2, (kg) => `${kg}:k`) },
      {
        id: 'gone-stateful',
        vertex: 'w',
        states: [{ operatorId: asOperatorId('gone-stateful'), listStates: [list('l', 'UNION', ['e'])] }],
      },
      { id: 'gone-stateless', vertex: 'w', states: [undefined] },
    ]);
    assert.throws(
      () => assignState(checkpoint, plan(2)),
      (error: unknown) =>
        error instanceof StateAssignmentError &&
        error.code === 'STATE_NOT_RESTORABLE' &&
        /gone-stateful/.test(error.message) &&
        !/gone-stateless/.test(error.message),
    );
    const assignment = assignState(checkpoint, plan(2), { allowNonRestoredState: true });
    assert.equal(assignment.restoreFor(asVertexId('v'), 0)!.operators.length, 1);
  });

  it('restores nothing into a vertex without state in the checkpoint', () => {
    const assignment = assignState(keyed(), [
      ...plan(2),
      {
        vertexId: asVertexId('fresh'),
        parallelism: 3,
        maxParallelism: MAX_P,
        maxParallelismDerived: true,
        operatorIds: [asOperatorId('new-op')],
      },
    ]);
    assert.deepEqual(assignment.tasks.get('fresh'), [undefined, undefined, undefined]);
    assert.equal(assignment.restoreFor(asVertexId('fresh'), 1), undefined);
  });

  it('restores a vertex the checkpoint knew as a restore with nothing in it: a drained source must not start over', () => {
    // The source had read every split (its list state is empty) and the sink vertex had finished, so neither has state.
    const checkpoint: CompletedCheckpoint = {
      ...checkpointOf([
        { id: 'keyed', states: keyedHandles(2, (kg) => `${kg}:k`) },
        {
          id: 'source',
          vertex: 's',
          states: [0, 1].map(() => ({
            operatorId: asOperatorId('source'),
            listStates: [list('SourceReaderState', 'SPLIT_DISTRIBUTE', [])],
          })),
        },
      ]),
      vertices: [
        { vertexId: asVertexId('s'), parallelism: 2, maxParallelism: MAX_P, operatorIds: [asOperatorId('source')] },
        { vertexId: asVertexId('v'), parallelism: 2, maxParallelism: MAX_P, operatorIds: [asOperatorId('keyed')] },
        { vertexId: asVertexId('w'), parallelism: 2, maxParallelism: MAX_P, operatorIds: [asOperatorId('sink')] },
      ],
    };
    const vertex = (vertexId: string, operatorId: string): VertexRestorePlan => ({
      vertexId: asVertexId(vertexId),
      parallelism: 3,
      maxParallelism: MAX_P,
      maxParallelismDerived: false,
      operatorIds: [asOperatorId(operatorId)],
    });
    const assignment = assignState(checkpoint, [vertex('s', 'source'), ...plan(3), vertex('w', 'sink'), vertex('n', 'new-op')]);
    for (const vertexId of ['s', 'w']) {
      assert.deepEqual(
        assignment.tasks.get(vertexId),
        [0, 1, 2].map(() => ({ checkpointId: 7, operators: [] })),
        vertexId,
      );
    }
    assert.deepEqual(assignment.tasks.get('n'), [undefined, undefined, undefined], 'an operator new to the job starts fresh');
  });

  it("restoreLatestCheckpoint uses the store's latest checkpoint and counts the restore", async () => {
    const services = {
      store: new CompletedCheckpointStore({ numRetained: 2 }),
      idCounter: new CheckpointIdCounter(),
      statsTracker: new CheckpointStatsTracker(),
    };
    assert.equal(restoreLatestCheckpoint(services, plan(2)), undefined);
    await services.store.add(keyed());
    const restored = restoreLatestCheckpoint(services, plan(3), { now: 4242 });
    assert.equal(restored?.checkpoint.id, 7);
    assert.equal(restored?.assignment.tasks.get('v')?.length, 3);
    const stats = services.statsTracker.renderCheckpointingStatistics();
    assert.equal(stats.counts.restored, 1);
    assert.deepEqual(stats.latest.restored, {
      id: 7,
      restore_timestamp: 4242,
      is_savepoint: false,
      external_path: '<checkpoint-not-externally-addressable>',
    });
    assert.equal(services.statsTracker.metrics().lastCheckpointRestoreTimestamp, 4242);
  });
});
