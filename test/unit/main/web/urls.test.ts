/**
 * BulkDataURIs of the index ("bulk/<offset>/<length>") made absolute in the
 * JSON text: top-level Pixel Data to the frames resource, everything else,
 * nested sequences included, to the bulk resource; text values untouched.
 */
import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { frameUrl, instanceUrl } from '../../../../shared/api/dicomweb-paths.js';
import { bulkReferences, parseBulkReference, withAbsoluteBulkDataUris } from '../../../../main/web/dicomweb/urls.js';

const root = 'http://127.0.0.1:8042/dicom-web';
const uids = { studyUid: '1.2', seriesUid: '1.2.3', sopInstanceUid: '1.2.3.4' };
const instance = instanceUrl(root, uids);

const dataset: DicomJsonDataset = {
  '00081030': { vr: 'LO', Value: ['tricky "7FE00010":{"vr":"OB","BulkDataURI":"bulk/1/2"} {[ text'] },
  '00880200': {
    vr: 'SQ',
    Value: [{ '00280010': { vr: 'US', Value: [64] }, '7FE00010': { vr: 'OB', BulkDataURI: 'bulk/900/4096' } }],
  },
  '00420011': { vr: 'OB', BulkDataURI: 'bulk/5000/2000' },
  '7FE00010': { vr: 'OW', BulkDataURI: 'bulk/10000/524288' },
};

describe('absolute BulkDataURIs', () => {
  it('points top-level Pixel Data at the frames resource and every other value at its bulk URL', () => {
    const rewritten = JSON.parse(withAbsoluteBulkDataUris(JSON.stringify(dataset), instance)) as DicomJsonDataset;
    expect(rewritten['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: `${instance}/frames` });
    expect(rewritten['00420011']).toEqual({ vr: 'OB', BulkDataURI: `${instance}/bulk/5000/2000` });
    const icon = (rewritten['00880200']!.Value![0] as DicomJsonDataset)['7FE00010'];
    expect(icon).toEqual({ vr: 'OB', BulkDataURI: `${instance}/bulk/900/4096` });
    expect(rewritten['00081030']).toEqual(dataset['00081030']);
  });

  it('points Pixel Data at the frames resource whose frames the reading room asks for', () => {
    const rewritten = JSON.parse(withAbsoluteBulkDataUris(JSON.stringify(dataset), instance)) as DicomJsonDataset;
    expect(frameUrl(root, uids, 3)).toBe(`${rewritten['7FE00010']!.BulkDataURI}/3`);
  });

  it('leaves a dataset whose only Pixel Data is nested with no frames URL', () => {
    const nestedOnly = { '00880200': dataset['00880200']! };
    const rewritten = withAbsoluteBulkDataUris(JSON.stringify(nestedOnly), instance);
    expect(rewritten).not.toContain('/frames');
    expect(rewritten).toContain(`${instance}/bulk/900/4096`);
  });

  it('lists the ranges a client may read, sequences included', () => {
    expect([...bulkReferences(dataset)].sort()).toEqual(['bulk/10000/524288', 'bulk/5000/2000', 'bulk/900/4096']);
    expect(parseBulkReference('bulk/12/34')).toEqual({ offset: 12, length: 34 });
    expect(parseBulkReference('bulk/12/-1')).toBeUndefined();
  });
});
