import { execa, type ResultPromise } from 'execa';
import { execFileSync } from 'node:child_process';

/** One simulated host: a network namespace with one interface on the lab's switch. */
export interface LabHost {
  readonly name: string;
  readonly namespace: string;
  readonly address: string;
  /** The switch-side end of its cable, which partition() takes down. */
  readonly switchPort: string;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const PREFIX = 'tsfl';
let labs = 0;

/**
 * Hosts on one machine, as real as Linux makes them: each is a network namespace with its own
 * address, cabled by a veth pair to a switch (a bridge in a namespace of its own), so traffic
 * between them is TCP/IP on an interface that can be cut, slowed and captured. The test's own
 * namespace is cabled to the switch too, to reach REST. destroy() kills every process left in
 * the hosts and removes everything, even after a failure.
 */
export class NetworkLab {
  readonly hosts: LabHost[] = [];
  private readonly switchNamespace: string;
  private readonly rootPort: string;
  private readonly tag: string;
  private readonly subnet: string;
  private destroyed = false;

  /** The address of the test's own namespace on the switch, from which it calls REST. */
  get testAddress(): string {
    return `${this.subnet}.254`;
  }

  private constructor() {
    this.tag = `${PREFIX}${process.pid % 100_000}x${labs++}`;
    this.switchNamespace = `${this.tag}-sw`;
    this.rootPort = `${this.tag}r`;
    // A subnet of its own, so labs of tests running side by side never share addresses.
    this.subnet = `10.${200 + ((process.pid >> 8) % 50)}.${(process.pid + labs * 7) % 250}`;
  }

  /** Creates the switch and `names.length` hosts (addresses .1, .2, ...); fails with one line saying why when it cannot. */
  static create(names: readonly string[]): NetworkLab {
    NetworkLab.removeStale();
    const lab = new NetworkLab();
    try {
      lab.build(names);
    } catch (error) {
      lab.destroy();
      const reason = (error as { stderr?: string }).stderr?.toString().trim() || (error as Error).message;
      const root = typeof process.getuid === 'function' && process.getuid() === 0;
      throw new Error(
        `The multi-host tests need network namespaces and veth pairs, which this machine refused (${reason}). ` +
          (root
            ? 'Run npm test where CAP_SYS_ADMIN and CAP_NET_ADMIN are granted (a privileged container, or a VM).'
            : 'Run npm test as root (sudo npm test), as CI does.'),
      );
    }
    return lab;
  }

  /** Namespaces left by a test process that died without cleaning up. */
  private static removeStale(): void {
    let listing = '';
    try {
      listing = ip('netns', 'list');
    } catch {
      return;
    }
    for (const line of listing.split('\n')) {
      const match = new RegExp(`^(${PREFIX}(\\d+)x\\d+-\\S+)`).exec(line);
      if (match === null || alive(Number(match[2]))) continue;
      NetworkLab.killAll(match[1]!);
      try {
        ip('netns', 'del', match[1]!);
      } catch {
        // Someone else removed it.
      }
    }
  }

  private static killAll(namespace: string): void {
    let pids: string;
    try {
      pids = ip('netns', 'pids', namespace);
    } catch {
      return;
    }
    for (const pid of pids.split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }

  private build(names: readonly string[]): void {
    ip('netns', 'add', this.switchNamespace);
    ip('-n', this.switchNamespace, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', this.switchNamespace, 'link', 'set', 'br0', 'up');
    ip('-n', this.switchNamespace, 'link', 'set', 'lo', 'up');
    names.forEach((name, index) => {
      const namespace = `${this.tag}-${index}`;
      const switchPort = `${this.tag}p${index}`;
      const address = `${this.subnet}.${index + 1}`;
      ip('netns', 'add', namespace);
      ip('link', 'add', switchPort, 'netns', this.switchNamespace, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace);
      ip('-n', this.switchNamespace, 'link', 'set', switchPort, 'master', 'br0', 'up');
      ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', namespace, 'link', 'set', 'eth0', 'up');
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
      this.hosts.push({ name, namespace, address, switchPort });
    });
    const switchSide = `${this.tag}q`;
    ip('link', 'add', this.rootPort, 'type', 'veth', 'peer', 'name', switchSide, 'netns', this.switchNamespace);
    ip('-n', this.switchNamespace, 'link', 'set', switchSide, 'master', 'br0', 'up');
    ip('addr', 'add', `${this.testAddress}/24`, 'dev', this.rootPort);
    ip('link', 'set', this.rootPort, 'up');
  }

  host(name: string): LabHost {
    const host = this.hosts.find((candidate) => candidate.name === name);
    if (host === undefined) throw new Error(`no host ${name} in this lab`);
    return host;
  }

  /** Runs a command on `host` to completion. */
  async run(host: string, command: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
    return execa('ip', ['netns', 'exec', this.host(host).namespace, command, ...args], {
      env,
      reject: false,
      timeout: timeoutMs,
    });
  }

  /** Starts a long-running command on `host`; destroy() kills it if the test did not. */
  spawn(host: string, command: string, args: readonly string[], env: Record<string, string> = {}): ResultPromise {
    return execa('ip', ['netns', 'exec', this.host(host).namespace, command, ...args], { env, reject: false, all: true });
  }

  /** Cuts `host`'s cable at the switch: nothing in or out, and no reset, as when a cable is pulled. */
  partition(host: string): void {
    ip('-n', this.switchNamespace, 'link', 'set', this.host(host).switchPort, 'down');
  }

  heal(host: string): void {
    ip('-n', this.switchNamespace, 'link', 'set', this.host(host).switchPort, 'up');
  }

  /**
   * Adds `delayMs` and `lossPercent` to everything `host` sends and receives, with tc netem on both
   * ends of its cable. A kernel built without sch_netem (some VM kernels are) still gets the loss,
   * dropped at random by nftables, but no delay; the answer says which was applied.
   */
  degrade(host: string, delayMs: number, lossPercent: number): { delay: boolean; loss: boolean } {
    const { namespace, switchPort } = this.host(host);
    const netem = ['root', 'netem', 'delay', `${delayMs}ms`, 'loss', `${lossPercent}%`];
    try {
      ip('netns', 'exec', namespace, 'tc', 'qdisc', 'replace', 'dev', 'eth0', ...netem);
      ip('netns', 'exec', this.switchNamespace, 'tc', 'qdisc', 'replace', 'dev', switchPort, ...netem);
      return { delay: true, loss: true };
    } catch (error) {
      if (!/qdisc kind is unknown/.test(String((error as { stderr?: unknown }).stderr))) throw error;
    }
    const rules = [
      'add table inet lab',
      'add chain inet lab out { type filter hook output priority 0 ; }',
      'add chain inet lab in { type filter hook input priority 0 ; }',
      `add rule inet lab out numgen random mod 100 < ${lossPercent} drop`,
      `add rule inet lab in numgen random mod 100 < ${lossPercent} drop`,
    ];
    for (const rule of rules) execFileSync('ip', ['netns', 'exec', namespace, 'nft', ...rule.split(' ')], { stdio: 'pipe' });
    return { delay: false, loss: true };
  }

  /** Kills whatever still runs in the hosts and removes the namespaces and cables. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const namespace of [...this.hosts.map((h) => h.namespace), this.switchNamespace]) {
      NetworkLab.killAll(namespace);
      try {
        ip('netns', 'del', namespace);
      } catch {
        // Never created, or gone.
      }
    }
    try {
      ip('link', 'del', this.rootPort);
    } catch {
      // Went with the switch's namespace.
    }
  }
}
