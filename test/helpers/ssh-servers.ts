import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Hosts } from './lab-cluster.js';
import type { NetworkLab } from './network-lab.js';

/** Starts sshd on each of `hostNames`, accepting one key made for the test; gives the ssh options that use it. */
export function startSshServers(t: TestContext, hosts: Hosts, hostNames: readonly string[]): { options: string } {
  const dir = join(hosts.dist.dir, 'ssh');
  mkdirSync(dir, { mode: 0o700 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  copyFileSync(join(dir, 'client_key.pub'), join(dir, 'authorized_keys'));
  // sshd insists on its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  for (const host of hostNames) {
    const config = join(dir, `sshd-${host}.conf`);
    writeFileSync(
      config,
      [
        'Port 22',
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, `sshd-${host}.pid`)}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'AcceptEnv FLINK_* NO_COLOR',
      ].join('\n') + '\n',
    );
    const server = hosts.lab.spawn(host, '/usr/sbin/sshd', ['-D', '-e', '-f', config]);
    t.after(() => server.kill('SIGKILL'));
  }
  return {
    options: [
      `-i ${join(dir, 'client_key')}`,
      '-o StrictHostKeyChecking=no',
      '-o UserKnownHostsFile=/dev/null',
      '-o BatchMode=yes',
      '-o LogLevel=ERROR',
      '-o ConnectionAttempts=20',
      '-o SendEnv=FLINK_*',
    ].join(' '),
  };
}

/** Command lines of the processes running in `host`'s namespace. */
export function processesOn(lab: NetworkLab, host: string): string[] {
  const pids = execFileSync('ip', ['netns', 'pids', lab.host(host).namespace], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  return pids.flatMap((pid) => {
    try {
      return [readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')];
    } catch {
      return [];
    }
  });
}
