/** Opens and closes user function objects the way Flink treats rich functions. */
import type { RichFunctionHooks } from './function-types.js';
import type { RuntimeContext } from './runtime-context.js';

/** Gives a function object its runtime context and calls its open(); plain functions need nothing. */
export async function openUserFunction(fn: unknown, context: RuntimeContext): Promise<void> {
  if (typeof fn !== 'object' || fn === null) return;
  const hooks = fn as RichFunctionHooks;
  if (typeof hooks.setRuntimeContext === 'function') hooks.setRuntimeContext(context);
  if (typeof hooks.open === 'function') await hooks.open(context);
}

/** Calls a function object's close(), if it has one. */
export async function closeUserFunction(fn: unknown): Promise<void> {
  if (typeof fn !== 'object' || fn === null) return;
  const hooks = fn as RichFunctionHooks;
  if (typeof hooks.close === 'function') await hooks.close();
}
