import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { GenericSerializer } from '../../../../src/runtime/serialization/index.js';
import { MAX_WATERMARK } from '../../../../src/runtime/task-contract.js';
import { AlignedBarrierHandler } from '../../../../src/taskmanager/checkpoint/aligned-barrier-handler.js';
import { DataConnection } from '../../../../src/taskmanager/network/data-connection.js';
import { DataFrameType, type DataFrame } from '../../../../src/taskmanager/network/data-protocol.js';
import type { FrameLink } from '../../../../src/taskmanager/network/frame-link.js';
import { InputGate } from '../../../../src/taskmanager/network/input-gate.js';
import { PartitionManager } from '../../../../src/taskmanager/network/partition-manager.js';
import { PartitionRequestServer } from '../../../../src/taskmanager/network/partition-request-server.js';
import { PortFrameLink } from '../../../../src/taskmanager/network/port-frame-link.js';
import { INITIAL_CREDIT, RemoteInputChannel } from '../../../../src/taskmanager/network/remote-input-channel.js';
import { ResultPartition, partitionKey } from '../../../../src/taskmanager/network/result-partition.js';
import { QUEUE_CAPACITY } from '../../../../src/taskmanager/network/result-subpartition.js';
import {
  CheckpointBarrier,
  EndOfDataEvent,
  EndOfPartitionEvent,
  StreamEvent,
} from '../../../../src/taskmanager/network/stream-elements.js';
import { StreamInputProcessor } from '../../../../src/taskmanager/task/stream-input-processor.js';
import { RecordingOwner, readGate, waitUntil } from '../../../helpers/gate-reader.js';
import { RecordingChain } from '../../../helpers/recording-chain.js';
import { asAttemptId } from '../../../helpers/ids.js';

const serializer = new GenericSerializer();

/** A frame as one end of a link sent it (the body copied, since a sent body may be moved away). */
interface SentFrame {
  readonly type: DataFrameType;
  readonly channelId: number;
  readonly body: Buffer;
}

/** Passes everything to the link it wraps and records what was sent through it. */
class RecordingLink implements FrameLink {
  readonly sent: SentFrame[] = [];
  constructor(readonly inner: FrameLink) {}
  send(type: DataFrameType, channelId: number, body: Uint8Array | string = '', owned = false): void {
    this.sent.push({ type, channelId, body: Buffer.from(typeof body === 'string' ? Buffer.from(body) : body) });
    this.inner.send(type, channelId, body, owned);
  }
  get backlog(): number {
    return this.inner.backlog;
  }
  get isClosed(): boolean {
    return this.inner.isClosed;
  }
  close(reason: string): void {
    this.inner.close(reason);
  }
  ofType(type: DataFrameType): SentFrame[] {
    return this.sent.filter((frame) => frame.type === type);
  }
}

/** Every port a test opened, closed after it so the test process can end. */
const openPorts: MessagePort[] = [];
afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

function channel(): { port1: MessagePort; port2: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  openPorts.push(port1, port2);
  return { port1, port2 };
}

/** One producer slot thread: its partitions, served over one end of a MessageChannel. */
class Producer {
  readonly partitions = new PartitionManager();
  readonly partition: ResultPartition;
  readonly link: RecordingLink;
  /** The producer's raw port (what its thread would hold). */
  readonly port: MessagePort;
  closedReason: string | undefined;

  constructor(
    readonly attemptId: string,
    port: MessagePort,
    subpartitions = 1,
  ) {
    this.port = port;
    this.partition = new ResultPartition(partitionKey(asAttemptId(attemptId), 0), subpartitions, serializer);
    this.partitions.register(this.partition);
    let server: PartitionRequestServer | undefined = undefined;
    const link = new PortFrameLink(port, {
      onFrame: (frame) => server?.onFrame(frame),
      onClose: (reason) => {
        this.closedReason = reason;
        server?.onClose();
      },
    });
    this.link = new RecordingLink(link);
    server = new PartitionRequestServer(this.link, this.partitions);
  }

  /** Writes records (and events) to a subpartition, then hands the open batch over. */
  send(subpartition: number, ...values: unknown[]): void {
    const sub = this.partition.subpartitions[subpartition]!;
    for (const value of values) {
      if (value instanceof StreamEvent) sub.addEvent(value);
      else sub.add(value, undefined);
    }
    sub.flush();
  }
}

/** The consumer slot thread's end: a DataConnection over the other port, and what reached it. */
class Consumer {
  readonly connection: DataConnection;
  readonly link: RecordingLink;
  /** Frames received, by type. */
  readonly received: DataFrame[] = [];
  closed = 0;

  constructor(peer: string, port: MessagePort) {
    this.connection = new DataConnection(peer, () => this.closed++);
    const handlers = this.connection.handlers;
    this.link = new RecordingLink(
      new PortFrameLink(port, {
        onFrame: (frame) => {
          this.received.push(frame);
          handlers.onFrame(frame);
        },
        onClose: (reason) => handlers.onClose(reason),
      }),
    );
    this.connection.attach(this.link);
  }

  batchesFor(channelId: number): number {
    return this.received.filter((frame) => frame.type === DataFrameType.Batch && frame.channelId === channelId).length;
  }
}

/** A producer slot and a consumer slot joined by a MessageChannel, both living in this thread. */
function slots(attemptId = 'producer-1', subpartitions = 1): { producer: Producer; consumer: Consumer } {
  const { port1, port2 } = channel();
  return { producer: new Producer(attemptId, port2, subpartitions), consumer: new Consumer('slot:1', port1) };
}

/** A few turns of the event loop, so anything already in flight across a port would have arrived. */
async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Writes one flushed batch of `records` consecutive numbers starting at `from`. */
function writeBatch(partition: ResultPartition, subpartition: number, from: number, records: number): void {
  const sub = partition.subpartitions[subpartition]!;
  for (let i = 0; i < records; i++) sub.add(from + i, from + i);
  sub.flush();
}

const barrier = (id: number): CheckpointBarrier => new CheckpointBarrier(id, 0, 'CHECKPOINT');

describe('the data protocol over a MessagePort between slot threads', () => {
  it('delivers records, timestamps and the end of partition in order through an input gate', async () => {
    const { producer, consumer } = slots('producer-1', 2);
    const gate = new InputGate();
    const failures: Error[] = [];
    gate.onFailure = (error) => failures.push(error);
    gate.addChannel(
      (index, owner) => new RemoteInputChannel(index, owner, consumer.connection, serializer, asAttemptId('producer-1'), 0, 1),
    );
    gate.start();
    for (let b = 0; b < 10; b++) writeBatch(producer.partition, 1, b * 3, 3);
    producer.partition.subpartitions[1]!.addEvent(EndOfPartitionEvent.INSTANCE);
    const values = await readGate(gate, (v) => v.at(-1) === EndOfPartitionEvent.INSTANCE);
    assert.deepEqual(
      values.slice(0, -1),
      Array.from({ length: 30 }, (_, i) => i),
    );
    await waitUntil(() => producer.partition.subpartitions[1]!.consumed, 'the producer to see its end consumed');
    assert.equal(producer.partition.subpartitions[0]!.consumed, false, 'the other consumer has not read its end');
    assert.deepEqual(failures, []);
  });

  it('sends no more than its credit: a consumer that stops polling bounds what is in flight, each poll returns one credit', async () => {
    const { producer, consumer } = slots();
    const { partition } = producer;
    const owner = new RecordingOwner();
    const remote = new RemoteInputChannel(0, owner, consumer.connection, serializer, asAttemptId('producer-1'), 0, 0);
    remote.start();
    // A producer that, like a task, writes only while its partition is writable.
    let written = 0;
    const writer = (async () => {
      while (written < 100) {
        await partition.whenWritable();
        writeBatch(partition, 0, written * 2, 2);
        written++;
      }
    })();
    await waitUntil(() => owner.available === INITIAL_CREDIT && !partition.isWritable, 'the producer to stall');
    // Let the event loop run on: nothing more may cross the port while no credit is returned.
    await settle();
    assert.equal(owner.available, INITIAL_CREDIT, 'batches in flight exceed the credit');
    assert.equal(producer.link.ofType(DataFrameType.Batch).length, INITIAL_CREDIT, 'the producer sent beyond its credit');
    assert.ok(
      written <= INITIAL_CREDIT + QUEUE_CAPACITY,
      `the producer wrote ${written} batches against a bound of ${INITIAL_CREDIT + QUEUE_CAPACITY}`,
    );
    assert.equal(partition.subpartitions[0]!.queuedBatches, written - INITIAL_CREDIT);
    assert.equal(consumer.link.ofType(DataFrameType.Credit).length, 0, 'credit returned before any poll');

    // Taking one batch returns exactly one credit, and exactly one more batch arrives for it.
    assert.deepEqual(remote.poll()!.values, [0, 1]);
    const credits = consumer.link.ofType(DataFrameType.Credit);
    assert.equal(credits.length, 1);
    assert.equal(credits[0]!.channelId, remote.channelId);
    assert.equal(credits[0]!.body.readUInt32BE(0), 1);
    await waitUntil(() => owner.available === INITIAL_CREDIT + 1, 'one more batch');
    await settle();
    assert.equal(owner.available, INITIAL_CREDIT + 1);
    assert.equal(producer.link.ofType(DataFrameType.Batch).length, INITIAL_CREDIT + 1);

    // Resuming reading lets everything through, in order, one credit per batch taken.
    const seen: number[] = [];
    let polls = 1;
    await waitUntil(() => {
      for (let batch = remote.poll(); batch !== undefined; batch = remote.poll()) {
        polls++;
        seen.push(...(batch.values as number[]));
      }
      return seen.length === 2 * 99;
    }, 'the rest of the records');
    await writer;
    assert.deepEqual(
      seen,
      Array.from({ length: 2 * 99 }, (_, i) => i + 2),
    );
    assert.equal(consumer.link.ofType(DataFrameType.Credit).length, polls);
    assert.deepEqual(owner.failures, []);
  });

  it('aligns barriers from two producer slots: records after the first barrier wait for the second', async () => {
    const first = slots('producer-1');
    const { port1, port2 } = channel();
    const second = { producer: new Producer('producer-2', port2), consumer: new Consumer('slot:2', port1) };
    const gate = new InputGate();
    const failures: Error[] = [];
    gate.onFailure = (error) => failures.push(error);
    gate.addChannel(
      (index, owner) => new RemoteInputChannel(index, owner, first.consumer.connection, serializer, asAttemptId('producer-1'), 0, 0),
    );
    gate.addChannel(
      (index, owner) => new RemoteInputChannel(index, owner, second.consumer.connection, serializer, asAttemptId('producer-2'), 0, 0),
    );
    const chain = new RecordingChain();
    const aligned: Array<{ id: number; recordsBefore: unknown[] }> = [];
    const handler = new AlignedBarrierHandler(gate, (b) => aligned.push({ id: b.checkpointId, recordsBefore: [...chain.records] }));
    const processor = new StreamInputProcessor(gate, chain, handler);
    /** Processes whatever the gate has ready. */
    const run = (): void => {
      do processor.step(1_000, () => true);
      while (gate.hasReady);
    };
    gate.start();

    first.producer.send(0, 'a0', barrier(1), 'a1', 'a2');
    second.producer.send(0, 'b0');
    // Both of the first producer's batches (the barrier cuts one) and the second's have arrived and been read.
    await waitUntil(() => {
      run();
      return first.consumer.batchesFor(1) === 2 && second.consumer.batchesFor(1) === 1 && chain.records.length === 2;
    }, 'the records before the barrier');
    await settle();
    run();
    assert.deepEqual([...chain.records].sort(), ['a0', 'b0']);
    assert.equal(aligned.length, 0, 'aligned before the second channel delivered its barrier');

    // More data on the unblocked channel flows; the blocked one still waits.
    second.producer.send(0, 'b1');
    await waitUntil(() => {
      run();
      return chain.records.includes('b1');
    }, 'b1');
    assert.equal(chain.records.includes('a1'), false, 'a record after the barrier went through before the alignment');

    second.producer.send(0, barrier(1), 'b2');
    await waitUntil(() => {
      run();
      return chain.records.length === 6;
    }, 'every record after the alignment');
    assert.deepEqual(
      aligned.map((a) => a.id),
      [1],
    );
    assert.deepEqual([...aligned[0]!.recordsBefore].sort(), ['a0', 'b0', 'b1'], 'the snapshot sees exactly the records before the barrier');
    const after = chain.records.slice(3);
    assert.deepEqual(
      after.filter((r) => String(r).startsWith('a')),
      ['a1', 'a2'],
    );
    assert.deepEqual(
      after.filter((r) => String(r).startsWith('b')),
      ['b2'],
    );
    assert.deepEqual(failures, []);
  });

  it('ends the input: end of data, then a final barrier, then the end of every partition', async () => {
    const first = slots('producer-1');
    const { port1, port2 } = channel();
    const second = { producer: new Producer('producer-2', port2), consumer: new Consumer('slot:2', port1) };
    const gate = new InputGate();
    gate.addChannel(
      (index, owner) => new RemoteInputChannel(index, owner, first.consumer.connection, serializer, asAttemptId('producer-1'), 0, 0),
    );
    gate.addChannel(
      (index, owner) => new RemoteInputChannel(index, owner, second.consumer.connection, serializer, asAttemptId('producer-2'), 0, 0),
    );
    const chain = new RecordingChain();
    const aligned: number[] = [];
    const processor = new StreamInputProcessor(gate, chain, new AlignedBarrierHandler(gate, (b) => aligned.push(b.checkpointId)));
    let result = { records: 0, endOfData: false, endOfPartitions: false };
    const run = (): void => {
      do result = processor.step(1_000, () => true);
      while (gate.hasReady);
    };
    gate.start();

    first.producer.send(0, 'a0', EndOfDataEvent.INSTANCE);
    await waitUntil(() => {
      run();
      return chain.records.length === 1 && first.consumer.batchesFor(1) === 1;
    }, 'the first end of data');
    assert.equal(result.endOfData, false, 'the input ended while a channel still had data to come');

    second.producer.send(0, 'b0', EndOfDataEvent.INSTANCE);
    await waitUntil(() => {
      run();
      return result.endOfData;
    }, 'the end of data on both channels');
    assert.deepEqual([...chain.records].sort(), ['a0', 'b0']);
    assert.equal(chain.watermarks.at(-1), MAX_WATERMARK);
    assert.equal(result.endOfPartitions, false, 'barriers may still come after the end of data');

    first.producer.send(0, barrier(7), EndOfPartitionEvent.INSTANCE);
    second.producer.send(0, barrier(7), EndOfPartitionEvent.INSTANCE);
    await waitUntil(() => {
      run();
      return result.endOfPartitions;
    }, 'the end of both partitions');
    assert.deepEqual(aligned, [7], 'the final checkpoint is aligned once');
    await waitUntil(
      () => first.producer.partition.isFullyConsumed && second.producer.partition.isFullyConsumed,
      'both producers to see their partitions consumed',
    );
  });

  it("a producer thread that goes away (its port closes) fails the consumer's channel and releases the producer's reader", async () => {
    const { producer, consumer } = slots();
    const owner = new RecordingOwner();
    new RemoteInputChannel(0, owner, consumer.connection, serializer, asAttemptId('producer-1'), 0, 0).start();
    writeBatch(producer.partition, 0, 0, 1);
    await waitUntil(() => owner.available === 1, 'a batch');
    const sub = producer.partition.subpartitions[0]!;
    assert.equal(sub.hasListener, true);
    producer.port.close(); // as when its thread is terminated: no goodbye message
    await waitUntil(() => owner.failures.length > 0, 'the consumer to see the loss');
    assert.equal(owner.failures.length, 1);
    assert.match(
      owner.failures[0]!.message,
      /remote partition of producer-1: data connection to slot:1 lost \(the other slot thread went away\)/,
    );
    assert.equal(consumer.closed, 1, 'the connection reports its end once');
    await waitUntil(() => !sub.hasListener, "the producer's reader to be released");
  });

  it("a producer that closes its link fails the consumer's channel with the producer's reason", async () => {
    const { producer, consumer } = slots();
    const owner = new RecordingOwner();
    new RemoteInputChannel(0, owner, consumer.connection, serializer, asAttemptId('producer-1'), 0, 0).start();
    writeBatch(producer.partition, 0, 0, 1);
    await waitUntil(() => owner.available === 1, 'a batch');
    producer.link.close('the slot thread is retiring');
    assert.equal(producer.partition.subpartitions[0]!.hasListener, false, 'the closing end released its reader at once');
    await waitUntil(() => owner.failures.length > 0, 'the consumer to see the close');
    assert.match(
      owner.failures[0]!.message,
      /data connection to slot:1 lost \(closed by the other slot thread: the slot thread is retiring\)/,
    );
    assert.equal(consumer.link.isClosed, true);
  });

  it('a producer that releases its partition mid-stream fails the consumer with a clear reason', async () => {
    const { producer, consumer } = slots();
    const gate = new InputGate();
    const failures: Error[] = [];
    gate.onFailure = (error) => failures.push(error);
    gate.addChannel(
      (index, owner) => new RemoteInputChannel(index, owner, consumer.connection, serializer, asAttemptId('producer-1'), 0, 0),
    );
    gate.start();
    writeBatch(producer.partition, 0, 0, 3);
    await readGate(gate, (v) => v.length === 3);
    producer.partitions.release(producer.partition.key);
    await waitUntil(() => failures.length > 0, 'the consumer to see the failure');
    assert.match(failures[0]!.message, /producer-1.*released its partition/);
    assert.equal(consumer.link.isClosed, false, 'one failed channel does not end the link');
  });

  it("a consumer that releases its channel mid-stream cancels it: the producer's subpartition loses its listener", async () => {
    const { producer, consumer } = slots();
    const owner = new RecordingOwner();
    const remote = new RemoteInputChannel(0, owner, consumer.connection, serializer, asAttemptId('producer-1'), 0, 0);
    remote.start();
    for (let b = 0; b < 6; b++) writeBatch(producer.partition, 0, b, 1);
    await waitUntil(() => owner.available === INITIAL_CREDIT, 'batches to arrive');
    const sub = producer.partition.subpartitions[0]!;
    assert.equal(sub.hasListener, true);
    remote.release();
    assert.deepEqual(
      consumer.link.ofType(DataFrameType.Cancel).map((frame) => frame.channelId),
      [remote.channelId],
    );
    assert.equal(remote.poll(), undefined, 'a released channel keeps no batches');
    await waitUntil(() => !sub.hasListener, 'the sender to let go of the subpartition');
    assert.equal(consumer.connection.isIdle, true);
    producer.partition.release();
    await settle();
    assert.deepEqual(owner.failures, [], 'a consumer that left is not told of failures');
    assert.equal(producer.closedReason, undefined, 'a cancel does not end the link');
  });
});

describe('PortFrameLink bodies', () => {
  /** Two links on one MessageChannel; frames reaching the far end are recorded. */
  function linkPair(): { near: PortFrameLink; far: PortFrameLink; received: DataFrame[]; closes: string[] } {
    const { port1, port2 } = channel();
    const received: DataFrame[] = [];
    const closes: string[] = [];
    const near = new PortFrameLink(port1, { onFrame: () => undefined, onClose: (reason) => closes.push(`near: ${reason}`) });
    const far = new PortFrameLink(port2, {
      onFrame: (frame) => received.push(frame),
      onClose: (reason) => closes.push(`far: ${reason}`),
    });
    return { near, far, received, closes };
  }

  it("copies a pooled Buffer, even one handed over: the sender's other Buffers on that memory stay intact", async () => {
    const { near, received } = linkPair();
    const a = Buffer.from('first body');
    const b = Buffer.from('a neighbour');
    assert.equal(a.buffer, b.buffer, 'both small Buffers come from the shared pool');
    const poolBytes = a.buffer.byteLength;
    near.send(DataFrameType.Batch, 1, a, true);
    near.send(DataFrameType.Batch, 2, b);
    assert.equal(a.buffer.byteLength, poolBytes, 'the pool was detached');
    assert.equal(a.toString(), 'first body');
    assert.equal(b.toString(), 'a neighbour');
    await waitUntil(() => received.length === 2, 'both frames');
    assert.deepEqual(
      received.map((frame) => [frame.type, frame.channelId, frame.body.toString()]),
      [
        [DataFrameType.Batch, 1, 'first body'],
        [DataFrameType.Batch, 2, 'a neighbour'],
      ],
    );
  });

  it('moves a whole buffer the sender hands over (it is detached after send), and copies one it keeps', async () => {
    const { near, received } = linkPair();
    const owned = new Uint8Array(new ArrayBuffer(4096)).fill(7);
    const kept = new Uint8Array(new ArrayBuffer(16)).fill(9);
    near.send(DataFrameType.Batch, 3, owned, true);
    near.send(DataFrameType.Batch, 4, kept);
    assert.equal(owned.byteLength, 0, 'an owned whole buffer is transferred, not copied');
    assert.equal(owned.buffer.byteLength, 0);
    assert.equal(kept.byteLength, 16, 'a buffer not handed over is copied');
    assert.ok(kept.every((byte) => byte === 9));
    await waitUntil(() => received.length === 2, 'both frames');
    assert.equal(received[0]!.body.length, 4096);
    assert.ok(received[0]!.body.every((byte) => byte === 7));
    assert.deepEqual(
      [...received[1]!.body],
      Array.from({ length: 16 }, () => 9),
    );
  });

  it('carries string and empty bodies', async () => {
    const { near, received } = linkPair();
    near.send(DataFrameType.Error, 5, 'no such subpartition');
    near.send(DataFrameType.Cancel, 6);
    await waitUntil(() => received.length === 2, 'both frames');
    assert.equal(received[0]!.body.toString('utf8'), 'no such subpartition');
    assert.equal(received[1]!.type, DataFrameType.Cancel);
    assert.equal(received[1]!.body.length, 0);
  });

  it('a message that is no data frame ends the link as a protocol violation, on both ends', async () => {
    const { port1, port2 } = channel();
    const closes: string[] = [];
    const frames: DataFrame[] = [];
    const link = new PortFrameLink(port2, { onFrame: (frame) => frames.push(frame), onClose: (reason) => closes.push(reason) });
    let peerClosed = '';
    port1.on('message', (message: { closed?: string }) => {
      if (message.closed !== undefined) peerClosed = message.closed;
    });
    port1.postMessage({ type: 99, channelId: 1, body: new ArrayBuffer(0) });
    await waitUntil(() => closes.length > 0, 'the link to close');
    assert.deepEqual(closes, ['protocol violation: unknown data frame type 99']);
    assert.equal(link.isClosed, true);
    assert.deepEqual(frames, []);
    await waitUntil(() => peerClosed !== '', 'the peer to be told');
    assert.equal(peerClosed, 'protocol violation: unknown data frame type 99');
  });

  it('after close, sends are dropped and the close is reported once', async () => {
    const { near, far, received, closes } = linkPair();
    near.close('done');
    near.close('again');
    near.send(DataFrameType.Batch, 1, Buffer.from('late'));
    await waitUntil(() => far.isClosed, 'the far end to close');
    await settle(5);
    assert.deepEqual(received, []);
    assert.deepEqual(closes, ['near: done', 'far: closed by the other slot thread: done']);
  });
});

// Two races between a cancel and the partition request it follows.
describe('canceling a channel before it is served', () => {
  it('a Cancel that arrives while the partition is still being looked up keeps the channel from being served', async () => {
    const { port1, port2 } = channel();
    const partitions = new PartitionManager();
    let server: PartitionRequestServer | undefined = undefined;
    const cancels: number[] = [];
    const producerLink = new PortFrameLink(port2, {
      onFrame: (frame) => {
        if (frame.type === DataFrameType.Cancel) cancels.push(frame.channelId);
        server?.onFrame(frame);
      },
      onClose: () => server?.onClose(),
    });
    server = new PartitionRequestServer(producerLink, partitions);
    const consumer = new Consumer('slot:1', port1);
    const remote = new RemoteInputChannel(0, new RecordingOwner(), consumer.connection, serializer, asAttemptId('late-producer'), 0, 0);
    remote.start();
    remote.release();
    await waitUntil(() => cancels.length === 1, 'the cancel to reach the producer');
    // The producer's task registers its partition only now, within the lookup timeout.
    const partition = new ResultPartition(partitionKey(asAttemptId('late-producer'), 0), 1, serializer);
    partitions.register(partition);
    await settle();
    assert.equal(partition.subpartitions[0]!.hasListener, false, 'a canceled channel holds the subpartition');
    assert.equal(producerLink.isClosed, false);
  });

  it('a channel released before its connection is up sends no partition request when it comes up', () => {
    const connection = new DataConnection('host:6121', () => undefined);
    const remote = new RemoteInputChannel(0, new RecordingOwner(), connection, serializer, asAttemptId('producer-1'), 0, 0);
    remote.start();
    remote.release();
    const { port1 } = channel();
    const link = new RecordingLink(new PortFrameLink(port1, connection.handlers));
    connection.attach(link);
    assert.deepEqual(link.sent, [], 'a released channel requested its partition');
  });
});
