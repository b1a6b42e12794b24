/**
 * A plain static file server, as GitHub Pages or a CDN is: files from a directory under a URL
 * prefix, with their content types and no COOP/COEP headers. Switched off, it drops every
 * request as a dead network would (the browser's own service-worker update checks included,
 * which Playwright's offline emulation lets through).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface StaticSite {
  /** the site's URL, ending in its prefix ("http://127.0.0.1:PORT/studio/") */
  url: string;
  /** the files served since the last call, by path */
  served(): string[];
  /** drop every request (true) or serve again */
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

export async function serveStatic(dir: string, prefix: string): Promise<StaticSite> {
  let served: string[] = [];
  let offline = false;
  const server: Server = createServer((req, res) => {
    if (offline) return void req.socket.destroy();
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(prefix)) return void res.writeHead(404).end();
    const relative = path.slice(prefix.length) || 'index.html';
    const file = normalize(join(dir, relative));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    served.push(path);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    served: () => {
      const list = served;
      served = [];
      return list;
    },
    setOffline: (value) => void (offline = value),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
