/**
 * Throwaway PKI made by the openssl command line (an outside oracle for our
 * TLS code): a CA, a server certificate for the loopback addresses and
 * localhost, a client certificate, and a second, unrelated CA with its own
 * client and server certificates.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DicomTlsConfig, RemoteNode, ViewboxConfig } from '../../../shared/config.js';
import defaults from '../../../resources/config/default.json' with { type: 'json' };
import { run } from '../../helpers/run.js';

export interface Credential {
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  ca: string;
  server: Credential;
  client: Credential;
  /** From the CA, but naming only IP addresses (as many PACS certificates do): no DNS name. */
  ipOnlyServer: Credential;
  /** Another CA, trusted by nobody here, with certificates issued by it. */
  otherCa: string;
  otherServer: Credential;
  otherClient: Credential;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const result = await run('openssl', args, { cwd: dir, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
}

async function makeCa(dir: string, name: string): Promise<string> {
  await openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=Viewbox test ${name}`]);
  return join(dir, `${name}.pem`);
}

/** A random serial per certificate: certificates are issued in parallel, and -CAcreateserial's shared ca.srl races. */
function serialNumber(): string {
  return `0x${randomBytes(15).toString('hex')}`;
}

async function issue(dir: string, ca: string, name: string, extensions: string): Promise<Credential> {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  await openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-set_serial', serialNumber(), '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}

const SERVER_EXT = 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n';
const CLIENT_EXT = 'extendedKeyUsage=clientAuth,serverAuth\n';

export async function makeTestPki(dir: string): Promise<TestPki> {
  const ca = await makeCa(dir, 'ca');
  const otherCa = await makeCa(dir, 'other-ca');
  const [server, client, ipOnlyServer, otherServer, otherClient] = await Promise.all([
    issue(dir, 'ca', 'server', SERVER_EXT),
    issue(dir, 'ca', 'client', CLIENT_EXT),
    issue(dir, 'ca', 'ip-only-server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'),
    issue(dir, 'other-ca', 'other-server', SERVER_EXT),
    issue(dir, 'other-ca', 'other-client', CLIENT_EXT),
  ]);
  return { dir, ca, server, client, ipOnlyServer, otherCa, otherServer, otherClient };
}

/** `dicomTls` presenting the client certificate and trusting the CA: what our node uses when it calls a node marked tls. */
export function clientDicomTls(pki: TestPki): DicomTlsConfig {
  return { port: 0, certificate: pki.client.cert, privateKey: pki.client.key, caCertificates: pki.ca, requireClientCertificate: true };
}

/** The default configuration with one node, as `aet`, with or without `dicomTls`. */
export function configWithNode(aet: string, node: RemoteNode, dicomTls?: DicomTlsConfig): ViewboxConfig {
  return { ...(defaults as unknown as ViewboxConfig), aet, nodes: [node], ...(dicomTls ? { dicomTls } : {}) };
}
