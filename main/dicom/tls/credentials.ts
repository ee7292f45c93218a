/**
 * The PEM files of `dicomTls` read and checked once: a start with a missing,
 * unreadable or mismatched certificate or key fails with the file's name,
 * rather than every TLS peer failing later with an OpenSSL message.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { DicomTlsConfig } from '../../../shared/config.js';
import { errorMessage } from '../../../shared/error-message.js';

/** Our certificate and key, and the CAs a peer must chain to, as PEM text. */
export interface TlsCredentials {
  cert: string;
  key: string;
  ca: string;
}

export class TlsCredentialsError extends Error {
  override name = 'TlsCredentialsError';
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Read and check the files named by `tls` (absolute paths, or relative to the process's folder). */
export function loadTlsCredentials(tls: Pick<DicomTlsConfig, 'certificate' | 'privateKey' | 'caCertificates'>): TlsCredentials {
  const cert = readPem(tls.certificate, 'dicomTls.certificate');
  const key = readPem(tls.privateKey, 'dicomTls.privateKey');
  const ca = readPem(tls.caCertificates, 'dicomTls.caCertificates');
  const certificate = parseCertificate(cert, tls.certificate, 'dicomTls.certificate');
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new TlsCredentialsError(`dicomTls.privateKey ${tls.privateKey} is not a readable unencrypted PEM private key: ${errorMessage(error)}`, { cause: error });
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsCredentialsError(`dicomTls.privateKey ${tls.privateKey} is not the key of dicomTls.certificate ${tls.certificate}`);
  }
  const cas = ca.match(PEM_CERTIFICATE) ?? [];
  if (cas.length === 0) throw new TlsCredentialsError(`dicomTls.caCertificates ${tls.caCertificates} holds no PEM certificate`);
  for (const one of cas) parseCertificate(one, tls.caCertificates, 'dicomTls.caCertificates');
  return { cert, key, ca };
}

function readPem(path: string, setting: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new TlsCredentialsError(`${setting} ${path} cannot be read: ${errorMessage(error)}`, { cause: error });
  }
}

function parseCertificate(pem: string, path: string, setting: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new TlsCredentialsError(`${setting} ${path} is not a PEM certificate: ${errorMessage(error)}`, { cause: error });
  }
}
