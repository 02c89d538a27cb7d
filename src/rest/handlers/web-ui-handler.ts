import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { notFound } from '../rest-error.js';
import type { RestHandler, RestResponse, Router } from '../router.js';

/** Where `npm run build` puts the dashboard: dist/web, seen from dist/src/rest/handlers. */
const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=UTF-8',
  '.js': 'text/javascript; charset=UTF-8',
  '.css': 'text/css; charset=UTF-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=UTF-8',
  '.map': 'application/json; charset=UTF-8',
};

/**
 * A plain file name: no separators, no leading dot, so neither `..` nor `%2e%2e%2f` (the router
 * decodes segments before they reach us) can leave the web root.
 */
const SAFE_FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/** A file response that also asks the browser to revalidate; extra headers ride beside RestResponse. */
export type WebUiResponse = RestResponse & { readonly headers?: Readonly<Record<string, string>> };

/** GET /, /index.html and /assets/:file: the dashboard's files from dist/web. */
export function webUiHandler(webRoot: string = WEB_ROOT): RestHandler {
  return async ({ params }): Promise<WebUiResponse> => {
    const file = params['file'] ?? 'index.html';
    if (!SAFE_FILE_NAME.test(file) || file.includes('..')) throw notFound(`Not found: /assets/${file}`);
    let content: Buffer;
    try {
      content = await readFile(join(webRoot, file));
    } catch {
      if (file === 'index.html') throw notFound(`The web UI is not built (no ${join(webRoot, file)}); run 'npm run build'.`);
      throw notFound(`Not found: /assets/${file}`);
    }
    const contentType = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    // index.html names the module and style files, so it must never be served stale after an upgrade.
    if (file !== 'index.html') return { status: 200, raw: content, contentType };
    return { status: 200, raw: content, contentType, headers: { 'Cache-Control': 'no-cache' } };
  };
}

/** Registers the dashboard's routes; REST routes keep priority since they have more literal segments. */
export function registerWebUi(router: Router, webRoot: string = WEB_ROOT): Router {
  const handler = webUiHandler(webRoot);
  return router.add('GET', '/', handler).add('GET', '/index.html', handler).add('GET', '/assets/:file', handler);
}
