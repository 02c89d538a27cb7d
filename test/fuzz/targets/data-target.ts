import { DataFrameType, encodeDataFrame } from '../../../src/taskmanager/network/data-protocol.js';
import type { FuzzCluster } from '../fuzz-cluster.js';
import type { FuzzOutcome, FuzzTarget } from '../fuzz-target.js';
import { corruptLengthPrefix, mutateBytesRounds, mutateJsonRounds, preview } from '../mutators.js';
import type { Prng } from '../prng.js';
import { RawPeer } from '../raw-peer.js';
import { unvalidatedInputLines, type LogTail } from './log-scan.js';

/** How long a protocol violation may take to end the connection. */
const VIOLATION_CLOSE_MS = 5_000;
/** How long a connection that sent only acceptable frames is watched for a wrongful hang-up. */
const STAY_OPEN_MS = 100;

/** One data frame a fuzzer sends, and whether the TaskManager must accept it. */
interface DataFuzzFrame {
  readonly bytes: Buffer;
  readonly description: string;
  /**
   * 'open': acceptable (requests, credit, cancel), the connection stays; 'close': a violation that
   * must end it; 'any': bytes whose framing is unpredictable (mutated, lying prefix), judged only by
   * the TaskManager's health.
   */
  readonly expect: 'open' | 'close' | 'any';
}

function frame(type: number, channel: number, body: Buffer | string = ''): Buffer {
  return Buffer.concat(encodeDataFrame(type, channel >>> 0, body));
}

function channelId(rng: Prng): number {
  return rng.pick([0, 1, 2, 7, 0xffffffff, rng.next()]);
}

function partitionRequest(rng: Prng, knownIds: readonly string[]): DataFuzzFrame {
  const valid = {
    producerAttemptId: rng.chance(0.5) ? rng.pick(knownIds) : rng.hexId(),
    partitionIndex: rng.int(0, 3),
    subpartitionIndex: rng.int(0, 3),
    credit: rng.int(0, 10),
  };
  if (rng.chance(0.3))
    return {
      bytes: frame(DataFrameType.PartitionRequest, channelId(rng), JSON.stringify(valid)),
      description: `partition request ${JSON.stringify(valid)}`,
      expect: 'open',
    };
  const mutated = mutateJsonRounds(rng, valid);
  const text = rng.chance(0.15) ? mutateBytesRounds(rng, Buffer.from(JSON.stringify(valid))) : Buffer.from(JSON.stringify(mutated) ?? '');
  const expect = isWellFormedRequest(text) ? 'open' : 'close';
  return {
    bytes: frame(DataFrameType.PartitionRequest, channelId(rng), text),
    description: `partition request ${preview(text.toString('utf8'), 200)}`,
    expect,
  };
}

/** Mirrors the documented contract of a partition request: an attempt id and three small indices. */
function isWellFormedRequest(text: Buffer): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text.toString('utf8'));
  } catch {
    return false;
  }
  if (value === null || typeof value !== 'object') return false;
  const r = value as Record<string, unknown>;
  const index = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1_000_000;
  return typeof r['producerAttemptId'] === 'string' && index(r['partitionIndex']) && index(r['subpartitionIndex']) && index(r['credit']);
}

function fuzzFrame(rng: Prng, knownIds: readonly string[]): DataFuzzFrame {
  const kind = rng.weighted<string>([
    [4, 'request'],
    [3, 'credit'],
    [2, 'cancel'],
    [2, 'batch'],
    [1, 'error'],
    [1, 'unknown-type'],
    [1, 'short'],
    [1, 'length-prefix'],
    [1, 'mutated'],
  ]);
  const channel = channelId(rng);
  switch (kind) {
    case 'request':
      return partitionRequest(rng, knownIds);
    case 'credit': {
      const body = rng.bytes(rng.pick([0, 1, 3, 4, 4, 8]));
      return {
        bytes: frame(DataFrameType.Credit, channel, body),
        description: `credit ${channel} ${body.toString('hex')}`,
        expect: 'open',
      };
    }
    case 'cancel':
      return { bytes: frame(DataFrameType.Cancel, channel, rng.bytes(rng.size(16))), description: `cancel ${channel}`, expect: 'open' };
    case 'batch':
      return {
        bytes: frame(DataFrameType.Batch, channel, rng.bytes(rng.size(4096))),
        description: `garbage batch on ${channel}`,
        expect: 'close',
      };
    case 'error':
      return { bytes: frame(DataFrameType.Error, channel, 'fuzz'), description: `error frame on ${channel}`, expect: 'close' };
    case 'unknown-type': {
      const type = rng.pick([0, 6, 7, 0x7f, 0xff]);
      return { bytes: frame(type, channel, rng.bytes(rng.size(64))), description: `frame of type ${type}`, expect: 'close' };
    }
    case 'short': {
      const payload = rng.bytes(rng.int(0, 4));
      const bytes = Buffer.concat([Buffer.from([0, 0, 0, payload.length]), payload]);
      return { bytes, description: `frame of ${payload.length} bytes`, expect: 'close' };
    }
    case 'length-prefix': {
      const bytes = corruptLengthPrefix(rng, frame(DataFrameType.Credit, channel, Buffer.from([0, 0, 0, 1])).subarray(4));
      const claimed = bytes.readUInt32BE(0);
      // Above the 64 MiB data-frame limit the prefix alone is a violation; below, framing is anyone's guess.
      return { bytes, description: `credit frame claiming ${claimed} bytes`, expect: claimed > 64 * 1024 * 1024 ? 'close' : 'any' };
    }
    default: {
      const bytes = mutateBytesRounds(rng, frame(DataFrameType.Credit, channel, Buffer.from([0, 0, 0, 1])));
      return { bytes, description: `mutated frame ${bytes.toString('hex').slice(0, 80)}`, expect: 'any' };
    }
  }
}

/**
 * (c) A TaskManager's data socket, authenticated: partition requests with wrong fields, credit and
 * cancels for unknown channels, garbage batches and frames a consumer must never send. A violation
 * ends that connection quickly; acceptable frames never do; the TaskManager keeps running and serving.
 */
export class DataTarget implements FuzzTarget {
  readonly name = 'tm-data';
  readonly concurrency = 6;
  readonly batchSize = 48;
  private log: LogTail | undefined;

  constructor(private readonly cluster: FuzzCluster) {}

  async setup(): Promise<void> {
    this.log = this.cluster.tailTaskManagerLog();
  }

  async runOne(rng: Prng): Promise<FuzzOutcome> {
    const frames = Array.from({ length: rng.int(1, 6) }, () => fuzzFrame(rng, this.cluster.job.vertexIds));
    // After a violation or unpredictable framing, later bytes are not frames at all: send up to there.
    const stop = frames.findIndex((f) => f.expect !== 'open');
    const sent = stop < 0 ? frames : frames.slice(0, stop + 1);
    const last = sent[sent.length - 1]!.expect;
    const input = sent.map((f) => f.description).join(' | ');
    const peer = await RawPeer.connect(this.cluster.dataSocketPath, this.cluster.secret, {
      role: 'taskmanager-data',
      id: `fuzz-${rng.string(6)}`,
    });
    try {
      peer.write(Buffer.concat(sent.map((f) => f.bytes)));
      if (last === 'close' && !(await peer.closesWithin(VIOLATION_CLOSE_MS))) {
        return { input, problem: `the TaskManager kept the connection open ${VIOLATION_CLOSE_MS} ms after a protocol violation` };
      }
      if (last === 'open' && (await peer.closesWithin(STAY_OPEN_MS))) {
        return { input, problem: 'the TaskManager closed a connection that sent only acceptable frames' };
      }
      return { input };
    } finally {
      peer.destroy();
    }
  }

  async checkHealth(): Promise<string[]> {
    const problems = await this.cluster.checkTaskManager();
    const lines = this.log?.newLines() ?? [];
    return [...problems, ...unvalidatedInputLines(lines).map((line) => `the TaskManager logged unvalidated input: ${line}`)];
  }

  async teardown(): Promise<void> {
    // The cluster outlives this target.
  }
}
