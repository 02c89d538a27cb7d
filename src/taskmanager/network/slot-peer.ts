/**
 * How a slot thread names another slot thread of its TaskManager as a data peer: `slot:<index>`.
 * Addresses of TaskManagers never take this form (they are host:port or a socket path).
 */
const PREFIX = 'slot:';

export function slotPeer(slotIndex: number): string {
  return `${PREFIX}${slotIndex}`;
}

/** The slot a peer name stands for; undefined for another TaskManager's address. */
export function slotOfPeer(peer: string): number | undefined {
  if (!peer.startsWith(PREFIX)) return undefined;
  const index = Number(peer.slice(PREFIX.length));
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}
