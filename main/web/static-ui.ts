/**
 * The reading room, served from the node's own origin: index.html for the
 * app's routes (shared/host/app-route.ts) with a strict Content-Security-Policy,
 * and Vite's content-hashed assets with a year-long immutable cache.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { APP_PATHS } from '../../shared/host/app-route.js';
import { CONTENT_SECURITY_POLICY } from '../bootstrap/content-security-policy.js';
import { packageRoot } from '../paths.js';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Where `npm run build` (vite build) puts the renderer. */
export function defaultUiDir(): string {
  return join(packageRoot(), 'dist', 'renderer');
}

export function staticUi(uiDir: string = defaultUiDir()): Hono {
  const ui = new Hono();
  const assetsDir = resolve(uiDir, 'assets');

  const serveApp = async (c: Context) => {
    const html = await readFile(join(uiDir, 'index.html')).catch(() => undefined);
    if (!html) return c.text(`The reading room is not built (no ${join(uiDir, 'index.html')}): run npm run build.\n`, 503);
    return c.body(html, 200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      // The HTML names the current hashed assets, so it is checked on every load.
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
  };
  for (const path of APP_PATHS) ui.get(path, serveApp);

  ui.get('/assets/*', async (c) => {
    let name: string;
    try {
      name = decodeURIComponent(c.req.path.slice('/assets'.length));
    } catch {
      return c.text(`no asset ${c.req.path}\n`, 404);
    }
    const file = resolve(assetsDir, `.${name}`);
    const type = CONTENT_TYPES[extname(file)];
    if (!file.startsWith(assetsDir + sep) || !type) return c.text(`no asset ${c.req.path}\n`, 404);
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) return c.text(`no asset ${c.req.path}\n`, 404);
    return c.body(bytes, 200, {
      'Content-Type': type,
      // Vite puts a content hash in every asset name: a changed file has a new name.
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });
  return ui;
}
