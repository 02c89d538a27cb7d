import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestDist } from '../../helpers/test-dist.js';
import { registerCleanup } from '../cleanup.js';
import type { FuzzOutcome, FuzzTarget } from '../fuzz-target.js';
import type { Prng } from '../prng.js';
import { Sandbox } from '../sandbox.js';

/**
 * A target whose inputs run in a sandboxed child process, inside a private work directory, with
 * every `scriptEvery`-th input also through a real bin/ script of a dist created on first use.
 */
export abstract class SandboxedTarget implements FuzzTarget {
  abstract readonly name: string;
  readonly concurrency = 1;
  readonly batchSize = 50;
  protected readonly sandbox = new Sandbox();
  protected workDir = '';
  private scriptDist: TestDist | undefined;
  private forget: () => void = () => undefined;

  constructor(protected readonly scriptEvery: number) {}

  abstract runOne(rng: Prng, index: number): Promise<FuzzOutcome>;

  async setup(): Promise<void> {
    this.workDir = mkdtempSync(join(tmpdir(), `tsf-fuzz-${this.name}-`));
    this.forget = registerCleanup(() => this.teardown());
  }

  async checkHealth(): Promise<string[]> {
    return [];
  }

  async teardown(): Promise<void> {
    this.forget();
    await this.sandbox.close();
    await this.scriptDist?.destroy();
    this.scriptDist = undefined;
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Whether input `index` also goes through the real script. */
  protected throughScript(index: number): boolean {
    return this.scriptEvery > 0 && index % this.scriptEvery === 0;
  }

  /** The dist the script inputs run in. */
  protected get dist(): TestDist {
    this.scriptDist ??= TestDist.create();
    return this.scriptDist;
  }
}
