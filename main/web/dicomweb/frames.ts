/**
 * WADO-RS frames (PS3.18 10.4.1.1.3): multipart/related, one part per frame,
 * in the order asked. As stored (native bytes or the encapsulated fragment
 * values) when the Accept header allows the stored syntax; uncompressed
 * (native little endian) when it asks for application/octet-stream, decoding
 * a compressed frame at a time as the client reads.
 */
import { EXPLICIT_VR_LE, uidName } from '../../../shared/dicom/uid-registry.js';
import { CodecError } from '../../codec/pixel-info.js';
import { decodeFrame } from '../../codec/decode-frame.js';
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { heldInstance, instanceJson } from './held-instances.js';
import { frameNumbers, instanceFrames, readFrame, type InstanceFrames } from './instance-frames.js';
import { formatMediaType } from './media-type.js';
import { multipartStream, newBoundary, type MultipartPart } from './multipart-writer.js';
import { describeAccept, frameForm, isNativeLittleEndian, MULTIPART_RELATED, OCTET_STREAM, type FrameForm } from './negotiation.js';
import { acceptOf } from './request-headers.js';

export interface FramesPath {
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  /** "1,2,3"; undefined: every frame (the Pixel Data BulkDataURI of the metadata). */
  frameList: string | undefined;
}

export async function retrieveFrames(deps: DicomWebDeps, request: Request, path: FramesPath): Promise<Response> {
  const row = heldInstance(deps.archive, path.studyUid, path.seriesUid, path.sopInstanceUid);
  const frames = await instanceFrames(row, instanceJson(deps.archive, row), deps.archive.fileOf(row));
  const numbers = frameNumbers(path.frameList, frames);
  const ts = row.transferSyntaxUid;
  const form = frameForm(acceptOf(request), ts);
  if (!form) {
    throw new DicomWebError(
      406,
      `frames of instance ${row.sopInstanceUid} are stored in ${uidName(ts) ?? 'an unknown syntax'} (${ts}); Accept ${describeAccept(request.headers.get('accept') ?? undefined)} ` +
        `allows neither that nor uncompressed frames we can decode. Ask for multipart/related; type="application/octet-stream" (uncompressed) or with transfer-syntax=* (as stored)`,
    );
  }
  const contentType = partType(form, ts);
  const decoding = form.kind === 'uncompressed' && !isNativeLittleEndian(ts);
  // The first frame is decoded before answering, so an image our decoders refuse is a 406, not a broken stream.
  const firstDecoded = decoding && numbers[0] !== undefined ? await decoded(frames, numbers[0]) : undefined;

  async function* parts(): AsyncGenerator<MultipartPart> {
    for (const [i, n] of numbers.entries()) {
      if (!decoding) yield { headers: { 'Content-Type': contentType }, body: { path: frames.path, ranges: frames.locations[n - 1]!.ranges } };
      else yield { headers: { 'Content-Type': contentType }, body: { bytes: i === 0 && firstDecoded ? firstDecoded : await decoded(frames, n) } };
    }
  }
  const boundary = newBoundary();
  const type = form.kind === 'stored' ? form.partType : OCTET_STREAM;
  return new Response(multipartStream(parts(), boundary), { headers: { 'Content-Type': formatMediaType(MULTIPART_RELATED, { type, boundary }) } });
}

function partType(form: FrameForm, storedTs: string): string {
  return form.kind === 'stored' ? formatMediaType(form.partType, { 'transfer-syntax': storedTs }) : formatMediaType(OCTET_STREAM, { 'transfer-syntax': EXPLICIT_VR_LE });
}

async function decoded(frames: InstanceFrames, frameNumber: number): Promise<Uint8Array> {
  const ts = frames.row.transferSyntaxUid;
  try {
    return (await decodeFrame(ts, await readFrame(frames, frameNumber), frames.info)).pixels;
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    throw new DicomWebError(
      406,
      `frame ${frameNumber} of instance ${frames.row.sopInstanceUid} cannot be decoded from ${uidName(ts) ?? ts}: ${error.message}. Ask with transfer-syntax=* to get the frames as stored`,
    );
  }
}
