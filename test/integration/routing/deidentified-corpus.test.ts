/**
 * De-identified copies of real objects (CT, MR, a Comprehensive SR, a SEG
 * and the CT images it segments) written as Part 10 files and read by
 * independent tools: pydicom finds no attribute of Table E.1-1 holding its
 * original value, no private attribute, the original name and ID nowhere in
 * the bytes, every instance UID replaced by the HMAC it recomputes itself
 * (so the SEG still points at its images), class UIDs unchanged; dciodvfy
 * reports no error the original did not have.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC_PROFILE } from '../../../main/routing/basic-profile.js';
import { part10Of, transformForRoute, type RouteCopy } from '../../../main/routing/route-transform.js';
import type { StoredInstance } from '../../../main/dicom/stored-instance.js';
import { readStoredHeader } from '../../../main/store/stored-file.js';
import { errorMessage } from '../../../shared/error-message.js';
import { listDcm, pydicomCharsetFiles, pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';

const PYTHON = '/usr/bin/python3';

/** Copies of CT_small made into the three images liver_1frame.dcm segments (same study, series, frame of reference). */
const MAKE_SEGMENTED_IMAGES = `
import sys, pydicom
seg = pydicom.dcmread(sys.argv[1])
ct = pydicom.dcmread(sys.argv[2])
series = seg.ReferencedSeriesSequence[0]
for i, ref in enumerate(series.ReferencedInstanceSequence):
    ct.SOPInstanceUID = ref.ReferencedSOPInstanceUID
    ct.file_meta.MediaStorageSOPInstanceUID = ref.ReferencedSOPInstanceUID
    ct.SeriesInstanceUID = series.SeriesInstanceUID
    ct.StudyInstanceUID = seg.StudyInstanceUID
    ct.FrameOfReferenceUID = seg.FrameOfReferenceUID
    ct.PatientID = seg.PatientID
    ct.PatientName = seg.PatientName
    ct.save_as(f'{sys.argv[3]}/segmented-{i}.dcm')
`;

/** What pydicom sees in each (original, copy) pair. */
const CHECK = `
import hmac, hashlib, json, sys
import pydicom
from pydicom._uid_dict import UID_dictionary
args = json.loads(sys.argv[1])
secret = bytes.fromhex(args['secret'])
table = set(int(t, 16) for t in args['tableTags'])
removed = set(int(t, 16) for t in args['removedTags'])
def replaced(uid):
    d = hmac.new(secret, uid.encode('latin1'), hashlib.sha256).digest()[:16]
    return '2.25.' + str(int.from_bytes(d, 'big'))
def values(el):
    v = el.value
    if v is None or v == '' or v == b'': return []
    if isinstance(v, (list, pydicom.multival.MultiValue)): return [str(x) for x in v if str(x) != '']
    return [str(v)]
out = {}
for pair in args['pairs']:
    orig = pydicom.dcmread(pair['original'])
    copy = pydicom.dcmread(pair['copy'])
    originals = {}
    uids = set()
    for el in orig.iterall():
        if el.tag in table and el.VR != 'SQ': originals.setdefault(int(el.tag), set()).update(values(el))
        if el.VR == 'UI': uids.update(values(el))
    r = {'private': [], 'leaks': [], 'present': [], 'badUids': [], 'keptUids': []}
    for el in copy.iterall():
        if el.tag.is_private: r['private'].append(str(el.tag))
        if int(el.tag) in removed: r['present'].append(el.keyword)
        if el.VR != 'SQ' and el.VR != 'UI':
            for v in values(el):
                if v in originals.get(int(el.tag), ()): r['leaks'].append(f'{el.keyword}={v}')
        if el.VR == 'UI':
            for v in values(el):
                if v in UID_dictionary: continue
                if v in uids: r['keptUids'].append(f'{el.keyword}={v}')
                elif not any(replaced(u) == v for u in uids): r['badUids'].append(f'{el.keyword}={v}')
    raw = open(pair['copy'], 'rb').read()
    for k in ('PatientName', 'PatientID'):
        v = str(orig.get(k, '') or '')
        if len(v) >= 4 and v.encode('latin1') in raw: r['leaks'].append(f'{k} bytes {v}')
    r['identityRemoved'] = str(copy.get('PatientIdentityRemoved', ''))
    r['methodCodes'] = [c.CodeValue for c in copy.get('DeidentificationMethodCodeSequence', [])]
    r['sopClassKept'] = copy.SOPClassUID == orig.SOPClassUID
    r['metaSopInstanceUid'] = copy.file_meta.MediaStorageSOPInstanceUID
    r['expected'] = {k: replaced(str(orig[k].value)) for k in ('SOPInstanceUID', 'StudyInstanceUID', 'SeriesInstanceUID') if k in orig}
    r['actual'] = {k: str(copy[k].value) for k in ('SOPInstanceUID', 'StudyInstanceUID', 'SeriesInstanceUID') if k in copy}
    r['patient'] = [str(copy.PatientName), str(copy.PatientID)]
    if 'ReferencedSeriesSequence' in copy:
        s = copy.ReferencedSeriesSequence[0]
        r['segReferences'] = {'series': s.SeriesInstanceUID, 'instances': [i.ReferencedSOPInstanceUID for i in s.ReferencedInstanceSequence], 'study': copy.StudyInstanceUID, 'frameOfReference': copy.FrameOfReferenceUID}
    if 'FrameOfReferenceUID' in copy: r['frameOfReference'] = copy.FrameOfReferenceUID
    out[pair['copy']] = r
print(json.dumps(out))
`;

interface Check {
  private: string[];
  leaks: string[];
  present: string[];
  badUids: string[];
  keptUids: string[];
  identityRemoved: string;
  methodCodes: string[];
  sopClassKept: boolean;
  metaSopInstanceUid: string;
  expected: Record<string, string>;
  actual: Record<string, string>;
  patient: [string, string];
  segReferences?: { series: string; instances: string[]; study: string; frameOfReference: string };
  frameOfReference?: string;
}

const secret = new Uint8Array(randomBytes(32));
const basic = { deidentify: { profile: 'basic' as const } };
let dir: { path: string; cleanup: () => Promise<void> };
const copies = new Map<string, { original: string; copy: string; result: RouteCopy }>();
let checks: Record<string, Check>;

async function deidentify(original: string, name: string): Promise<string> {
  const { meta } = await readStoredHeader(original);
  const instance = { path: original, sopClassUid: meta.mediaStorageSopClassUid, sopInstanceUid: meta.mediaStorageSopInstanceUid, transferSyntaxUid: meta.transferSyntaxUid };
  const result = await transformForRoute(instance, basic, { secret });
  const copy = join(dir.path, `${name}.deid.dcm`);
  await writeFile(copy, part10Of(result));
  copies.set(name, { original, copy, result });
  return copy;
}

const corpus = (name: string): string => join(pydicomTestFiles, name);

beforeAll(async () => {
  dir = await tempDir('viewbox-deid-');
  execFileSync(PYTHON, ['-c', MAKE_SEGMENTED_IMAGES, corpus('liver_1frame.dcm'), corpus('CT_small.dcm'), dir.path]);
  for (const name of ['CT_small', 'MR_small', 'MR_small_implicit', 'MR_small_jpeg_ls_lossless', 'test-SR', 'liver_1frame']) await deidentify(corpus(`${name}.dcm`), name);
  for (let i = 0; i < 3; i++) await deidentify(join(dir.path, `segmented-${i}.dcm`), `segmented-${i}`);
  const tableTags = [...BASIC_PROFILE.keys()];
  const removedTags = [...BASIC_PROFILE.entries()].filter(([, row]) => row.basic === 'X' || row.basic === 'C').map(([tag]) => tag);
  const pairs = [...copies.values()].map(({ original, copy }) => ({ original, copy }));
  const args = JSON.stringify({ secret: Buffer.from(secret).toString('hex'), tableTags, removedTags, pairs });
  checks = JSON.parse(execFileSync(PYTHON, ['-c', CHECK, args], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, Check>;
}, 120_000);

afterAll(async () => {
  await dir?.cleanup();
});

const checkOf = (name: string): Check => checks[copies.get(name)!.copy]!;

describe.each(['CT_small', 'MR_small', 'MR_small_implicit', 'MR_small_jpeg_ls_lossless', 'test-SR', 'liver_1frame', 'segmented-0'])('%s de-identified', (name) => {
  it('holds no E.1 attribute with its original value, no private attribute, and says the identity was removed', () => {
    const check = checkOf(name);
    expect(check.leaks).toEqual([]);
    expect(check.present).toEqual([]);
    expect(check.private).toEqual([]);
    expect(check.identityRemoved).toBe('YES');
    expect(check.methodCodes).toEqual(['113100']);
    expect(check.patient[0]).toMatch(/^ANON-[0-9A-F]{16}$/);
    expect(check.patient[1]).toBe(check.patient[0]);
  });

  it('replaces every instance UID by the HMAC of the original, keeps class UIDs, and the File Meta names the new instance', () => {
    const check = checkOf(name);
    expect(check.badUids).toEqual([]);
    expect(check.keptUids).toEqual([]);
    expect(check.sopClassKept).toBe(true);
    expect(check.actual).toEqual(check.expected);
    expect(check.metaSopInstanceUid).toBe(check.expected['SOPInstanceUID']);
    expect(copies.get(name)!.result.sopInstanceUid).toBe(check.expected['SOPInstanceUID']);
    for (const uid of Object.values(check.actual)) expect(uid.length).toBeLessThanOrEqual(64);
  });

  it('passes dciodvfy with no error the original did not have', async () => {
    const { original, copy } = copies.get(name)!;
    const [before, after] = await Promise.all([dciodvfyErrors(original), dciodvfyErrors(copy)]);
    expect([...after].filter((e) => !before.has(e))).toEqual([]);
  });
});

describe('consistency', () => {
  it('the SEG still points at its images: study, series, instances and frame of reference are the images\' new UIDs', () => {
    const seg = checkOf('liver_1frame').segReferences!;
    const images = [0, 1, 2].map((i) => checkOf(`segmented-${i}`));
    expect(seg.study).toBe(images[0]!.actual['StudyInstanceUID']);
    expect(seg.series).toBe(images[0]!.actual['SeriesInstanceUID']);
    expect([...seg.instances].sort()).toEqual(images.map((c) => c.actual['SOPInstanceUID']).sort());
    expect(seg.frameOfReference).toBe(images[0]!.frameOfReference);
    expect(seg.study).not.toBe(checkOf('CT_small').actual['StudyInstanceUID']);
    // One patient: the SEG and its images get the same pseudonym.
    expect(images[0]!.patient).toEqual(checkOf('liver_1frame').patient);
  });

  it('the same instance in three transfer syntaxes maps to the same UIDs; a second run gives the same bytes', async () => {
    const mr = checkOf('MR_small').actual;
    expect(checkOf('MR_small_implicit').actual).toEqual(mr);
    expect(checkOf('MR_small_jpeg_ls_lossless').actual).toEqual(mr);
    const again = await transformForRoute(
      { path: corpus('CT_small.dcm'), sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '', transferSyntaxUid: '1.2.840.10008.1.2.1' },
      basic,
      { secret: Uint8Array.from(secret) },
    );
    expect(Buffer.from(again.dataset).equals(Buffer.from(copies.get('CT_small')!.result.dataset))).toBe(true);
  });

  it('another node (another secret) makes other UIDs and pseudonyms', async () => {
    const other = await transformForRoute(
      { path: corpus('CT_small.dcm'), sopClassUid: '1.2.840.10008.5.1.4.1.1.2', sopInstanceUid: '', transferSyntaxUid: '1.2.840.10008.1.2.1' },
      basic,
      { secret: new Uint8Array(randomBytes(32)) },
    );
    expect(other.sopInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(other.sopInstanceUid).not.toBe(checkOf('CT_small').actual['SOPInstanceUID']);
  });
});

/** pydicom reads every element of each file; the copy has no private attribute and says its identity was removed. */
const READ_ALL = `
import json, sys
import pydicom
out = {}
for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path)
        private = [str(el.tag) for el in ds.iterall() if el.tag.is_private]
        out[path] = {'private': private, 'identityRemoved': str(ds.get('PatientIdentityRemoved', ''))}
    except Exception as e:
        out[path] = {'error': str(e)}
print(json.dumps(out))
`;

describe('the whole pydicom corpus, charset files included', () => {
  it('every stored-able file de-identifies to one pydicom and dcmdump read, or is refused with a reason naming it', async () => {
    const written: string[] = [];
    const refused: string[] = [];
    for (const original of [...listDcm(pydicomTestFiles), ...listDcm(pydicomCharsetFiles)]) {
      let instance: StoredInstance;
      try {
        const { meta } = await readStoredHeader(original);
        instance = { path: original, sopClassUid: meta.mediaStorageSopClassUid, sopInstanceUid: meta.mediaStorageSopInstanceUid, transferSyntaxUid: meta.transferSyntaxUid };
      } catch {
        continue; // not something the archive would have stored
      }
      try {
        const copy = join(dir.path, `corpus-${written.length}.dcm`);
        await writeFile(copy, part10Of(await transformForRoute(instance, basic, { secret })));
        written.push(copy);
      } catch (error) {
        expect(errorMessage(error)).toContain(original);
        refused.push(original);
      }
    }
    expect(written.length).toBeGreaterThan(70);
    expect(refused.length).toBeLessThan(5);
    const read = JSON.parse(execFileSync(PYTHON, ['-c', READ_ALL, ...written], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Record<string, { error?: string; private?: string[]; identityRemoved?: string }>;
    for (const copy of written) expect(read[copy], copy).toEqual({ private: [], identityRemoved: 'YES' });
    for (const copy of written) {
      const dump = await run('dcmdump', ['-q', '+E', copy]);
      expect(dump.code, `${copy}: ${dump.stderr}`).toBe(0);
    }
  }, 120_000);
});

/** dciodvfy's error lines with values and UIDs blanked (the copy's UIDs and dummies differ by design). */
async function dciodvfyErrors(path: string): Promise<Set<string>> {
  const result = await run('dciodvfy', [path]);
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.startsWith('Error'));
  return new Set(lines.map((l) => l.replace(/"[^"]*"/g, '""').replace(/\d+(\.\d+)+/g, 'UID')));
}
