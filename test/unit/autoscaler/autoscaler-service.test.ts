import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AutoscalerService } from '../../../src/autoscaler/autoscaler-service.js';
import { ReactiveActuator, ResourceRequirementsActuator } from '../../../src/autoscaler/scaling-actuator.js';
import { maxTaskManagers, planTaskManagers } from '../../../src/autoscaler/task-manager-plan.js';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { PipelineSimulator } from '../../helpers/pipeline-simulator.js';
import { SIMULATED_JOB, SimulatedCluster } from './simulated-cluster.js';
import { settingsWith } from '../../helpers/simulated-run.js';

const logs = new MemoryLogSink();
configureLogging(logs, 'INFO');

const MINUTE = 60_000;
const BOUNDS = { min: 1, max: undefined, cores: 8, coresFactor: 1 };

/** source → keyed map, 5000 records/s per map subtask; 2 slots per TaskManager. */
function cluster(load: (t: number) => number, taskManagers: number): SimulatedCluster {
  const sim = new PipelineSimulator(
    [
      { id: 'source', capacityPerSubtask: 1_000_000, parallelism: 1 },
      { id: 'map', capacityPerSubtask: 5_000, parallelism: 1, ship: 'HASH' },
    ],
    load,
  );
  return new SimulatedCluster(sim, taskManagers, 2);
}

async function run(service: AutoscalerService, c: SimulatedCluster, untilMs: number): Promise<void> {
  for (let t = 5_000; t <= untilMs; t += 5_000) {
    c.advanceTo(t);
    now = t;
    await service.round();
  }
}
let now = 0;

describe('TaskManager planning', () => {
  it('turns slots into TaskManagers within taskmanagers.min/max and cores × factor', () => {
    assert.equal(planTaskManagers(5, 2, BOUNDS).target, 3);
    assert.equal(planTaskManagers(0, 2, { ...BOUNDS, min: 2 }).target, 2);
    assert.equal(planTaskManagers(64, 2, BOUNDS).target, 8);
    assert.match(planTaskManagers(64, 2, { ...BOUNDS, max: 4 }).reason, /capped at 4/);
    assert.equal(maxTaskManagers({ min: 1, max: 10, cores: 2, coresFactor: 1.5 }), 3);
  });
});

describe('AutoscalerService in Reactive Mode', () => {
  it('starts TaskManagers for a step up and stops them after the step down, recording each decision', async () => {
    const c = cluster((t) => (t < 2 * MINUTE ? 6_000 : t < 5 * MINUTE ? 20_000 : 6_000), 1);
    const service = new AutoscalerService({
      api: c,
      settings: settingsWith(),
      actuator: new ReactiveActuator(c, c, 2, BOUNDS),
      reactive: true,
      now: () => now,
    });
    await run(service, c, 4 * MINUTE);
    assert.equal(c.taskManagers, 4, '20k/s needs 6 map subtasks at 70 %: 8 slots (key groups), 4 TaskManagers');
    await run(service, c, 10 * MINUTE);
    assert.ok(c.taskManagers <= 2, `back to ${c.taskManagers} TaskManagers`);
    const applied = c.posted.filter((d) => d.applied);
    assert.match(applied[0]!.action!, /^started 3 TaskManager\(s\): 1 → 4/);
    assert.match(applied[0]!.summary!, /^autoscaler: busy \d+ % at p=2, target 70 % → p=8 \(map\)$/);
    assert.ok(
      applied.slice(1).every((d) => /^stopped/.test(d.action!)),
      'no reversal',
    );
    assert.ok(logs.lines.some((line) => line.includes('Action: started 3 TaskManager(s)')));
  });

  it('never runs more TaskManagers than the machine allows, and does not ask again and again', async () => {
    const c = cluster(() => 200_000, 1);
    const service = new AutoscalerService({
      api: c,
      settings: settingsWith(),
      actuator: new ReactiveActuator(c, c, 2, { ...BOUNDS, cores: 2, coresFactor: 1.5 }),
      reactive: true,
      now: () => now,
    });
    await run(service, c, 10 * MINUTE);
    assert.equal(c.taskManagers, 3);
    assert.equal(c.posted.filter((d) => d.applied).length, 1);
  });

  it('only recommends in dry run', async () => {
    const c = cluster(() => 20_000, 1);
    const service = new AutoscalerService({
      api: c,
      settings: settingsWith({ scalingEnabled: false }),
      actuator: new ReactiveActuator(c, c, 2, BOUNDS),
      reactive: true,
      now: () => now,
    });
    await run(service, c, 3 * MINUTE);
    assert.equal(c.taskManagers, 1);
    const scale = c.posted.filter((d) => d.outcome === 'scale');
    assert.ok(scale.length > 0 && scale.every((d) => d.dryRun && !d.applied));
  });
});

describe('ResourceRequirementsActuator', () => {
  it('PUTs the new upper bound per vertex, keeping the lower bound unless it is above it', async () => {
    const calls: Array<[string, unknown]> = [];
    const api = {
      get: <T>(): Promise<T> =>
        Promise.resolve({
          a: { parallelism: { lowerBound: 1, upperBound: 2 } },
          b: { parallelism: { lowerBound: 4, upperBound: 4 } },
          c: { parallelism: { lowerBound: 1, upperBound: 3 } },
        } as T),
      put: <T>(path: string, body: unknown): Promise<T> => {
        calls.push([path, body]);
        return Promise.resolve({} as T);
      },
      post: <T>(): Promise<T> => Promise.resolve({} as T),
    };
    const result = await new ResourceRequirementsActuator(api).apply(SIMULATED_JOB, { a: 6, b: 2 });
    assert.equal(result.applied, true);
    assert.deepEqual(calls, [
      [
        `/jobs/${SIMULATED_JOB}/resource-requirements`,
        {
          a: { parallelism: { lowerBound: 1, upperBound: 6 } },
          b: { parallelism: { lowerBound: 2, upperBound: 2 } },
          c: { parallelism: { lowerBound: 1, upperBound: 3 } },
        },
      ],
    ]);
  });
});
