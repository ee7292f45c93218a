/**
 * What a C-FIND answer carries when a record holds what an identifier cannot:
 * bulk data inside sequence items is returned empty, a value that cannot be
 * encoded is returned empty, and an index failure is a C000 response; in
 * every case the operation completes instead of failing the association.
 */
import { describe, expect, it } from 'vitest';
import { CommandField, decodeCommandSet, encodeRequest, type CommandSet } from '../../../../main/dicom/ul/dimse-command.js';
import { FindOperation } from '../../../../main/dicom/scp/find-scp.js';
import { QueryStatus } from '../../../../main/dicom/status.js';
import type { ArchiveIndex } from '../../../../main/index/archive-index.js';
import { silentLogger } from '../../../../main/log.js';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { EXPLICIT_VR_LE } from '../../../../shared/dicom/uid-registry.js';
import { parseCommandSet } from '../../../helpers/peers/raw-association.js';

const STUDY_ROOT_FIND = '1.2.840.10008.5.1.4.1.2.2.1';

const request = (): CommandSet => decodeCommandSet(encodeRequest(CommandField.cFindRq, 7, STUDY_ROOT_FIND));

async function run(records: () => DicomJsonDataset[], identifier: DicomJsonDataset) {
  const index = { findRecords: records } as unknown as ArchiveIndex;
  const sent: Array<{ status: number; comment?: string; answer?: DicomJsonDataset }> = [];
  const operation = new FindOperation(request(), { '00080052': { vr: 'CS', Value: ['IMAGE'] }, ...identifier }, { model: 'study', transferSyntaxUid: EXPLICIT_VR_LE, index, logger: silentLogger });
  await operation.run({
    send: (command, dataset) => {
      const fields = parseCommandSet(command);
      const comment = fields.get(0x00000902)?.toString('latin1').trim();
      sent.push({ status: fields.get(0x00000900)!.readUInt16LE(0), ...(comment ? { comment } : {}), ...(dataset ? { answer: parseDataset(dataset, { transferSyntaxUid: EXPLICIT_VR_LE }) } : {}) });
      return Promise.resolve();
    },
  });
  return sent;
}

const record = (extra: DicomJsonDataset): DicomJsonDataset => ({
  '0020000D': { vr: 'UI', Value: ['1.2.3'] },
  '0020000E': { vr: 'UI', Value: ['1.2.3.4'] },
  '00080018': { vr: 'UI', Value: ['1.2.3.4.5'] },
  ...extra,
});

describe('C-FIND answers from records holding what an identifier cannot', () => {
  it('bulk data inside sequence items, at any depth, is returned empty', async () => {
    const icon = { '00280010': { vr: 'US', Value: [64] }, '7FE00010': { vr: 'OB', BulkDataURI: 'bulk/1000/4096' } };
    const nested = { '00081140': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: ['1.2'] }, '00880200': { vr: 'SQ', Value: [icon] } }] } };
    const sent = await run(() => [record({ '00880200': { vr: 'SQ', Value: [icon] }, ...nested })], { '00880200': { vr: 'SQ' }, '00081140': { vr: 'SQ' } });
    expect(sent.map((s) => s.status)).toEqual([QueryStatus.pending, QueryStatus.success]);
    const answer = sent[0]!.answer!;
    const item = answer['00880200']!.Value![0] as DicomJsonDataset;
    expect(item['00280010']?.Value).toEqual([64]);
    expect(item['7FE00010']).toEqual({ vr: 'OB' });
    const deep = ((answer['00081140']!.Value![0] as DicomJsonDataset)['00880200']!.Value![0] as DicomJsonDataset)['7FE00010'];
    expect(deep).toEqual({ vr: 'OB' });
  });

  it('a value that cannot be encoded is returned empty; the rest of the answer is kept', async () => {
    // 70,000 bytes do not fit explicit VR's 16-bit length for LO.
    const sent = await run(() => [record({ '00081030': { vr: 'LO', Value: ['x'.repeat(70_000)] }, '00080060': { vr: 'CS', Value: ['CT'] } })], { '00081030': { vr: 'LO' }, '00080060': { vr: 'CS' } });
    expect(sent.map((s) => s.status)).toEqual([QueryStatus.pending, QueryStatus.success]);
    expect(sent[0]!.answer!['00081030']).toEqual({ vr: 'LO' });
    expect(sent[0]!.answer!['00080060']?.Value).toEqual(['CT']);
  });

  it('an index that fails answers C000 with the reason', async () => {
    const sent = await run(() => {
      throw new Error('database disk image is malformed');
    }, {});
    expect(sent).toHaveLength(1);
    expect(sent[0]!.status).toBe(QueryStatus.unableToProcess);
    expect(sent[0]!.comment).toMatch(/index could not answer/);
  });
});
