import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { TsFlinkError } from '../../../../src/core/errors.js';
import { GenericSerializer } from '../../../../src/runtime/serialization/index.js';
import { decodeBatch } from '../../../../src/taskmanager/network/batch-codec.js';
import { DataFrameType, type DataFrame } from '../../../../src/taskmanager/network/data-protocol.js';
import type { FrameLink } from '../../../../src/taskmanager/network/frame-link.js';
import { PartitionManager } from '../../../../src/taskmanager/network/partition-manager.js';
import { PartitionRequestServer } from '../../../../src/taskmanager/network/partition-request-server.js';
import { PortFrameLink } from '../../../../src/taskmanager/network/port-frame-link.js';
import { INITIAL_CREDIT } from '../../../../src/taskmanager/network/remote-input-channel.js';
import { ResultPartition, partitionKey } from '../../../../src/taskmanager/network/result-partition.js';
import { SlotRelay, type SlotDirectory } from '../../../../src/taskmanager/slots/slot-relay.js';
import { waitUntil } from '../../../helpers/gate-reader.js';
import { asAttemptId } from '../../../helpers/ids.js';

const serializer = new GenericSerializer();

/** The consumer TaskManager's socket as the relay sees it: what the relay sends back is recorded. */
class FakeSocket implements FrameLink {
  readonly sent: Array<{ readonly type: DataFrameType; readonly channelId: number; readonly body: Buffer }> = [];
  closedReason: string | undefined;
  send(type: DataFrameType, channelId: number, body: Uint8Array | string = ''): void {
    if (this.closedReason !== undefined) return; // as a FrameSocket drops writes after close
    this.sent.push({ type, channelId, body: Buffer.from(typeof body === 'string' ? Buffer.from(body) : body) });
  }
  get backlog(): number {
    return 0;
  }
  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }
  close(reason: string): void {
    this.closedReason ??= reason;
  }
  /** The records of every batch sent on `channelId`, in order. */
  records(channelId: number): unknown[] {
    return this.of(DataFrameType.Batch, channelId).flatMap((frame) => decodeBatch(frame.body, serializer).values);
  }
  errors(): Array<[number, string]> {
    return this.sent.filter((frame) => frame.type === DataFrameType.Error).map((frame) => [frame.channelId, frame.body.toString('utf8')]);
  }
  of(type: DataFrameType, channelId: number): Array<{ readonly body: Buffer }> {
    return this.sent.filter((frame) => frame.type === type && frame.channelId === channelId);
  }
}

/** One slot thread: its partitions, served on every link the relay opens to it. */
class SlotThreadStandIn {
  readonly partitions = new PartitionManager();
  /** Its one partition, of three subpartitions. */
  readonly partition: ResultPartition;
  /** The slot thread's ends of the links opened to it. */
  readonly links: PortFrameLink[] = [];

  constructor(attemptId: string) {
    this.partition = new ResultPartition(partitionKey(asAttemptId(attemptId), 0), 3, serializer);
    this.partitions.register(this.partition);
  }

  serve(port: MessagePort): void {
    let server: PartitionRequestServer | undefined = undefined;
    const link = new PortFrameLink(port, { onFrame: (frame) => server?.onFrame(frame), onClose: () => server?.onClose() });
    server = new PartitionRequestServer(link, this.partitions);
    this.links.push(link);
  }
}

const openPorts: MessagePort[] = [];
afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

/** A directory of slot threads; `locate` answers from `slotOf` unless a test replaces it. */
class Directory implements SlotDirectory {
  readonly slots = new Map<number, SlotThreadStandIn>();
  readonly slotOf = new Map<string, number>();
  readonly linksOpened: number[] = [];
  locate: (attemptId: string, timeoutMs: number) => Promise<number> = (attemptId) => {
    const slot = this.slotOf.get(attemptId);
    return slot === undefined ? Promise.reject(new Error(`no attempt ${attemptId}`)) : Promise.resolve(slot);
  };

  add(slot: number, attemptId: string): SlotThreadStandIn {
    const thread = new SlotThreadStandIn(attemptId);
    this.slots.set(slot, thread);
    this.slotOf.set(attemptId, slot);
    return thread;
  }

  linkTo(slot: number): MessagePort | undefined {
    this.linksOpened.push(slot);
    const thread = this.slots.get(slot);
    if (thread === undefined) return undefined;
    const { port1, port2 } = new MessageChannel();
    openPorts.push(port1, port2);
    thread.serve(port2);
    return port1;
  }
}

function requestFrame(channelId: number, producerAttemptId: string, subpartitionIndex = 0, credit = INITIAL_CREDIT): DataFrame {
  const body = JSON.stringify({ producerAttemptId, partitionIndex: 0, subpartitionIndex, credit });
  return { type: DataFrameType.PartitionRequest, channelId, body: Buffer.from(body) };
}

function creditFrame(channelId: number, credit: number): DataFrame {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(credit, 0);
  return { type: DataFrameType.Credit, channelId, body };
}

function cancelFrame(channelId: number): DataFrame {
  return { type: DataFrameType.Cancel, channelId, body: Buffer.alloc(0) };
}

/** Writes one flushed batch of records to a subpartition. */
function write(thread: SlotThreadStandIn, subpartition: number, ...records: unknown[]): void {
  const sub = thread.partition.subpartitions[subpartition]!;
  for (const record of records) sub.add(record, undefined);
  sub.flush();
}

/** A few turns of the event loop, so anything already in flight across a port would have arrived. */
async function settle(turns = 30): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function setUp(): { socket: FakeSocket; directory: Directory; relay: SlotRelay } {
  const socket = new FakeSocket();
  const directory = new Directory();
  return { socket, directory, relay: new SlotRelay(socket, directory) };
}

describe('SlotRelay', () => {
  it('routes each request to the slot of its producer and sends its batches back on the socket', async () => {
    const { socket, directory, relay } = setUp();
    const slot0 = directory.add(0, 'attempt-a');
    const slot1 = directory.add(1, 'attempt-b');
    relay.onFrame(requestFrame(1, 'attempt-a', 0));
    relay.onFrame(requestFrame(2, 'attempt-b', 1));
    relay.onFrame(requestFrame(3, 'attempt-a', 1));
    await waitUntil(
      () =>
        slot0.partition.subpartitions[0]!.hasListener &&
        slot0.partition.subpartitions[1]!.hasListener &&
        slot1.partition.subpartitions[1]!.hasListener,
      'every request to reach its slot',
    );
    assert.equal(slot1.partition.subpartitions[0]!.hasListener, false, 'a request reached the wrong subpartition');
    assert.deepEqual([...directory.linksOpened].sort(), [0, 1], 'one link per slot, shared by its channels');
    write(slot0, 0, 'a0-1', 'a0-2');
    write(slot0, 1, 'a1-1');
    write(slot1, 1, 'b1-1');
    await waitUntil(() => socket.sent.length === 3, 'three batches on the socket');
    assert.deepEqual(socket.records(1), ['a0-1', 'a0-2']);
    assert.deepEqual(socket.records(2), ['b1-1']);
    assert.deepEqual(socket.records(3), ['a1-1']);
    assert.deepEqual(socket.errors(), []);
  });

  it("relays the consumer's credit: the slot sends no more than it was granted", async () => {
    const { socket, directory, relay } = setUp();
    const slot0 = directory.add(0, 'attempt-a');
    relay.onFrame(requestFrame(1, 'attempt-a', 0, 2));
    await waitUntil(() => slot0.partition.subpartitions[0]!.hasListener, 'the request to reach the slot');
    for (let i = 0; i < 4; i++) write(slot0, 0, i);
    await waitUntil(() => socket.of(DataFrameType.Batch, 1).length === 2, 'the first two batches');
    await settle();
    assert.equal(socket.of(DataFrameType.Batch, 1).length, 2, 'sent beyond the credit');
    relay.onFrame(creditFrame(1, 1));
    await waitUntil(() => socket.of(DataFrameType.Batch, 1).length === 3, 'one batch for one credit');
    await settle();
    assert.deepEqual(socket.records(1), [0, 1, 2]);
  });

  it('a Cancel that comes before the producer is located keeps the channel from being served', async () => {
    const { socket, directory, relay } = setUp();
    const slot0 = directory.add(0, 'attempt-a');
    let located!: (slot: number) => void;
    const locating = new Promise<number>((resolve) => {
      located = resolve;
    });
    directory.locate = () => locating;
    relay.onFrame(requestFrame(1, 'attempt-a'));
    relay.onFrame(cancelFrame(1));
    located(0);
    await locating;
    await settle();
    assert.deepEqual(directory.linksOpened, [], 'a link was opened for a canceled channel');
    assert.equal(slot0.partition.subpartitions[0]!.hasListener, false, 'the canceled channel is served');
    write(slot0, 0, 'x');
    await settle();
    assert.deepEqual(socket.sent, []);

    // The channel after it is served as usual.
    directory.locate = () => Promise.resolve(0);
    relay.onFrame(requestFrame(2, 'attempt-a'));
    await waitUntil(() => socket.records(2).length === 1, 'the next channel to be served');
    assert.deepEqual(socket.records(2), ['x']);
  });

  it('a Cancel after the producer is located reaches its slot, which stops serving the channel', async () => {
    const { socket, directory, relay } = setUp();
    const slot0 = directory.add(0, 'attempt-a');
    relay.onFrame(requestFrame(1, 'attempt-a'));
    await waitUntil(() => slot0.partition.subpartitions[0]!.hasListener, 'the request to reach the slot');
    relay.onFrame(cancelFrame(1));
    await waitUntil(() => !slot0.partition.subpartitions[0]!.hasListener, 'the slot to release the reader');
    write(slot0, 0, 'late');
    await settle();
    assert.deepEqual(socket.sent, []);
  });

  it("a slot thread's link closing sends Error frames for exactly its channels; the other slot's go on", async () => {
    const { socket, directory, relay } = setUp();
    const slot0 = directory.add(0, 'attempt-a');
    const slot1 = directory.add(1, 'attempt-b');
    relay.onFrame(requestFrame(1, 'attempt-a', 0));
    relay.onFrame(requestFrame(2, 'attempt-b', 0));
    relay.onFrame(requestFrame(3, 'attempt-a', 1));
    relay.onFrame(requestFrame(4, 'attempt-b', 1));
    relay.onFrame(requestFrame(6, 'attempt-a', 2));
    await waitUntil(
      () =>
        slot0.partition.subpartitions.every((s) => s.hasListener) && slot1.partition.subpartitions.slice(0, 2).every((s) => s.hasListener),
      'every request to reach its slot',
    );
    relay.onFrame(cancelFrame(6)); // no longer routed: owed no Error frame
    await waitUntil(() => !slot0.partition.subpartitions[2]!.hasListener, 'the cancel to reach slot 0');
    slot0.links[0]!.close('the thread was terminated');
    await waitUntil(() => socket.errors().length >= 2, 'Error frames for the lost slot');
    await settle();
    const reason = "the producer's slot thread ended (closed by the other slot thread: the thread was terminated)";
    assert.deepEqual(
      socket.errors().sort(([a], [b]) => a - b),
      [
        [1, reason],
        [3, reason],
      ],
    );
    assert.equal(socket.isClosed, false, 'one slot ending does not end the connection');

    write(slot1, 0, 'b0');
    write(slot1, 1, 'b1');
    await waitUntil(() => socket.records(2).length === 1 && socket.records(4).length === 1, "the other slot's channels");
    assert.equal(socket.errors().length, 2);

    // A new request for the ended slot opens a new link to it.
    relay.onFrame(requestFrame(5, 'attempt-a', 0));
    await waitUntil(() => directory.linksOpened.length === 3, 'a new link to slot 0');
    assert.equal(directory.linksOpened[2], 0);
  });

  it('a producer that cannot be located fails its channel with an Error frame naming why', async () => {
    const { socket, directory, relay } = setUp();
    directory.locate = (attemptId, timeoutMs) =>
      Promise.reject(new TsFlinkError('PARTITION_NOT_FOUND', `Partition of ${attemptId} was not produced here within ${timeoutMs} ms.`));
    relay.onFrame(requestFrame(9, 'attempt-gone'));
    await waitUntil(() => socket.sent.length > 0, 'the Error frame');
    assert.equal(socket.sent.length, 1);
    assert.equal(socket.sent[0]!.type, DataFrameType.Error);
    assert.equal(socket.sent[0]!.channelId, 9);
    assert.match(socket.sent[0]!.body.toString('utf8'), /^Partition of attempt-gone was not produced here within \d+ ms\.$/);
    assert.deepEqual(directory.linksOpened, []);
    assert.equal(socket.isClosed, false);
  });

  it('a located slot with no thread any more fails the channel with an Error frame', async () => {
    const { socket, directory, relay } = setUp();
    directory.slotOf.set('attempt-a', 3);
    relay.onFrame(requestFrame(1, 'attempt-a'));
    await waitUntil(() => socket.sent.length > 0, 'the Error frame');
    assert.deepEqual(socket.errors(), [[1, 'the thread of slot 3 that produced this partition has ended']]);
  });

  it("the consumer's socket closing closes every slot link, and the slots stop serving", async () => {
    const { socket, directory, relay } = setUp();
    const slot0 = directory.add(0, 'attempt-a');
    const slot1 = directory.add(1, 'attempt-b');
    relay.onFrame(requestFrame(1, 'attempt-a'));
    relay.onFrame(requestFrame(2, 'attempt-b'));
    await waitUntil(
      () => slot0.partition.subpartitions[0]!.hasListener && slot1.partition.subpartitions[0]!.hasListener,
      'both requests to reach their slots',
    );
    socket.close('connection closed by peer');
    relay.onClose();
    await waitUntil(
      () => !slot0.partition.subpartitions[0]!.hasListener && !slot1.partition.subpartitions[0]!.hasListener,
      'both slots to release their readers',
    );
    assert.ok(slot0.links.every((link) => link.isClosed) && slot1.links.every((link) => link.isClosed));
  });

  it('a frame a consumer never sends ends the connection', () => {
    const { socket, relay } = setUp();
    relay.onFrame({ type: DataFrameType.Batch, channelId: 1, body: Buffer.alloc(4) });
    assert.equal(socket.closedReason, 'unexpected data frame type 2 from a consumer');
  });
});
