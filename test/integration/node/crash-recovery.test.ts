/**
 * Durable before acknowledged: kill -9 the node in the middle of a transfer,
 * restart it on the same data folder, and everything the sender was told is
 * stored must be there and intact; nothing half-written may remain.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { tempDir } from '../../helpers/tmp.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox } from '../../helpers/peers/viewbox.js';
import { auditArchive } from './archive-state.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let series: GeneratedSeries;
const seriesDir = () => join(work.path, 'series');

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-crash-');
  mkdirSync(seriesDir());
  series = generateCtSeries({ dir: seriesDir(), count: 200, patientName: 'Crash^Test' });
});
afterAll(() => work.cleanup());

describe('kill -9 during a 200-image transfer', () => {
  it.each([15, 120])('after %i acknowledged images: every acknowledged instance survives intact, nothing half-written remains', { timeout: 180_000 }, async (killAfter) => {
    const dataDir = join(work.path, `data-${killAfter}`);
    const node = await startViewbox({ dataDir, args: ['--aet', 'CRASH_VBX'] });
    let acknowledged = 0;
    let killed: Promise<unknown> | undefined;
    const run = await storescu({
      port: node.dicomPort,
      calledAet: node.aet,
      dir: seriesDir(),
      onLine: (line) => {
        if (line.startsWith('I: Received Store Response (Success)') && ++acknowledged === killAfter) killed = node.kill9();
      },
    });
    expect(killed, `storescu finished before ${killAfter} acknowledgements:\n${run.log.slice(-2000)}`).toBeDefined();
    expect((await killed) as { signal: string }).toMatchObject({ signal: 'SIGKILL' });
    const stored = run.stored;
    expect(stored.length).toBeGreaterThanOrEqual(killAfter);
    expect(stored.length, 'the kill interrupted the transfer').toBeLessThan(series.files.length);

    // Restart on the same data folder: start-up recovery runs before the ready line.
    const restarted = await startViewbox({ dataDir, args: ['--aet', 'CRASH_VBX'] });
    try {
      const audit = await auditArchive(dataDir);
      expect(audit.stagingFiles).toEqual([]);
      expect(audit.rowsWithoutFile).toEqual([]);
      expect(audit.filesWithoutRow).toEqual([]);
      expect(audit.damaged).toEqual([]);
      for (const path of stored) {
        const sent = splitPart10(readFileSync(path), path);
        const row = audit.bySopUid.get(sent.meta.sopInstanceUid!);
        expect(row, `acknowledged ${path} is indexed after the crash`).toBeDefined();
        const held = splitPart10(readFileSync(join(dataDir, row!.path)));
        expect(Buffer.compare(held.dataset, sent.dataset), `${path} intact`).toBe(0);
      }
      // At most the one in flight at the kill may have been stored without its acknowledgement.
      expect(audit.instances.length - stored.length).toBeLessThanOrEqual(1);

      // The restarted node takes the rest of the series.
      const rest = await storescu({ port: restarted.dicomPort, calledAet: restarted.aet, dir: seriesDir() });
      expect(rest.stored, rest.log.slice(-2000)).toHaveLength(series.files.length);
      const final = await auditArchive(dataDir);
      expect(final.instances).toHaveLength(series.files.length);
      expect(final.damaged).toEqual([]);
    } finally {
      expect((await restarted.stop()).code).toBe(0);
    }
  });
});
