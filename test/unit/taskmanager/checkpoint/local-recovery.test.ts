import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TaskDeploymentDescriptor } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import { LocalStateStore } from '../../../../src/taskmanager/checkpoint/local-state-store.js';
import { resolveRestore } from '../../../../src/taskmanager/checkpoint/restore-resolver.js';
import { persistSnapshot, type PersistedSnapshot } from '../../../../src/taskmanager/checkpoint/snapshot-persister.js';
import { encodedKeyGroups } from '../../../helpers/encoded-key-groups.js';
import { asOperatorId } from '../../../helpers/ids.js';

const JOB = 'a'.repeat(32);
const OP = asOperatorId('op');
const CHUNKS = [new Uint8Array(300).fill(1), undefined, new Uint8Array(200).fill(2), new Uint8Array(100).fill(3)];
const TOTAL = 600;

describe('task-local recovery', () => {
  const base = mkdtempSync(join(tmpdir(), 'tsf-local-'));
  after(() => rmSync(base, { recursive: true, force: true }));
  let n = 0;

  /** A checkpoint written by the real persister, with its local copy, and the store that holds the copy. */
  async function written(checkpointId = 4): Promise<{ store: LocalStateStore; primary: string; persisted: PersistedSnapshot }> {
    const dir = join(base, `case-${++n}`);
    const store = new LocalStateStore(join(dir, 'local'));
    const primary = join(dir, 'storage', JOB, `chk-${checkpointId}`, 'v-0-0');
    const persisted = await persistSnapshot([{ operatorId: OP, keyGroups: encodedKeyGroups(0, CHUNKS) }], {
      kind: 'file',
      path: primary,
      copyPath: store.copyPathOf(primary),
    });
    return { store, primary, persisted };
  }

  function restoreOf(persisted: PersistedSnapshot, checkpointId = 4): TaskDeploymentDescriptor {
    const slices = persisted.operators[0]!.keyGroups!.slices.filter((slice) => slice !== null);
    return {
      restore: { checkpointId, operators: [{ operatorId: OP, keyGroupSlices: slices, listStates: [] }] },
    } as unknown as TaskDeploymentDescriptor;
  }

  const expectedChunks = CHUNKS.filter((c) => c !== undefined).map((c) => Buffer.from(c));

  it('writes a byte-identical copy under <root>/<job>/chk-<id>/ and restores every byte from it', async () => {
    const { store, primary, persisted } = await written();
    const copy = store.copyPathOf(primary)!;
    assert.equal(copy, join(store.root, JOB, 'chk-4', 'v-0-0'));
    assert.deepEqual(readFileSync(copy), readFileSync(primary));
    const restored = await resolveRestore(restoreOf(persisted), store);
    assert.deepEqual(
      restored!.operators[0]!.keyGroupChunks.map((c) => Buffer.from(c)),
      expectedChunks,
    );
    assert.deepEqual([restored!.bytesLocal, restored!.bytesFromStorage], [TOTAL, 0]);
  });

  it('an aborted write rejects and leaves neither the file nor its local copy behind', async () => {
    const dir = join(base, `case-${++n}`);
    const store = new LocalStateStore(join(dir, 'local'));
    const primary = join(dir, 'storage', JOB, 'chk-5', 'v-0-0');
    const write = new AbortController();
    write.abort();
    await assert.rejects(
      persistSnapshot(
        [{ operatorId: OP, keyGroups: encodedKeyGroups(0, CHUNKS) }],
        { kind: 'file', path: primary, copyPath: store.copyPathOf(primary) },
        undefined,
        write.signal,
      ),
      { name: 'AbortError' },
    );
    assert.equal(existsSync(primary), false, 'no primary file');
    assert.equal(existsSync(store.copyPathOf(primary)!), false, 'no local copy');
  });

  it('does not use a copy whose bytes differ from the checkpoint, and reads storage instead', async () => {
    const { store, primary, persisted } = await written();
    const copy = store.copyPathOf(primary)!;
    const bytes = readFileSync(copy);
    bytes[350] = bytes[350]! ^ 0xff; // inside the second chunk
    writeFileSync(copy, bytes);
    const restored = await resolveRestore(restoreOf(persisted), store);
    assert.deepEqual(
      restored!.operators[0]!.keyGroupChunks.map((c) => Buffer.from(c)),
      expectedChunks,
      'the right bytes all the same',
    );
    // Every slice is checked against its own checksum, so only the damaged chunk comes from storage.
    assert.deepEqual([restored!.bytesLocal, restored!.bytesFromStorage], [400, 200]);
  });

  it('does not use a copy of another checkpoint, nor a truncated one', async () => {
    const { store, primary, persisted } = await written(4);
    const copy = store.copyPathOf(primary)!;
    // The copy of checkpoint 4 cannot serve a restore of checkpoint 5, even with the same file name.
    const other = await written(5);
    const otherCopy = other.store.copyPathOf(other.primary)!;
    rmSync(otherCopy);
    mkdirSync(dirname(join(other.store.root, JOB, 'chk-4', 'v-0-0')), { recursive: true });
    renameSync(copy, join(other.store.root, JOB, 'chk-4', 'v-0-0'));
    const fromOther = await resolveRestore(restoreOf(other.persisted, 5), other.store);
    assert.deepEqual([fromOther!.bytesLocal, fromOther!.bytesFromStorage], [0, TOTAL]);

    writeFileSync(copy, readFileSync(primary).subarray(0, 450));
    const truncated = await resolveRestore(restoreOf(persisted), store);
    assert.deepEqual(
      truncated!.operators[0]!.keyGroupChunks.map((c) => Buffer.from(c)),
      expectedChunks,
    );
    assert.deepEqual([truncated!.bytesLocal, truncated!.bytesFromStorage], [300, 300], 'the chunks cut off come from storage');
  });

  it('keeps only the copies of the latest completed checkpoint and leaves savepoints without one', async () => {
    const { store } = await written(7);
    for (const id of [5, 6, 8]) mkdirSync(join(store.root, JOB, `chk-${id}`), { recursive: true });
    await store.retainFrom(JOB, 7);
    assert.deepEqual(
      [5, 6, 7, 8].map((id) => existsSync(join(store.root, JOB, `chk-${id}`))),
      [false, false, true, true],
    );
    assert.equal(store.copyPathOf(join(base, 'savepoints', 'savepoint-abc-123', 'v-0-0')), undefined);
  });
});
