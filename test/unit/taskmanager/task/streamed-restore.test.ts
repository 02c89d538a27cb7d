import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { crc32 } from '../../../../src/core/crc32.js';
import type { GroupChain, StateSlice } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import type { StreamedKeyedRestore } from '../../../../src/runtime/task-contract.js';
import { KeyedStateLoader } from '../../../../src/taskmanager/checkpoint/keyed-state-loader.js';
import { StateFiles } from '../../../../src/taskmanager/checkpoint/restore-resolver.js';
import { CheckpointBarrier, WatermarkEvent } from '../../../../src/taskmanager/network/stream-elements.js';
import { inputRig } from '../../../helpers/input-rig.js';

/** A restore target whose records are `<group>:<name>`: a record waits while its group is missing. */
class FakeTarget implements StreamedKeyedRestore {
  readonly missing = new Set<number>();
  readonly arrivals: number[] = [];
  expect(offsets: readonly number[]): void {
    for (const g of offsets) this.missing.add(g);
  }
  arrive(offset: number): void {
    this.missing.delete(offset);
    this.arrivals.push(offset);
  }
  missingGroupFor(value: unknown): number | undefined {
    const g = Number(String(value).split(':')[0]);
    return this.missing.has(g) ? g : undefined;
  }
  get groupsToArrive(): number {
    return this.missing.size;
  }
}

describe('streamed restore: records wait only for their own key group', () => {
  it('processes records of groups that arrived, stops a channel at the first that waits, and asks for that group', async () => {
    const target = new FakeTarget();
    target.expect([1, 2]);
    const needed: number[] = [];
    const { chain, send, processor } = await inputRig(2, { target, needs: (g) => needed.push(g) });
    send(0, '0:a', '1:b', '0:c');
    send(1, '0:x');
    let result = processor.step(1_000, () => true);
    assert.equal(result.waitingForState, true);
    assert.deepEqual(needed, [1], 'the group the record waits for is asked for');
    assert.ok(chain.records.includes('0:a'));
    assert.ok(!chain.records.includes('0:c'), 'a channel keeps its order: 0:c waits behind 1:b');
    target.arrive(1);
    result = processor.step(1_000, () => true);
    assert.equal(result.waitingForState, false, 'nothing waits once group 1 is here');
    assert.deepEqual(
      chain.records.filter((r) => String(r) !== '0:x'),
      ['0:a', '1:b', '0:c'],
    );
    assert.ok(chain.records.includes('0:x'), 'the other channel went on');
  });

  it('holds watermarks and barriers until every group arrived, then lets them through in order', async () => {
    const target = new FakeTarget();
    target.expect([3]);
    const { chain, aligned, send, processor } = await inputRig(1, { target, needs: () => undefined });
    send(0, '0:a', new WatermarkEvent(10), new CheckpointBarrier(1, 0, 'CHECKPOINT'), '0:b');
    const first = processor.step(1_000, () => true);
    assert.equal(first.waitingForState, true);
    assert.deepEqual(chain.records, ['0:a']);
    assert.deepEqual(chain.watermarks, [], 'a watermark would fire timers of groups not here yet');
    assert.equal(aligned.length, 0, 'a snapshot would miss groups not here yet');
    target.arrive(3);
    const second = processor.step(1_000, () => true);
    assert.equal(second.waitingForState, false);
    assert.deepEqual(chain.watermarks, [10]);
    assert.deepEqual(
      aligned.map((a) => [a.id, a.recordsBefore]),
      [[1, ['0:a']]],
    );
    assert.deepEqual(chain.records, ['0:a', '0:b']);
  });
});

describe('KeyedStateLoader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-loader-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A file of `groups` chunks, each `group` bytes of value g; chain g is one base slice (none for empty groups). */
  function chainsOf(groups: number, empty: ReadonlySet<number> = new Set()): GroupChain[] {
    const path = join(dir, `state-${groups}-${empty.size}`);
    const parts: Buffer[] = [];
    const chains: GroupChain[] = [];
    let offset = 0;
    for (let g = 0; g < groups; g++) {
      if (empty.has(g)) {
        chains.push({ base: null, deltas: [] });
        continue;
      }
      const bytes = Buffer.alloc(16 + g, g);
      const slice: StateSlice = { kind: 'file', path, offset, length: bytes.length, crc32: crc32(bytes) };
      parts.push(bytes);
      offset += bytes.length;
      chains.push({ base: slice, deltas: [] });
    }
    writeFileSync(path, Buffer.concat(parts));
    return chains;
  }

  function load(chains: GroupChain[], onArrive: (g: number, loader: KeyedStateLoader) => void = () => undefined) {
    const arrived: Array<[number, number]> = [];
    let loader!: KeyedStateLoader;
    const done = new Promise<Error | undefined>((resolve) => {
      loader = new KeyedStateLoader(7, chains, new StateFiles(undefined), {
        arrived: (g, chunks) => {
          arrived.push([g, chunks[0]![0]!]);
          onArrive(g, loader);
        },
        done: () => resolve(undefined),
        failed: (error) => resolve(error),
      });
    });
    return { loader, arrived, done };
  }

  it('hands over every group with state once, with its own bytes, and skips empty ones', async () => {
    const { loader, arrived, done } = load(chainsOf(12, new Set([4, 9])));
    assert.deepEqual(loader.groups, [0, 1, 2, 3, 5, 6, 7, 8, 10, 11]);
    loader.start();
    assert.equal(await done, undefined);
    assert.deepEqual(
      arrived.map(([g]) => g).sort((a, b) => a - b),
      [0, 1, 2, 3, 5, 6, 7, 8, 10, 11],
    );
    for (const [g, firstByte] of arrived) assert.equal(firstByte, g, `group ${g} got its own bytes`);
  });

  it('reads a group a record waits for before the groups nobody waits for', async () => {
    const { loader, arrived, done } = load(chainsOf(40));
    loader.start(); // the first few reads are in flight already
    loader.prioritize(33);
    loader.prioritize(21);
    await done;
    const order = arrived.map(([g]) => g);
    assert.ok(order.indexOf(33) < 10 && order.indexOf(21) < 10, `33 and 21 come early: ${order.join(',')}`);
    assert.ok(order.indexOf(33) < order.indexOf(20), 'ahead of the groups in between');
  });

  it('reads the slices of a group a record waits for before the rest of the group in progress', async () => {
    // Ten groups of eight slices each (a base and seven deltas), all in one file.
    const path = join(dir, 'state-chains');
    const parts: Buffer[] = [];
    const chains: GroupChain[] = [];
    for (let g = 0; g < 10; g++) {
      const slices = Array.from({ length: 8 }, (_, i) => {
        const bytes = Buffer.alloc(64 + i, g);
        const offset = parts.reduce((sum, part) => sum + part.length, 0);
        parts.push(bytes);
        return { kind: 'file', path, offset, length: bytes.length, crc32: crc32(bytes) } satisfies StateSlice;
      });
      chains.push({ base: slices[0]!, deltas: slices.slice(1) });
    }
    writeFileSync(path, Buffer.concat(parts));
    const { loader, arrived, done } = load(chains);
    loader.start(); // four slices of group 0 are in flight
    loader.prioritize(9);
    assert.equal(await done, undefined);
    const order = arrived.map(([g]) => g);
    assert.deepEqual(
      order.slice(0, 2).sort(),
      [0, 9],
      `group 9 comes before the rest of group 0 is done, or right after: ${order.join(',')}`,
    );
    assert.deepEqual(order.slice(2), [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a slice whose bytes differ from the checkpoint fails the restore as STATE_CORRUPT, and nothing more arrives', async () => {
    const chains = chainsOf(6);
    const bad = chains[2]!.base as Extract<StateSlice, { kind: 'file' }>;
    chains[2] = { base: { ...bad, crc32: (bad.crc32 + 1) >>> 0 }, deltas: [] };
    const { loader, done } = load(chains);
    loader.start();
    const error = await done;
    assert.ok(error !== undefined);
    assert.equal((error as { code?: string }).code, 'STATE_CORRUPT');
    assert.match(error.message, /checksum mismatch/);
  });

  it('stops handing over groups once stopped', async () => {
    let stoppedAfter: number | undefined;
    const { loader, arrived } = load(chainsOf(30), (g, l) => {
      if (stoppedAfter === undefined) {
        stoppedAfter = g;
        l.stop();
      }
    });
    loader.start();
    while (stoppedAfter === undefined) await loader.whenIdle();
    await loader.whenIdle();
    assert.equal(arrived.length, 1, 'reads in flight at the stop hand nothing over');
  });
});
