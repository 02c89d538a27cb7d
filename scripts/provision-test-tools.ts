/**
 * The servers and programs some tests drive for real (Chromium, Prometheus, ...), installed from
 * Debian's packages when missing, before any test runs: a test must never fail half-way for a
 * missing tool. Run by scripts/run-tests.mjs once the build is done.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A Debian package the tests need, how to tell it is there, and which test files need it. */
export interface TestTool {
  readonly pkg: string;
  readonly purpose: string;
  readonly present: () => boolean;
  /** Path fragments of the test files that need it. */
  readonly testFiles: readonly string[];
}

/** What provisioning needs from the machine; tests replace it. */
export interface ProvisionHost {
  readonly isRoot: boolean;
  readonly hasAptGet: boolean;
  /** Runs apt-get with these arguments; returns null on success or the reason it failed. */
  readonly aptGet: (args: readonly string[]) => string | null;
  readonly log: (line: string) => void;
}

/** The tools today's tests need. */
export const TEST_TOOLS: readonly TestTool[] = [
  { pkg: 'chromium', purpose: 'the web UI test', present: () => existsSync('/usr/bin/chromium'), testFiles: ['e2e/web-ui'] },
  {
    pkg: 'prometheus',
    purpose: 'the Prometheus reporter tests',
    present: () => existsSync('/usr/bin/prometheus'),
    testFiles: ['e2e/prometheus', 'unit/metrics/prometheus-reporter'],
  },
  {
    pkg: 'openssl',
    purpose: 'the TLS tests, which make their own certificates',
    present: () => existsSync('/usr/bin/openssl'),
    testFiles: ['unit/security', 'e2e/rest-tls', 'e2e/multi-host'],
  },
  {
    pkg: 'tcpdump',
    purpose: 'the multi-host tests, which listen to the wire for plaintext',
    present: () => existsSync('/usr/bin/tcpdump') || existsSync('/usr/sbin/tcpdump'),
    testFiles: ['e2e/multi-host'],
  },
  {
    pkg: 'nftables',
    purpose: 'the multi-host tests, which drop packets at random where the kernel has no netem',
    present: () => existsSync('/usr/sbin/nft'),
    testFiles: ['e2e/multi-host', 'e2e/network-lab'],
  },
  {
    pkg: 'iptables',
    purpose: 'the multi-host tests, which delay packets through NFQUEUE where the kernel has no netem',
    present: () => existsSync('/usr/sbin/iptables'),
    testFiles: ['e2e/multi-host', 'e2e/network-lab'],
  },
  {
    pkg: 'python3',
    purpose: 'the multi-host tests, whose packet delayer (test/helpers/packet-delay.py) is Python',
    present: () => existsSync('/usr/bin/python3'),
    testFiles: ['e2e/multi-host', 'e2e/network-lab'],
  },
  {
    pkg: 'iproute2',
    purpose: 'the multi-host tests, which build hosts from network namespaces',
    present: () => existsSync('/usr/sbin/ip') || existsSync('/usr/bin/ip') || existsSync('/sbin/ip'),
    testFiles: ['e2e/multi-host', 'e2e/network-lab'],
  },
  {
    pkg: 'openssh-server',
    purpose: 'the multi-host tests, where start-cluster.sh reaches its workers over ssh',
    present: () => existsSync('/usr/sbin/sshd') && existsSync('/usr/bin/ssh') && existsSync('/usr/bin/ssh-keygen'),
    testFiles: ['e2e/multi-host'],
  },
  {
    pkg: 'gettext-base',
    purpose: "the container entry point's test (envsubst replaces $VARS in FLINK_PROPERTIES, as in the image)",
    present: () => existsSync('/usr/bin/envsubst'),
    testFiles: ['e2e/docker-entrypoint'],
  },
  {
    pkg: 'zookeeper',
    purpose: 'the high-availability tests, which run real ZooKeeper servers',
    present: () => existsSync('/usr/share/java/zookeeper.jar') && existsSync('/usr/bin/java'),
    testFiles: ['e2e/zookeeper-ha', 'integration/zookeeper'],
  },
];

function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function runAptGet(args: readonly string[]): string | null {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' });
  if (result.status === 0) return null;
  const lastLine = (result.stderr ?? '').trim().split('\n').filter(Boolean).at(-1);
  return lastLine ?? `exit code ${result.status ?? result.signal ?? 'unknown'}`;
}

/** This machine, as provisioning sees it. */
export function localHost(): ProvisionHost {
  return {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasAptGet: onPath('apt-get'),
    aptGet: runAptGet,
    log: (line) => console.log(line),
  };
}

/**
 * Installs the tools that `testFiles` need and the machine lacks. Returns null when everything is
 * there afterwards, or the one line to print when it is not and cannot be installed from here.
 */
export function provision(
  testFiles: readonly string[],
  tools: readonly TestTool[] = TEST_TOOLS,
  host: ProvisionHost = localHost(),
): string | null {
  const missing = tools.filter((tool) => testFiles.some((file) => tool.testFiles.some((part) => file.includes(part))) && !tool.present());
  if (missing.length === 0) return null;
  const packages = missing.map((tool) => tool.pkg).join(' ');
  const command = `apt-get update && apt-get install -y ${packages}`;
  const why = missing.map((tool) => `${tool.pkg} (for ${tool.purpose})`).join(', ');
  if (!host.isRoot || !host.hasAptGet) {
    const run = host.isRoot ? command : `sudo sh -c '${command}'`;
    return `npm test needs Debian's ${why} and cannot install it here (${host.isRoot ? 'no apt-get' : 'not root'}): run "${run}", then npm test again.`;
  }
  host.log(`Installing Debian's ${why}...`);
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...missing.map((tool) => tool.pkg)],
  ]) {
    const failure = host.aptGet(args);
    if (failure !== null)
      return `npm test could not install Debian's ${packages} (apt-get ${args[0] ?? ''}: ${failure}): run "${command}", then npm test again.`;
  }
  const still = missing.filter((tool) => !tool.present()).map((tool) => tool.pkg);
  if (still.length > 0) return `apt-get ran, yet ${still.join(' ')} is still missing: check "${command}".`;
  return null;
}
