import { run } from '../../../helpers/run.js';

/** What pydicom (the oracle) says about a file: where its dataset starts and its SOP UIDs. */
export interface PydicomFacts {
  path: string;
  /** Byte offset of the dataset (after preamble + File Meta), 0 without File Meta; null when pydicom cannot read it. */
  datasetOffset: number | null;
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
}

const script = `
import json, sys
import warnings
warnings.simplefilter('ignore')
from pydicom.filereader import read_preamble, _read_file_meta_info, dcmread
out = []
for path in sys.argv[1:]:
    r = {'path': path, 'datasetOffset': None, 'transferSyntaxUid': '', 'sopClassUid': '', 'sopInstanceUid': '', 'studyInstanceUid': ''}
    try:
        with open(path, 'rb') as fp:
            if read_preamble(fp, True) is None:
                r['datasetOffset'] = 0
            else:
                meta = _read_file_meta_info(fp)
                r['datasetOffset'] = fp.tell()
                r['transferSyntaxUid'] = str(meta.get('TransferSyntaxUID', ''))
                r['sopClassUid'] = str(meta.get('MediaStorageSOPClassUID', ''))
                r['sopInstanceUid'] = str(meta.get('MediaStorageSOPInstanceUID', ''))
        ds = dcmread(path, force=True)
        r['sopClassUid'] = r['sopClassUid'] or str(ds.get('SOPClassUID', ''))
        r['sopInstanceUid'] = r['sopInstanceUid'] or str(ds.get('SOPInstanceUID', ''))
        r['studyInstanceUid'] = str(ds.get('StudyInstanceUID', ''))
        if not r['transferSyntaxUid']:
            r['transferSyntaxUid'] = '1.2.840.10008.1.2' if ds.is_implicit_VR else ('1.2.840.10008.1.2.1' if ds.is_little_endian else '1.2.840.10008.1.2.2')
    except Exception as e:
        r['error'] = str(e)
    out.append(r)
print(json.dumps(out))
`;

export async function pydicomFacts(paths: string[]): Promise<Map<string, PydicomFacts>> {
  const r = await run('/usr/bin/python3', ['-c', script, ...paths]);
  if (r.code !== 0) throw new Error(`pydicom oracle failed: ${r.stderr}`);
  return new Map((JSON.parse(r.stdout) as PydicomFacts[]).map((f) => [f.path, f]));
}

/** The Referenced File IDs of a DICOMDIR, resolved by pydicom's FileSet (its own case handling). */
export async function pydicomDicomdirFiles(dicomdir: string): Promise<string[]> {
  const r = await run('/usr/bin/python3', ['-c', `
import json, os, sys
from pydicom import dcmread
ds = dcmread(sys.argv[1])
root = os.path.dirname(sys.argv[1])
files = []
for rec in ds.DirectoryRecordSequence:
    if 'ReferencedFileID' in rec:
        v = rec.ReferencedFileID
        parts = [v] if isinstance(v, str) else list(v)
        files.append(os.path.join(root, *parts))
print(json.dumps(files))
`, dicomdir]);
  if (r.code !== 0) throw new Error(`pydicom DICOMDIR oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}
