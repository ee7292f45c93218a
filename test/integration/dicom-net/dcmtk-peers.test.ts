/**
 * DicomServer against real DCMTK peers (echoscu, storescu): what a modality
 * sees, and what bytes reach the sink.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileMeta } from '../../../shared/dicom/file-meta.js';
import { parseDataset } from '../../../shared/dicom/dataset-parser.js';
import { DEFLATED_EXPLICIT_VR_LE } from '../../../shared/dicom/uid-registry.js';
import { createLogger, type Logger } from '../../../main/log.js';
import { DicomServer } from '../../../main/dicom/scp/server.js';
import { listDcm, pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { echoscu, storescu } from '../../helpers/peers/storescu.js';
import { startStorescp } from '../../helpers/peers/storescp.js';
import { tempDir } from '../../helpers/tmp.js';
import { RecordingSink } from './recording-sink.js';

const AET = 'VBX_NET';
let work: Awaited<ReturnType<typeof tempDir>>;
let server: DicomServer;
let port: number;
let sink: RecordingSink;
const logLines: Array<Record<string, unknown>> = [];

function recordingLogger(): Logger {
  return createLogger({ level: 'debug', write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
}

beforeAll(async () => {
  work = await tempDir('viewbox-dicom-net-');
  sink = new RecordingSink({ dir: work.path });
  server = new DicomServer({
    aet: AET,
    host: '127.0.0.1',
    port: 0,
    limits: { maxAssociations: 8, maxPduLength: 65536, artimTimeoutSeconds: 10, idleTimeoutSeconds: 30, maxObjectBytes: 200 * 1024 * 1024 },
    acceptUnknownCallers: true,
    nodes: [{ name: 'Query only', aet: 'QUERYONLY', host: '127.0.0.1', port: 104, allow: ['find'] }],
    sink,
    logger: recordingLogger(),
  });
  port = await server.listen();
});

afterAll(async () => {
  await server?.close(1000);
  await work?.cleanup();
});

function datasetUid(file: string, split: { meta: { transferSyntaxUid: string }; datasetOffset: number }, tag: string): string | undefined {
  const bytes = readFileSync(file).subarray(split.datasetOffset);
  if (split.meta.transferSyntaxUid === DEFLATED_EXPLICIT_VR_LE) return undefined;
  const value = parseDataset(bytes, { transferSyntaxUid: split.meta.transferSyntaxUid })[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

function metaOf(file: string) {
  try {
    return readFileMeta(readFileSync(file))?.meta;
  } catch {
    return undefined; // a broken File Meta: storescu would not send it either
  }
}

/** The storescu option that proposes `ts` first, so storescu sends the file unconverted. */
function proposalFor(ts: string | undefined): string | undefined {
  const options: Record<string, string> = {
    '1.2.840.10008.1.2': '-xi',
    '1.2.840.10008.1.2.1': '-xe',
    '1.2.840.10008.1.2.2': '-xb',
    '1.2.840.10008.1.2.1.99': '-xd',
    '1.2.840.10008.1.2.4.50': '-xy',
    '1.2.840.10008.1.2.4.51': '-xx',
    '1.2.840.10008.1.2.4.70': '-xs',
    '1.2.840.10008.1.2.4.80': '-xt',
    '1.2.840.10008.1.2.4.81': '-xu',
    '1.2.840.10008.1.2.4.90': '-xv',
    '1.2.840.10008.1.2.4.91': '-xw',
    '1.2.840.10008.1.2.5': '-xr',
  };
  return ts === undefined ? undefined : options[ts];
}

describe('DicomServer with DCMTK peers', () => {
  it('answers echoscu with Success', async () => {
    const echo = await echoscu({ port, calledAet: AET });
    expect(echo.ok, echo.log).toBe(true);
  });

  it('refuses a wrong called AE and logs a line naming it', async () => {
    const echo = await echoscu({ port, calledAet: 'NOT_US' });
    expect(echo.ok).toBe(false);
    expect(echo.log).toMatch(/Called AE Title Not Recognized/i);
    const line = logLines.find((l) => l.msg === 'association refused' && l.calledAe === 'NOT_US');
    expect(line, JSON.stringify(logLines.slice(-5))).toBeDefined();
    expect(String(line?.reason)).toContain('NOT_US');
    expect(line?.callingAe).toBe('ECHOSCU');
    expect(String(line?.remoteAddress)).toContain('127.0.0.1');
  });

  it('rejects storage contexts of a known node not allowed to store', async () => {
    const file = `${pydicomTestFiles}/CT_small.dcm`;
    const before = sink.instances.length;
    const run = await storescu({ port, calledAet: AET, aet: 'QUERYONLY', files: [file] });
    expect(run.stored).toEqual([]);
    expect(sink.instances.length).toBe(before);
    expect(logLines.some((l) => String(l.msg).includes('not allowed to store') && l.callingAe === 'QUERYONLY')).toBe(true);
  });

  it('receives the pydicom corpus from storescu byte for byte, in the syntax each file is in', async () => {
    const groups = new Map<string, string[]>();
    for (const file of listDcm(pydicomTestFiles)) {
      const option = proposalFor(metaOf(file)?.transferSyntaxUid);
      if (option) groups.set(option, [...(groups.get(option) ?? []), file]);
    }
    let compared = 0;
    let identical = 0;
    const rewrittenBySender: Array<{ file: string; got: Buffer }> = [];
    const syntaxes = new Set<string>();
    for (const [option, files] of groups) {
      const before = sink.instances.length;
      const run = await storescu({ port, calledAet: AET, files, extraArgs: [option] });
      const received = sink.instances.slice(before);
      const sent = run.results.filter((r) => r.outcome !== 'not-sent');
      expect(received.length, run.log.slice(-2000)).toBe(sent.length);
      sent.forEach((result, i) => {
        const instance = received[i]!;
        expect(result.outcome, `${result.file}: ${result.detail}`).toBe('success');
        const bytes = readFileSync(result.file);
        const split = readFileMeta(bytes)!;
        expect(instance.incoming).toMatchObject({
          // storescu puts the dataset's UIDs in the command (a few corpus files disagree with their File Meta)
          sopInstanceUid: datasetUid(result.file, split, '00080018') ?? split.meta.mediaStorageSopInstanceUid,
          sopClassUid: datasetUid(result.file, split, '00080016') ?? split.meta.mediaStorageSopClassUid,
          transferSyntaxUid: split.meta.transferSyntaxUid,
          source: { kind: 'dimse', callingAe: 'STORESCU', calledAe: AET, remoteAddress: '127.0.0.1' },
        });
        expect(instance.state).toBe('committed');
        const got = readFileSync(instance.path!);
        if (Buffer.compare(got, bytes.subarray(split.datasetOffset)) === 0) identical++;
        else rewrittenBySender.push({ file: result.file, got });
        syntaxes.add(split.meta.transferSyntaxUid);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(45);
    expect(identical, 'datasets equal to the file').toBeGreaterThan(compared / 2);
    // storescu drops group length elements when it sends: for those files, DCMTK's own
    // bit-preserving storescp is the oracle of what was on the wire.
    const oracle = await startStorescp({ aet: 'ORACLE', bitPreserving: true });
    try {
      for (const { file, got } of rewrittenBySender) {
        const sent = await storescu({ port: oracle.port, calledAet: 'ORACLE', files: [file], extraArgs: [proposalFor(metaOf(file)?.transferSyntaxUid)!] });
        expect(sent.stored, sent.log).toEqual([file]);
        const captured = readdirSync(oracle.dir);
        expect(captured).toHaveLength(1);
        const wire = readFileSync(join(oracle.dir, captured[0]!));
        rmSync(join(oracle.dir, captured[0]!));
        expect(Buffer.compare(got, wire.subarray(readFileMeta(wire)!.datasetOffset)), file).toBe(0);
      }
    } finally {
      await oracle.stop();
    }
    expect(syntaxes.size, [...syntaxes].join(' ')).toBeGreaterThanOrEqual(8);
  });
});
