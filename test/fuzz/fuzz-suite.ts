import { FuzzCluster } from './fuzz-cluster.js';
import { buildReport, fuzzTarget, type FuzzBudget, type FuzzReport } from './fuzz-runner.js';
import type { FuzzTarget } from './fuzz-target.js';
import { ConfigTarget } from './targets/config-target.js';
import { DataTarget } from './targets/data-target.js';
import { HandshakeTarget } from './targets/handshake-target.js';
import { JarTarget } from './targets/jar-target.js';
import { FUZZ_MAX_CONTENT_LENGTH, RestTarget } from './targets/rest-target.js';
import { RpcTarget } from './targets/rpc-target.js';

/** Every target's name, in the order they run. */
export const TARGET_NAMES = ['jm-handshake', 'jm-rpc', 'tm-data', 'rest', 'config', 'jars'] as const;
/** One fuzz target's name. */
export type TargetName = (typeof TARGET_NAMES)[number];

const CLUSTER_TARGETS: ReadonlySet<string> = new Set(['jm-handshake', 'jm-rpc', 'tm-data', 'rest']);

/** How a suite run is bounded and which inputs also go through the real bin/ scripts. */
export interface SuiteOptions {
  readonly seed: string;
  readonly targets: readonly TargetName[];
  /** Per target. */
  readonly inputsPerTarget?: number;
  /** Per target. */
  readonly msPerTarget?: number;
  /** Replay a single input of the (single) selected target. */
  readonly only?: number;
  /** Every n-th config and jar input also runs through a real script. */
  readonly scriptEvery: number;
  /** Called as each target finishes. */
  readonly onReport?: (report: FuzzReport) => void;
}

/**
 * Runs the selected targets one after another. The socket and REST targets share one real cluster
 * (started only if one of them is selected); after them a real TaskManager must still register.
 */
export async function runFuzzSuite(options: SuiteOptions): Promise<FuzzReport[]> {
  const reports: FuzzReport[] = [];
  const needsCluster = options.targets.some((t) => CLUSTER_TARGETS.has(t));
  let cluster = needsCluster ? await startCluster() : undefined;
  try {
    for (const name of options.targets) {
      // A target that killed the cluster has reported it; the next one gets a fresh cluster.
      if (cluster !== undefined && CLUSTER_TARGETS.has(name) && !cluster.isAlive) {
        await cluster.destroy();
        cluster = await startCluster();
      }
      const target = createTarget(name, cluster, options.scriptEvery);
      const budget: FuzzBudget = { seed: options.seed, maxInputs: options.inputsPerTarget, maxMs: options.msPerTarget, only: options.only };
      const report = await fuzzTarget(target, budget);
      reports.push(report);
      options.onReport?.(report);
    }
    if (cluster !== undefined && cluster.isAlive) {
      const problems = await cluster.realTaskManagerRegisters();
      const after = buildReport(
        'cluster-after',
        0,
        problems.map((message) => ({ target: 'cluster-after', index: -1, message, input: '' })),
        0,
      );
      reports.push(after);
      options.onReport?.(after);
    }
  } finally {
    await cluster?.destroy();
  }
  return reports;
}

async function startCluster(): Promise<FuzzCluster> {
  const cluster = new FuzzCluster({ 'rest.server.max-content-length': FUZZ_MAX_CONTENT_LENGTH });
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

function createTarget(name: TargetName, cluster: FuzzCluster | undefined, scriptEvery: number): FuzzTarget {
  switch (name) {
    case 'jm-handshake':
      return new HandshakeTarget(cluster!);
    case 'jm-rpc':
      return new RpcTarget(cluster!);
    case 'tm-data':
      return new DataTarget(cluster!);
    case 'rest':
      return new RestTarget(cluster!);
    case 'config':
      return new ConfigTarget(scriptEvery);
    case 'jars':
      return new JarTarget(scriptEvery);
  }
}
