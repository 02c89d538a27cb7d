import type { AutoscalerDecisionRecord } from '../rest/types/responses.js';
import { flinkScalingMetrics } from './flink-scaling-metrics.js';
import type { ScalingDecision } from './scaling-decision.js';

/** JSON has no Infinity: an unbounded rate or threshold is written null. */
const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);
const rounded = (value: number): number => Math.round(value * 1000) / 1000;

/** The REST record of a decision and what acting on it did. */
export function decisionRecord(
  decision: ScalingDecision,
  acted: { dryRun: boolean; applied: boolean; action: string | undefined },
): AutoscalerDecisionRecord {
  return {
    timestamp: decision.timeMs,
    outcome: decision.outcome,
    reason: decision.reason,
    summary: decision.summary ?? null,
    dryRun: acted.dryRun,
    applied: acted.applied,
    action: acted.action ?? null,
    processingBacklog: decision.processingBacklog,
    vertices: decision.vertices.map((v) => ({
      id: v.id,
      name: v.name,
      currentParallelism: v.currentParallelism,
      recommendedParallelism: v.recommendedParallelism,
      load: rounded(v.load),
      backPressure: rounded(v.backPressure),
      inputRate: Math.round(v.inputRate),
      trueProcessingRate: finite(Math.round(v.trueProcessingRate)),
      targetDataRate: Math.round(v.targetDataRate),
      catchUpDataRate: Math.round(v.catchUpDataRate),
      targetCapacity: finite(Math.round(v.targetCapacity)),
      scaleUpThreshold: finite(Math.round(v.scaleUpThreshold)),
      scaleDownThreshold: finite(Math.round(v.scaleDownThreshold)),
      outsideBand: v.outsideBand,
      pendingRecords: v.pendingRecords ?? null,
      notes: v.notes,
      scalingMetrics: flinkScalingMetrics(v),
    })),
  };
}

/** One log line per decision: the outcome, the reason, and each vertex's busy, rates and parallelism. */
export function decisionLogLine(jobId: string, record: AutoscalerDecisionRecord): string {
  const vertices = record.vertices
    .map(
      (v) =>
        `${v.name}: busy ${Math.round(v.load * 100)} %, in ${v.inputRate}/s, capacity ${v.trueProcessingRate ?? '∞'}/s, target ${v.targetDataRate}/s` +
        `${v.catchUpDataRate > 0 ? ` + catch-up ${v.catchUpDataRate}/s` : ''}, p=${v.currentParallelism}→${v.recommendedParallelism}`,
    )
    .join('; ');
  const mode = record.dryRun ? ' (dry run)' : '';
  const action = record.action === null ? '' : ` Action: ${record.action}.`;
  return `Job ${jobId}${mode}: ${record.outcome}, ${record.reason}.${action} ${vertices}`.trim();
}
