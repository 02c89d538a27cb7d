import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa, type ResultPromise } from 'execa';
import { killQuietly, onCleanup } from './process-cleanup.js';

/** Milliseconds from spawning `node -e ''` to its exit: the floor under any process start. */
export async function timeBareNodeProcess(): Promise<number> {
  const startedAt = performance.now();
  await execa(process.execPath, ['-e', '']);
  return performance.now() - startedAt;
}

const HTTP_SERVER =
  "const s=require('http').createServer((q,r)=>{r.setHeader('content-type','application/json');r.end('{}')});" +
  "s.listen(0,'127.0.0.1',()=>console.log(s.address().port));";

/** Resolves with the first line the child prints. */
async function firstLine(child: ResultPromise): Promise<string> {
  let text = '';
  for await (const chunk of child.stdout!) {
    text += String(chunk);
    if (text.includes('\n')) return text.split('\n')[0]!;
  }
  throw new Error('the child ended before printing a line');
}

/** Milliseconds from spawning a bare node:http server to its first answered request. */
export async function timeBareHttpServer(): Promise<number> {
  const startedAt = performance.now();
  const child = execa(process.execPath, ['-e', HTTP_SERVER], { reject: false });
  const done = onCleanup(() => killQuietly(child.pid));
  try {
    const port = Number(await firstLine(child));
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.text();
    return performance.now() - startedAt;
  } finally {
    await done();
    await child;
  }
}

/** An idle `node` process (a timer keeps it alive), for RSS comparisons. */
export async function startIdleNode(): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = execa(process.execPath, ['-e', "setInterval(()=>{},1000);console.log('up')"], { reject: false });
  const done = onCleanup(() => killQuietly(child.pid));
  await firstLine(child);
  return {
    pid: child.pid!,
    stop: async () => {
      await done();
      await child;
    },
  };
}

/**
 * Milliseconds from SIGKILL of a connected client process to a plain Unix-socket server seeing
 * 'close': what the kernel and Node need at minimum to report a dead peer.
 */
export async function timeUnixSocketCloseAfterKill(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tsf-bench-'));
  const path = join(dir, 'baseline.sock');
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = execa(
    process.execPath,
    ['-e', `require('net').connect(${JSON.stringify(path)},()=>console.log('connected'));setInterval(()=>{},1000)`],
    { reject: false },
  );
  const done = onCleanup(() => killQuietly(client.pid));
  try {
    await firstLine(client);
    const [socket] = await accepted;
    socket.resume();
    const closed = once(socket, 'close');
    const killedAt = performance.now();
    process.kill(client.pid!, 'SIGKILL');
    await closed;
    return performance.now() - killedAt;
  } finally {
    await done();
    await client;
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
