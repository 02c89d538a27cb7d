import type { Configuration } from '../config/configuration.js';
import { ENV_LOG_LEVEL } from '../config/options/env-options.js';
import {
  TASK_CANCELLATION_INTERVAL,
  TASK_CANCELLATION_TIMEOUT,
  TASK_MANAGER_MEMORY_TASK_HEAP_SIZE,
  TASK_MANAGER_NUM_TASK_SLOTS,
} from '../config/options/taskmanager-options.js';
import type { SlotThreadOptions } from '../taskmanager/task-executor-settings.js';

const MB = 1024 * 1024;

/**
 * How a TaskManager runs its slot threads, from Flink's keys: task.cancellation.* for the cancel
 * watchdog, and taskmanager.memory.task.heap.size shared evenly by the slots for each thread's heap.
 */
export function slotThreadOptions(configuration: Configuration): SlotThreadOptions {
  const taskHeap = configuration.get(TASK_MANAGER_MEMORY_TASK_HEAP_SIZE);
  const slots = configuration.get(TASK_MANAGER_NUM_TASK_SLOTS);
  return {
    cancellation: {
      intervalMs: configuration.get(TASK_CANCELLATION_INTERVAL),
      timeoutMs: configuration.get(TASK_CANCELLATION_TIMEOUT),
    },
    heapPerSlotMb: taskHeap === undefined ? undefined : Math.max(8, Math.floor(taskHeap / slots / MB)),
    logLevel: configuration.get(ENV_LOG_LEVEL),
  };
}
