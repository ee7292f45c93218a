/**
 * What goes on the wire for a held instance: its stored dataset bytes when
 * the peer accepted its transfer syntax, else a lossless conversion to
 * Explicit VR Little Endian when the peer accepted that; otherwise a reason.
 */
import { EXPLICIT_VR_LE, uidName } from '../../shared/dicom/uid-registry.js';
import { errorMessage } from '../../shared/error-message.js';
import type { Logger } from '../log.js';
import { storedDatasetRange } from '../store/stored-file.js';
import type { DatasetSource } from './ul/message-writer.js';

export interface StoredInstance {
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** Absolute path of the stored Part 10 file. */
  path: string;
}

/** Decode a stored instance into `targetTransferSyntaxUid`; returns the dataset bytes (no File Meta). */
export type Transcode = (instance: StoredInstance, targetTransferSyntaxUid: string) => Promise<Uint8Array>;

export type ContextLookup = (sopClassUid: string, transferSyntaxUids: readonly string[]) => { contextId: number; transferSyntaxUid: string } | undefined;

export type Outgoing =
  | { ok: true; contextId: number; transferSyntaxUid: string; dataset: DatasetSource | Uint8Array; converted: boolean }
  | { ok: false; reason: string };

/**
 * Datasets up to this size are read whole when prepared (callers prepare the
 * next instance while the current one is on the wire, so sending it waits on
 * no disk read); larger ones are streamed from the file as they are sent.
 */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

export async function outgoingDataset(instance: StoredInstance, contextFor: ContextLookup, transcode: Transcode | undefined, logger: Logger): Promise<Outgoing> {
  const asStored = contextFor(instance.sopClassUid, [instance.transferSyntaxUid]);
  if (asStored) {
    const { path, offset, length, bytes } = await storedDatasetRange(instance.path, { readWholeUpTo: READ_AHEAD_BYTES });
    return { ok: true, ...asStored, dataset: bytes ?? { path, offset, length }, converted: false };
  }
  const uncompressed = contextFor(instance.sopClassUid, [EXPLICIT_VR_LE]);
  const held = uidName(instance.transferSyntaxUid) ?? instance.transferSyntaxUid;
  if (!uncompressed) return { ok: false, reason: `the peer accepted ${uidName(instance.sopClassUid) ?? instance.sopClassUid} in neither ${held} nor Explicit VR Little Endian` };
  if (!transcode) return { ok: false, reason: `the peer accepts only Explicit VR Little Endian and no decoder is available for ${held}` };
  try {
    const dataset = await transcode(instance, EXPLICIT_VR_LE);
    logger.info('instance decoded for a peer that accepts only uncompressed', { sopInstanceUid: instance.sopInstanceUid, from: held });
    return { ok: true, ...uncompressed, dataset, converted: true };
  } catch (error) {
    return { ok: false, reason: `cannot convert ${held} to Explicit VR Little Endian: ${errorMessage(error)}` };
  }
}
