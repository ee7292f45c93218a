/**
 * STOW-RS (PS3.18 10.5): POST /studies and /studies/{study} with
 * multipart/related; type="application/dicom", one Part 10 file per part.
 * Parts are stored one after another as the body streams in, each through
 * the archive's InstanceSink (durable before it counts as stored).
 */
import { DicomWebError } from './dicomweb-error.js';
import type { DicomWebDeps } from './dicomweb-deps.js';
import { formatMediaType } from './media-type.js';
import { MultipartError, readMultipart } from './multipart-reader.js';
import { acceptsDicomJson, describeAccept, DICOM, DICOM_JSON, MULTIPART_RELATED } from './negotiation.js';
import { acceptOf, contentTypeOf } from './request-headers.js';
import { StowPart } from './stow-part.js';
import { stowAnswer, warning, type StoredPart } from './stow-response.js';
import { serviceRoot } from './urls.js';

const ACCEPTED = formatMediaType(MULTIPART_RELATED, { type: DICOM });

export async function storeInstances(deps: DicomWebDeps, request: Request, studyUid: string | undefined, remoteAddress: string): Promise<Response> {
  const contentType = contentTypeOf(request);
  const type = contentType?.params.get('type')?.toLowerCase();
  if (contentType?.essence !== MULTIPART_RELATED || (type !== undefined && type !== DICOM)) {
    throw new DicomWebError(415, `STOW-RS accepts ${ACCEPTED} (Part 10 files, one per part); the request is ${request.headers.get('content-type') ?? 'without a Content-Type'}`);
  }
  const boundary = contentType.params.get('boundary');
  if (!boundary) throw new DicomWebError(400, `Content-Type ${request.headers.get('content-type')} has no boundary parameter`);
  if (!acceptsDicomJson(acceptOf(request))) {
    throw new DicomWebError(406, `the STOW-RS response is ${DICOM_JSON}; Accept ${describeAccept(request.headers.get('accept') ?? undefined)} does not allow it`);
  }
  if (!request.body) throw new DicomWebError(400, 'the request has no body');
  const storage = deps.storage?.();
  if (storage && !storage.writable) {
    throw new DicomWebError(507, `the node is read-only: ${storage.reason ?? 'it cannot store now'}${storage.freeBytes !== null ? ` (${storage.freeBytes} bytes free)` : ''}; nothing was stored`);
  }

  const source = { kind: 'web', remoteAddress } as const;
  const parts: StowPart[] = [];
  let bodyError: string | undefined;
  try {
    await readMultipart(request.body, boundary, (headers) => {
      const part = new StowPart({ sink: deps.sink, source, studyUid, part: parts.length + 1, headers });
      parts.push(part);
      return part;
    });
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    if (parts.length === 0) throw new DicomWebError(400, `the request body is not ${MULTIPART_RELATED} with boundary "${boundary}": ${error.message}`);
    bodyError = error.message;
  }

  const stored: StoredPart[] = parts.map(({ result }) => ({
    result,
    ...(result.ok ? { seriesUid: deps.archive.getInstance(result.sopInstanceUid)?.seriesUid } : {}),
  }));
  for (const { result } of stored) {
    if (!result.ok) deps.logger.warn('STOW-RS part not stored', { part: result.part, sopInstanceUid: result.sopInstanceUid, reason: result.message, remoteAddress });
  }
  const answer = stowAnswer(stored, serviceRoot(request.url), studyUid);
  const headers = new Headers({ 'Content-Type': DICOM_JSON });
  for (const text of answer.warnings) headers.append('Warning', text);
  if (bodyError) headers.append('Warning', warning(`request body: ${bodyError}`));
  deps.logger.info('STOW-RS request', { parts: parts.length, stored: stored.filter((p) => p.result.ok).length, remoteAddress, studyUid });
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}
