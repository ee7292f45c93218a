/**
 * A DICOMweb server for tests: a real archive in a temporary folder, the
 * HTTP face (createWebApp, with its auth) on a free loopback port, and
 * optionally the DICOM listener storing into the same archive.
 */
import { silentLogger } from '../../../main/log.js';
import { DicomServer } from '../../../main/dicom/scp/server.js';
import { openArchive, type Archive } from '../../../main/store/archive.js';
import { createWebApp } from '../../../main/web/app.js';
import { newBearerToken } from '../../../main/web/auth.js';
import { startHttpServer } from '../../../main/web/http-server.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import type { StoreOutcome } from '../../../main/store/instance-sink.js';
import { readFileSync } from 'node:fs';

export interface DicomWebHarness {
  archive: Archive;
  /** http://127.0.0.1:PORT/dicom-web */
  base: string;
  port: number;
  token: string;
  /** Authorization header for every request. */
  auth: Record<string, string>;
  /** The DICOM port, when started with `dimse`. */
  dicomPort: number | undefined;
  aet: string;
  get(path: string, accept?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startDicomWeb(dataDir: string, options: { dimse?: boolean } = {}): Promise<DicomWebHarness> {
  const archive = await openArchive({ dataDir, duplicates: 'keep-first', maxObjectBytes: 256 * 1024 * 1024, logger: silentLogger });
  const token = newBearerToken();
  let port = 0;
  const aet = 'VBX_WEB';
  const app = createWebApp({
    token,
    port: () => port,
    status: () => ({ aet, dicomPort: 0, version: 'test', counts: {} }),
    dicomweb: { archive: archive.reader, sink: archive, logger: silentLogger },
  });
  const http = await startHttpServer(app.fetch, '127.0.0.1', 0);
  port = http.port;
  let dicom: DicomServer | undefined;
  let dicomPort: number | undefined;
  if (options.dimse) {
    dicom = new DicomServer({
      aet,
      host: '127.0.0.1',
      port: 0,
      limits: { maxAssociations: 4, maxPduLength: 65536, artimTimeoutSeconds: 10, idleTimeoutSeconds: 30, maxObjectBytes: 256 * 1024 * 1024 },
      acceptUnknownCallers: true,
      nodes: [],
      sink: archive,
      logger: silentLogger,
    });
    dicomPort = await dicom.listen();
  }
  const base = `http://127.0.0.1:${port}/dicom-web`;
  const auth = { authorization: `Bearer ${token}` };
  return {
    archive,
    base,
    port,
    token,
    auth,
    dicomPort,
    aet,
    get: (path, accept) => fetch(`${base}${path}`, { headers: { ...auth, ...(accept !== undefined ? { accept } : {}) } }),
    close: async () => {
      await http.close();
      await dicom?.close(0);
      await archive.close();
    },
  };
}

/** Store a Part 10 file through the archive's sink, as an import would. */
export async function storePart10(archive: Archive, path: string): Promise<StoreOutcome> {
  const bytes = readFileSync(path);
  const found = readFileMeta(bytes);
  if (!found) throw new Error(`${path}: no File Meta`);
  const { meta, datasetOffset } = found;
  const writer = archive.begin({
    sopClassUid: meta.mediaStorageSopClassUid,
    sopInstanceUid: meta.mediaStorageSopInstanceUid,
    transferSyntaxUid: meta.transferSyntaxUid,
    source: { kind: 'import', path },
  });
  await writer.write(bytes.subarray(datasetOffset));
  return writer.commit();
}

/** A response body split at its boundary, each part's header block and bytes (the parser under test is not used). */
export function splitMultipart(body: Uint8Array, boundary: string): Array<{ headers: Record<string, string>; bytes: Buffer }> {
  const buffer = Buffer.from(body);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ headers: Record<string, string>; bytes: Buffer }> = [];
  let at = buffer.indexOf(delimiter);
  if (at !== 0) throw new Error(`body does not start with --${boundary}`);
  for (;;) {
    at += delimiter.length;
    if (buffer.subarray(at, at + 2).toString() === '--') {
      if (buffer.subarray(at + 2).toString() !== '\r\n') throw new Error('close delimiter not followed by exactly CRLF');
      return parts;
    }
    if (buffer.subarray(at, at + 2).toString() !== '\r\n') throw new Error('boundary not followed by CRLF');
    const headerEnd = buffer.indexOf('\r\n\r\n', at);
    const headers: Record<string, string> = {};
    for (const line of buffer.subarray(at + 2, headerEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const next = buffer.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw new Error('no delimiter after a part');
    parts.push({ headers, bytes: buffer.subarray(headerEnd + 4, next) });
    at = next + 2;
  }
}

export function boundaryOf(contentType: string | null): string {
  const match = /boundary=("?)([^";]+)\1/.exec(contentType ?? '');
  if (!match) throw new Error(`no boundary in ${contentType}`);
  return match[2]!;
}
