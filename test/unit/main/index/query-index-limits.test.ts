/**
 * Hostile keys against the real SQLite index: what SQL cannot take (a GLOB
 * over 50,000 bytes, more bound values than a statement holds) is left to
 * the matcher, and many `*` against long names stay fast in SQL too.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveIndex } from '../../../../main/index/archive-index.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { compileQuery } from '../../../../shared/query/compiled-query.js';
import { tempDir } from '../../../helpers/tmp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const LONG_NAME = 'a'.repeat(5000);

async function indexWithTwoStudies(): Promise<ArchiveIndex> {
  const dir = await tempDir('viewbox-index-limits-');
  cleanups.push(dir.cleanup);
  const index = new ArchiveIndex(join(dir.path, 'index.sqlite'));
  cleanups.push(() => index.close());
  for (const [n, name] of [
    ['1', 'Doe^Jane'],
    ['2', LONG_NAME],
  ] as const) {
    const json: DicomJsonDataset = {
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
      '00080018': { vr: 'UI', Value: [`${n}.1.1`] },
      '0020000D': { vr: 'UI', Value: [n] },
      '0020000E': { vr: 'UI', Value: [`${n}.1`] },
      '00100020': { vr: 'LO', Value: [`PID-${n}`] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: name }] },
    };
    index.addInstance(json, {
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      path: `store/${n}.dcm`,
      size: 1000,
      sha256: `sha-${n}`,
      deflated: false,
      receivedAt: '2024-01-31T10:00:00.000Z',
      sourceAe: 'CT1',
      source: 'dimse:CT1@127.0.0.1',
    });
  }
  return index;
}

const studyUids = (index: ArchiveIndex, identifier: DicomJsonDataset) => index.findRecords(compileQuery('STUDY', identifier)).map((r) => r['0020000D']?.Value?.[0]);

describe('query keys SQL cannot take', () => {
  it('a name key of 60,000 bytes (over SQLite\'s GLOB limit) is answered by the matcher', async () => {
    const index = await indexWithTwoStudies();
    const key = `*${'山'.repeat(20_000)}*`; // 60,000 bytes of UTF-8
    expect(studyUids(index, { '00100010': { vr: 'PN', Value: [key] } })).toEqual([]);
    expect(studyUids(index, { '00100010': { vr: 'PN', Value: [`*${'A'.repeat(5000)}*`] } })).toEqual(['2']);
  });

  it('a list of 40,000 UIDs (over SQLite\'s bound-value limit) is answered', async () => {
    const index = await indexWithTwoStudies();
    const uids = [...Array.from({ length: 40_000 }, (_, i) => `9.${i}`), '1'];
    expect(studyUids(index, { '0020000D': { vr: 'UI', Value: [uids.join('\\')] } })).toEqual(['1']);
  });

  it('24 `*` in a name key against a 5,000-character name: answered within 200 ms', async () => {
    const index = await indexWithTwoStudies();
    const started = performance.now();
    expect(studyUids(index, { '00100010': { vr: 'PN', Value: [`*${'a*'.repeat(24)}b`] } })).toEqual([]);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
