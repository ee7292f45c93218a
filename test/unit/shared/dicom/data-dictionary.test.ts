import { describe, expect, it } from 'vitest';
import { dictionaryVr, formatTag, keywordOf, tagOf } from '../../../../shared/dicom/data-dictionary.js';
import { pydicomJson } from './pydicom-oracle.js';

describe('data dictionary', () => {
  it('agrees with pydicom on the VR and keyword of every standard tag', async () => {
    const py = await pydicomJson<Array<[number, string, string]>>(
      'import json; from pydicom._dicom_dict import DicomDictionary as D; print(json.dumps([[t, v[0], v[4]] for t, v in D.items()]))',
    );
    expect(py.length).toBeGreaterThan(4000);
    for (const [tag, vr, keyword] of py) {
      if ((tag & 0xffff) === 0) continue; // group lengths: UL by rule
      expect(dictionaryVr(tag), formatTag(tag)).toBe(vr.replace(/ or /g, '/'));
      expect(keywordOf(tag), formatTag(tag)).toBe(keyword === '' ? undefined : keyword);
      if (keyword !== '') expect(tagOf(keyword)).toBe(tag);
    }
  });

  it('handles repeating groups, group lengths and private tags', () => {
    expect(dictionaryVr(0x60020010)).toBe('US'); // OverlayRows in group 6002
    expect(keywordOf(0x601e3000)).toBe('OverlayData');
    expect(dictionaryVr(0x50100005)).toBe('US'); // CurveDimensions, group 5010
    expect(tagOf('OverlayRows')).toBe(0x60000010);
    expect(dictionaryVr(0x00180000)).toBe('UL');
    expect(dictionaryVr(0x00090010)).toBe('LO'); // private creator
    expect(dictionaryVr(0x000910ff)).toBe('UN');
    expect(dictionaryVr(0x00991000)).toBe('UN');
    expect(keywordOf(0x00091001)).toBeUndefined();
    expect(dictionaryVr(0x00080099)).toBeUndefined(); // not in the standard
    expect(formatTag(0x7fe00010)).toBe('(7FE0,0010)');
  });
});
