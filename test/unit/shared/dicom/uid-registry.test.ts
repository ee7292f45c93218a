import { describe, expect, it } from 'vitest';
import {
  DEFLATED_EXPLICIT_VR_LE,
  EXPLICIT_VR_BE,
  EXPLICIT_VR_LE,
  IMPLICIT_VR_LE,
  VERIFICATION_SOP_CLASS,
  isStorageSopClass,
  transferSyntax,
  uidName,
} from '../../../../shared/dicom/uid-registry.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '../../../../shared/dicom/implementation.js';
import { pydicomJson } from './pydicom-oracle.js';

interface PydicomUids {
  transferSyntaxes: Array<{ uid: string; implicit: boolean; little: boolean; deflated: boolean; encapsulated: boolean; retired: boolean }>;
  storage: string[];
  names: Record<string, string>;
}

const oracle = `
import json, re, pydicom.uid as U
from pydicom._uid_dict import UID_dictionary as D
src = open(U.__file__).read().split('do not edit manually', 1)[1]
ts = [dict(uid=u, implicit=U.UID(u).is_implicit_VR, little=U.UID(u).is_little_endian, deflated=U.UID(u).is_deflated,
           encapsulated=U.UID(u).is_encapsulated, retired=U.UID(u).is_retired) for u in U.AllTransferSyntaxes]
print(json.dumps(dict(transferSyntaxes=ts, storage=re.findall(r"UID\\('([0-9.]+)'\\)", src),
                      names={u: v[0] for u, v in D.items()})))
`;

describe('UID registry', () => {
  it('knows every transfer syntax pydicom knows, with the same encoding properties', async () => {
    const py = await pydicomJson<PydicomUids>(oracle);
    expect(py.transferSyntaxes.length).toBeGreaterThan(20);
    for (const t of py.transferSyntaxes) {
      const ours = transferSyntax(t.uid);
      expect(ours, t.uid).toBeDefined();
      expect({ uid: t.uid, explicitVr: ours?.explicitVr, littleEndian: ours?.littleEndian, deflated: ours?.deflated, encapsulated: ours?.encapsulated, retired: ours?.retired })
        .toEqual({ uid: t.uid, explicitVr: !t.implicit, littleEndian: t.little, deflated: t.deflated, encapsulated: t.encapsulated, retired: t.retired });
    }
  });

  it('marks every current Storage SOP class of the standard (pydicom list) and names every UID as pydicom does', async () => {
    const py = await pydicomJson<PydicomUids>(oracle);
    const storage = py.storage.filter((uid) => uid !== '1.2.840.10008.1.3.10');
    expect(storage.length).toBeGreaterThan(150);
    for (const uid of storage) expect(isStorageSopClass(uid), uid).toBe(true);
    for (const [uid, name] of Object.entries(py.names)) expect(uidName(uid), uid).toBe(name === '' ? undefined : name);
  });

  it('includes retired storage classes and UIDs published after pydicom 2.3.1, and excludes non-storage classes', () => {
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.1.6')).toBe(true); // Ultrasound Image Storage (Retired)
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.1.88.1')).toBe(true); // Text SR Storage - Trial
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.1.66.7')).toBe(true); // Label Map Segmentation Storage
    expect(isStorageSopClass('1.2.840.10008.1.20.1')).toBe(false); // Storage Commitment Push Model
    expect(isStorageSopClass('1.2.840.10008.1.3.10')).toBe(false); // DICOMDIR
    expect(isStorageSopClass(VERIFICATION_SOP_CLASS)).toBe(false);
    expect(isStorageSopClass('1.2.840.10008.5.1.4.1.2.2.1')).toBe(false); // Study Root FIND
    for (const uid of ['1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203']) {
      expect(transferSyntax(uid)).toMatchObject({ explicitVr: true, littleEndian: true, deflated: false, encapsulated: true, retired: false });
      expect(uidName(uid)).toMatch(/High-Throughput JPEG 2000/);
    }
  });

  it('describes the uncompressed, deflated, JPIP and retired syntaxes per PS3.5', () => {
    expect(transferSyntax(IMPLICIT_VR_LE)).toMatchObject({ explicitVr: false, littleEndian: true, encapsulated: false });
    expect(transferSyntax(EXPLICIT_VR_LE)).toMatchObject({ explicitVr: true, littleEndian: true, encapsulated: false });
    expect(transferSyntax(DEFLATED_EXPLICIT_VR_LE)).toMatchObject({ explicitVr: true, deflated: true, encapsulated: false });
    expect(transferSyntax(EXPLICIT_VR_BE)).toMatchObject({ explicitVr: true, littleEndian: false, retired: true });
    expect(transferSyntax('1.2.840.10008.1.2.4.94')).toMatchObject({ encapsulated: false, deflated: false }); // JPIP Referenced
    expect(transferSyntax('1.2.840.10008.1.2.4.95')).toMatchObject({ encapsulated: false, deflated: true });
    expect(transferSyntax('1.2.840.10008.1.2.4.52')).toMatchObject({ encapsulated: true, retired: true });
    expect(transferSyntax('1.2.840.10008.1.2.5')).toMatchObject({ encapsulated: true }); // RLE
    expect(transferSyntax('1.2.3.4')).toBeUndefined();
  });

  it('has a valid implementation identity', () => {
    expect(IMPLEMENTATION_CLASS_UID).toMatch(/^2\.25\.(0|[1-9][0-9]*)$/);
    expect(IMPLEMENTATION_CLASS_UID.length).toBeLessThanOrEqual(64);
    expect(BigInt(IMPLEMENTATION_CLASS_UID.slice(5))).toBeLessThan(2n ** 128n);
    expect(IMPLEMENTATION_VERSION_NAME.length).toBeLessThanOrEqual(16);
  });
});
