import { join } from 'node:path';
import { FLINK_HOME } from './test-dist.js';

/** Data from Apache Flink (Apache-2.0) kept in the repository, so tests need nothing outside it. */
const FIXTURES = join(FLINK_HOME, 'test', 'fixtures');

/** Flink's REST API snapshot (flink-runtime-web's rest_api_v1.snapshot): every call's request and response schema. */
export const FLINK_REST_SNAPSHOT = join(FIXTURES, 'flink-data', 'rest_api_v1.master-c43754cd.snapshot.json');

/** Input and expected output of Flink's TopSpeedWindowingExampleITCase. */
export const TOPSPEED_CONFORMANCE = join(FIXTURES, 'conformance', 'topspeed');
