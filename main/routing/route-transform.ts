/**
 * What a route does to the copy it sends: the stored instance, transcoded
 * (as stored, Explicit VR Little Endian, or JPEG-LS lossless) and/or
 * de-identified (PS3.15 E.1), as one dataset in memory for the delivery
 * worker to send by C-STORE (in `transferSyntaxUid`, which must have been
 * proposed and accepted) or wrap as a Part 10 file for STOW-RS. One
 * instance at a time is held.
 */
import { readFile } from 'node:fs/promises';
import { concatBytes } from '../../shared/bytes.js';
import { encodeFileMeta, readFileMeta } from '../../shared/dicom/file-meta.js';
import { EXPLICIT_VR_LE, transferSyntax } from '../../shared/dicom/uid-registry.js';
import type { DeidentifyAction, RouteTranscode } from '../../shared/routing/rules.js';
import { datasetToJpegLs, JPEG_LS_LOSSLESS } from '../codec/jpeg-ls-encode.js';
import { transcodeToExplicitLittle } from '../codec/transcode.js';
import type { StoredInstance } from '../dicom/stored-instance.js';
import { deidentifyDataset } from './deidentify.js';

export interface RouteTransform {
  transcode?: RouteTranscode;
  deidentify?: DeidentifyAction;
}

export interface RouteCopy {
  /** The dataset (no File Meta) in `transferSyntaxUid`. */
  dataset: Uint8Array;
  transferSyntaxUid: string;
  /** The copy's SOP Instance UID: the stored one, or its replacement when de-identified (its File Meta must carry this one). */
  sopInstanceUid: string;
  sopClassUid: string;
  /** What the transform could not do as asked, for the log (e.g. an image JPEG-LS cannot hold, sent in Explicit VR Little Endian). */
  notes: string[];
}

export async function transformForRoute(instance: StoredInstance, transform: RouteTransform, deps: { secret: Uint8Array }): Promise<RouteCopy> {
  const transcode = transform.transcode ?? 'as-stored';
  let copy = await sourceFor(instance, transcode, transform.deidentify !== undefined);
  if (transcode === 'jpeg-ls-lossless' && copy.transferSyntaxUid !== JPEG_LS_LOSSLESS) {
    // An object JPEG-LS cannot hold (no pixels, 1 or 32 bits, 4:2:2 colour) still reaches the destination, losslessly.
    const outcome = await datasetToJpegLs(copy.dataset, instance.path);
    if ('encoded' in outcome) copy = { ...copy, dataset: outcome.encoded, transferSyntaxUid: JPEG_LS_LOSSLESS };
    else copy.notes.push(`not JPEG-LS, sent in Explicit VR Little Endian: ${outcome.notEncoded}`);
  }
  if (transform.deidentify) {
    const deidentified = deidentifyDataset(copy.dataset, copy.transferSyntaxUid, transform.deidentify, deps.secret, instance.path);
    copy = { ...copy, dataset: deidentified.dataset, sopInstanceUid: deidentified.sopInstanceUid };
  }
  return copy;
}

/** The copy as a Part 10 file (STOW-RS): its File Meta names the copy's SOP Instance UID and transfer syntax. */
export function part10Of(copy: RouteCopy): Uint8Array {
  const meta = encodeFileMeta({ transferSyntaxUid: copy.transferSyntaxUid, mediaStorageSopClassUid: copy.sopClassUid, mediaStorageSopInstanceUid: copy.sopInstanceUid });
  return concatBytes([meta, copy.dataset]);
}

/**
 * The dataset to start from: the stored bytes when they are already in the
 * wanted form, else decoded to Explicit VR Little Endian. De-identification
 * rewrites little endian datasets only, so a deflated or big endian source
 * is decoded first even "as stored".
 */
async function sourceFor(instance: StoredInstance, transcode: RouteTranscode, deidentify: boolean): Promise<RouteCopy> {
  const base = { sopInstanceUid: instance.sopInstanceUid, sopClassUid: instance.sopClassUid, notes: [] };
  const stored = instance.transferSyntaxUid;
  const syntax = transferSyntax(stored);
  const keepStored =
    transcode === 'as-stored' ? !deidentify || (syntax !== undefined && syntax.littleEndian && !syntax.deflated) : transcode === 'jpeg-ls-lossless' && stored === JPEG_LS_LOSSLESS;
  if (keepStored) {
    const file = new Uint8Array(await readFile(instance.path));
    const found = readFileMeta(file);
    if (!found) throw new Error(`${instance.path}: not a DICOM Part 10 file (no DICM prefix)`);
    return { ...base, dataset: file.subarray(found.datasetOffset), transferSyntaxUid: found.meta.transferSyntaxUid };
  }
  const decoded = await transcodeToExplicitLittle(instance.path);
  return { ...base, dataset: decoded.dataset, transferSyntaxUid: EXPLICIT_VR_LE };
}
