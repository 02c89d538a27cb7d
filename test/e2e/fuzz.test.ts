import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FuzzCluster } from '../fuzz/fuzz-cluster.js';
import { formatFailure, fuzzTarget, groupFailures } from '../fuzz/fuzz-runner.js';
import type { FuzzTarget } from '../fuzz/fuzz-target.js';
import { ConfigTarget } from '../fuzz/targets/config-target.js';
import { DataTarget } from '../fuzz/targets/data-target.js';
import { HandshakeTarget } from '../fuzz/targets/handshake-target.js';
import { JarTarget } from '../fuzz/targets/jar-target.js';
import { FUZZ_MAX_CONTENT_LENGTH, RestTarget } from '../fuzz/targets/rest-target.js';
import { RpcTarget } from '../fuzz/targets/rpc-target.js';

/** Fixed, so a failure here replays with `npm run fuzz -- --seed tsflink-e2e --target <t> --only <i>`. */
const SEED = 'tsflink-e2e';

/** Runs `count` inputs of a target and fails the test with every new failure, grouped, and how to replay it. */
async function fuzz(t: { diagnostic(message: string): void }, target: FuzzTarget, count: number): Promise<void> {
  const report = await fuzzTarget(target, { seed: SEED, maxInputs: count });
  t.diagnostic(`${report.target}: ${report.inputs} inputs in ${report.elapsedMs} ms, ${report.known.length} instance(s) of known findings`);
  const described = groupFailures(report.failures)
    .map(({ count: n, example }) => `${n} x ${formatFailure(example, SEED)}`)
    .join('\n');
  assert.equal(report.failures.length, 0, `${report.target} found ${report.failures.length} problem(s):\n${described}`);
  assert.equal(report.inputs, count, 'every input ran');
}

describe('fuzzing a running Reactive Mode job: sockets and REST (fixed seed)', () => {
  const cluster = new FuzzCluster({ 'rest.server.max-content-length': FUZZ_MAX_CONTENT_LENGTH });

  before(() => cluster.start());
  after(() => cluster.destroy());

  it('refuses every unauthenticated stranger on the JobManager socket within the handshake timeout', async (t) => {
    await fuzz(t, new HandshakeTarget(cluster), 500);
  });

  it('answers or cleanly drops every mutated message to every gateway method of an authenticated peer', async (t) => {
    await fuzz(t, new RpcTarget(cluster), 400);
  });

  it('keeps the TaskManager serving through mutated data frames on its data socket', async (t) => {
    await fuzz(t, new DataTarget(cluster), 400);
  });

  it('answers every random REST request in time, with a JSON {"errors"} body for every failure', async (t) => {
    await fuzz(t, new RestTarget(cluster), 600);
  });

  it('still registers a real TaskManager started through bin/taskmanager.sh afterwards', async () => {
    assert.deepEqual(await cluster.realTaskManagerRegisters(), []);
    assert.deepEqual(await cluster.checkJobManager(), []);
  });
});

describe('fuzzing configuration and job archives (fixed seed)', () => {
  it('loads or refuses random config.yaml texts and -D values with one line naming key and value, also through bin/jobmanager.sh', async (t) => {
    await fuzz(t, new ConfigTarget(100), 400);
  });

  it('refuses hostile and corrupt jars with one ProgramError line, writing nothing outside, also through standalone-job.sh', async (t) => {
    await fuzz(t, new JarTarget(80), 250);
  });
});
