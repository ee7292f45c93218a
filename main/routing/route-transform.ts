/**
 * What a route does to the copy it sends: the stored instance, transcoded
 * (as stored, Explicit VR Little Endian, or JPEG-LS lossless) and/or
 * de-identified (PS3.15 E.1), as one dataset in memory for the delivery
 * worker to send by C-STORE (in `transferSyntaxUid`, which must have been
 * proposed and accepted) or wrap as a Part 10 file for STOW-RS. One
 * instance at a time is held.
 */
import { readFile } from 'node:fs/promises';
import { readFileMeta } from '../../shared/dicom/file-meta.js';
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
}

export async function transformForRoute(instance: StoredInstance, transform: RouteTransform, deps: { secret: Uint8Array }): Promise<RouteCopy> {
  const transcode = transform.transcode ?? 'as-stored';
  let copy = await sourceFor(instance, transcode, transform.deidentify !== undefined);
  if (transcode === 'jpeg-ls-lossless' && copy.transferSyntaxUid !== JPEG_LS_LOSSLESS) {
    copy = { ...copy, dataset: await datasetToJpegLs(copy.dataset, instance.path), transferSyntaxUid: JPEG_LS_LOSSLESS };
  }
  if (transform.deidentify) {
    const deidentified = deidentifyDataset(copy.dataset, copy.transferSyntaxUid, transform.deidentify, deps.secret, instance.path);
    copy = { ...copy, dataset: deidentified.dataset, sopInstanceUid: deidentified.sopInstanceUid };
  }
  return copy;
}

/**
 * The dataset to start from: the stored bytes when they are already in the
 * wanted form, else decoded to Explicit VR Little Endian. De-identification
 * rewrites little endian datasets only, so a deflated or big endian source
 * is decoded first even "as stored".
 */
async function sourceFor(instance: StoredInstance, transcode: RouteTranscode, deidentify: boolean): Promise<RouteCopy> {
  const base = { sopInstanceUid: instance.sopInstanceUid, sopClassUid: instance.sopClassUid };
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
