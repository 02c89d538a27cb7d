import { readFileSync } from 'node:fs';
import type { NetworkLab } from './network-lab.js';

/**
 * Runs tcpdump on `host`'s cable until stop(), once it listens; stop() gives back every byte
 * captured. Immediate mode, or packets of the last second wait in the kernel's buffer and are lost.
 */
export async function capture(lab: NetworkLab, host: string, file: string): Promise<{ stop(): Promise<Buffer> }> {
  const tcpdump = lab.spawn(host, 'tcpdump', [
    '--immediate-mode',
    '-i',
    'eth0',
    '-U',
    '-s',
    '0',
    '-w',
    file,
    // Only the cluster's own traffic: the test's REST calls are not what TLS protects.
    `tcp and not host ${lab.testAddress}`,
  ]);
  await new Promise<void>((resolve, reject) => {
    let said = '';
    tcpdump.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('listening on')) resolve();
    });
    tcpdump.once('exit', () => reject(new Error(`tcpdump ended before listening: ${said}`)));
  });
  return {
    async stop() {
      tcpdump.kill('SIGINT');
      await tcpdump;
      return readFileSync(file);
    },
  };
}
