/**
 * A DICOMweb destination: the group goes as one STOW-RS request (PS3.18 10.5)
 * to `{url}/studies`, a multipart/related body of the Part 10 files (as the
 * read door holds them, or a route's copies) streamed one file at a time,
 * never the whole study in memory. The response names the instances it refused (Failed SOP Sequence).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { DicomwebNode } from '../../../shared/config.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { describeConnectFailure } from '../../dicom/scu/connect-failure.js';
import type { DestinationSender, SendItem } from './destination-sender.js';

const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_INSTANCE_UID = '00081155';
const FAILURE_REASON = '00081197';

export function stowSender(node: DicomwebNode): DestinationSender {
  const endpoint = `${node.url.replace(/\/+$/, '')}/studies`;
  return {
    async send(items, report, signal) {
      const boundary = `viewbox-${randomUUID()}`;
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`, accept: 'application/dicom+json' },
          body: multipartBody(items, boundary) as unknown as NonNullable<RequestInit['body']>,
          duplex: 'half',
          signal,
        } as RequestInit);
      } catch (error) {
        throw new Error(`DICOMweb node "${node.name}" (${endpoint}): ${(error as Error).message}${causeOf(error)}`, { cause: error });
      }
      const text = await response.text();
      if (response.status !== 200 && response.status !== 202 && response.status !== 409) {
        throw new Error(`DICOMweb node "${node.name}" (${endpoint}): STOW-RS answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
      }
      const failed = failedInstances(text);
      for (const { id, sopInstanceUid } of items) {
        const reason = failed.get(sopInstanceUid);
        if (reason !== undefined) report(id, { ok: false, error: `DICOMweb node "${node.name}" refused it: ${reason}` });
        else if (response.status === 409) report(id, { ok: false, error: `DICOMweb node "${node.name}" refused the whole request (HTTP 409)` });
        else report(id, { ok: true });
      }
    },
  };
}

async function* multipartBody(items: readonly SendItem[], boundary: string): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for (const item of items) {
    yield encoder.encode(`--${boundary}\r\nContent-Type: application/dicom\r\nContent-Length: ${item.size}\r\n\r\n`);
    for await (const chunk of createReadStream(item.path)) yield chunk as Uint8Array;
    yield encoder.encode('\r\n');
  }
  yield encoder.encode(`--${boundary}--\r\n`);
}

/** SOP Instance UID -> failure reason, from a STOW-RS response body (DICOM JSON); empty when there is none. */
function failedInstances(text: string): Map<string, string> {
  const failed = new Map<string, string>();
  let body: DicomJsonDataset | DicomJsonDataset[];
  try {
    body = JSON.parse(text) as DicomJsonDataset | DicomJsonDataset[];
  } catch {
    return failed;
  }
  const dataset = Array.isArray(body) ? body[0] : body;
  for (const item of (dataset?.[FAILED_SOP_SEQUENCE]?.Value ?? []) as DicomJsonDataset[]) {
    const uid = item[REFERENCED_SOP_INSTANCE_UID]?.Value?.[0];
    const reason = item[FAILURE_REASON]?.Value?.[0];
    if (typeof uid === 'string') failed.set(uid, reason === undefined ? 'no reason given' : `failure reason ${typeof reason === 'number' ? `0x${reason.toString(16).toUpperCase()}` : String(reason)}`);
  }
  return failed;
}

/** fetch says only "fetch failed"; the socket's error is its cause. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `: ${describeConnectFailure(cause)}` : '';
}
