import type { ThreadDumpSource, ThreadInfo } from '../rpc/gateways/thread-dump.js';

/** The parts of a Node.js diagnostic report a thread dump reads (never its environment variables). */
interface ReportPart {
  readonly header?: { readonly threadId?: number | null };
  readonly javascriptStack?: { readonly stack?: readonly string[] };
  readonly workers?: readonly ReportPart[];
}

/** Frames of Node's own report machinery, which every dump would otherwise start with. */
const OWN_FRAMES = /node:internal\/process\/report|thread-dump\.js/;

function describe(name: string, id: number, report: ReportPart): ThreadInfo {
  const frames = (report.javascriptStack?.stack ?? []).filter((frame) => !OWN_FRAMES.test(frame));
  const body =
    frames.length === 0 ? '\t(no JavaScript on the stack: waiting in the event loop)' : frames.map((frame) => `\t${frame}`).join('\n');
  return { threadName: name, stringifiedThreadInfo: `"${name}" Id=${id} RUNNABLE\n${body}\n` };
}

/**
 * This process's threads from Node's diagnostic report: the main thread, which runs the event loop
 * (RPC, heartbeats, REST), and each worker thread (a job's main on the JobManager), with the
 * JavaScript each is running now. Only stacks are taken from the report.
 */
export function processThreadDump(): ThreadInfo[] {
  const report = process.report.getReport() as unknown as ReportPart;
  return [
    describe('main', 0, report),
    ...(report.workers ?? []).map((worker, index) => {
      const id = worker.header?.threadId ?? index + 1;
      return describe(`worker-${id}`, id, worker);
    }),
  ];
}

/** The ThreadDumpSource of this process. */
export const OWN_THREADS: ThreadDumpSource = { requestThreadDump: () => Promise.resolve(processThreadDump()) };

/** The JavaScript a worker thread of this process is running now, as a thread dump shows it; undefined if it is gone. */
export function workerStack(threadId: number): string | undefined {
  const report = process.report.getReport() as unknown as ReportPart;
  const worker = (report.workers ?? []).find((candidate) => candidate.header?.threadId === threadId);
  return worker === undefined ? undefined : describe(`worker-${threadId}`, threadId, worker).stringifiedThreadInfo;
}
