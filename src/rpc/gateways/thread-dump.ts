/** One thread of a process, as Flink's ThreadDumpInfo lists it. */
export interface ThreadInfo {
  readonly threadName: string;
  /** The thread's state and JavaScript stack, one frame a line, as a Java thread dump prints one. */
  readonly stringifiedThreadInfo: string;
}

/** A process that reports its threads: the JobManager itself, and each TaskManager through its gateway. */
export interface ThreadDumpSource {
  /** The main thread (event loop) and every worker thread, with their current JavaScript stacks. */
  requestThreadDump(): Promise<readonly ThreadInfo[]>;
}
