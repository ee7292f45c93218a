/**
 * Patient data is the user's alone: under the usual umask (022), everything
 * `viewbox serve` creates in its data folder — the folder itself, the index
 * with its WAL and shared-memory files, the run marker, staging, stored
 * instances, a saved hanging protocol — grants nothing to group or others;
 * and a data folder an older version left readable is tightened at start.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { resourcePath } from '../../../main/paths.js';
import { tempDir } from '../../helpers/tmp.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let previousUmask = 0;

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-perms-');
  // What most desktops and servers run with; the node under test inherits it.
  previousUmask = process.umask(0o022);
});

afterAll(async () => {
  process.umask(previousUmask);
  await work.cleanup();
});

/** Every entry under `root` (itself included) whose mode grants group or others anything, as "mode path". */
function exposedEntries(root: string): string[] {
  const exposed: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.mode & 0o077) exposed.push(`${(stat.mode & 0o777).toString(8)} ${path.slice(root.length) || '/'}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return exposed;
}

describe('owner-only data folder', () => {
  it('creates nothing that group or others can read, whatever the umask, and tightens an old folder at start', { timeout: 90_000 }, async () => {
    const seriesDir = join(work.path, 'series');
    mkdirSync(seriesDir);
    generateCtSeries({ dir: seriesDir, count: 3, rows: 64, cols: 64, patientName: 'Private^Patient' });
    const dataDir = join(work.path, 'data');

    let node: Viewbox | undefined = await startViewbox({ dataDir });
    try {
      const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: seriesDir });
      expect(sent.stored, sent.log.slice(-2000)).toHaveLength(3);
      const builtIn = JSON.parse(readFileSync(resourcePath('hanging-protocols', 'ct-chest-prior.json'), 'utf8')) as Record<string, unknown>;
      delete builtIn.$schema;
      const saved = await fetch(new URL('/api/protocols/my-chest', node.url), {
        method: 'PUT',
        headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...builtIn, id: 'my-chest', name: 'My chest' }),
      });
      expect(saved.status, await saved.clone().text()).toBe(200);
      // While the node runs: the WAL and shared-memory files exist, and so does the run marker.
      const names = readdirSync(dataDir);
      expect(names).toEqual(expect.arrayContaining(['index.sqlite', 'index.sqlite-wal', 'index.sqlite-shm', 'running.json', 'store', 'staging', 'hanging-protocols']));
      expect(exposedEntries(dataDir)).toEqual([]);
      expect((await node.stop()).code).toBe(0);
      node = undefined;
      expect(exposedEntries(dataDir)).toEqual([]);

      // A folder as an older version left it (0755 folders, 0644 files): the next start closes it.
      const loosen = (path: string) => {
        const stat = statSync(path);
        chmodSync(path, stat.isDirectory() ? 0o755 : 0o644);
        if (stat.isDirectory()) for (const name of readdirSync(path)) loosen(join(path, name));
      };
      loosen(dataDir);
      node = await startViewbox({ dataDir });
      expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
      for (const name of readdirSync(dataDir)) {
        const stat = statSync(join(dataDir, name));
        if (name.startsWith('index.sqlite') || stat.isDirectory()) expect(`${name} ${(stat.mode & 0o777).toString(8)}`).toBe(`${name} ${stat.isDirectory() ? '700' : '600'}`);
      }
      expect((await node.stop()).code).toBe(0);
      node = undefined;
    } finally {
      await node?.kill9();
    }
  });
});
