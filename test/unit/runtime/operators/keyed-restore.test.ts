import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StreamExecutionEnvironment } from '../../../../src/api/environment/stream-execution-environment.js';
import { Types } from '../../../../src/api/types.js';
import type { StreamOperatorChain } from '../../../../src/runtime/chain/stream-operator-chain.js';
import type { Collector } from '../../../../src/runtime/functions/function-types.js';
import {
  KeyedProcessFunction,
  type KeyedProcessContext,
  type OnTimerContext,
} from '../../../../src/runtime/functions/process-functions.js';
import { assignKeyToParallelOperator, computeKeyGroupRangeForOperatorIndex } from '../../../../src/runtime/keygroups/index.js';
import { ValueStateDescriptor } from '../../../../src/runtime/state/state-descriptors.js';
import type { OperatorSnapshotData, RestoredOperatorState } from '../../../../src/runtime/task-contract.js';
import { CollectingOutput, testServices } from '../testing.js';
import { takeAllChunks } from '../../../../src/runtime/state/key-group-snapshot.js';

class Counter extends KeyedProcessFunction<string, string, string> {
  processElement(word: string, ctx: KeyedProcessContext<string>, out: Collector<string>): void {
    const state = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('n', Types.INT));
    const n = (state.value() ?? 0) + 1;
    state.update(n);
    if (n === 1) ctx.timerService().registerEventTimeTimer(100);
    out.collect(`${word}=${n}`);
  }
  override onTimer(ts: number, ctx: OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`timer ${ctx.getCurrentKey()}@${ts}`);
  }
}

function program() {
  const env = StreamExecutionEnvironment.createDetached();
  env
    .fromData<string>([])
    .keyBy((w) => w, Types.STRING)
    .process(new Counter(), Types.STRING)
    .uid('counter')
    .print();
  return env.buildJobProgram('restore');
}

function chainAt(
  p: number,
  i: number,
  restored?: RestoredOperatorState[],
): Promise<{ chain: StreamOperatorChain; output: CollectingOutput; lines: string[] }> {
  const prog = program();
  const vertex = prog.graph.vertices[1]!;
  const lines: string[] = [];
  const output = new CollectingOutput();
  const chain = prog.createChain(
    vertex.id,
    testServices({ subtaskIndex: i, parallelism: p, maxParallelism: 128, lines }),
    output,
  ) as StreamOperatorChain;
  return chain
    .initializeState(restored)
    .then(() => chain.open())
    .then(() => ({ chain, output, lines }));
}

/** Each operator's key-group chunks of every old snapshot, taken once as the writer would, by absolute key group. */
type TakenChunks = Array<{ operatorId: string; keyGroup: number; bytes: Uint8Array }>;

function takeChunks(snapshots: OperatorSnapshotData[][]): TakenChunks {
  const taken: TakenChunks = [];
  for (const snap of snapshots.flat()) {
    if (snap.keyGroups === undefined) continue;
    const start = snap.keyGroups.start;
    takeAllChunks(snap.keyGroups).forEach((bytes, off) => {
      if (bytes !== undefined) taken.push({ operatorId: snap.operatorId, keyGroup: start + off, bytes });
    });
  }
  return taken;
}

/** What the JobManager hands a new subtask: the chunks of its key groups from every old snapshot. */
function keyedShare(taken: TakenChunks, p: number, i: number): RestoredOperatorState[] {
  const range = computeKeyGroupRangeForOperatorIndex(128, p, i);
  const byOperator = new Map<string, Uint8Array[]>();
  for (const { operatorId, keyGroup, bytes } of taken) {
    const chunks = byOperator.get(operatorId) ?? byOperator.set(operatorId, []).get(operatorId)!;
    if (range.contains(keyGroup)) chunks.push(bytes);
  }
  return [...byOperator].map(([operatorId, keyGroupChunks]) => ({ operatorId: operatorId as never, keyGroupChunks, listStates: [] }));
}

describe('keyed operator restore across a rescale', () => {
  it('continues counts and fires restored timers after going from 2 to 3 subtasks', async () => {
    const words = ['to', 'be', 'or', 'not', 'that', 'is', 'the', 'question', 'whether', 'tis'];
    const old = await Promise.all([0, 1].map((i) => chainAt(2, i)));
    for (const w of [...words, ...words]) old[assignKeyToParallelOperator(w, 128, 2)]!.chain.processElement(w, 1);
    const snapshots = takeChunks(old.map((h) => h.chain.snapshotState(1, 0)));
    const fresh = await Promise.all([0, 1, 2].map((i) => chainAt(3, i, keyedShare(snapshots, 3, i))));
    for (const w of words) fresh[assignKeyToParallelOperator(w, 128, 3)]!.chain.processElement(w, 2);
    const printed = fresh.flatMap((h) => h.lines.map((l) => l.replace(/^\d+> /, ''))).sort();
    assert.deepEqual(printed, words.map((w) => `${w}=3`).sort());
    for (const h of fresh) h.chain.processWatermark(100);
    const timers = fresh.flatMap((h) => h.lines.filter((l) => l.includes('timer')).map((l) => l.replace(/^\d+> /, ''))).sort();
    assert.deepEqual(timers, words.map((w) => `timer ${w}@100`).sort(), "each key's timer fires once, at its new owner");
  });
});
