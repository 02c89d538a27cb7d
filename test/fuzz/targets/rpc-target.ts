import { serializeError, RpcError } from '../../../src/core/errors.js';
import { encodeFrame } from '../../../src/rpc/frame-decoder.js';
import { decodeMessage, encodeMessage, type RpcMessage } from '../../../src/rpc/message-codec.js';
import type { FuzzCluster } from '../fuzz-cluster.js';
import type { FuzzOutcome, FuzzTarget } from '../fuzz-target.js';
import type { Prng } from '../prng.js';
import { RawPeer } from '../raw-peer.js';
import { fuzzConversation, type FuzzMessage } from './rpc-messages.js';
import { unvalidatedInputLines, type LogTail } from './log-scan.js';

/** How long the JobManager may take to answer a request. */
const ANSWER_TIMEOUT_MS = 15_000;
/** Errors that mean a handler used input it never checked, rather than refusing it clearly. */
const UNCHECKED_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'InternalError']);

/** What came back for the requests of one conversation. */
interface Answers {
  readonly answered: Map<number, RpcMessage>;
  readonly unchecked: string[];
}

/** Serves the JobManager's own requests to our fake TaskManager (deployments) with a refusal, and collects answers. */
function listen(peer: RawPeer): Answers {
  const answers: Answers = { answered: new Map(), unchecked: [] };
  peer.onFrame((frame) => {
    let message: RpcMessage;
    try {
      message = decodeMessage(frame);
    } catch (error) {
      answers.unchecked.push(`the JobManager sent a frame we cannot decode: ${String(error)}`);
      return;
    }
    if (message.kind === 'request') {
      const refusal = serializeError(new RpcError('RPC_REFUSED', 'this TaskManager is a fuzzer and accepts no work'));
      peer.write(encodeFrame(encodeMessage({ kind: 'error', id: message.id, error: refusal })));
    } else if (message.kind === 'response' || message.kind === 'error') {
      answers.answered.set(message.id, message);
      if (message.kind === 'error' && UNCHECKED_ERRORS.has(message.error.name)) {
        answers.unchecked.push(`unvalidated input reached a handler: ${message.error.name}: ${message.error.message}`);
      }
    }
  });
  return answers;
}

async function allAnswered(peer: RawPeer, answers: Answers, ids: readonly number[]): Promise<boolean> {
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (ids.every((id) => answers.answered.has(id)) || peer.isClosed) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}

/** What is wrong with how the JobManager treated one conversation. */
function judge(messages: readonly FuzzMessage[], peer: RawPeer, answers: Answers, finished: boolean): string | undefined {
  if (answers.unchecked.length > 0) return answers.unchecked[0];
  const sentBreaker = messages.some((m) => !m.wellFormed || m.mayClose);
  if (peer.isClosed && !sentBreaker) return 'the JobManager closed the connection although every message was well-formed';
  if (!finished) {
    const missing = messages.filter((m) => m.requestId !== undefined && !answers.answered.has(m.requestId)).map((m) => m.description);
    return `no answer within ${ANSWER_TIMEOUT_MS} ms to: ${missing.join('; ')}`;
  }
  return undefined;
}

/**
 * (b) The JobManager's socket, authenticated with the cluster secret (as a TaskManager would be):
 * every gateway method with mutated arguments (wrong types, missing fields, huge arrays), unknown
 * methods, wrong kinds and broken message layouts. Every well-formed request gets an answer, no
 * handler trips over unchecked input, and broken frames only cost their own connection.
 */
export class RpcTarget implements FuzzTarget {
  readonly name = 'jm-rpc';
  readonly concurrency = 4;
  readonly batchSize = 40;
  private log: LogTail | undefined;

  constructor(private readonly cluster: FuzzCluster) {}

  async setup(): Promise<void> {
    this.log = this.cluster.tailJobManagerLog();
  }

  async runOne(rng: Prng, index: number): Promise<FuzzOutcome> {
    const role = rng.chance(0.9) ? 'taskmanager' : rng.pick(['client', 'jobmanager', 'taskmanager-data', `r${rng.string(5)}`]);
    const resourceId = `fuzz-rpc-${index}-${rng.string(6)}`;
    const path = this.cluster.runtime.jobManagerAddress.kind === 'unix' ? this.cluster.runtime.jobManagerAddress.path : '';
    const messages = fuzzConversation(rng, { jobId: this.cluster.job.jobId, vertexIds: this.cluster.job.vertexIds, resourceId });
    const input = `as ${role}: ${messages.map((m) => m.description).join(' | ')}`;
    const peer = await RawPeer.connect(path, this.cluster.secret, { role, id: resourceId });
    try {
      const answers = listen(peer);
      for (const message of messages) peer.write(message.frame);
      const ids = messages.flatMap((m) => (m.requestId === undefined ? [] : [m.requestId]));
      const finished = await allAnswered(peer, answers, ids);
      const problem = judge(messages, peer, answers, finished);
      return { input, ...(problem === undefined ? {} : { problem }) };
    } finally {
      peer.destroy();
    }
  }

  async checkHealth(): Promise<string[]> {
    const problems = await this.cluster.checkJobManager();
    const lines = this.log?.newLines() ?? [];
    return [...problems, ...unvalidatedInputLines(lines).map((line) => `the JobManager logged unvalidated input: ${line}`)];
  }

  async teardown(): Promise<void> {
    // The cluster outlives this target.
  }
}
