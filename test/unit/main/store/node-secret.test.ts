/**
 * The node's secret: made once, 32 bytes, owner-only, the same on every
 * later read (pseudonyms and UIDs depend on it), shared by concurrent first
 * callers, and a damaged file is refused rather than silently replaced.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_SECRET } from '../../../../main/store/layout.js';
import { NODE_SECRET_BYTES, readOrCreateNodeSecret } from '../../../../main/store/node-secret.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-secret-', afterEach);

describe('readOrCreateNodeSecret', () => {
  it('creates 32 random bytes, owner-only, and returns the same bytes afterwards', async () => {
    const dir = await dirs.dataDir();
    const first = await readOrCreateNodeSecret(dir);
    expect(first).toHaveLength(NODE_SECRET_BYTES);
    expect(new Set(first).size).toBeGreaterThan(8);
    const path = join(dir, NODE_SECRET);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await readFile(path)).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(await readOrCreateNodeSecret(dir)).equals(Buffer.from(first))).toBe(true);
    expect(await readdir(dir)).toEqual([NODE_SECRET]);
  });

  it('two data folders get different secrets', async () => {
    const [a, b] = await Promise.all([readOrCreateNodeSecret(await dirs.dataDir()), readOrCreateNodeSecret(await dirs.dataDir())]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  it('concurrent first calls agree on one secret', async () => {
    const dir = await dirs.dataDir();
    const secrets = await Promise.all(Array.from({ length: 8 }, () => readOrCreateNodeSecret(dir)));
    for (const s of secrets) expect(Buffer.from(s).equals(Buffer.from(secrets[0]!))).toBe(true);
    expect(await readdir(dir)).toEqual([NODE_SECRET]);
  });

  it('a secret readable by others is tightened; a damaged one is refused, naming the file', async () => {
    const dir = await dirs.dataDir();
    const path = join(dir, NODE_SECRET);
    await writeFile(path, Buffer.alloc(32, 1), { mode: 0o644 });
    expect(Buffer.from(await readOrCreateNodeSecret(dir)).equals(Buffer.alloc(32, 1))).toBe(true);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await writeFile(path, Buffer.alloc(5));
    await expect(readOrCreateNodeSecret(dir)).rejects.toThrow(`${path} holds 5 bytes`);
  });
});
