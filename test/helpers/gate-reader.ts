import type { ChannelOwner } from '../../src/taskmanager/network/input-channel.js';
import type { InputGate } from '../../src/taskmanager/network/input-gate.js';

/** Settles once `condition` holds, re-checking after each turn of the event loop (no wall-clock time). */
export async function waitUntil(condition: () => boolean, what: string, maxTurns = 10_000): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what} after ${maxTurns} event-loop turns`);
}

/** A ChannelOwner that records what its channel reports. */
export class RecordingOwner implements ChannelOwner {
  available = 0;
  failures: Error[] = [];
  notifyAvailable(): void {
    this.available++;
  }
  notifyFailure(_index: number, error: Error): void {
    this.failures.push(error);
  }
}

/** Reads every element the gate delivers (records and events), in arrival order, until `done` says stop. */
export async function readGate(gate: InputGate, done: (values: unknown[]) => boolean): Promise<unknown[]> {
  const values: unknown[] = [];
  await waitUntil(() => {
    for (let cursor = gate.nextReady(); cursor !== undefined; cursor = gate.nextReady()) {
      const batch = cursor.batch!;
      values.push(...batch.values.slice(cursor.position));
      cursor.position = batch.values.length;
      gate.requeue(cursor);
    }
    return done(values);
  }, 'the gate to deliver');
  return values;
}
