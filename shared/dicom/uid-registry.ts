/**
 * The DICOM UID registry (PS3.6 Annex A): transfer syntaxes, SOP classes and
 * their names, generated from pydicom's dictionary by
 * resources/dicom/generate-uid-registry.py.
 */
import { STORAGE_SOP_CLASSES, TRANSFER_SYNTAX_FLAGS, UID_ENTRIES } from './uid-registry.generated.js';

export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';
export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const DEFLATED_EXPLICIT_VR_LE = '1.2.840.10008.1.2.1.99';
export const EXPLICIT_VR_BE = '1.2.840.10008.1.2.2';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  explicitVr: boolean;
  littleEndian: boolean;
  deflated: boolean;
  /** Pixel Data is encapsulated (PS3.5 A.4): compressed frames in items. */
  encapsulated: boolean;
  retired: boolean;
}

interface UidInfo {
  uid: string;
  name: string;
  /** PS3.6 UID type: "Transfer Syntax", "SOP Class", "Well-known SOP Instance", ... */
  type: string;
  keyword: string;
  retired: boolean;
}

const byUid = new Map<string, UidInfo>(
  UID_ENTRIES.map(([uid, name, type, keyword, retired]) => [uid, { uid, name, type, keyword, retired }]),
);

const transferSyntaxes = new Map<string, TransferSyntaxInfo>();
for (const [uid, flags] of TRANSFER_SYNTAX_FLAGS) {
  const info = byUid.get(uid);
  if (info === undefined) throw new Error(`uid-registry: transfer syntax ${uid} has no dictionary entry`);
  transferSyntaxes.set(
    uid,
    Object.freeze({
      uid,
      name: info.name,
      explicitVr: (flags & 1) !== 0,
      littleEndian: (flags & 2) !== 0,
      deflated: (flags & 4) !== 0,
      encapsulated: (flags & 8) !== 0,
      retired: info.retired,
    }),
  );
}

const storageSopClasses = new Set(STORAGE_SOP_CLASSES);

/** Every standard transfer syntax, retired ones included; undefined for private or unknown UIDs. */
export function transferSyntax(uid: string): TransferSyntaxInfo | undefined {
  return transferSyntaxes.get(uid);
}

/** Every Storage SOP Class of PS3.4 Annex B, retired ones included. */
export function isStorageSopClass(uid: string): boolean {
  return storageSopClasses.has(uid);
}

export function uidName(uid: string): string | undefined {
  const name = byUid.get(uid)?.name;
  return name === '' ? undefined : name;
}
