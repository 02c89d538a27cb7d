import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { configureLogging, MemoryLogSink } from '../../../../src/core/logging.js';
import type { JobArchive, JobMasterGateway, TaskExecutionStateUpdate } from '../../../../src/rpc/gateways/job-master-gateway.js';
import type { TaskDeploymentDescriptor } from '../../../../src/rpc/gateways/task-deployment-descriptor.js';
import type { DataClient } from '../../../../src/taskmanager/network/data-client.js';
import type { PartitionManager } from '../../../../src/taskmanager/network/partition-manager.js';
import { TaskHost } from '../../../../src/taskmanager/task-host.js';
import { asAllocationId, asAttemptId, asJobId, asResourceId, asVertexId } from '../../../helpers/ids.js';

/** A JobMaster whose job archive arrives only when the test says so, and which records state reports. */
class SlowArchiveJobMaster {
  readonly updates: TaskExecutionStateUpdate[] = [];
  private failArchive: ((error: Error) => void) | undefined;

  requestJobArchive(): Promise<JobArchive> {
    return new Promise((_resolve, reject) => {
      this.failArchive = reject;
    });
  }

  updateTaskExecutionState(update: TaskExecutionStateUpdate): Promise<boolean> {
    this.updates.push(update);
    return Promise.resolve(true);
  }

  archiveFails(message: string): void {
    this.failArchive?.(new Error(message));
  }
}

function deployment(attemptId: string, allocationId: string): TaskDeploymentDescriptor {
  return {
    jobId: asJobId('job-1'),
    jobName: 'job',
    vertexId: asVertexId('v'),
    vertexName: 'Map',
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: 128,
    attemptId: asAttemptId(attemptId),
    attemptNumber: 0,
    slotIndex: 0,
    allocationId: asAllocationId(allocationId),
    fingerprint: 'f',
    inputs: [],
    outputs: [],
    restore: undefined,
    checkpointing: { enabled: false, mode: 'EXACTLY_ONCE', checkpointDirectory: undefined },
    bufferTimeoutMs: 100,
    autoWatermarkIntervalMs: 200,
  };
}

describe('a deployment still loading its job code', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'task-host-'));
  after(() => rmSync(workDir, { recursive: true, force: true }));
  configureLogging(new MemoryLogSink(), 'INFO');

  function loadingHost(): { host: TaskHost; jobMaster: SlowArchiveJobMaster } {
    const host = new TaskHost({
      resourceId: asResourceId('tm-1'),
      workDir,
      numberOfSlots: 1,
      partitions: {} as unknown as PartitionManager,
      dataClient: {} as unknown as DataClient,
    });
    const jobMaster = new SlowArchiveJobMaster();
    host.setJobMaster(jobMaster as unknown as JobMasterGateway);
    return { host, jobMaster };
  }

  it('holds its slot against another allocation', () => {
    const { host } = loadingHost();
    host.submit(deployment('attempt-1', 'alloc-1'));
    assert.deepEqual(host.runningAttempts, ['attempt-1']);
    assert.throws(
      () => host.submit(deployment('attempt-2', 'alloc-2')),
      /Cannot deploy Map \(1\/1\)#0: slot 0 is allocated to job job-1 \(allocation alloc-1\)\./,
    );
  });

  it('is canceled at once: the slot is free for the next run and the old attempt never starts or reports', async () => {
    const { host, jobMaster } = loadingHost();
    host.submit(deployment('attempt-1', 'alloc-1'));
    await host.cancel(asAttemptId('attempt-1'));
    assert.deepEqual(host.runningAttempts, []);
    assert.equal(host.slots.report()[0]!.jobId, undefined);
    host.submit(deployment('attempt-2', 'alloc-2'));
    jobMaster.archiveFails('no archive in this test');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      jobMaster.updates.map((u) => [u.attemptId, u.state]),
      [['attempt-2', 'FAILED']],
    );
    assert.equal(host.slots.report()[0]!.jobId, undefined, 'the failed load frees its slot too');
  });

  it('is dropped when the JobManager no longer expects it, or releases its job', async () => {
    const { host } = loadingHost();
    host.submit(deployment('attempt-1', 'alloc-1'));
    host.cancelOrphans([]);
    assert.deepEqual(host.runningAttempts, []);
    host.submit(deployment('attempt-2', 'alloc-2'));
    await host.releaseJob(asJobId('job-1'));
    assert.deepEqual(host.runningAttempts, []);
    assert.equal(host.slots.report()[0]!.jobId, undefined);
  });
});
