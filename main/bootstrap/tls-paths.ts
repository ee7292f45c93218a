/**
 * The configuration as the node uses it: `dicomTls` file paths written
 * relative to the data folder (so a data folder carries its own credentials)
 * made absolute once, so that the listener and every call read the same files.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ViewboxConfig } from '../../shared/config.js';

export function withTlsPathsResolved(config: ViewboxConfig, dataDir: string): ViewboxConfig {
  const tls = config.dicomTls;
  if (!tls) return config;
  const fromData = (path: string) => (isAbsolute(path) ? path : resolve(dataDir, path));
  return { ...config, dicomTls: { ...tls, certificate: fromData(tls.certificate), privateKey: fromData(tls.privateKey), caCertificates: fromData(tls.caCertificates) } };
}
