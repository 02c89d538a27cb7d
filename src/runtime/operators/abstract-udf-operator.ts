/** An operator around one user function: opens and closes it with a runtime context, Flink's rich-function lifecycle. */
import { closeUserFunction, openUserFunction } from '../functions/function-lifecycle.js';
import { AbstractStreamOperator } from './abstract-stream-operator.js';
import { StreamingRuntimeContext } from './streaming-runtime-context.js';

/** Base of operators that run a user function object or plain function. */
export abstract class AbstractUdfOperator<F> extends AbstractStreamOperator {
  protected runtimeContext!: StreamingRuntimeContext;

  constructor(protected readonly userFunction: F) {
    super();
  }

  override async open(): Promise<void> {
    this.runtimeContext = new StreamingRuntimeContext(this.services, this.keyedBackend);
    await openUserFunction(this.userFunction, this.runtimeContext);
    await this.openOperator();
  }

  /** Hook for subclasses, after the user function is open. */
  protected openOperator(): void | Promise<void> {}

  override async close(): Promise<void> {
    await super.close();
    await closeUserFunction(this.userFunction);
  }
}
