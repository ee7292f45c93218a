/**
 * DICOM TLS with Orthanc (1.10: DicomTlsEnabled and friends, a modality with
 * UseDicomTls): our node sends to Orthanc over TLS and the stored bytes are
 * the sent ones; Orthanc C-STOREs to our TLS listener.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteNode, ViewboxConfig } from '../../../shared/config.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { DicomServer } from '../../../main/dicom/scp/server.js';
import { echo } from '../../../main/dicom/scu/echo.js';
import { store } from '../../../main/dicom/scu/store.js';
import { loadTlsCredentials } from '../../../main/dicom/tls/credentials.js';
import { createLogger } from '../../../main/log.js';
import { peerOf } from '../../../main/remote/remote-operations.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { tempDir } from '../../helpers/tmp.js';
import { clientDicomTls, configWithNode, makeTestPki, type TestPki } from './certificates.js';
import { RecordingSink } from './recording-sink.js';
import { defaultLimits } from './server-harness.js';

const AET = 'VBX_TLS';
let work: Awaited<ReturnType<typeof tempDir>>;
let pki: TestPki;
let orthanc: Orthanc;
let server: DicomServer;
let sink: RecordingSink;
const logger = createLogger({ level: 'error', write: () => {} });

beforeAll(async () => {
  work = await tempDir('viewbox-tls-orthanc-');
  pki = await makeTestPki(work.path);
  sink = new RecordingSink({ dir: work.path });
  server = new DicomServer({
    aet: AET,
    host: '127.0.0.1',
    port: 0,
    tls: { port: 0, credentials: loadTlsCredentials({ certificate: pki.server.cert, privateKey: pki.server.key, caCertificates: pki.ca }), requireClientCertificate: true },
    limits: defaultLimits,
    acceptUnknownCallers: false,
    nodes: [{ name: 'orthanc', aet: 'ORTHANC', host: '127.0.0.1', port: 104, allow: ['store'] }],
    sink,
    logger,
  });
  await server.listen();
  orthanc = await startOrthanc({
    config: {
      DicomTlsEnabled: true,
      DicomTlsCertificate: pki.server.cert,
      DicomTlsPrivateKey: pki.server.key,
      DicomTlsTrustedCertificates: pki.ca,
      DicomTlsRemoteCertificateRequired: true,
      DicomModalities: { viewbox: { AET, Host: '127.0.0.1', Port: server.tlsPort, UseDicomTls: true } },
    },
  });
}, 90_000);

afterAll(async () => {
  await orthanc?.stop();
  await server?.close(1000);
  await work?.cleanup();
});

const configFor = (node: RemoteNode): ViewboxConfig => configWithNode(AET, node, clientDicomTls(pki));

describe('Orthanc over DICOM TLS', () => {
  it('our node echoes and sends to Orthanc over TLS; Orthanc holds the bytes we sent', async () => {
    const node: RemoteNode = { name: 'orthanc', aet: 'ORTHANC', host: '127.0.0.1', port: orthanc.dicomPort, allow: ['store'], tls: true };
    expect(await echo(peerOf(configFor(node), node, logger))).toBeGreaterThanOrEqual(0);
    const file = join(pydicomTestFiles, 'CT_small.dcm');
    const sent = readFileSync(file);
    const { meta, datasetOffset } = readFileMeta(sent)!;
    const results = await store(peerOf(configFor(node), node, logger), {
      instances: [{ path: file, sopClassUid: meta.mediaStorageSopClassUid!, sopInstanceUid: meta.mediaStorageSopInstanceUid!, transferSyntaxUid: meta.transferSyntaxUid }],
    });
    expect(results.map((r) => r.outcome)).toEqual(['completed']);
    const [id] = await orthanc.get<string[]>('/instances');
    const response = await fetch(`${orthanc.url}/instances/${id}/file`);
    const held = Buffer.from(await response.arrayBuffer());
    expect(Buffer.compare(held.subarray(readFileMeta(held)!.datasetOffset), sent.subarray(datasetOffset))).toBe(0);
  });

  it('Orthanc C-STOREs to our TLS listener', async () => {
    const [id] = await orthanc.get<string[]>('/instances');
    const before = sink.instances.length;
    const response = await fetch(`${orthanc.url}/modalities/viewbox/store`, { method: 'POST', body: JSON.stringify({ Resources: [id], Synchronous: true }) });
    expect(response.status, await response.clone().text()).toBe(200);
    const received = sink.instances.slice(before);
    expect(received.map((r) => [r.state, r.incoming.source])).toEqual([['committed', expect.objectContaining({ callingAe: 'ORTHANC' })]]);
  });
});
