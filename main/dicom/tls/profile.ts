/**
 * The DICOM TLS profile (PS3.15 B.9, BCP 195 / RFC 9325): TLS 1.2 or 1.3,
 * forward-secret AEAD suites only, no renegotiation, certificates verified
 * both ways. One place for the settings of the listener and of our calls.
 */
import { constants } from 'node:crypto';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate, type TlsOptions } from 'node:tls';
import { isIP } from 'node:net';
import type { TlsCredentials } from './credentials.js';

/** TLS 1.3 suites, then TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 (RFC 9325 4.2). */
export const BCP195_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

const common = {
  minVersion: 'TLSv1.2',
  ciphers: BCP195_CIPHERS,
  honorCipherOrder: true,
  // Renegotiation (TLS 1.2) is an attack surface DICOM never needs.
  secureOptions: constants.SSL_OP_NO_RENEGOTIATION,
} as const satisfies TlsOptions;

/**
 * The TLS listener. A caller's certificate is asked for, and judged by
 * `clientCertificateVerdict` once the handshake is done (Node would otherwise
 * drop an unverified caller without a word, and the log must say why).
 */
export function serverTlsOptions(credentials: TlsCredentials, handshakeTimeoutMs: number): TlsOptions {
  return { ...common, ...credentials, requestCert: true, rejectUnauthorized: false, handshakeTimeout: handshakeTimeoutMs };
}

/** What a TLS caller showed: Node's `authorized`/`authorizationError`, and whether it presented a certificate at all. */
export interface PresentedCertificate {
  authorized: boolean;
  authorizationError?: Error | string | null | undefined;
  presented: boolean;
}

/**
 * Undefined when the caller may go on; else why not. A certificate that does
 * not chain to our CAs is refused even when certificates are optional: only
 * presenting none is optional.
 */
export function clientCertificateVerdict(caller: PresentedCertificate, requireClientCertificate: boolean): string | undefined {
  if (caller.authorized) return undefined;
  if (!caller.presented) return requireClientCertificate ? 'no client certificate presented (requireClientCertificate is true)' : undefined;
  return `client certificate not accepted: ${String(caller.authorizationError ?? 'not signed by dicomTls.caCertificates')}`;
}

/**
 * A call to `host`: its certificate must chain to our CAs; its name is checked
 * only when `host` is a DNS name. Many PACS certificates name no IP address
 * (or none at all), so for an IP literal the chain is what we verify.
 */
export function clientTlsOptions(credentials: TlsCredentials, host: string): ConnectionOptions {
  const byName = isIP(host) === 0;
  return {
    ...common,
    ...credentials,
    rejectUnauthorized: true,
    ...(byName ? { servername: host } : {}),
    checkServerIdentity: (name: string, certificate: PeerCertificate) => (byName ? checkServerIdentity(name, certificate) : undefined),
  };
}

/** OpenSSL's verification failures (X509_V_ERR_*) as Node reports them in `error.code`. */
const VERIFICATION_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A TLS failure in words for an error message ("certificate verification failed: ..."), or undefined if it is not a TLS failure. */
export function describeTlsFailure(error: Error & { code?: unknown }): string | undefined {
  const code = typeof error.code === 'string' ? error.code : '';
  if (VERIFICATION_CODES.has(code)) return `TLS: certificate verification failed (${code}: ${error.message})`;
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /alert|handshake|SSL routines/i.test(error.message)) return `TLS: handshake failed (${error.message})`;
  return undefined;
}
