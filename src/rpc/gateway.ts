import { RpcError } from '../core/errors.js';
import type { RpcConnection, RpcHandler } from './rpc-connection.js';

/** Default time a request may take before the caller gives up. */
export const DEFAULT_RPC_TIMEOUT_MS = 10_000;

/** Whether a gateway method is answered (request) or one-way (notification). */
export type MethodKind = 'request' | 'notification';

/**
 * Describes one component's RPC surface: the prefix its methods travel under and the kind of every
 * method. The mapped type makes the compiler insist that each method of the interface is listed,
 * and only listed methods can be reached from the wire.
 */
export interface GatewaySpec<T> {
  readonly name: string;
  readonly methods: { readonly [K in keyof T]-?: MethodKind };
  readonly timeouts?: Partial<Record<keyof T & string, number>>;
}

/** A typed stub that forwards calls to the gateway of the same spec at the other end of `connection`. */
export function createGatewayProxy<T extends object>(
  connection: RpcConnection,
  spec: GatewaySpec<T>,
  defaultTimeoutMs = DEFAULT_RPC_TIMEOUT_MS,
): T {
  const stub: Record<string, unknown> = {};
  const kinds = spec.methods as Record<string, MethodKind>;
  const timeouts = (spec.timeouts ?? {}) as Record<string, number>;
  for (const [method, kind] of Object.entries(kinds)) {
    const wire = `${spec.name}.${method}`;
    const timeout = timeouts[method] ?? defaultTimeoutMs;
    stub[method] =
      kind === 'notification'
        ? (...args: unknown[]) => connection.notify(wire, args)
        : (...args: unknown[]) => connection.call(wire, args, timeout);
  }
  return stub as T;
}

interface Registration {
  readonly impl: Record<string, unknown>;
  readonly kinds: Readonly<Record<string, MethodKind>>;
}

/** Routes inbound calls on a connection to the local implementations of one or more gateways. */
export class RpcDispatcher implements RpcHandler {
  private readonly gateways = new Map<string, Registration>();

  register<T extends object>(spec: GatewaySpec<T>, impl: T): this {
    this.gateways.set(spec.name, { impl: impl as unknown as Record<string, unknown>, kinds: spec.methods });
    return this;
  }

  handleRequest(method: string, args: unknown[]): unknown {
    return this.resolve(method, 'request')(...args);
  }

  handleNotification(method: string, args: unknown[]): void {
    this.resolve(method, 'notification')(...args);
  }

  private resolve(method: string, expected: MethodKind): (...args: unknown[]) => unknown {
    const dot = method.indexOf('.');
    const registration = dot > 0 ? this.gateways.get(method.slice(0, dot)) : undefined;
    const name = method.slice(dot + 1);
    const kind = registration !== undefined && Object.hasOwn(registration.kinds, name) ? registration.kinds[name] : undefined;
    const fn = kind === undefined ? undefined : registration!.impl[name];
    if (kind === undefined || typeof fn !== 'function') throw new RpcError('RPC_PROTOCOL', `no such method: ${method}`);
    if (kind !== expected) throw new RpcError('RPC_PROTOCOL', `${method} is a ${kind}, not a ${expected}`);
    return (fn as (...a: unknown[]) => unknown).bind(registration!.impl);
  }
}
