import type { Configuration } from '../../config/configuration.js';
import { CHECKPOINTING_INTERVAL } from '../../config/options/checkpointing-options.js';
import { PARALLELISM_DEFAULT } from '../../config/options/core-options.js';
import { AUTO_WATERMARK_INTERVAL, BUFFER_TIMEOUT, MAX_PARALLELISM } from '../../config/options/pipeline-options.js';
import type { ProgramDefaults } from '../../rpc/gateways/job-master-gateway.js';

/** What a job's main sees as the cluster's defaults, from the JobManager's configuration; `parallelism` overrides parallelism.default. */
export function programDefaults(configuration: Configuration, parallelism?: number): ProgramDefaults {
  return {
    parallelism: parallelism ?? configuration.get(PARALLELISM_DEFAULT),
    maxParallelism: configuration.get(MAX_PARALLELISM),
    autoWatermarkIntervalMs: configuration.get(AUTO_WATERMARK_INTERVAL),
    checkpointIntervalMs: configuration.get(CHECKPOINTING_INTERVAL),
    bufferTimeoutMs: configuration.get(BUFFER_TIMEOUT),
  };
}
