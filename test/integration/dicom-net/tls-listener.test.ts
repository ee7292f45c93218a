/**
 * The DICOM TLS listener against DCMTK (built with OpenSSL) and certificates
 * made by openssl: echo and store over TLS, byte-exact; a client from the
 * wrong CA or without a certificate is refused at the handshake; a
 * handshake that never starts is closed after ARTIM; bad files fail the start.
 */
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomLimits } from '../../../shared/config.js';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { createLogger } from '../../../main/log.js';
import { DicomServer } from '../../../main/dicom/scp/server.js';
import { loadTlsCredentials } from '../../../main/dicom/tls/credentials.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startStorescp } from '../../helpers/peers/storescp.js';
import { dcmtkEnv, run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { makeTestPki, type TestPki } from './certificates.js';
import { RecordingSink } from './recording-sink.js';
import { defaultLimits } from './server-harness.js';

const AET = 'VBX_TLS';
let work: Awaited<ReturnType<typeof tempDir>>;
let pki: TestPki;
const logs: Array<Record<string, unknown>> = [];
const logged = (text: string) => logs.filter((l) => JSON.stringify(l).includes(text));

function newTlsServer(requireClientCertificate: boolean, sink: RecordingSink, limits: Partial<DicomLimits> = {}, tlsPort = 0): DicomServer {
  return new DicomServer({
    aet: AET,
    host: '127.0.0.1',
    port: 0,
    tls: { port: tlsPort, credentials: loadTlsCredentials({ certificate: pki.server.cert, privateKey: pki.server.key, caCertificates: pki.ca }), requireClientCertificate },
    limits: { ...defaultLimits, artimTimeoutSeconds: 2, ...limits },
    acceptUnknownCallers: true,
    nodes: [],
    sink,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
  });
}

async function startTlsServer(requireClientCertificate: boolean, sink = new RecordingSink(), limits: Partial<DicomLimits> = {}): Promise<{ server: DicomServer; port: number; tlsPort: number; sink: RecordingSink }> {
  const server = newTlsServer(requireClientCertificate, sink, limits);
  const port = await server.listen();
  return { server, port, tlsPort: server.tlsPort!, sink };
}

/** echoscu over TLS with the given client credential (or anonymous TLS), trusting `ca`. */
async function tlsEcho(port: number, client: { cert: string; key: string } | 'anonymous', ca: string): Promise<{ ok: boolean; log: string }> {
  const tls = client === 'anonymous' ? ['+tla'] : ['+tls', client.key, client.cert];
  const result = await run('echoscu', ['-v', '-aet', 'TLSCALLER', '-aec', AET, ...tls, '+cf', ca, '127.0.0.1', String(port)], { env: dcmtkEnv, timeoutMs: 30_000 });
  const log = result.stdout + result.stderr;
  return { ok: result.code === 0 && /Received Echo Response \(Success\)/.test(log), log };
}

beforeAll(async () => {
  work = await tempDir('viewbox-tls-');
  pki = await makeTestPki(work.path);
}, 60_000);

afterAll(async () => {
  await work?.cleanup();
});

describe('DICOM TLS listener, client certificate required', () => {
  let node: Awaited<ReturnType<typeof startTlsServer>>;
  beforeAll(async () => {
    node = await startTlsServer(true, new RecordingSink({ dir: work.path }));
  });
  afterAll(async () => {
    await node?.server.close(1000);
  });

  it('answers echoscu +tls with a certificate from our CA, and the plain port still answers in the clear', async () => {
    const echo = await tlsEcho(node.tlsPort, pki.client, pki.ca);
    expect(echo.ok, echo.log).toBe(true);
    const plain = await run('echoscu', ['-aet', 'PLAIN', '-aec', AET, '127.0.0.1', String(node.port)], { env: dcmtkEnv, timeoutMs: 30_000 });
    expect(plain.code).toBe(0);
    expect(node.tlsPort).not.toBe(node.port);
  });

  it('stores what storescu +tls sends, byte for byte (DCMTK\'s bit-preserving storescp, sent the same files in the clear, is the oracle of the wire)', async () => {
    const files = ['CT_small.dcm', 'MR_small.dcm'].map((f) => join(pydicomTestFiles, f));
    const before = node.sink.instances.length;
    const sent = await storescu({ port: node.tlsPort, calledAet: AET, files, extraArgs: ['-xe', '+tls', pki.client.key, pki.client.cert, '+cf', pki.ca] });
    expect(sent.stored, sent.log).toEqual(files);
    const received = node.sink.instances.slice(before);
    expect(received.map((r) => r.state)).toEqual(['committed', 'committed']);
    const oracle = await startStorescp({ aet: 'ORACLE', bitPreserving: true });
    try {
      for (const [i, file] of files.entries()) {
        const plain = await storescu({ port: oracle.port, calledAet: 'ORACLE', files: [file], extraArgs: ['-xe'] });
        expect(plain.stored, plain.log).toEqual([file]);
        const [captured] = readdirSync(oracle.dir);
        const wire = readFileSync(join(oracle.dir, captured!));
        rmSync(join(oracle.dir, captured!));
        const got = readFileSync(received[i]!.path!);
        expect(got.length).toBeGreaterThan(1000);
        expect(Buffer.compare(got, wire.subarray(readFileMeta(wire)!.datasetOffset)), file).toBe(0);
      }
    } finally {
      await oracle.stop();
    }
  });

  it('refuses a client whose certificate is from another CA at the handshake, and logs it', async () => {
    const echo = await tlsEcho(node.tlsPort, pki.otherClient, pki.ca);
    expect(echo.ok).toBe(false);
    expect(echo.log).not.toMatch(/Association Accepted/);
    await expect.poll(() => logged('client certificate not accepted').length).toBe(1);
    expect(logged('client certificate not accepted')[0]).toMatchObject({ level: 'warn', msg: 'DICOM TLS handshake failed', remote: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  });

  it('refuses a client without a certificate, and logs it', async () => {
    // Handshake failures are logged at most once a second: let the previous test's line age.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const echo = await tlsEcho(node.tlsPort, 'anonymous', pki.ca);
    expect(echo.ok).toBe(false);
    expect(echo.log).not.toMatch(/Association Accepted/);
    await expect.poll(() => logged('no client certificate presented').length).toBe(1);
  });

  it('a client that does not trust our CA does not get through either', async () => {
    const echo = await tlsEcho(node.tlsPort, pki.client, pki.otherCa);
    expect(echo.ok).toBe(false);
  });

  it('closes a connection that never starts its handshake after ARTIM (2 s here)', async () => {
    const started = Date.now();
    const socket = connect({ host: '127.0.0.1', port: node.tlsPort });
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(6);
  }, 15_000);
});

describe('DICOM TLS listener, connection cap', () => {
  it('holds at most twice maxAssociations connections, handshakes included; the next is closed at once and logged', async () => {
    const node = await startTlsServer(true, new RecordingSink(), { maxAssociations: 1, artimTimeoutSeconds: 30 });
    const sockets: Socket[] = [];
    const open = () =>
      new Promise<Socket>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: node.tlsPort }, () => resolve(socket));
        socket.on('error', () => {});
        sockets.push(socket);
      });
    try {
      await open();
      await open();
      const third = await open();
      const started = Date.now();
      await new Promise<void>((resolve) => third.once('close', () => resolve()));
      expect(Date.now() - started).toBeLessThan(2000);
      await expect.poll(() => logged('connection refused: too many connections').length).toBe(1);
      expect(logged('connection refused: too many connections')[0]).toMatchObject({ limit: 2, tls: true });
      expect(sockets.slice(0, 2).every((s) => !s.destroyed)).toBe(true);
      // A stop does not wait for handshakes that would take ARTIM (30 s here) to give up.
      const stopping = Date.now();
      await node.server.close(1000);
      expect(Date.now() - stopping).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});

describe('DICOM TLS listener, client certificate optional', () => {
  it('accepts a TLS client without a certificate when requireClientCertificate is false', async () => {
    const node = await startTlsServer(false);
    try {
      const echo = await tlsEcho(node.tlsPort, 'anonymous', pki.ca);
      expect(echo.ok, echo.log).toBe(true);
      // Optional means "none", not "any": a certificate from another CA is still refused.
      const stranger = await tlsEcho(node.tlsPort, pki.otherClient, pki.ca);
      expect(stranger.ok).toBe(false);
    } finally {
      await node.server.close(1000);
    }
  });
});

describe('TLS port taken', () => {
  it('fails the start naming the TLS listener and its address', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as AddressInfo).port;
    const server = newTlsServer(true, new RecordingSink(), {}, taken);
    try {
      await expect(server.listen()).rejects.toThrow(`DICOM TLS listener could not bind 127.0.0.1:${taken}`);
    } finally {
      squatter.close();
    }
  });
});

describe('TLS files', () => {
  const load = (over: Partial<{ certificate: string; privateKey: string; caCertificates: string }>) => () =>
    loadTlsCredentials({ certificate: pki.server.cert, privateKey: pki.server.key, caCertificates: pki.ca, ...over });

  it('a missing certificate, a key of another certificate, a CA file without certificates: each names its file', () => {
    const missing = join(work.path, 'nope.pem');
    expect(load({ certificate: missing })).toThrow(`dicomTls.certificate ${missing} cannot be read`);
    expect(load({ privateKey: pki.client.key })).toThrow(`dicomTls.privateKey ${pki.client.key} is not the key of dicomTls.certificate ${pki.server.cert}`);
    const notPem = join(work.path, 'not-a-ca.pem');
    writeFileSync(notPem, 'hello');
    expect(load({ caCertificates: notPem })).toThrow(`dicomTls.caCertificates ${notPem} holds no PEM certificate`);
    expect(load({ certificate: pki.server.key })).toThrow(`dicomTls.certificate ${pki.server.key} is not a PEM certificate`);
    const garbledKey = join(work.path, 'garbled.key');
    copyFileSync(pki.server.cert, garbledKey);
    expect(load({ privateKey: garbledKey })).toThrow(`dicomTls.privateKey ${garbledKey} is not a readable unencrypted PEM private key`);
  });
});
