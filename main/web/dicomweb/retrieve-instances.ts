/**
 * WADO-RS retrieve of instances (PS3.18 10.4.1.1.1): a study, a series or one
 * instance as multipart/related; type="application/dicom". Stored files go
 * out byte for byte, read in chunks as the client takes them; an instance is
 * converted to Explicit VR Little Endian only when the Accept header asks for
 * that syntax and not for the stored one.
 */
import { Readable } from 'node:stream';
import { concatBytes } from '../../../shared/bytes.js';
import { encodeFileMeta } from '../../../shared/dicom/file-meta.js';
import { EXPLICIT_VR_LE, uidName } from '../../../shared/dicom/uid-registry.js';
import { transcodeToExplicitLittle } from '../../codec/transcode.js';
import type { HeldInstance } from '../../store/archive-reader.js';
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { heldInstances, type InstancePath } from './held-instances.js';
import { formatMediaType } from './media-type.js';
import { multipartStream, newBoundary, type MultipartPart } from './multipart-writer.js';
import { DICOM, describeAccept, instanceForm, MULTIPART_RELATED, type InstanceForm } from './negotiation.js';
import { acceptOf } from './request-headers.js';

export async function retrieveInstances(deps: DicomWebDeps, request: Request, path: InstancePath): Promise<Response> {
  const rows = heldInstances(deps.archive, path);
  const accept = acceptOf(request);
  const single = path.sopInstanceUid !== undefined;
  const forms = rows.map((row) => {
    const form = instanceForm(accept, row.transferSyntaxUid, single);
    if (!form) throw notAcceptable(row, request.headers.get('accept'));
    return form;
  });
  const [first] = forms;
  if (first && !first.multipart && rows[0]) return singleInstance(deps, rows[0], first);

  const boundary = newBoundary();
  async function* parts(): AsyncGenerator<MultipartPart> {
    for (let i = 0; i < rows.length; i++) yield await instancePart(deps, rows[i]!, forms[i]!);
  }
  return new Response(multipartStream(parts(), boundary), {
    headers: { 'Content-Type': formatMediaType(MULTIPART_RELATED, { type: DICOM, boundary }) },
  });
}

async function instancePart(deps: DicomWebDeps, row: HeldInstance, form: InstanceForm): Promise<MultipartPart> {
  if (form.kind === 'stored') {
    return { headers: { 'Content-Type': formatMediaType(DICOM, { 'transfer-syntax': row.transferSyntaxUid }) }, body: { path: deps.archive.fileOf(row), ranges: [{ offset: 0, length: row.size }] } };
  }
  return { headers: { 'Content-Type': formatMediaType(DICOM, { 'transfer-syntax': EXPLICIT_VR_LE }) }, body: { bytes: await converted(deps, row) } };
}

async function singleInstance(deps: DicomWebDeps, row: HeldInstance, form: InstanceForm): Promise<Response> {
  if (form.kind === 'explicit-le') {
    const bytes = await converted(deps, row);
    return new Response(bytes, { headers: { 'Content-Type': formatMediaType(DICOM, { 'transfer-syntax': EXPLICIT_VR_LE }) } });
  }
  const body = Readable.toWeb(deps.archive.openStream(row)) as ReadableStream<Uint8Array>;
  return new Response(body, { headers: { 'Content-Type': formatMediaType(DICOM, { 'transfer-syntax': row.transferSyntaxUid }), 'Content-Length': String(row.size) } });
}

/** A Part 10 file in Explicit VR Little Endian: our File Meta, the converted dataset (one instance in memory). */
async function converted(deps: DicomWebDeps, row: HeldInstance): Promise<Uint8Array> {
  const result = await transcodeToExplicitLittle(deps.archive.fileOf(row));
  deps.logger.info('instance converted for a DICOMweb client', { sopInstanceUid: row.sopInstanceUid, from: row.transferSyntaxUid, notes: result.notes });
  const meta = encodeFileMeta({ transferSyntaxUid: EXPLICIT_VR_LE, mediaStorageSopClassUid: row.sopClassUid, mediaStorageSopInstanceUid: row.sopInstanceUid });
  return concatBytes([meta, result.dataset]);
}

function notAcceptable(row: HeldInstance, accept: string | null): DicomWebError {
  const stored = `${uidName(row.transferSyntaxUid) ?? 'unknown syntax'} (${row.transferSyntaxUid})`;
  return new DicomWebError(
    406,
    `instance ${row.sopInstanceUid} is stored in ${stored}; Accept ${describeAccept(accept ?? undefined)} allows neither that nor a conversion we can make. ` +
      `Ask for multipart/related; type="application/dicom" with transfer-syntax=* (as stored), =${row.transferSyntaxUid}, or =${EXPLICIT_VR_LE} (decoded)`,
  );
}
