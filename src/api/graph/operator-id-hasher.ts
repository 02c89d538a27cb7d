/**
 * Deterministic operator ids (Flink's StreamGraphHasherV2 in spirit): from uid() when given, else
 * from the node's position in a breadth-first traversal from the sources, its kind, name and the
 * ids of its inputs. The same program always gets the same ids.
 */
import { createHash } from 'node:crypto';
import type { OperatorId } from '../../core/ids.js';
import { InvalidProgramError } from '../api-errors.js';
import type { StreamNode } from './stream-node.js';

function hash32(text: string): OperatorId {
  return createHash('sha256').update(text).digest('hex').slice(0, 32) as OperatorId;
}

/** Nodes in traversal order: sources by creation order, then consumers once all their inputs are placed. */
export function traversalOrder(nodes: readonly StreamNode[]): StreamNode[] {
  const consumers = new Map<StreamNode, StreamNode[]>();
  for (const n of nodes) for (const i of n.inputs) (consumers.get(i.node) ?? consumers.set(i.node, []).get(i.node)!).push(n);
  const placed = new Set<StreamNode>();
  const order: StreamNode[] = [];
  const queue = nodes.filter((n) => n.inputs.length === 0).sort((a, b) => a.id - b.id);
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (placed.has(node)) continue;
    placed.add(node);
    order.push(node);
    const next = [...new Set(consumers.get(node) ?? [])].sort((a, b) => a.id - b.id);
    for (const c of next) if (!placed.has(c) && c.inputs.every((i) => placed.has(i.node))) queue.push(c);
  }
  if (order.length !== nodes.length) throw new InvalidProgramError('The stream graph has operators that no source reaches');
  return order;
}

/** The operator id of every node, in traversal order. */
export function hashOperatorIds(order: readonly StreamNode[]): Map<StreamNode, OperatorId> {
  const ids = new Map<StreamNode, OperatorId>();
  const byUid = new Map<string, StreamNode>();
  order.forEach((node, position) => {
    if (node.uid !== undefined) {
      const other = byUid.get(node.uid);
      if (other !== undefined)
        throw new InvalidProgramError(`The uid '${node.uid}' is used by both '${other.name}' and '${node.name}': uids must be unique`);
      byUid.set(node.uid, node);
      ids.set(node, hash32(`uid:${node.uid}`));
      return;
    }
    const inputs = node.inputs.map((i) => ids.get(i.node)!);
    ids.set(node, hash32(JSON.stringify(['node', position, node.kind, node.name, inputs])));
  });
  return ids;
}
