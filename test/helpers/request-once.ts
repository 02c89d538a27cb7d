import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** What an HTTP(S) request ended with: an answer, or the client's error code. */
export type Outcome = { readonly status: number; readonly body: string } | { readonly error: string };

/** One GET on a connection of its own; a request that neither answers nor fails within 5 s fails the test (a hang). */
export function requestOnce(
  url: string,
  options: RequestOptions & { ca?: string | string[]; pfx?: Buffer; passphrase?: string } = {},
): Promise<Outcome> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${url} neither answered nor failed within 5 s`)), 5_000);
    const req = request(target, { ...options, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ error: error.code ?? error.message });
    });
    req.end();
  });
}
