import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import {
  JOB_MANAGER_BIND_HOST,
  JOB_MANAGER_EXECUTION_FAILOVER_STRATEGY,
  JOB_MANAGER_RPC_ADDRESS,
  PARALLELISM_DEFAULT,
  REST_ADDRESS,
  REST_PORT,
  TASK_MANAGER_HOST,
  TASK_MANAGER_NUM_TASK_SLOTS,
  loadConfiguration,
} from '../../../src/config/index.js';

// Compiled to dist/test/unit/config/, so the project root is four levels up.
const CONF = fileURLToPath(new URL('../../../../conf/', import.meta.url));

describe('the shipped conf/ directory', () => {
  it("loads without warnings and sets Flink's shipped values explicitly", async () => {
    const { configuration, warnings } = await loadConfiguration({ confDir: CONF });
    assert.deepEqual(warnings, []);
    assert.equal(configuration.getOptional(JOB_MANAGER_RPC_ADDRESS), 'localhost');
    assert.equal(configuration.getOptional(JOB_MANAGER_BIND_HOST), 'localhost');
    assert.equal(configuration.getOptional(REST_ADDRESS), 'localhost');
    assert.equal(configuration.getOptional(REST_PORT), 8081);
    assert.equal(configuration.getOptional(TASK_MANAGER_NUM_TASK_SLOTS), 1);
    assert.equal(configuration.getOptional(PARALLELISM_DEFAULT), 1);
    assert.equal(configuration.getOptional(TASK_MANAGER_HOST), 'localhost');
    assert.equal(configuration.getOptional(JOB_MANAGER_EXECUTION_FAILOVER_STRATEGY), 'region');
  });

  it('ships masters and workers for one local JobManager and TaskManager', async () => {
    assert.equal(await readFile(`${CONF}masters`, 'utf8'), 'localhost:8081\n');
    assert.equal(await readFile(`${CONF}workers`, 'utf8'), 'localhost\n');
  });

  it('has commented examples that load when uncommented', async () => {
    const text = await readFile(`${CONF}config.yaml`, 'utf8');
    for (const key of ['interval: 10 s', 'scheduler-mode: reactive', 'type: fixed-delay'])
      assert.ok(text.includes(`# ${key}`) || text.includes(key), key);
  });
});
