import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FRESH_DEFAULTS } from '../../api/environment/program-context.js';
import { runProgramMain } from '../../api/program-runner.js';
import { ProgramError, UsageError } from '../../core/errors.js';
import type { JobGraph } from '../../jobgraph/job-graph.js';
import { inspectJar } from '../../packaging/jar-inspector.js';
import { isPlainModuleName } from '../../packaging/class-path.js';
import { plainModuleClass } from '../../packaging/plain-module.js';
import { prepareJobModule } from '../../packaging/job-module-preparer.js';

/** Stops the program's main at execute(): the graph is all `flink info` wants (Flink's ProgramAbortException). */
class GraphCaptured extends ProgramError {
  constructor(readonly graph: JobGraph) {
    super('graph captured');
  }
}

/** One operator of Flink's JSON execution plan. */
interface PlanNode {
  readonly id: number;
  readonly type: string;
  readonly pact: 'Data Source' | 'Operator' | 'Data Sink';
  readonly contents: string;
  readonly parallelism: number;
  readonly predecessors?: ReadonlyArray<{ readonly id: number; readonly ship_strategy: string; readonly side: 'second' }>;
}

/**
 * `flink info <jar> [args]`: runs the program's main here, as Flink's client does, up to execute(),
 * and prints the plan it would submit: every operator with its parallelism and inputs.
 */
export async function printPlan(
  jarPath: string,
  programArgs: readonly string[],
  options: { readonly entryClass: string | undefined; readonly parallelism: number | undefined },
  print: (line: string) => void,
): Promise<void> {
  const info = await stat(jarPath).catch(() => undefined);
  if (info === undefined || !info.isFile())
    throw new UsageError(`Could not build the program from JAR file: JAR file does not exist: ${jarPath}`);
  const mainClass = options.entryClass ?? (await entryClassOf(jarPath));
  const workDir = await mkdtemp(join(tmpdir(), 'tsflink-info-'));
  try {
    const { moduleUrl } = await prepareJobModule({ archivePath: jarPath, mainClass, workDir });
    const defaults = { ...FRESH_DEFAULTS, parallelism: options.parallelism ?? FRESH_DEFAULTS.parallelism };
    let graph: JobGraph | undefined;
    try {
      await runProgramMain(moduleUrl, programArgs, defaults, (program) => Promise.reject(new GraphCaptured(program.graph)));
    } catch (error) {
      if (!(error instanceof GraphCaptured)) throw error;
      graph = error.graph;
    }
    if (graph === undefined) throw new ProgramError(`The main method of ${mainClass} returned without executing a job.`);
    print('----------------------- Execution Plan -----------------------');
    print(JSON.stringify({ nodes: planNodes(graph, defaults.parallelism) }, undefined, 2));
    print('--------------------------------------------------------------');
    print('');
    print('No description provided.');
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function entryClassOf(path: string): Promise<string> {
  if (isPlainModuleName(path)) return plainModuleClass(path);
  const entryClass = (await inspectJar(path)).manifest?.entryClass;
  if (entryClass === undefined)
    throw new UsageError("Neither a 'Main-Class', nor a 'program-class' entry was found in the jar file; name the class with -c.");
  return entryClass;
}

/** Flink's plan JSON: operators numbered from 1 in graph order; a chain's operators follow each other FORWARD. */
export function planNodes(graph: JobGraph, defaultParallelism: number): PlanNode[] {
  const nodes: PlanNode[] = [];
  const tailOf = new Map<string, number>();
  const consumed = new Set(graph.vertices.flatMap((vertex) => vertex.inputs.map((edge) => edge.source)));
  for (const vertex of graph.vertices) {
    const parallelism =
      vertex.parallelism > 0 ? vertex.parallelism : graph.settings.parallelism > 0 ? graph.settings.parallelism : defaultParallelism;
    vertex.operators.forEach((operator, index) => {
      const id = nodes.length + 1;
      const last = index === vertex.operators.length - 1;
      const predecessors =
        index > 0
          ? [{ id: id - 1, ship_strategy: 'FORWARD', side: 'second' as const }]
          : vertex.inputs.map((edge) => ({ id: tailOf.get(edge.source) ?? 0, ship_strategy: edge.shipStrategy, side: 'second' as const }));
      const pact = operator.kind === 'source' ? 'Data Source' : last && !consumed.has(vertex.id) ? 'Data Sink' : 'Operator';
      nodes.push({
        id,
        type: operator.name,
        pact,
        contents: operator.name,
        parallelism,
        ...(predecessors.length > 0 ? { predecessors } : {}),
      });
    });
    tailOf.set(vertex.id, nodes.length);
  }
  return nodes;
}
