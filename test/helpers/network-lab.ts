import { execa, type ResultPromise } from 'execa';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { FLINK_HOME } from './test-dist.js';

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

/** Holds queued packets for a while; see its header for why a kernel without netem needs it. */
const PACKET_DELAY = join(FLINK_HOME, 'test', 'helpers', 'packet-delay.py');

/** What degrade() applied, and how, for the test to say. */
export interface Degradation {
  readonly delay: boolean;
  readonly loss: boolean;
  /** How, or why the delay is missing. */
  readonly how: string;
}

/** Resolves once `delayer` printed `ready`; rejects with what it said if it ends or stays silent. */
async function bound(delayer: ResultPromise, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    let said = '';
    const timer = setTimeout(() => reject(new Error(`packet-delay.py was not ready within ${timeoutMs} ms: ${said.trim()}`)), timeoutMs);
    delayer.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    delayer.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    // After its output is all read, so the reason is complete.
    delayer.once('close', (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`packet-delay.py ended (${code ?? signal ?? 'unknown'}): ${said.trim()}`));
    });
  });
}

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
  /** The packet delayers degrade() started, which destroy() stops. */
  private readonly delayers: ResultPromise[] = [];
  private readonly degraded = new Set<string>();
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
   * ends of its cable. A kernel built without sch_netem (some VM kernels are) gets the loss from
   * nftables, dropping at random in the host, and the delay from packet-delay.py at the switch
   * (see delayAtSwitch()); the answer says which was applied, and how. Once per host.
   */
  async degrade(host: string, delayMs: number, lossPercent: number): Promise<Degradation> {
    const { namespace, switchPort } = this.host(host);
    if (this.degraded.has(host)) throw new Error(`${host} is degraded already`);
    this.degraded.add(host);
    const netem = ['root', 'netem', 'delay', `${delayMs}ms`, 'loss', `${lossPercent}%`];
    try {
      ip('netns', 'exec', namespace, 'tc', 'qdisc', 'replace', 'dev', 'eth0', ...netem);
      ip('netns', 'exec', this.switchNamespace, 'tc', 'qdisc', 'replace', 'dev', switchPort, ...netem);
      return { delay: true, loss: true, how: 'tc netem' };
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
    const loss = 'loss by nftables (no sch_netem in this kernel)';
    try {
      await this.delayAtSwitch(host, delayMs);
      return { delay: true, loss: true, how: `${loss}, delay by NFQUEUE and packet-delay.py at the switch` };
    } catch (error) {
      const reason = (error as { stderr?: string }).stderr?.toString().trim() || (error as Error).message;
      return { delay: false, loss: true, how: `${loss}, and no delay: NFQUEUE failed (${reason})` };
    }
  }

  /**
   * Holds each IPv4 packet `host` sends, and each it receives, for `delayMs` at the switch: the
   * bridge hands its frames to iptables (br_netfilter), whose rules queue those from and to the
   * host's port to a packet-delay.py bound to a queue of the host's own. Not in the host's own
   * OUTPUT chain: a packet held there still counts against its socket's TCP small queues limit,
   * which then lets a connection have only a couple of packets in flight per delay (measured:
   * under 300 KB/s at 20 ms); netem orphans the packets it holds for that reason. Past the cable,
   * the packet no longer counts (measured: over 100 MB/s at 20 ms). Sent and received go through separate hooks (mangle, then filter
   * FORWARD), since an accepted packet leaves the hook it was queued in: a packet between two
   * degraded hosts waits for both, as with netem.
   */
  private async delayAtSwitch(host: string, delayMs: number): Promise<void> {
    const { switchPort } = this.host(host);
    const queue = String(this.hosts.findIndex((candidate) => candidate.name === host));
    const args = ['netns', 'exec', this.switchNamespace, 'python3', PACKET_DELAY, '--queue', queue, '--delay-ms', String(delayMs)];
    const delayer = execa('ip', args, { reject: false });
    this.delayers.push(delayer);
    try {
      await bound(delayer, 10_000);
      ip('-n', this.switchNamespace, 'link', 'set', 'br0', 'type', 'bridge', 'nf_call_iptables', '1');
      // --queue-bypass: should the delayer die, packets pass undelayed instead of being dropped.
      const toQueue = ['-j', 'NFQUEUE', '--queue-num', queue, '--queue-bypass'];
      const iptables = (...args: string[]) => ip('netns', 'exec', this.switchNamespace, 'iptables', '-w', ...args);
      iptables('-t', 'mangle', '-A', 'FORWARD', '-m', 'physdev', '--physdev-in', switchPort, ...toQueue);
      iptables('-t', 'filter', '-A', 'FORWARD', '-m', 'physdev', '--physdev-out', switchPort, ...toQueue);
    } catch (error) {
      delayer.kill('SIGTERM');
      throw error;
    }
  }

  /** Kills whatever still runs in the hosts and removes the namespaces and cables. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    // Each can release what it holds and unbind; killAll() of the switch's namespace below ends any
    // that is slower than that, so none outlives the lab.
    for (const delayer of this.delayers) delayer.kill('SIGTERM');
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
