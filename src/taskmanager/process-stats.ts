import { cpus, freemem, totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { HardwareDescription, ProcessStats } from '../rpc/gateways/task-executor-registration.js';

/** Samples this process's CPU load (share of all cores since the previous sample) and memory. */
export class ProcessStatsSampler {
  private lastCpu = process.cpuUsage();
  private lastTime = process.hrtime.bigint();
  private readonly startedAt = Date.now();

  sample(): ProcessStats {
    const now = process.hrtime.bigint();
    const cpu = process.cpuUsage(this.lastCpu);
    const elapsedMicros = Number(now - this.lastTime) / 1000;
    this.lastCpu = process.cpuUsage();
    this.lastTime = now;
    const memory = process.memoryUsage();
    const cores = Math.max(1, cpus().length);
    return {
      cpuLoad: elapsedMicros > 0 ? Math.min(1, (cpu.user + cpu.system) / elapsedMicros / cores) : 0,
      heapUsed: memory.heapUsed,
      heapCommitted: memory.heapTotal,
      heapMax: heapLimit(),
      rss: memory.rss,
      uptimeMs: Date.now() - this.startedAt,
    };
  }
}

/** The heap limit never changes during a process's life. */
const HEAP_LIMIT = getHeapStatistics().heap_size_limit;

function heapLimit(): number {
  return HEAP_LIMIT;
}

/** The machine as REST `/taskmanagers` shows it under `hardware`. */
export function describeHardware(): HardwareDescription {
  return { cpuCores: cpus().length, physicalMemory: totalmem(), freeMemory: freemem(), managedMemory: 0 };
}
