/** Settings shared by operators and sinks (name, uid, parallelism, slot sharing), validated as Flink does. */
import { InvalidProgramError } from '../api-errors.js';
import { checkMaxParallelism } from '../environment/stream-execution-environment.js';
import type { StreamNode } from '../graph/stream-node.js';

/** Validating setters for one node. */
export function configureNode(node: StreamNode): {
  name(name: string): void;
  uid(uid: string): void;
  setParallelism(p: number): void;
  setMaxParallelism(m: number): void;
  slotSharingGroup(group: string): void;
} {
  return {
    name: (name) => {
      if (typeof name !== 'string') throw new InvalidProgramError('An operator name must be a string');
      node.name = name;
    },
    uid: (uid) => {
      if (typeof uid !== 'string' || uid === '') throw new InvalidProgramError('A uid must be a non-empty string');
      node.uid = uid;
    },
    setParallelism: (p) => {
      if (!Number.isInteger(p) || p < 1) throw new InvalidProgramError(`The parallelism of an operator must be an integer >= 1, got ${p}`);
      if (node.nonParallel && p !== 1)
        throw new InvalidProgramError(`The parallelism of the non-parallel operator '${node.name}' must be 1, got ${p}`);
      node.parallelism = p;
    },
    setMaxParallelism: (m) => {
      checkMaxParallelism(m);
      if (node.nonParallel && m !== 1)
        throw new InvalidProgramError(`The max parallelism of the non-parallel operator '${node.name}' must be 1, got ${m}`);
      node.maxParallelism = m;
    },
    slotSharingGroup: (group) => {
      if (typeof group !== 'string' || group === '') throw new InvalidProgramError('A slot sharing group must be a non-empty string');
      node.slotSharingGroup = group;
    },
  };
}

/** The end of a stream: naming and parallelism of the sink operator. */
export class DataStreamSink<T> {
  declare readonly __type?: T;
  constructor(readonly node: StreamNode) {}

  name(name: string): this {
    configureNode(this.node).name(name);
    return this;
  }
  uid(uid: string): this {
    configureNode(this.node).uid(uid);
    return this;
  }
  setParallelism(parallelism: number): this {
    configureNode(this.node).setParallelism(parallelism);
    return this;
  }
  setMaxParallelism(maxParallelism: number): this {
    configureNode(this.node).setMaxParallelism(maxParallelism);
    return this;
  }
  disableChaining(): this {
    this.node.chaining = 'NEVER';
    return this;
  }
  slotSharingGroup(group: string): this {
    configureNode(this.node).slotSharingGroup(group);
    return this;
  }
}
