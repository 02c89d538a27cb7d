import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One in-process operation a fuzz target asks the sandbox process to perform. */
export type SandboxRequest =
  | { readonly op: 'config'; readonly confDir: string; readonly dynamicArgs: readonly string[] }
  | { readonly op: 'extract'; readonly archivePath: string; readonly destDir: string }
  | {
      readonly op: 'find';
      readonly libDirs: readonly string[];
      readonly className: string | undefined;
      readonly workDir: string | undefined;
    };

/** How the operation ended: fine, or with an error's name, code and message. */
export type SandboxResult =
  | { readonly ok: true; readonly detail: string }
  | { readonly ok: false; readonly name: string; readonly code: string | undefined; readonly message: string };

/** The sandbox process's answer to request `id`. */
export interface SandboxReply {
  readonly id: number;
  readonly result: SandboxResult;
}

/** Heap a single input may use before it counts as unbounded memory. */
const CHILD_HEAP_MB = 256;

/**
 * A child process that runs operations one at a time (a child, not a worker thread: the config
 * loader changes directory, which threads may not). A call that does not finish in time, or a
 * child that dies (e.g. out of its bounded heap), fails the call and the child is replaced.
 */
export class Sandbox {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private pending: { id: number; resolve(result: SandboxResult): void; reject(error: Error): void } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `request`; rejects with a hang or out-of-memory description. */
  call(request: SandboxRequest, timeoutMs: number): Promise<SandboxResult> {
    const run = this.queue.then(() => this.callNow(request, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }

  private callNow(request: SandboxRequest, timeoutMs: number): Promise<SandboxResult> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise<SandboxResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.replaceChild();
        reject(new Error(`hang: the operation did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = {
        id,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      child.send({ ...request, id });
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child !== undefined) return this.child;
    const child = fork(fileURLToPath(new URL('./sandbox-child.js', import.meta.url)), [], {
      execArgv: [`--max-old-space-size=${CHILD_HEAP_MB}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (reply: SandboxReply) => {
      const pending = this.pending;
      if (pending?.id !== reply.id) return;
      this.pending = undefined;
      pending.resolve(reply.result);
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const pending = this.pending;
      if (pending === undefined) return;
      this.pending = undefined;
      const oom = /heap out of memory|Allocation failed/.test(stderr);
      pending.reject(
        new Error(
          oom
            ? `unbounded memory: the sandbox process exceeded its ${CHILD_HEAP_MB} MB heap`
            : `the sandbox process died (code ${code}, signal ${signal}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
        ),
      );
    });
    this.child = child;
    return child;
  }

  private replaceChild(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
  }
}
