import type { TaskMetricProbe, TaskIdentity } from '../../metrics/task-metrics.js';
import { MIN_WATERMARK } from '../../runtime/task-contract.js';
import { RemoteInputChannel } from '../network/remote-input-channel.js';
import type { Task } from './task.js';

/** Who a task is, as its metric scope names it: job, vertex, subtask, attempt, head and tail operators. */
function identityOf(task: Task): TaskIdentity {
  const tdd = task.tdd;
  const vertex = task.program.graph.vertices.find((candidate) => candidate.id === tdd.vertexId);
  const operators = vertex?.operators ?? [];
  const fallback = { id: tdd.vertexId, name: tdd.vertexName };
  const head = operators[0] ?? fallback;
  const tail = operators[operators.length - 1] ?? fallback;
  return {
    jobId: tdd.jobId,
    jobName: tdd.jobName,
    vertexId: tdd.vertexId,
    taskName: tdd.vertexName,
    subtaskIndex: tdd.subtaskIndex,
    attemptNumber: tdd.attemptNumber,
    attemptId: tdd.attemptId,
    head: { id: head.id, name: head.name },
    tail: { id: tail.id, name: tail.name },
    isSource: vertex?.isSource ?? false,
  };
}

/** A task's counters and clocks as its metrics read them; zeros until its chain and channels exist. */
export function taskMetricProbe(task: Task): TaskMetricProbe {
  return {
    identity: identityOf(task),
    numRecordsIn: () => task.chain?.counters.numRecordsIn ?? 0,
    numRecordsOut: () => task.io?.writer.numRecordsOut ?? 0,
    numBytesIn: () => {
      let bytes = 0;
      for (const cursor of task.io?.gate.cursors ?? [])
        if (cursor.channel instanceof RemoteInputChannel) bytes += cursor.channel.bytesReceived;
      return bytes;
    },
    numBytesOut: () => {
      let bytes = 0;
      for (const partition of task.io?.partitions ?? []) bytes += partition.bytesSent;
      return bytes;
    },
    busyMs: () => task.accounting.busyMs,
    idleMs: () => task.accounting.idleMs,
    backPressuredMs: () => task.accounting.backPressuredMs,
    isBackPressured: () => task.isBackPressured,
    // Before any watermark Flink reports Long.MIN_VALUE; the processor starts at -Infinity.
    currentInputWatermark: () => Math.max(MIN_WATERMARK, task.currentInputWatermark ?? MIN_WATERMARK),
    currentOutputWatermark: () => task.io?.writer.currentOutputWatermark ?? MIN_WATERMARK,
    pendingRecords: () => task.chain?.source?.pendingRecords(),
    restoredBytesLocal: () => task.restoredBytesLocal,
    restoredBytesFromStorage: () => task.restoredBytesFromStorage,
  };
}
