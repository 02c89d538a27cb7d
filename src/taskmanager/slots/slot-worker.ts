/**
 * The thread one slot's tasks run on (see slot-thread-host.ts). It holds the slot's tasks, their
 * partitions and outgoing data connections, and its own copy of the job's code; everything it needs
 * from the JobManager goes through the TaskManager's main thread, which keeps RPC and heartbeats.
 */
import { MessageChannel, parentPort, workerData, type TransferListItem } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { detach } from '../../core/detach.js';
import { describeError, serializeError } from '../../core/errors.js';
import { getLogger } from '../../core/logging.js';
import { setupLogging } from '../../entrypoint/process-lifecycle.js';
import type { TaskMetricProbe } from '../../metrics/task-metrics.js';
import type { JobMasterGateway } from '../../rpc/gateways/job-master-gateway.js';
import { DataClient, socketOpener } from '../network/data-client.js';
import { PartitionManager } from '../network/partition-manager.js';
import { PartitionRequestServer } from '../network/partition-request-server.js';
import { PortFrameLink } from '../network/port-frame-link.js';
import { slotOfPeer } from '../network/slot-peer.js';
import { TaskHost } from '../task-host.js';
import {
  RELAYED_JOB_MASTER_CALLS,
  type FromSlot,
  type RelayedJobMasterCall,
  type SlotThreadData,
  type TaskCounterSnapshot,
  type ToSlot,
} from './slot-messages.js';

const data = workerData as SlotThreadData;
/** How often `outputTaken` looks whether the main thread has taken what was printed. */
const OUTPUT_POLL_MS = 5;
setupLogging(data.logLevel);
const log = getLogger('taskexecutor');
const port = parentPort!;
const send = (message: FromSlot, transfer: readonly TransferListItem[] = []): void => port.postMessage(message, transfer);

/** Calls whose answer nobody waits for: the main thread sends no reply. */
const ONE_WAY = new Set<RelayedJobMasterCall>(['acknowledgeCheckpoint', 'declineCheckpoint', 'reportFirstActivity']);
const pendingCalls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextCall = 1;

function relay(method: RelayedJobMasterCall, args: readonly unknown[]): Promise<unknown> | undefined {
  if (ONE_WAY.has(method)) {
    send({ type: 'call', call: 0, method, args });
    return undefined;
  }
  const call = nextCall++;
  return new Promise((resolve, reject) => {
    pendingCalls.set(call, { resolve, reject });
    send({ type: 'call', call, method, args });
  });
}

/** The JobMaster as the tasks of this slot see it: every call is made by the main thread. */
const jobMaster = Object.fromEntries(
  RELAYED_JOB_MASTER_CALLS.map((method) => [method, (...args: unknown[]) => relay(method, args)]),
) as unknown as JobMasterGateway;

let secret = Buffer.from(data.secret);
const partitions = new PartitionManager();
const overSocket = socketOpener(() => secret, data.resourceId, data.maxDataFrameBytes, { tls: data.tls });
const dataClient = new DataClient((peer, connection) => {
  const slot = slotOfPeer(peer);
  if (slot === undefined) {
    overSocket(peer, connection);
    return;
  }
  // Another slot of this TaskManager: the main thread hands the other end of this port to its thread.
  const { port1, port2 } = new MessageChannel();
  send({ type: 'open-link', slot, port: port2 }, [port2]);
  connection.attach(new PortFrameLink(port1, connection.handlers));
});

const probes = new Map<string, TaskMetricProbe>();
const host = new TaskHost({
  resourceId: data.resourceId,
  partitions,
  dataClient,
  workDir: data.workDir,
  numberOfSlots: data.numberOfSlots,
  maxDataFrameBytes: data.maxDataFrameBytes,
  slotIndex: data.slotIndex,
  localStateDir: data.localStateDir,
  metrics: {
    addTask: (probe) => {
      probes.set(probe.identity.attemptId, probe);
      send({ type: 'task-added', identity: probe.identity });
    },
    removeTask: (attemptId) => {
      sendCounters(); // the last counters, so totals include the task's final records
      probes.delete(attemptId);
      send({ type: 'task-removed', attemptId });
    },
  },
});
host.setJobMaster(jobMaster);

function countersOf(probe: TaskMetricProbe): TaskCounterSnapshot {
  return {
    attemptId: probe.identity.attemptId,
    numRecordsIn: probe.numRecordsIn(),
    numRecordsOut: probe.numRecordsOut(),
    numBytesIn: probe.numBytesIn(),
    numBytesOut: probe.numBytesOut(),
    busyMs: probe.busyMs(),
    idleMs: probe.idleMs(),
    backPressuredMs: probe.backPressuredMs(),
    isBackPressured: probe.isBackPressured(),
    currentInputWatermark: probe.currentInputWatermark(),
    currentOutputWatermark: probe.currentOutputWatermark(),
    pendingRecords: probe.pendingRecords(),
    sourceRecords: probe.sourceRecords?.() ?? 0,
    restoredBytesLocal: probe.restoredBytesLocal(),
    restoredBytesFromStorage: probe.restoredBytesFromStorage(),
  };
}

function sendCounters(): void {
  if (probes.size === 0) return;
  const tasks: TaskCounterSnapshot[] = [];
  for (const probe of probes.values()) {
    try {
      tasks.push(countersOf(probe));
    } catch (error) {
      // A task being torn down may no longer answer every read (a closed source); its last counters stand.
      log.debug(`Could not read the counters of ${probe.identity.attemptId}: ${describeError(error)}`);
    }
  }
  send({ type: 'metrics', at: Date.now(), tasks });
}
setInterval(sendCounters, data.metricsIntervalMs);

function serveLink(linkPort: ToSlot & { type: 'serve-link' }): void {
  let server: PartitionRequestServer | undefined = undefined;
  const link = new PortFrameLink(linkPort.port, {
    onFrame: (frame) => server?.onFrame(frame),
    onClose: () => server?.onClose(),
  });
  server = new PartitionRequestServer(link, partitions, data.maxDataFrameBytes);
}

port.on('message', (message: ToSlot) => {
  switch (message.type) {
    case 'submit':
      try {
        host.submit(message.tdd);
      } catch (error) {
        const { jobId, attemptId } = message.tdd;
        log.error(`Could not deploy ${attemptId} on the thread of slot ${data.slotIndex}: ${describeError(error)}`, error);
        const reported = relay('updateTaskExecutionState', [{ jobId, attemptId, state: 'FAILED', error: serializeError(error) }]);
        if (reported !== undefined) detach(reported, () => undefined); // the JobManager learns of it from heartbeats instead
      }
      break;
    case 'cancel':
      host.cancel(message.attemptId).then(
        () => send({ type: 'canceled', attemptId: message.attemptId }),
        (error: unknown) => log.warn(`Canceling ${message.attemptId} failed: ${describeError(error)}`),
      );
      break;
    case 'trigger-checkpoint':
      host.triggerCheckpoint(message.trigger);
      break;
    case 'checkpoint-complete':
      host.notifyCheckpointComplete(message.attemptId, message.checkpointId);
      break;
    case 'checkpoint-aborted':
      host.notifyCheckpointAborted(message.attemptId, message.checkpointId);
      break;
    case 'serve-link':
      serveLink(message);
      break;
    case 'reply': {
      const pending = pendingCalls.get(message.call);
      if (pending === undefined) break;
      pendingCalls.delete(message.call);
      if (message.error === undefined) pending.resolve(message.value);
      else pending.reject(new Error(message.error));
      break;
    }
    case 'secret':
      secret = Buffer.from(message.secret);
      break;
    case 'drain-output':
      detach(
        outputTaken().then(() => send({ type: 'output-drained' })),
        () => undefined,
      );
      break;
  }
});

/**
 * Resolves once the main thread has taken everything the tasks printed. A worker's stdout sends a
 * chunk and holds the next ones until the main thread acknowledges it, so lines printed just
 * before the thread is ended sit here, and ending it then lost them (the last thousands of lines
 * of a job that printed in a burst).
 */
async function outputTaken(): Promise<void> {
  while (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) await sleep(OUTPUT_POLL_MS);
}
