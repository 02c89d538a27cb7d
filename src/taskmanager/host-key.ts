import { readFileSync, readlinkSync } from 'node:fs';

/**
 * What names this host and network namespace: Linux's boot id with the namespace's inode. Two
 * TaskManagers with the same key reach each other's Unix sockets (same kernel, same files) and are
 * on the same network, so records between them can skip TCP. Undefined where Linux's /proc is not.
 */
export function hostKey(): string | undefined {
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return `${boot}/${readlinkSync('/proc/self/ns/net')}`;
  } catch {
    return undefined;
  }
}
