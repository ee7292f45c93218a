/**
 * Storage commitment against Orthanc 1.10, a real Push Model SCP: we store
 * instances into it, ask it to commit them plus one it never received, and
 * Orthanc reports on a new association it opens to our listener (proposing
 * the class with the SCP role). The held instances come back committed, the
 * unknown one failed with its reason; an unconfigured AE cannot report.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteNode } from '../../../shared/config.js';
import { CommitmentReports } from '../../../main/dicom/commitment-reports.js';
import { ClientAssociation } from '../../../main/dicom/scu/client-association.js';
import { newTransactionUid, requestStorageCommitment } from '../../../main/dicom/scu/storage-commitment.js';
import { store } from '../../../main/dicom/scu/store.js';
import { DicomServer } from '../../../main/dicom/scp/server.js';
import { CommitmentFailureReason } from '../../../main/dicom/status.js';
import { STORAGE_COMMITMENT_PUSH_MODEL, type SopReference } from '../../../main/dicom/storage-commitment-sop.js';
import { createLogger } from '../../../main/log.js';
import { openArchive, type Archive } from '../../../main/store/archive.js';
import { CT_IMAGE_STORAGE, generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { EXPLICIT_VR_LE } from '../../fixtures/part10-writer.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { tempDir } from '../../helpers/tmp.js';
import { testPeer, type TestPeer } from './scu-peer.js';

/** A 16 KB PDU on our listener, so that a long report arrives in several. */
const limits = { maxAssociations: 8, maxPduLength: 16384, artimTimeoutSeconds: 10, idleTimeoutSeconds: 10, maxObjectBytes: 1 << 30 };

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let listener: { server: DicomServer; archive: Archive; port: number };
let reports: CommitmentReports;
let client: TestPeer;
let series: GeneratedSeries;
const listenerLines: Array<Record<string, unknown>> = [];
/** Orthanc as our listener knows it; its port is set once Orthanc runs. */
const orthancNode: RemoteNode = { name: 'orthanc', aet: 'ORTHANC', host: '127.0.0.1', port: 0, allow: [], commit: true };

const byUid = (a: SopReference, b: SopReference) => a.sopInstanceUid.localeCompare(b.sopInstanceUid);

beforeAll(async () => {
  home = await tempDir('viewbox-commitment-');
  const logger = createLogger({ level: 'debug', write: (line) => listenerLines.push(JSON.parse(line) as Record<string, unknown>) });
  reports = new CommitmentReports({ logger });
  const archive = await openArchive({ dataDir: join(home.path, 'archive'), duplicates: 'keep-first', maxObjectBytes: limits.maxObjectBytes, logger });
  const server = new DicomServer({ aet: 'VIEWBOX', host: '127.0.0.1', port: 0, limits, acceptUnknownCallers: true, nodes: [orthancNode], sink: archive, commitmentReports: reports, logger });
  listener = { server, archive, port: await server.listen() };
  orthanc = await startOrthanc({ modalities: [{ name: 'viewbox', aet: 'VIEWBOX', host: '127.0.0.1', port: listener.port }] });
  orthancNode.port = orthanc.dicomPort;
  const dir = join(home.path, 'source');
  mkdirSync(dir, { recursive: true });
  series = generateCtSeries({ dir, count: 3, rows: 32, cols: 32, patientName: 'Commit^Me', patientId: 'PID-C', studyDate: '20240102' });
  client = testPeer({ aet: orthanc.aet, port: orthanc.dicomPort, name: 'orthanc' });
  const stored = await store(client, { instances: series.files.map((f) => ({ path: f.path, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: f.sopInstanceUid, transferSyntaxUid: EXPLICIT_VR_LE })) });
  expect(stored.map((r) => r.outcome)).toEqual(['completed', 'completed', 'completed']);
}, 60_000);

afterAll(async () => {
  await listener?.server.close(0);
  await listener?.archive.close();
  await orthanc?.stop();
  await home?.cleanup();
});

describe('storage commitment with Orthanc', () => {
  it('reports the held instances committed and the unknown one failed, on an association Orthanc opens to our listener', async () => {
    const held = series.files.map((f) => ({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: f.sopInstanceUid }));
    const unknown = { sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: newTransactionUid() };
    const transactionUid = newTransactionUid();

    const result = await requestStorageCommitment(client, { transactionUid, instances: [...held, unknown] }, { waitSeconds: 30, reports, holdSeconds: 0.2 });

    expect(result.timedOut).toBeUndefined();
    expect(result.transactionUid).toBe(transactionUid);
    expect([...result.committed].sort(byUid)).toEqual([...held].sort(byUid));
    expect(result.failed).toEqual([{ ...unknown, reason: CommitmentFailureReason.noSuchObjectInstance }]);
    // The report came on Orthanc's own association, which took the storage commitment SCP role.
    expect(listenerLines).toContainEqual(expect.objectContaining({ msg: 'association accepted', callingAe: 'ORTHANC', scpRoles: [STORAGE_COMMITMENT_PUSH_MODEL] }));
    const answered = client.lines.find((l) => l.msg === 'storage commitment answered' && l.transactionUid === transactionUid);
    expect(answered).toMatchObject({ committed: 3, failed: 1, reporterAe: 'ORTHANC' });
    expect(listenerLines).toContainEqual(expect.objectContaining({ msg: 'storage commitment report received', transactionUid, reporterAe: 'ORTHANC', committed: 3, failed: 1 }));
    expect(reports.pending).toBe(0);
  }, 60_000);

  it('a study of 300 instances, whose request and report span several PDUs: all committed', async () => {
    const dir = join(home.path, 'large');
    mkdirSync(dir, { recursive: true });
    const large = generateCtSeries({ dir, count: 300, rows: 8, cols: 8, patientName: 'Many^Slices', patientId: 'PID-L', studyDate: '20240103' });
    const instances = large.files.map((f) => ({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: f.sopInstanceUid }));
    const stored = await store(client, { instances: large.files.map((f) => ({ path: f.path, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: f.sopInstanceUid, transferSyntaxUid: EXPLICIT_VR_LE })) });
    expect(stored.filter((r) => r.outcome === 'completed')).toHaveLength(300);

    const result = await requestStorageCommitment(client, { instances }, { waitSeconds: 60, reports, holdSeconds: 0 });

    expect(result.failed).toEqual([]);
    expect([...result.committed].sort(byUid)).toEqual([...instances].sort(byUid));
  }, 120_000);

  it('two requests at once each get their own report', async () => {
    const [first, second] = series.files.map((f) => ({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: f.sopInstanceUid }));
    const [a, b] = await Promise.all([
      requestStorageCommitment(client, { instances: [first!] }, { waitSeconds: 30, reports, holdSeconds: 0 }),
      requestStorageCommitment(client, { instances: [second!] }, { waitSeconds: 30, reports, holdSeconds: 0 }),
    ]);
    expect(a.committed).toEqual([first]);
    expect(b.committed).toEqual([second]);
    expect(a.transactionUid).not.toBe(b.transactionUid);
  }, 60_000);

  it('an AE that is not a configured node cannot bring a report, even where unknown callers may store: the context is refused', async () => {
    const stranger = testPeer({ aet: 'VIEWBOX', port: listener.port, name: 'listener' }, { callingAe: 'STRANGER' });
    const contexts = [
      { abstractSyntax: STORAGE_COMMITMENT_PUSH_MODEL, transferSyntaxes: [EXPLICIT_VR_LE] },
      { abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LE] },
    ];
    const association = await ClientAssociation.open(stranger, { contexts, roles: [{ sopClassUid: STORAGE_COMMITMENT_PUSH_MODEL, scu: false, scp: true }] });
    try {
      expect(association.contextOf(STORAGE_COMMITMENT_PUSH_MODEL)).toBeUndefined();
      expect(association.contextOf(CT_IMAGE_STORAGE)).toBeDefined();
      expect(association.roles).toEqual([]);
    } finally {
      await association.release();
    }
    expect(listenerLines).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('storage commitment context 1 refused: calling AE "STRANGER" is not a configured node') }));
  });
});
