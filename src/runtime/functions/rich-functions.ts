/** Base classes for rich functions: lifecycle hooks plus access to the runtime context. */
import { InvalidFunctionError } from '../runtime-errors.js';
import type { Collector } from './function-types.js';
import type { RuntimeContext } from './runtime-context.js';

/** Base of every rich function; the runtime sets the context before `open`. */
export abstract class AbstractRichFunction {
  // A plain field, not #private: function objects are copied per subtask by their own properties.
  protected runtimeContextRef: RuntimeContext | undefined = undefined;

  setRuntimeContext(context: RuntimeContext): void {
    this.runtimeContextRef = context;
  }

  getRuntimeContext(): RuntimeContext {
    if (this.runtimeContextRef === undefined) {
      throw new InvalidFunctionError(
        'The runtime context is not set yet: use getRuntimeContext() in open() or later, not in the constructor',
      );
    }
    return this.runtimeContextRef;
  }

  open(_context: RuntimeContext): void | Promise<void> {}
  close(): void | Promise<void> {}
}

/** A map function with lifecycle and state access. */
export abstract class RichMapFunction<I, O> extends AbstractRichFunction {
  abstract map(value: I): O;
}

/** A flatMap function with lifecycle and state access. */
export abstract class RichFlatMapFunction<I, O> extends AbstractRichFunction {
  abstract flatMap(value: I, out: Collector<O>): void;
}

/** A filter function with lifecycle and state access. */
export abstract class RichFilterFunction<T> extends AbstractRichFunction {
  abstract filter(value: T): boolean;
}

/** A sink function with lifecycle. */
export abstract class RichSinkFunction<T> extends AbstractRichFunction {
  abstract invoke(value: T, context: import('./function-types.js').SinkContext): void;
}
