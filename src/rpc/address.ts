import { UsageError } from '../core/errors.js';

/** Where an RPC or data endpoint listens: a Unix domain socket path, or TCP host and port. */
export type EndpointAddress =
  { readonly kind: 'unix'; readonly path: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** Linux's sun_path holds 108 bytes including the terminating NUL. */
export const MAX_UNIX_SOCKET_PATH_BYTES = 107;

/** Parses `unix:/path` or `host:port`. */
export function parseAddress(text: string): EndpointAddress {
  if (text.startsWith('unix:')) return { kind: 'unix', path: text.slice('unix:'.length) };
  const match = /^(.+):(\d{1,5})$/.exec(text);
  // An IPv6 host is written in brackets to keep its colons apart from the port's.
  if (match !== null && Number(match[2]) <= 65535)
    return { kind: 'tcp', host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
  throw new UsageError(`Invalid endpoint address '${text}': expected 'unix:/path/to/socket' or 'host:port'.`);
}

export function formatAddress(address: EndpointAddress): string {
  if (address.kind === 'unix') return `unix:${address.path}`;
  return address.host.includes(':') && !address.host.startsWith('[')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}

/** Options for net.connect / server.listen. */
export function toNetOptions(address: EndpointAddress): { path: string } | { host: string; port: number } {
  return address.kind === 'unix' ? { path: address.path } : { host: address.host, port: address.port };
}
