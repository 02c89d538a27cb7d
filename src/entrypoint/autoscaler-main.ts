import { availableParallelism } from 'node:os';
import { AutoscalerService } from '../autoscaler/autoscaler-service.js';
import { autoscalerSettings } from '../autoscaler/autoscaler-settings.js';
import type { AutoscalerRestApi } from '../autoscaler/rest-metric-collector.js';
import { ReactiveActuator, ResourceRequirementsActuator, type ScalingActuator } from '../autoscaler/scaling-actuator.js';
import { TaskManagerScript } from '../autoscaler/task-manager-script.js';
import { restClientTls } from '../security/tls-settings.js';
import { resolveRestTarget } from '../cli/commands/flink-address.js';
import { FlinkRestClient } from '../cli/commands/flink-rest-client.js';
import type { Configuration } from '../config/configuration.js';
import { loadConfiguration, logLoadedConfiguration, resolveConfDir } from '../config/index.js';
import {
  AUTOSCALER_CONTROL_LOOP_INTERVAL,
  AUTOSCALER_TASK_MANAGERS_CORES_FACTOR,
  AUTOSCALER_TASK_MANAGERS_MAX,
  AUTOSCALER_TASK_MANAGERS_MIN,
} from '../config/options/autoscaler-options.js';
import { ENV_LOG_LEVEL } from '../config/options/env-options.js';
import { TASK_MANAGER_NUM_TASK_SLOTS } from '../config/options/taskmanager-options.js';
import { describeError } from '../core/errors.js';
import { getLogger } from '../core/logging.js';
import { reportReadiness } from '../daemon/readiness.js';
import type { EntrypointArguments } from './entrypoint-arguments.js';
import { FLINK_HOME } from './flink-home.js';
import { installShutdownHandlers, setupLogging } from './process-lifecycle.js';

const log = getLogger('autoscaler');

/** A running control loop; `stop` ends it after the round in progress. */
export interface AutoscalerLoop {
  stop(): Promise<void>;
}

/** Reactive Mode is the JobManager's: ask it, so one autoscaler fits whatever cluster it is pointed at. */
async function isReactive(api: AutoscalerRestApi): Promise<boolean> {
  const config = await api.get<readonly { key: string; value: string }[]>('/jobmanager/config');
  return config.some((entry) => entry.key === 'scheduler-mode' && entry.value.toLowerCase() === 'reactive');
}

function actuatorFor(reactive: boolean, api: AutoscalerRestApi, configuration: Configuration, confDir: string): ScalingActuator {
  if (!reactive) return new ResourceRequirementsActuator(api);
  return new ReactiveActuator(api, new TaskManagerScript(FLINK_HOME, confDir), configuration.get(TASK_MANAGER_NUM_TASK_SLOTS), {
    min: configuration.get(AUTOSCALER_TASK_MANAGERS_MIN),
    max: configuration.get(AUTOSCALER_TASK_MANAGERS_MAX),
    cores: availableParallelism(),
    coresFactor: configuration.get(AUTOSCALER_TASK_MANAGERS_CORES_FACTOR),
  });
}

/**
 * Runs the autoscaler's control loop against the JobManager that `restUrl` names (or, when absent,
 * the one the configuration names, looked up again each round so a restarted JobManager is found).
 */
export function startAutoscalerLoop(configuration: Configuration, confDir: string, restUrl?: string): AutoscalerLoop {
  const intervalMs = configuration.get(AUTOSCALER_CONTROL_LOOP_INTERVAL);
  const settings = autoscalerSettings(configuration);
  let service: { url: string; service: AutoscalerService } | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  let lastFailure: string | undefined;
  const serviceFor = async (): Promise<AutoscalerService> => {
    const target =
      restUrl === undefined ? await resolveRestTarget(undefined, [], confDir) : { url: restUrl, tls: restClientTls(configuration) };
    if (service?.url === target.url) return service.service;
    const api = new FlinkRestClient(target.url, target.tls);
    const reactive = await isReactive(api);
    log.info(
      `Autoscaling the jobs of ${target.url} every ${intervalMs} ms (${reactive ? 'Reactive Mode: TaskManagers' : 'resource requirements'}${settings.scalingEnabled ? '' : ', dry run'}).`,
    );
    service = {
      url: target.url,
      service: new AutoscalerService({ api, settings, actuator: actuatorFor(reactive, api, configuration, confDir), reactive }),
    };
    return service.service;
  };
  const tick = (): void => {
    round = (async () => {
      try {
        await (await serviceFor()).round();
        lastFailure = undefined;
      } catch (error) {
        // The JobManager may be starting, restarting or gone for a moment: try again next round,
        // and say so once rather than every round.
        const message = `Autoscaler round failed: ${describeError(error)}`;
        if (message === lastFailure) log.debug(message);
        else log.warn(message);
        lastFailure = message;
        service = undefined;
      }
      if (!stopped) timer = setTimeout(tick, intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}

/** Runs the autoscaler as its own process (bin/autoscaler.sh) until it is stopped. */
export async function runAutoscaler(args: EntrypointArguments): Promise<void> {
  const confDir = args.configDir ?? resolveConfDir(process.env, FLINK_HOME);
  const loaded = await loadConfiguration({ confDir, dynamicProperties: args.dynamicProperties });
  setupLogging(loaded.configuration.get(ENV_LOG_LEVEL));
  log.info(`Starting the autoscaler (tsflink, Node ${process.version}, pid ${process.pid}).`);
  logLoadedConfiguration(loaded, log);
  const loop = startAutoscalerLoop(loaded.configuration, confDir);
  installShutdownHandlers(async () => {
    await loop.stop();
    return 0;
  });
  reportReadiness({ type: 'ready', summary: 'Autoscaler is running', details: { pid: process.pid } });
}
