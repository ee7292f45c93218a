/**
 * The profile's decisions on DICOM JSON: what each action and option does to
 * an attribute at any depth, private attributes, UIDs (replaced, except those
 * of the registry and class UIDs), the pseudonym, what the copy records about
 * its de-identification, and the images it refuses.
 */
import { describe, expect, it } from 'vitest';
import { BASIC_PROFILE } from '../../../../main/routing/basic-profile.js';
import { DeidentifyRefusal, deidentifyJson } from '../../../../main/routing/deidentify.js';
import { patientPseudonym, replacementUid } from '../../../../main/routing/pseudonyms.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import type { DeidentifyOption } from '../../../../shared/routing/rules.js';

const secret = new Uint8Array(32).fill(7);
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
const DCM_CODING_SCHEME = '1.2.840.10008.2.16.4';

function source(): DicomJsonDataset {
  return {
    '00080016': { vr: 'UI', Value: [CT_IMAGE_STORAGE] },
    '00080018': { vr: 'UI', Value: ['1.2.3.4.5.6'] },
    '00080020': { vr: 'DA', Value: ['20240102'] },
    '00080023': { vr: 'DA', Value: ['20240102'] },
    '00080050': { vr: 'SH', Value: ['ACC123'] },
    '00080060': { vr: 'CS', Value: ['CT'] },
    '00080080': { vr: 'LO', Value: ['St Elsewhere'] },
    '00080081': { vr: 'ST', Value: ['1 Main Street'] },
    '00081030': { vr: 'LO', Value: ['CT CHEST for John'] },
    '00081140': {
      vr: 'SQ',
      Value: [{ '00081150': { vr: 'UI', Value: [CT_IMAGE_STORAGE] }, '00081155': { vr: 'UI', Value: ['1.2.3.4.5.7'] }, '00081030': { vr: 'LO', Value: ['nested'] } }],
    },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^John' }] },
    '00100020': { vr: 'LO', Value: ['PID-1'] },
    '00100030': { vr: 'DA', Value: ['19700101'] },
    '00100040': { vr: 'CS', Value: ['M'] },
    '00101010': { vr: 'AS', Value: ['054Y'] },
    '00101000': { vr: 'LO', Value: ['OTHER-1'] },
    '00181000': { vr: 'LO', Value: ['SN-99'] },
    '0020000D': { vr: 'UI', Value: ['1.2.3.4'] },
    '00200052': { vr: 'UI', Value: ['1.2.3.9'] },
    '00400275': { vr: 'SQ', Value: [{ '00401001': { vr: 'SH', Value: ['RP1'] } }] },
    '00091001': { vr: 'LO', Value: ['private secret'] },
    '00090010': { vr: 'LO', Value: ['PRIVATE CREATOR'] },
    '00280303': { vr: 'CS', Value: ['UNMODIFIED'] },
    '00400260': {
      vr: 'SQ',
      Value: [{ '00080100': { vr: 'SH', Value: ['X'] }, '0008010C': { vr: 'UI', Value: [DCM_CODING_SCHEME] }, '00100020': { vr: 'LO', Value: ['nested id'] }, '00191001': { vr: 'LO', Value: ['p'] } }],
    },
  };
}

const run = (options: DeidentifyOption[] = [], dataset = source()): DicomJsonDataset => deidentifyJson(dataset, options, secret, 'test.dcm');

describe('the basic profile', () => {
  const out = run();

  it('removes (X), empties (Z) and replaces with dummies (D) as the table says', () => {
    expect(out['00080081']).toBeUndefined(); // X
    expect(out['00101000']).toBeUndefined(); // X
    expect(out['00101010']).toBeUndefined(); // X (patient characteristic)
    expect(out['00081030']).toBeUndefined(); // X (descriptor)
    expect(out['00400275']).toBeUndefined(); // Request Attributes Sequence, X
    expect(out['00080020']).toEqual({ vr: 'DA' }); // Z
    expect(out['00080050']).toEqual({ vr: 'SH' }); // Z
    expect(out['00100030']).toEqual({ vr: 'DA' }); // Z
    expect(out['00100040']).toEqual({ vr: 'CS' }); // Z
    expect(out['00080023']).toEqual({ vr: 'DA', Value: ['19000101'] }); // Z/D: a dummy keeps a Type 1 valid
    expect(out['00080080']).toEqual({ vr: 'LO', Value: ['ANONYMOUS'] }); // X/Z/D
    expect(out['00181000']).toEqual({ vr: 'LO', Value: ['ANONYMOUS'] });
    expect(out['00080060']).toEqual({ vr: 'CS', Value: ['CT'] }); // not in the table: kept
  });

  it('removes private attributes and group lengths at every depth', () => {
    expect(out['00091001']).toBeUndefined();
    expect(out['00090010']).toBeUndefined();
    const item = (out['00400260']!.Value![0] as DicomJsonDataset);
    expect(item['00191001']).toBeUndefined();
    expect(run([], { ...source(), '00080000': { vr: 'UL', Value: [123] } })['00080000']).toBeUndefined();
  });

  it('applies the table inside sequences', () => {
    const item = out['00400260']!.Value![0] as DicomJsonDataset;
    expect(item['00100020']).toEqual({ vr: 'LO' });
    expect(item['00080100']).toEqual({ vr: 'SH', Value: ['X'] });
    const reference = out['00081140']!.Value![0] as DicomJsonDataset;
    expect(reference['00081030']).toBeUndefined();
  });

  it('replaces instance UIDs everywhere with the keyed HMAC and keeps class and registry UIDs', () => {
    expect(out['00080018']!.Value).toEqual([replacementUid(secret, '1.2.3.4.5.6')]);
    expect(out['0020000D']!.Value).toEqual([replacementUid(secret, '1.2.3.4')]);
    expect(out['00200052']!.Value).toEqual([replacementUid(secret, '1.2.3.9')]);
    const reference = out['00081140']!.Value![0] as DicomJsonDataset;
    expect(reference['00081155']!.Value).toEqual([replacementUid(secret, '1.2.3.4.5.7')]);
    expect(reference['00081150']!.Value).toEqual([CT_IMAGE_STORAGE]);
    expect(out['00080016']!.Value).toEqual([CT_IMAGE_STORAGE]);
    expect((out['00400260']!.Value![0] as DicomJsonDataset)['0008010C']!.Value).toEqual([DCM_CODING_SCHEME]);
    expect(replacementUid(secret, '1.2.3.4')).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
    expect(replacementUid(new Uint8Array(32), '1.2.3.4')).not.toBe(replacementUid(secret, '1.2.3.4'));
  });

  it('names the patient by a pseudonym of the original Patient ID', () => {
    const pseudonym = patientPseudonym(secret, 'PID-1');
    expect(out['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: pseudonym }] });
    expect(out['00100020']).toEqual({ vr: 'LO', Value: [pseudonym] });
    const other = run([], { ...source(), '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Someone^Else' }] } });
    expect(other['00100020']).toEqual(out['00100020']);
    expect(patientPseudonym(secret, 'PID-2')).not.toBe(pseudonym);
  });

  it('records the de-identification: Patient Identity Removed, the method, CID 7050 codes, dates removed', () => {
    expect(out['00120062']).toEqual({ vr: 'CS', Value: ['YES'] });
    expect(out['00120063']!.Value).toEqual(['Basic Application Confidentiality Profile']);
    const codes = out['00120064']!.Value as DicomJsonDataset[];
    expect(codes.map((c) => [c['00080100']!.Value![0], c['00080102']!.Value![0]])).toEqual([['113100', 'DCM']]);
    expect(out['00280303']).toEqual({ vr: 'CS', Value: ['REMOVED'] });
  });

  it('leaves its input unchanged', () => {
    const input = source();
    run([], input);
    expect(input).toEqual(source());
  });

  it('lists every attribute once, with a valid tag and action', () => {
    for (const [tag, row] of BASIC_PROFILE) {
      expect(tag).toMatch(/^[0-9A-F]{8}$/);
      expect(['D', 'Z', 'X', 'K', 'C', 'U', 'Z/D', 'X/Z', 'X/D', 'X/Z/D', 'X/Z/U*']).toContain(row.basic);
    }
    expect(BASIC_PROFILE.size).toBeGreaterThan(200);
  });
});

describe('options', () => {
  it('retain-dates keeps dates and says so', () => {
    const out = run(['retain-dates']);
    expect(out['00080020']).toEqual({ vr: 'DA', Value: ['20240102'] });
    expect(out['00280303']).toEqual({ vr: 'CS', Value: ['UNMODIFIED'] });
    expect(out['00100030']).toEqual({ vr: 'DA' }); // birth date is not a longitudinal date
  });

  it('retain-patient-characteristics keeps sex and age, not names', () => {
    const out = run(['retain-patient-characteristics']);
    expect(out['00100040']).toEqual({ vr: 'CS', Value: ['M'] });
    expect(out['00101010']).toEqual({ vr: 'AS', Value: ['054Y'] });
    expect(out['00101000']).toBeUndefined();
  });

  it('retain-device-identity and retain-institution-identity keep what they name', () => {
    expect(run(['retain-device-identity'])['00181000']).toEqual({ vr: 'LO', Value: ['SN-99'] });
    expect(run(['retain-device-identity'])['00080080']).toEqual({ vr: 'LO', Value: ['ANONYMOUS'] });
    const institution = run(['retain-institution-identity']);
    expect(institution['00080080']).toEqual({ vr: 'LO', Value: ['St Elsewhere'] });
    expect(institution['00080081']).toEqual({ vr: 'ST', Value: ['1 Main Street'] });
  });

  it('clean-descriptors removes the descriptions', () => {
    expect(run(['clean-descriptors'])['00081030']).toBeUndefined();
  });

  it('each option adds its CID 7050 code, in a stable order', () => {
    const out = run(['retain-institution-identity', 'retain-dates', 'clean-descriptors', 'retain-device-identity', 'retain-patient-characteristics']);
    const codes = (out['00120064']!.Value as DicomJsonDataset[]).map((c) => c['00080100']!.Value![0]);
    expect(codes).toEqual(['113100', '113105', '113106', '113108', '113109', '113112']);
    expect(out['00120063']!.Value).toHaveLength(6);
  });
});

describe('refusals', () => {
  it('an image with burned-in annotation is refused, naming the file and the attribute', () => {
    const dataset = { ...source(), '00280301': { vr: 'CS', Value: ['YES'] } };
    expect(() => run([], dataset)).toThrow(DeidentifyRefusal);
    expect(() => run([], dataset)).toThrow(/test\.dcm.*Burned In Annotation \(0028,0301\)/);
    expect(run([], { ...source(), '00280301': { vr: 'CS', Value: ['NO'] } })['00120062']).toBeDefined();
  });
});
