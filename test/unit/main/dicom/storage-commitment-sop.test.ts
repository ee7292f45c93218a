/**
 * The Storage Commitment Push Model's datasets (PS3.4 J.3.2.1.1.1,
 * J.3.3.1.1.1): the request's Action Information and the report's Event
 * Information survive both little-endian syntaxes, and a report that cannot
 * be matched or read is refused with what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { CommitmentReportError, decodeCommitmentReport, encodeCommitmentReport, encodeCommitmentRequest } from '../../../../main/dicom/storage-commitment-sop.js';
import { encodeDataset } from '../../../../shared/dicom/dataset-writer.js';
import { parseDataset } from '../../../../shared/dicom/dataset-parser.js';

const IMPLICIT = '1.2.840.10008.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const MR = '1.2.840.10008.5.1.4.1.1.4';
const a = { sopClassUid: CT, sopInstanceUid: '1.2.3.1' };
const b = { sopClassUid: MR, sopInstanceUid: '1.2.3.22' };

describe.each([IMPLICIT, EXPLICIT])('in %s', (syntax) => {
  it('the request carries the Transaction UID and one Referenced SOP item per instance', () => {
    const dataset = parseDataset(encodeCommitmentRequest('2.25.99', [a, b], syntax), { transferSyntaxUid: syntax });
    expect(dataset['00081195']).toEqual({ vr: 'UI', Value: ['2.25.99'] });
    expect(dataset['00081199']?.Value).toEqual([
      { '00081150': { vr: 'UI', Value: [CT] }, '00081155': { vr: 'UI', Value: ['1.2.3.1'] } },
      { '00081150': { vr: 'UI', Value: [MR] }, '00081155': { vr: 'UI', Value: ['1.2.3.22'] } },
    ]);
  });

  it('a report round-trips: committed, and failed with their reasons', () => {
    const report = { transactionUid: '2.25.7', committed: [a], failed: [{ ...b, reason: 0x0112 }] };
    expect(decodeCommitmentReport(encodeCommitmentReport(report, syntax), syntax, 'PACS')).toEqual({ ...report, reporterAe: 'PACS' });
  });

  it('an all-failed report has no Referenced SOP Sequence and reads back with nothing committed', () => {
    const bytes = encodeCommitmentReport({ transactionUid: '2.25.8', committed: [], failed: [{ ...a, reason: 0x0213 }] }, syntax);
    expect(parseDataset(bytes, { transferSyntaxUid: syntax })['00081199']).toBeUndefined();
    expect(decodeCommitmentReport(bytes, syntax, 'PACS')).toMatchObject({ committed: [], failed: [{ ...a, reason: 0x0213 }] });
  });
});

describe('reports that cannot be used', () => {
  const encode = (dataset: Parameters<typeof encodeDataset>[0]) => encodeDataset(dataset, { explicitVr: true });

  it('without a Transaction UID: refused, naming the reporter and the attribute', () => {
    const bytes = encode({ '00081199': { vr: 'SQ', Value: [] } });
    expect(() => decodeCommitmentReport(bytes, EXPLICIT, 'PACS')).toThrow(CommitmentReportError);
    expect(() => decodeCommitmentReport(bytes, EXPLICIT, 'PACS')).toThrow(/"PACS" has no Transaction UID \(0008,1195\)/);
  });

  it('an item without its instance UID: refused, naming the item and sequence', () => {
    const bytes = encode({ '00081195': { vr: 'UI', Value: ['2.25.1'] }, '00081198': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: [CT] } }] } });
    expect(() => decodeCommitmentReport(bytes, EXPLICIT, 'PACS')).toThrow(/2\.25\.1 from "PACS": item 1 of the Failed SOP Sequence lacks/);
  });

  it('a failed item without its Failure Reason counts as a processing failure', () => {
    const bytes = encode({ '00081195': { vr: 'UI', Value: ['2.25.1'] }, '00081198': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: [CT] }, '00081155': { vr: 'UI', Value: ['1.2.3.1'] } }] } });
    expect(decodeCommitmentReport(bytes, EXPLICIT, 'PACS').failed).toEqual([{ ...a, reason: 0x0110 }]);
  });

  it('bytes that are not a dataset: refused with the parser\'s reason', () => {
    expect(() => decodeCommitmentReport(Uint8Array.of(0x08, 0x00, 0x95, 0x11, 0x55, 0x49, 0xff, 0x00), EXPLICIT, 'PACS')).toThrow(/report from "PACS" cannot be read/);
  });
});
