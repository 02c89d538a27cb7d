import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { vertexBounds, type ResourceRequirements } from '../../../../../../src/jobmanager/scheduler/adaptive/allocator/vertex-bounds.js';
import { testingJobGraph } from '../testing-job.js';

/** name → [lower, upper, maxParallelism] */
function boundsByName(...args: Parameters<typeof vertexBounds>): Record<string, [number, number, number]> {
  return Object.fromEntries(vertexBounds(...args).map((b) => [b.name, [b.lower, b.upper, b.maxParallelism]]));
}

describe('vertexBounds in Reactive Mode', () => {
  it('puts every vertex at its max parallelism and ignores the configured parallelism', () => {
    const graph = testingJobGraph([{ name: 'source', parallelism: 1 }, { name: 'map', parallelism: 4 }, { name: 'sink' }]);
    assert.deepEqual(boundsByName(graph, true, 1, undefined), { source: [1, 128, 128], map: [1, 128, 128], sink: [1, 128, 128] });
  });

  it('is limited only by a max parallelism set on the vertex or the job', () => {
    const graph = testingJobGraph([{ name: 'source', maxParallelism: 1 }, { name: 'map', maxParallelism: 2 }, { name: 'sink' }], {
      maxParallelism: 64,
    });
    assert.deepEqual(boundsByName(graph, true, 1, undefined), { source: [1, 1, 1], map: [1, 2, 2], sink: [1, 64, 64] });
  });

  it('derives the default max parallelism from the configured parallelism, not the cluster size', () => {
    const graph = testingJobGraph([
      { name: 'wide', parallelism: 100 },
      { name: 'narrow', parallelism: 85 },
    ]);
    assert.deepEqual(boundsByName(graph, true, 500, undefined), { wide: [1, 256, 256], narrow: [1, 128, 128] });
  });
});

describe('vertexBounds with the Adaptive Scheduler outside Reactive Mode', () => {
  it("caps each vertex at its configured parallelism, the job's, or the cluster default", () => {
    const graph = testingJobGraph([{ name: 'source', parallelism: 3 }, { name: 'sink' }]);
    assert.deepEqual(boundsByName(graph, false, 4, undefined), { source: [1, 3, 128], sink: [1, 4, 128] });
    const jobLevel = testingJobGraph([{ name: 'source' }], { parallelism: 6 });
    assert.deepEqual(boundsByName(jobLevel, false, 4, undefined), { source: [1, 6, 128] });
  });

  it('never goes above the max parallelism', () => {
    const graph = testingJobGraph([{ name: 'source', parallelism: 10, maxParallelism: 4 }]);
    assert.deepEqual(boundsByName(graph, false, 1, undefined), { source: [1, 4, 4] });
  });
});

describe('vertexBounds with REST resource requirements', () => {
  const graph = testingJobGraph([{ name: 'source' }, { name: 'map' }, { name: 'sink', maxParallelism: 8 }]);

  it('takes the lower and upper bounds set through REST', () => {
    const requirements: ResourceRequirements = new Map([['source', { lowerBound: 2, upperBound: 5 }]]);
    assert.deepEqual(boundsByName(graph, true, 1, requirements).source, [2, 5, 128]);
  });

  it('caps the upper bound at the max parallelism and the lower bound at the upper one', () => {
    const requirements: ResourceRequirements = new Map([
      ['sink', { lowerBound: 3, upperBound: 50 }],
      ['map', { lowerBound: 9, upperBound: 6 }],
    ]);
    const bounds = boundsByName(graph, true, 1, requirements);
    assert.deepEqual(bounds.sink, [3, 8, 8]);
    assert.deepEqual(bounds.map, [6, 6, 128]);
  });

  it('keeps the default for a bound given as -1', () => {
    const requirements: ResourceRequirements = new Map([
      ['map', { lowerBound: -1, upperBound: -1 }],
      ['sink', { lowerBound: 2, upperBound: -1 }],
    ]);
    const bounds = boundsByName(graph, true, 1, requirements);
    assert.deepEqual(bounds.map, [1, 128, 128]);
    assert.deepEqual(bounds.sink, [2, 8, 8]);
  });
});
