/** What a call to a node marked `tls` presents and verifies: our certificate, and our CAs for its certificate. */
import type { ConnectionOptions } from 'node:tls';
import type { DicomTlsConfig, RemoteNode } from '../../../shared/config.js';
import { errorMessage } from '../../../shared/error-message.js';
import { ScuError } from '../scu/scu-error.js';
import { loadTlsCredentials } from './credentials.js';
import { clientTlsOptions } from './profile.js';

/** TLS options for calling `node`, or undefined when it is called in the clear. Read at each call, so renewed files are picked up. */
export function scuTlsOptions(dicomTls: DicomTlsConfig | undefined, node: RemoteNode): ConnectionOptions | undefined {
  if (!node.tls) return undefined;
  if (!dicomTls) throw new ScuError(node, 'it is marked tls, but dicomTls (our certificate, key and CA certificates) is not configured');
  try {
    return clientTlsOptions(loadTlsCredentials(dicomTls), node.host);
  } catch (error) {
    throw new ScuError(node, `cannot call over TLS: ${errorMessage(error)}`, { cause: error });
  }
}
