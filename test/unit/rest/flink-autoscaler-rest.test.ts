import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../src/core/logging.js';
import { getJson } from '../../helpers/test-dist.js';
import { TestingJobManager, twoVertexGraph } from './testing-job-manager.js';

configureLogging(new MemoryLogSink(), 'INFO');

/** What Flink's JobDetailsInfo needs of a vertex to parse (Flink's autoscaler reads /jobs/:jobid through it). */
interface VertexDetails {
  readonly id: string;
  readonly slotSharingGroupId: string;
  readonly maxParallelism: number;
}

/**
 * The answers Flink's autoscaler parses with Flink's own REST classes, in the shapes those classes
 * accept (found by running the autoscaler library against tsflink: `npm run compare-flink -- autoscaler`).
 */
describe("REST answers as Flink's autoscaler parses them", () => {
  const jm = new TestingJobManager({ 'jobmanager.scheduler': 'adaptive' });
  let url = '';
  let jobId = '';
  let otherJobId = '';

  before(async () => {
    url = await jm.startRest();
    jobId = (await jm.submit(twoVertexGraph({ parallelism: 2 }))).jobId;
    otherJobId = (await jm.submit(twoVertexGraph({ parallelism: 2 }))).jobId;
  });
  after(() => jm.close());

  it("gives every vertex a slot sharing group id of 32 hex digits (Flink's SlotSharingGroupId), one per group", async () => {
    const { vertices } = await getJson<{ vertices: VertexDetails[] }>(url, `/jobs/${jobId}`);
    assert.equal(vertices.length, 2);
    for (const vertex of vertices) assert.match(vertex.slotSharingGroupId, /^[0-9a-f]{32}$/);
    assert.equal(vertices[0]!.slotSharingGroupId, vertices[1]!.slotSharingGroupId, 'both vertices share the default group');
    const again = await getJson<{ vertices: VertexDetails[] }>(url, `/jobs/${jobId}`);
    assert.equal(again.vertices[0]!.slotSharingGroupId, vertices[0]!.slotSharingGroupId, 'stable across answers');
    const other = await getJson<{ vertices: VertexDetails[] }>(url, `/jobs/${otherJobId}`);
    assert.notEqual(other.vertices[0]!.slotSharingGroupId, vertices[0]!.slotSharingGroupId, 'a group of another job is another group');
  });

  it('lists the job configuration as key/value pairs with the scheduler the rescale realizer checks', async () => {
    const config = await getJson<Array<{ key: string; value: string }>>(url, `/jobs/${jobId}/jobmanager/config`);
    assert.ok(config.every((entry) => typeof entry.key === 'string' && typeof entry.value === 'string'));
    assert.equal(config.find((entry) => entry.key === 'jobmanager.scheduler')?.value, 'adaptive');
  });
});
