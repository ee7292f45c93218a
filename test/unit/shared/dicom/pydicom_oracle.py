"""Oracle for the codec tests: what Debian's pydicom reads from each file given as an argument.

Prints one JSON object: path -> {"json": Dataset.to_json_dict(), "meta": {...}} or {"error": "..."}.
"""
import json
import sys
import warnings

import pydicom

warnings.simplefilter('ignore')


def meta_of(ds):
    fm = getattr(ds, 'file_meta', None)
    if fm is None or len(fm) == 0:
        return None
    return {
        'transferSyntaxUid': str(fm.get('TransferSyntaxUID', '') or ''),
        'mediaStorageSopClassUid': str(fm.get('MediaStorageSOPClassUID', '') or ''),
        'mediaStorageSopInstanceUid': str(fm.get('MediaStorageSOPInstanceUID', '') or ''),
        'implementationClassUid': str(fm.get('ImplementationClassUID', '') or ''),
        'implementationVersionName': str(fm.get('ImplementationVersionName', '') or ''),
        'sourceApplicationEntityTitle': str(fm.get('SourceApplicationEntityTitle', '') or ''),
    }


out = {}
for path in sys.argv[1:]:
    try:
        ds = pydicom.dcmread(path, force=True)
        out[path] = {'json': ds.to_json_dict(), 'meta': meta_of(ds), 'implicit': ds.is_implicit_VR, 'little': ds.is_little_endian}
    except Exception as e:  # noqa: BLE001 - the test reports which files pydicom cannot read
        out[path] = {'error': '%s: %s' % (type(e).__name__, e)}
print(json.dumps(out, default=str))
