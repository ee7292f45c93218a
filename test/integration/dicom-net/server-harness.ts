/** A DicomServer on a free port with a RecordingSink and captured log lines, for tests. */
import type { DicomLimits, RemoteNode } from '../../../shared/config.js';
import { createLogger } from '../../../main/log.js';
import { DicomServer } from '../../../main/dicom/scp/server.js';
import { RecordingSink, type RecordingSinkOptions } from './recording-sink.js';

export interface Harness {
  server: DicomServer;
  port: number;
  aet: string;
  sink: RecordingSink;
  logs: Array<Record<string, unknown>>;
  /** Log lines at `level` whose text (msg + fields) contains `text`. */
  logged(level: string, text: string): Array<Record<string, unknown>>;
}

export const defaultLimits: DicomLimits = {
  maxAssociations: 8,
  maxPduLength: 16384,
  artimTimeoutSeconds: 10,
  idleTimeoutSeconds: 30,
  maxObjectBytes: 50 * 1024 * 1024,
};

export async function startHarness(
  options: { limits?: Partial<DicomLimits>; nodes?: RemoteNode[]; acceptUnknownCallers?: boolean; sink?: RecordingSinkOptions } = {},
): Promise<Harness> {
  const aet = 'VBX_TEST';
  const logs: Array<Record<string, unknown>> = [];
  const sink = new RecordingSink(options.sink);
  const server = new DicomServer({
    aet,
    host: '127.0.0.1',
    port: 0,
    limits: { ...defaultLimits, ...options.limits },
    acceptUnknownCallers: options.acceptUnknownCallers ?? true,
    nodes: options.nodes ?? [],
    sink,
    logger: createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
  });
  const port = await server.listen();
  return {
    server,
    port,
    aet,
    sink,
    logs,
    logged: (level, text) => logs.filter((l) => l.level === level && JSON.stringify(l).includes(text)),
  };
}
