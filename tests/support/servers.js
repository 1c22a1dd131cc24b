// The built site (dist/) served two ways: by `vite preview`, with the COOP/COEP headers of vite.config.js, and by
// a bare static server without them, like a host that cannot set headers.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { preview } from 'vite';
import { answer, headers } from '../../www/public/api-users.js';

const DIST = new URL('../../dist/', import.meta.url).pathname;

export async function isolatedServer() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run npm run build first');
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  return { url: server.resolvedUrls.local[0], close: () => server.close() };
}

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * `dist/` as a host that sends no headers serves it, at `prefix` (a sub-path like /threadlab/, as on GitHub Pages).
 * With `endpoint`, it answers the built-in endpoint too, as the dev server does, without the isolation headers.
 */
export function plainServer({ prefix = '/', endpoint = false } = {}) {
  const server = createServer((request, response) => {
    let path;
    try {
      path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
    } catch {
      return void response.writeHead(400).end('bad path');
    }
    if (endpoint && path.startsWith(`${prefix}api/`)) {
      const { status, delayMs, body } = answer(new URL(request.url, 'http://x'));
      return void setTimeout(() => response.writeHead(status, headers('server')).end(JSON.stringify(body)), delayMs);
    }
    const file = join(DIST, path.slice(prefix.length - 1).replace(/\/$/, '/index.html'));
    if (!path.startsWith(prefix) || !file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => server.close() }),
    ),
  );
}
