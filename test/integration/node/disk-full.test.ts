/**
 * A full disk: the data folder on a small tmpfs. Stores fail with A700 (Out of
 * Resources) as storescu reports, nothing is half-indexed, and once space is
 * freed the node accepts again.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { tempDir } from '../../helpers/tmp.js';
import { mountSmallDisk, unmountSmallDisk } from '../../helpers/small-disk.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { auditArchive } from './archive-state.js';

const TMPFS_SIZE = '8m';
// Larger than what will be refused, so freeing it makes room for the retry.
const BALLAST_BYTES = 4 * 1024 * 1024;

let work: Awaited<ReturnType<typeof tempDir>>;
let mountPoint = '';
let mountError = '';

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-diskfull-');
  ({ path: mountPoint, error: mountError } = mountSmallDisk(join(work.path, 'tmpfs'), TMPFS_SIZE));
});

afterAll(async () => {
  if (!mountError) unmountSmallDisk(mountPoint);
  await work.cleanup();
});

describe('full disk', () => {
  it('answers A700 when the data folder is full, keeps nothing half-written, and recovers when space is freed', { timeout: 180_000 }, async (ctx) => {
    if (mountError) {
      console.warn(`SKIPPED full-disk test: cannot mount a ${TMPFS_SIZE} tmpfs (${mountError})`);
      ctx.skip();
    }
    const ballast = join(mountPoint, 'ballast');
    writeFileSync(ballast, Buffer.alloc(BALLAST_BYTES, 1));
    const seriesDir = join(work.path, 'series');
    mkdirSync(seriesDir);
    const series: GeneratedSeries = generateCtSeries({ dir: seriesDir, count: 12, patientName: 'Disk^Full' }); // ~6.3 MB: more than fits beside the ballast
    let node: Viewbox | undefined = await startViewbox({ dataDir: join(mountPoint, 'archive'), args: ['--aet', 'FULL_VBX'] });
    try {
      const run = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: seriesDir });
      const failed = run.results.filter((r) => r.outcome === 'failure');
      expect(run.stored.length, 'some images fit').toBeGreaterThan(0);
      expect(failed.length, `some images did not fit:\n${run.log.slice(-3000)}`).toBeGreaterThan(0);
      for (const f of failed) expect(f.detail, f.file).toBe('Refused: OutOfResources'); // DCMTK's text for A7xx
      expect(run.stored.length + failed.length).toBe(series.files.length);

      const audit = await auditArchive(node.data);
      expect(audit.stagingFiles).toEqual([]);
      expect(audit.filesWithoutRow).toEqual([]);
      expect(audit.rowsWithoutFile).toEqual([]);
      expect(audit.damaged).toEqual([]);
      expect(audit.instances).toHaveLength(run.stored.length);
      for (const f of failed) {
        const uid = splitPart10(readFileSync(f.file)).meta.sopInstanceUid!;
        expect(audit.bySopUid.has(uid), `${f.file} not indexed`).toBe(false);
      }

      // Free space: the node takes the images it refused, without a restart.
      rmSync(ballast);
      const retry = await storescu({ port: node.dicomPort, calledAet: node.aet, files: failed.map((f) => f.file) });
      expect(retry.stored, retry.log.slice(-3000)).toHaveLength(failed.length);
      const after = await auditArchive(node.data);
      expect(after.instances).toHaveLength(series.files.length);
      expect(after.damaged).toEqual([]);
      const exit = await node.stop();
      node = undefined;
      expect(exit.code).toBe(0);
    } finally {
      await node?.kill9();
    }
  });
});
