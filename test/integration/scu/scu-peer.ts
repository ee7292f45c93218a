/** A ScuPeer for the tests: loopback node, short timeouts, and a logger whose lines the test can read. */
import type { ScuLimits, ScuPeer } from '../../../main/dicom/scu/client-association.js';
import { createLogger } from '../../../main/log.js';

export interface TestPeer extends ScuPeer {
  /** Every log line, parsed. */
  readonly lines: Array<Record<string, unknown>>;
}

export function testPeer(node: { aet: string; port: number; name?: string }, options: { callingAe?: string; limits?: Partial<ScuLimits> } = {}): TestPeer {
  const lines: Array<Record<string, unknown>> = [];
  return {
    node: { name: node.name ?? node.aet.toLowerCase(), aet: node.aet, host: '127.0.0.1', port: node.port },
    callingAe: options.callingAe ?? 'VIEWBOX',
    limits: { maxPduLength: 262144, maxObjectBytes: 1 << 30, artimTimeoutSeconds: 10, idleTimeoutSeconds: 10, ...options.limits },
    logger: createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }),
    lines,
  };
}
