import type { TaskExecutorMemoryConfiguration } from '../rpc/gateways/task-executor-registration.js';

const MB = 1024 * 1024;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * Splits `taskmanager.memory.process.size` the way Flink's defaults do (metaspace 256m, overhead 10%
 * within 192m..1g, network 10% within 64m..1g, managed 40%, framework heap and off-heap 128m each).
 * tsflink reports these for REST and the web UI. `taskHeapSize` (taskmanager.memory.task.heap.size),
 * when set, is reported as the task heap: it is the one key that bounds something, the slot threads' heaps.
 */
export function deriveMemoryConfiguration(processSize: number, taskHeapSize?: number): TaskExecutorMemoryConfiguration {
  const jvmMetaspace = 256 * MB;
  const jvmOverhead = clamp(Math.round(processSize * 0.1), 192 * MB, 1024 * MB);
  const totalFlinkMemory = Math.max(0, processSize - jvmMetaspace - jvmOverhead);
  const networkMemory = clamp(Math.round(totalFlinkMemory * 0.1), 64 * MB, 1024 * MB);
  const managedMemory = Math.round(totalFlinkMemory * 0.4);
  const frameworkHeap = 128 * MB;
  const frameworkOffHeap = 128 * MB;
  const taskHeap = taskHeapSize ?? Math.max(0, totalFlinkMemory - networkMemory - managedMemory - frameworkHeap - frameworkOffHeap);
  return {
    frameworkHeap,
    taskHeap,
    frameworkOffHeap,
    taskOffHeap: 0,
    networkMemory,
    managedMemory,
    jvmMetaspace,
    jvmOverhead,
    totalFlinkMemory,
    totalProcessMemory: processSize,
  };
}
