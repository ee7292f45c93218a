/**
 * WADO-RS bulk data (PS3.18 10.4.1.1.5): a value the instance's metadata
 * lists as "bulk/<offset>/<length>", read from the stored file. Only ranges
 * the index lists for that instance are served, so a client cannot read
 * arbitrary bytes of a file.
 */
import { Readable } from 'node:stream';
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { heldInstance, instanceJson } from './held-instances.js';
import { formatMediaType } from './media-type.js';
import { multipartStream, newBoundary } from './multipart-writer.js';
import { bulkForm, describeAccept, MULTIPART_RELATED, OCTET_STREAM } from './negotiation.js';
import { acceptOf } from './request-headers.js';
import { bulkReferences } from './urls.js';

export interface BulkPath {
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  offset: string;
  length: string;
}

export function retrieveBulkData(deps: DicomWebDeps, request: Request, path: BulkPath): Response {
  const row = heldInstance(deps.archive, path.studyUid, path.seriesUid, path.sopInstanceUid);
  const offset = /^\d+$/.test(path.offset) ? Number(path.offset) : NaN;
  const length = /^\d+$/.test(path.length) ? Number(path.length) : NaN;
  const reference = `bulk/${offset}/${length}`;
  if (!bulkReferences(instanceJson(deps.archive, row)).has(reference)) {
    throw new DicomWebError(404, `instance ${row.sopInstanceUid} has no bulk data at bulk/${path.offset}/${path.length}; its metadata lists the bulk data it has`);
  }
  if (row.deflated) {
    throw new DicomWebError(501, `instance ${row.sopInstanceUid} is stored deflated (Deflated Explicit VR Little Endian): its bulk data is not addressable in the file; retrieve the whole instance instead`);
  }
  const form = bulkForm(acceptOf(request));
  if (!form) {
    throw new DicomWebError(406, `bulk data is application/octet-stream (in multipart/related or alone); Accept ${describeAccept(request.headers.get('accept') ?? undefined)} does not allow it`);
  }
  if (!form.multipart) {
    const body = Readable.toWeb(deps.archive.openStream(row, { offset, length })) as ReadableStream<Uint8Array>;
    return new Response(length === 0 ? null : body, { headers: { 'Content-Type': OCTET_STREAM, 'Content-Length': String(length) } });
  }
  const boundary = newBoundary();
  const part = { headers: { 'Content-Type': OCTET_STREAM, 'Content-Location': new URL(request.url).href }, body: { path: deps.archive.fileOf(row), ranges: [{ offset, length }] } };
  return new Response(multipartStream([part], boundary), { headers: { 'Content-Type': formatMediaType(MULTIPART_RELATED, { type: OCTET_STREAM, boundary }) } });
}
