/**
 * WADO-RS metadata (PS3.18 10.4.1.1.2): the index's DICOM JSON of each
 * instance, never the files, as one JSON array written a batch of instances
 * at a time (a 1,000-instance series is never one string in memory).
 * BulkDataURIs become absolute URLs of this service (see urls.ts).
 */
import { instanceUrl } from '../../../shared/api/dicomweb-paths.js';
import type { HeldInstance } from '../../store/archive-reader.js';
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { heldInstances, type InstancePath } from './held-instances.js';
import { acceptsDicomJson, describeAccept, DICOM_JSON } from './negotiation.js';
import { acceptOf } from './request-headers.js';
import { serviceRoot, withAbsoluteBulkDataUris } from './urls.js';

/** Instances serialised per pull: big enough to amortise the stream, small enough to bound memory. */
const BATCH = 64;

export function retrieveMetadata(deps: DicomWebDeps, request: Request, path: InstancePath): Response {
  if (!acceptsDicomJson(acceptOf(request))) {
    throw new DicomWebError(406, `metadata is application/dicom+json; Accept ${describeAccept(request.headers.get('accept') ?? undefined)} does not allow it`);
  }
  const rows = heldInstances(deps.archive, path);
  const root = serviceRoot(request.url);
  const encoder = new TextEncoder();
  let next = 0;
  let written = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      // An instance deleted since the listing is left out; commas go between those that remain.
      const texts = rows.slice(next, next + BATCH).flatMap((row) => instanceText(deps, row, root));
      let chunk = next === 0 ? '[' : '';
      if (texts.length > 0) chunk += (written > 0 ? ',' : '') + texts.join(',');
      written += texts.length;
      next += BATCH;
      if (next >= rows.length) chunk += ']';
      controller.enqueue(encoder.encode(chunk));
      if (next >= rows.length) controller.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': DICOM_JSON } });
}

function instanceText(deps: DicomWebDeps, row: HeldInstance, root: string): string[] {
  const text = deps.archive.getInstanceJsonText(row.sopInstanceUid);
  return text === undefined ? [] : [withAbsoluteBulkDataUris(text, instanceUrl(root, row))];
}
