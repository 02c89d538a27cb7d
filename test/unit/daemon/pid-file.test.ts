import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { PidFile } from '../../../src/daemon/pid-file.js';
import { deadPid } from '../../helpers/dead-pid.js';

const execFileAsync = promisify(execFile);
const PID_FILE_MODULE = new URL('../../../src/daemon/pid-file.js', import.meta.url).href;

describe('PidFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsf-pid-'));
  let counter = 0;
  const freshPath = (): string => join(root, `case-${counter++}`, 'flink-tester-taskexecutor.pid');
  after(() => rmSync(root, { recursive: true, force: true }));

  it('gives 20 parallel registrations the ids 0..19, each exactly once, and records each pid on its line', async () => {
    const file = new PidFile(freshPath());
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        file.register(async (id) => {
          for (let turn = 0; turn < n % 3; turn++) await new Promise((resolve) => setImmediate(resolve)); // hold the lock across awaits, as spawning does
          return 50_000 + id;
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.instanceId).sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.ok(results.every((r) => r.pid === 50_000 + r.instanceId));
    assert.deepEqual(
      file.read(),
      Array.from({ length: 20 }, (_, i) => 50_000 + i),
      'line i holds the pid of instance i',
    );
    assert.equal(existsSync(`${file.path}.lock`), false, 'the lock is released');
  });

  it('agrees on instance ids across processes registering at the same time', async () => {
    const path = freshPath();
    const script = `
      const { PidFile } = await import(${JSON.stringify(PID_FILE_MODULE)});
      const r = await new PidFile(process.argv[1]).register(async () => { await new Promise((res) => setImmediate(res)); return process.pid; });
      console.log(JSON.stringify(r));`;
    const outputs = await Promise.all(
      Array.from({ length: 8 }, () => execFileAsync(process.execPath, ['--input-type=module', '-e', script, path])),
    );
    const results = outputs.map((o) => JSON.parse(o.stdout) as { instanceId: number; pid: number });
    assert.deepEqual(
      results.map((r) => r.instanceId).sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    const lines = new PidFile(path).read();
    for (const r of results) assert.equal(lines[r.instanceId], r.pid);
  });

  it('pops the newest pid first and deletes the file when the last one goes', async () => {
    const file = new PidFile(freshPath());
    for (const pid of [101, 102, 103]) await file.register(async () => pid);
    assert.equal(await file.popNewest(), 103);
    assert.deepEqual(file.read(), [101, 102]);
    assert.equal(await file.popNewest(), 102);
    assert.equal(await file.popNewest(), 101);
    assert.equal(existsSync(file.path), false);
    assert.equal(await file.popNewest(), 'missing');
  });

  it("removes one pid's newest line, keeping the others in order, and the file with the last", async () => {
    const file = new PidFile(freshPath());
    for (const pid of [101, 102, 101, 103]) await file.register(async () => pid);
    assert.equal(await file.remove(101), true);
    assert.deepEqual(file.read(), [101, 102, 103]);
    assert.equal(await file.remove(999), false);
    for (const pid of [101, 102, 103]) assert.equal(await file.remove(pid), true);
    assert.equal(existsSync(file.path), false);
    assert.equal(await file.remove(101), false);
  });

  it('reports a file with no usable line as empty, and removes it', async () => {
    const path = freshPath();
    const file = new PidFile(path);
    await file.register(async () => 1); // creates the directory
    writeFileSync(path, '\n\n');
    assert.equal(await file.popNewest(), 'empty');
    assert.equal(existsSync(path), false);
    assert.equal(await file.popNewest(), 'missing');
  });

  it('reads nothing from a missing file and skips lines that are not pids', async () => {
    const path = freshPath();
    const file = new PidFile(path);
    assert.deepEqual(file.read(), []);
    await file.register(async () => 7);
    writeFileSync(path, ' 12 \nnot-a-pid\n-3\n0\n\n34\n');
    assert.deepEqual(file.read(), [12, 34]);
  });

  it('takes every pid at once, oldest first, and leaves no file behind', async () => {
    const file = new PidFile(freshPath());
    for (const pid of [201, 202, 203]) await file.register(async () => pid);
    assert.deepEqual(await file.takeAll(), [201, 202, 203]);
    assert.equal(existsSync(file.path), false);
    assert.equal(existsSync(`${file.path}.tmp`), false);
    assert.deepEqual(await file.takeAll(), []);
  });

  it('counts stale lines for the next id, unless asked to drop a file whose pids are all dead', async () => {
    const path = freshPath();
    const file = new PidFile(path);
    const dead = [deadPid(), deadPid()];
    for (const pid of dead) await file.register(async () => pid);
    assert.equal((await file.register(async () => process.pid)).instanceId, 2, 'stale lines still count, as in flink-daemon.sh');
    // A file with a live pid (ours) is kept even with dropIfAllDead.
    assert.equal((await file.register(async () => 301, { dropIfAllDead: true })).instanceId, 3);
    writeFileSync(path, `${dead[0]}\n${dead[1]}\n`);
    const dropped = await file.register(async () => 302, { dropIfAllDead: true });
    assert.equal(dropped.instanceId, 0);
    assert.equal(readFileSync(path, 'utf8'), '302\n');
  });

  it('leaves the file as it was when spawning fails', async () => {
    const file = new PidFile(freshPath());
    await file.register(async () => 401);
    await assert.rejects(
      file.register(async () => {
        throw new Error('spawn failed');
      }),
      /spawn failed/,
    );
    assert.deepEqual(file.read(), [401]);
    assert.equal((await file.register(async () => 402)).instanceId, 1, 'the lock was released after the failure');
  });
});
