#!/usr/bin/python3
"""Generate shared/dicom/uid-registry.generated.ts from pydicom's UID dictionary.

pydicom's `_uid_dict.py` is generated from PS3.6 Annex A by the pydicom
project; its non-retired Storage SOP Class list (the constants at the end of
`pydicom/uid.py`) is generated from PS3.4 Table B.5-1. We take every UID from
the former and mark as Storage SOP Classes the union of the latter and the
retired SOP classes whose name says "Storage" (except Storage Commitment),
because retired storage classes are no longer in Table B.5-1 but old objects
still carry them.

pydicom 2.3.1 (Debian 12) stops at DICOM 2022c. ADDENDUM lists the UIDs PS3.6
has published since, taken from pydicom's current `_uid_dict.py` (generated
from DICOM 2025): new transfer syntaxes and new Storage SOP classes only.

Run: /usr/bin/python3 resources/dicom/generate-uid-registry.py
"""
import json
import os
import re

import pydicom
import pydicom.uid
from pydicom._uid_dict import UID_dictionary

# (uid, name, type, keyword, retired) published after pydicom 2.3.1's dictionary.
ADDENDUM_TRANSFER_SYNTAXES = [
    ('1.2.840.10008.1.2.4.100.1', 'Fragmentable MPEG2 Main Profile / Main Level', 'MPEG2MPMLF'),
    ('1.2.840.10008.1.2.4.101.1', 'Fragmentable MPEG2 Main Profile / High Level', 'MPEG2MPHLF'),
    ('1.2.840.10008.1.2.4.102.1', 'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1', 'MPEG4HP41F'),
    ('1.2.840.10008.1.2.4.103.1', 'Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', 'MPEG4HP41BDF'),
    ('1.2.840.10008.1.2.4.104.1', 'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', 'MPEG4HP422DF'),
    ('1.2.840.10008.1.2.4.105.1', 'Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', 'MPEG4HP423DF'),
    ('1.2.840.10008.1.2.4.106.1', 'Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', 'MPEG4HP42STEREOF'),
    ('1.2.840.10008.1.2.4.110', 'JPEG XL Lossless', 'JPEGXLLossless'),
    ('1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression', 'JPEGXLJPEGRecompression'),
    ('1.2.840.10008.1.2.4.112', 'JPEG XL', 'JPEGXL'),
    ('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', 'HTJ2KLossless'),
    ('1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)', 'HTJ2KLosslessRPCL'),
    ('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000 Image Compression', 'HTJ2K'),
    ('1.2.840.10008.1.2.4.204', 'JPIP HTJ2K Referenced', 'JPIPHTJ2KReferenced'),
    ('1.2.840.10008.1.2.4.205', 'JPIP HTJ2K Referenced Deflate', 'JPIPHTJ2KReferencedDeflate'),
    ('1.2.840.10008.1.2.8.1', 'Deflated Image Frame Compression', 'DeflatedImageFrameCompression'),
]
ADDENDUM_STORAGE = [
    ('1.2.840.10008.5.1.4.1.1.6.3', 'Photoacoustic Image Storage', 'PhotoacousticImageStorage'),
    ('1.2.840.10008.5.1.4.1.1.9.1.4', 'General 32-bit ECG Waveform Storage', 'General32bitECGWaveformStorage'),
    ('1.2.840.10008.5.1.4.1.1.11.12', 'Variable Modality LUT Softcopy Presentation State Storage', 'VariableModalityLUTSoftcopyPresentationStateStorage'),
    ('1.2.840.10008.5.1.4.1.1.66.7', 'Label Map Segmentation Storage', 'LabelMapSegmentationStorage'),
    ('1.2.840.10008.5.1.4.1.1.66.8', 'Height Map Segmentation Storage', 'HeightMapSegmentationStorage'),
    ('1.2.840.10008.5.1.4.1.1.77.1.8', 'Confocal Microscopy Image Storage', 'ConfocalMicroscopyImageStorage'),
    ('1.2.840.10008.5.1.4.1.1.77.1.9', 'Confocal Microscopy Tiled Pyramidal Image Storage', 'ConfocalMicroscopyTiledPyramidalImageStorage'),
    ('1.2.840.10008.5.1.4.1.1.88.77', 'Waveform Annotation SR Storage', 'WaveformAnnotationSRStorage'),
    ('1.2.840.10008.5.1.4.1.1.201.1', 'Inventory Storage', 'InventoryStorage'),
    ('1.2.840.10008.5.1.4.1.1.481.23', 'Enhanced RT Image Storage', 'EnhancedRTImageStorage'),
    ('1.2.840.10008.5.1.4.1.1.481.24', 'Enhanced Continuous RT Image Storage', 'EnhancedContinuousRTImageStorage'),
    ('1.2.840.10008.5.1.4.1.1.481.25', 'RT Patient Position Acquisition Instruction Storage', 'RTPatientPositionAcquisitionInstructionStorage'),
    ('1.2.840.10008.5.1.4.1.1.601.3', 'Thermography Image Storage', 'ThermographyImageStorage'),
    ('1.2.840.10008.5.1.4.1.1.601.4', 'Thermography Multi-frame Image Storage', 'ThermographyMultiFrameImageStorage'),
]

# The DICOMDIR SOP class is in pydicom's storage list but is a media object,
# never the subject of a C-STORE (PS3.4 Table B.5-1 does not list it).
NOT_STORAGE = {'1.2.840.10008.1.3.10'}

IMPLICIT_VR = {'1.2.840.10008.1.2', '1.2.840.10008.1.20'}
BIG_ENDIAN = {'1.2.840.10008.1.2.2'}
DEFLATED = {'1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.4.95', '1.2.840.10008.1.2.4.205'}
# Transfer syntaxes whose Pixel Data (if any) is native, not encapsulated: the
# uncompressed ones, JPIP Referenced (pixels are fetched by URL, PS3.5 A.6/A.7),
# the retired MIME/XML encodings and SMPTE ST 2110 real-time video (no Pixel Data).
NATIVE = {
    '1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2',
    '1.2.840.10008.1.20', '1.2.840.10008.1.2.4.94', '1.2.840.10008.1.2.4.95',
    '1.2.840.10008.1.2.4.204', '1.2.840.10008.1.2.4.205',
    '1.2.840.10008.1.2.6.1', '1.2.840.10008.1.2.6.2',
    '1.2.840.10008.1.2.7.1', '1.2.840.10008.1.2.7.2', '1.2.840.10008.1.2.7.3',
}


def storage_uids_from_pydicom():
    source = open(pydicom.uid.__file__, encoding='utf-8').read()
    generated = source.split('do not edit manually', 1)[1]
    return set(re.findall(r"UID\('([0-9.]+)'\)", generated))


def main():
    entries = {}
    for uid, (name, uid_type, _info, retired, keyword) in UID_dictionary.items():
        entries[uid] = [uid, name, uid_type, keyword, retired == 'Retired']
    for uid, name, keyword in ADDENDUM_TRANSFER_SYNTAXES:
        assert uid not in entries, uid
        entries[uid] = [uid, name, 'Transfer Syntax', keyword, False]
    for uid, name, keyword in ADDENDUM_STORAGE:
        assert uid not in entries, uid
        entries[uid] = [uid, name, 'SOP Class', keyword, False]

    storage = storage_uids_from_pydicom() | {uid for uid, _n, _k in ADDENDUM_STORAGE}
    for uid, (_u, name, uid_type, _k, retired) in entries.items():
        if uid_type == 'SOP Class' and retired and 'Storage' in name and 'Storage Commitment' not in name:
            storage.add(uid)
    storage -= NOT_STORAGE
    assert all(entries[u][2] == 'SOP Class' for u in storage)

    transfer_syntaxes = []
    for uid, (_u, _n, uid_type, _k, _r) in entries.items():
        if uid_type != 'Transfer Syntax':
            continue
        flags = (
            (0 if uid in IMPLICIT_VR else 1)
            | (0 if uid in BIG_ENDIAN else 2)
            | (4 if uid in DEFLATED else 0)
            | (0 if uid in NATIVE else 8)
        )
        transfer_syntaxes.append([uid, flags])

    def sort_key(uid):
        return [int(part) for part in uid.split('.')]

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'dicom', 'uid-registry.generated.ts')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('// Generated by resources/dicom/generate-uid-registry.py from pydicom %s\'s UID dictionary\n' % pydicom.__version__)
        f.write('// (PS3.6 Annex A) plus a documented addendum. Do not edit by hand.\n\n')
        f.write('/** [uid, name, type, keyword, retired] */\n')
        f.write('export const UID_ENTRIES: ReadonlyArray<readonly [string, string, string, string, boolean]> = [\n')
        for uid in sorted(entries, key=sort_key):
            f.write('  %s,\n' % json.dumps(entries[uid], ensure_ascii=False))
        f.write('];\n\n')
        f.write('/** Bit flags per transfer syntax: 1 explicit VR, 2 little endian, 4 deflated, 8 encapsulated. */\n')
        f.write('export const TRANSFER_SYNTAX_FLAGS: ReadonlyArray<readonly [string, number]> = [\n')
        for uid, flags in sorted(transfer_syntaxes, key=lambda e: sort_key(e[0])):
            f.write('  %s,\n' % json.dumps([uid, flags]))
        f.write('];\n\n')
        f.write('export const STORAGE_SOP_CLASSES: ReadonlyArray<string> = [\n')
        for uid in sorted(storage, key=sort_key):
            f.write('  %s,\n' % json.dumps(uid))
        f.write('];\n')
    print('wrote %d UIDs, %d transfer syntaxes, %d storage SOP classes' % (len(entries), len(transfer_syntaxes), len(storage)))


if __name__ == '__main__':
    main()
