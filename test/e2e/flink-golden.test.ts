import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describe as describeDifference, diffShapes, shapeOf } from '../../bench/compare-flink/json-shape.js';
import { knownDifference } from '../../bench/compare-flink/known-differences.js';
import { fillableTemplates, observe, SCENARIO_CONFIG, type FlinkGolden, type Observations } from '../../bench/compare-flink/observe.js';
import { tsflinkCluster } from '../../bench/vs-flink/systems.js';
import { FLINK_REST_SNAPSHOT } from '../helpers/fixture-paths.js';
import { FLINK_HOME } from '../helpers/test-dist.js';
import { assertConforms } from '../unit/rest/rest-conformance.js';

/** What real Apache Flink answered in the compare-flink scenario (`npm run compare-flink -- --record-fixture`). */
const GOLDEN = JSON.parse(readFileSync(join(FLINK_HOME, 'test', 'fixtures', 'flink-rest-shapes.json'), 'utf8')) as FlinkGolden;

describe(`tsflink against Apache Flink ${GOLDEN.flinkVersion}'s recorded answers to the compare-flink scenario`, () => {
  const cluster = tsflinkCluster(SCENARIO_CONFIG);
  const work = mkdtempSync(join(tmpdir(), 'tsf-golden-'));
  const snapshot = JSON.parse(readFileSync(FLINK_REST_SNAPSHOT, 'utf8')) as { calls: Array<{ url: string; method: string }> };
  const templates = fillableTemplates(snapshot.calls.filter((call) => call.method === 'GET').map((call) => call.url));
  let observed: Observations;

  before(async () => {
    observed = await observe(cluster, templates, work);
  });

  after(async () => {
    await cluster.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  it("serves every endpoint Flink served, in Flink's shape, apart from the known differences", () => {
    const findings: string[] = [];
    for (const [moment, shapes] of Object.entries(GOLDEN.moments)) {
      for (const [template, flinkShape] of Object.entries(shapes)) {
        const ours = observed.rest[moment]?.[template];
        if (ours === undefined || ours.status !== 200) {
          if (knownDifference(template) === undefined) findings.push(`${moment}: GET ${template} answered ${ours?.status ?? 'nothing'}`);
          continue;
        }
        for (const difference of diffShapes(flinkShape, shapeOf(ours.body), { nullable: true })) {
          if (knownDifference(template, difference.path) === undefined)
            findings.push(`${moment}: GET ${template}: ${describeDifference(difference)}`);
        }
      }
    }
    assert.deepEqual(findings, []);
  });

  it("answers every endpoint it serves in the REST snapshot's schema", () => {
    let checked = 0;
    const problems: string[] = [];
    for (const answers of Object.values(observed.rest)) {
      for (const [template, answer] of Object.entries(answers)) {
        if (answer.status !== 200) continue;
        try {
          assertConforms('GET', template, answer.status, answer.body);
        } catch (error) {
          problems.push(error instanceof Error ? error.message.split('\n').slice(0, 3).join(' ') : String(error));
        }
        checked++;
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked >= 40, `only ${checked} answers checked`);
  });

  it("prints what Flink's bin/flink printed for list, savepoint and cancel", () => {
    assert.deepEqual(observed.cli, GOLDEN.cli);
  });

  it('takes the job through the status transitions Flink reported', () => {
    assert.deepEqual(observed.transitions, GOLDEN.transitions);
  });
});
