/**
 * `viewbox serve` receiving real files from a real modality (DCMTK storescu):
 * the pydicom corpus in every syntax storescu can propose, and a generated CT
 * series. Whatever storescu was told is stored must be in the index, and the
 * stored file's dataset must be the bytes that crossed the wire.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { parseFileMeta, sha256, splitPart10 } from '../../fixtures/part10-split.js';
import { listDcm, pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { tempDir } from '../../helpers/tmp.js';
import { startDimseRecorder, type DimseRecorder, type RecordedStore } from '../../helpers/peers/dimse-recorder.js';
import { storescu, type FileResult } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { auditArchive } from './archive-state.js';

/**
 * storescu proposes the file's compressed syntax only when told to; each run
 * sends what earlier runs could not, with the next proposal option.
 */
const PROPOSALS = [[], ['-xi'], ['-xs'], ['-xy'], ['-xx'], ['-xv'], ['-xw'], ['-xt'], ['-xu'], ['-xr'], ['-xd'], ['-xm'], ['-xh'], ['-xn'], ['-xl'], ['-x2'], ['-x3'], ['-x4'], ['-x5']];

let data: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
let recorder: DimseRecorder;

beforeAll(async () => {
  data = await tempDir('viewbox-e2e-corpus-');
  node = await startViewbox({ dataDir: join(data.path, 'archive'), args: ['--aet', 'E2E_VBX'] });
  recorder = await startDimseRecorder({ port: node.dicomPort });
});

afterAll(async () => {
  await recorder?.close();
  const exit = node ? await node.stop() : undefined;
  await data?.cleanup();
  if (exit) expect(exit.code, 'viewbox serve exits 0 on SIGTERM').toBe(0);
});

function implicitVrFile(path: string): boolean {
  try {
    return parseFileMeta(readFileSync(path), path).transferSyntaxUid === '1.2.840.10008.1.2';
  } catch {
    return false;
  }
}

/** The first successful C-STORE of each SOP Instance UID: what keep-first must hold. */
function firstStored(stores: RecordedStore[]): Map<string, RecordedStore> {
  const first = new Map<string, RecordedStore>();
  for (const s of stores) if (s.status === 0 && !first.has(s.sopInstanceUid)) first.set(s.sopInstanceUid, s);
  return first;
}

/** The stored file holds our File Meta + exactly the recorded dataset bytes, and matches its index row. */
async function expectStoredAsSent(sent: RecordedStore): Promise<void> {
  const audit = await auditArchive(node.data);
  const row = audit.bySopUid.get(sent.sopInstanceUid);
  expect(row, `index row for ${sent.sopInstanceUid}`).toBeDefined();
  const bytes = readFileSync(join(node.data, row!.path));
  const stored = splitPart10(bytes, row!.path);
  expect(stored.meta.sopInstanceUid).toBe(sent.sopInstanceUid);
  expect(stored.meta.transferSyntaxUid).toBe(sent.transferSyntaxUid);
  expect(row!.transferSyntaxUid).toBe(sent.transferSyntaxUid);
  expect(Buffer.compare(stored.dataset, sent.dataset), `dataset bytes of ${sent.sopInstanceUid}`).toBe(0);
  expect(row!.sha256).toBe(sha256(bytes));
  expect(row!.size).toBe(bytes.length);
}

describe('viewbox serve ← storescu', () => {
  it('stores the pydicom corpus byte-exact, in every syntax storescu proposes', { timeout: 300_000 }, async () => {
    let pending = listDcm(pydicomTestFiles);
    const outcomes: Array<FileResult & { proposal: string }> = [];
    const whyNotSent = new Map<string, string>();
    // storescu's default proposal puts explicit VR first and converts implicit files: send those as they are first.
    const implicitFiles = pending.filter((f) => implicitVrFile(f));
    expect(implicitFiles.length).toBeGreaterThan(0);
    for (const [proposal, files] of [[['-xi'], implicitFiles] as const, ...PROPOSALS.map((p) => [p, undefined] as const)]) {
      if (pending.length === 0) break;
      const batch = files ?? pending;
      const run = await storescu({ port: recorder.port, calledAet: node.aet, files: [...batch], extraArgs: [...proposal] });
      expect(run.results.map((r) => r.file), run.log).toEqual(batch);
      if (files) {
        for (const r of run.results) if (r.outcome !== 'not-sent') outcomes.push({ ...r, proposal: proposal.join(' ') });
        pending = pending.filter((f) => !run.results.some((r) => r.file === f && r.outcome !== 'not-sent'));
        continue;
      }
      for (const r of run.results) if (r.outcome !== 'not-sent') outcomes.push({ ...r, proposal: proposal.join(' ') || '(default)' });
      for (const r of run.results) if (r.outcome === 'not-sent') whyNotSent.set(r.file, r.detail);
      pending = run.results.filter((r) => r.outcome === 'not-sent').map((r) => r.file);
    }
    // What storescu itself refuses (no File Meta, unreadable, a syntax it cannot propose): listed, excluded.
    const excluded = pending.map((f) => `${basename(f)}: ${whyNotSent.get(f)}`);
    console.info(`corpus files storescu would not send (${excluded.length}):\n  ${excluded.join('\n  ')}`);

    const refusedByNode = outcomes.filter((o) => o.outcome === 'failure');
    console.info(`corpus files the node refused (${refusedByNode.length}):\n  ${refusedByNode.map((o) => `${basename(o.file)} [${o.proposal}]: ${o.detail}`).join('\n  ')}`);
    const storedOutcomes = outcomes.filter((o) => o.outcome === 'success' || o.outcome === 'warning');
    expect(storedOutcomes.length).toBeGreaterThan(40);
    // The wire recorder saw the same successes storescu reported.
    expect(recorder.stores.filter((s) => s.status === 0 || (s.status !== undefined && s.status >= 0xb000 && s.status < 0xc000))).toHaveLength(storedOutcomes.length);
    // Compressed syntaxes were proposed and stored as they were.
    const syntaxes = new Set(recorder.stores.filter((s) => s.status === 0).map((s) => s.transferSyntaxUid));
    for (const ts of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.5']) {
      expect(syntaxes, `some corpus file stored in ${ts}`).toContain(ts);
    }
    const expected = firstStored(recorder.stores);
    for (const sent of expected.values()) await expectStoredAsSent(sent);
    // Where storescu sent a file unchanged, the stored dataset is the file's own dataset.
    let unchanged = 0;
    for (const o of storedOutcomes) {
      let file;
      try {
        file = splitPart10(readFileSync(o.file), o.file);
      } catch {
        continue;
      }
      const sent = expected.get(file.meta.sopInstanceUid ?? '');
      if (sent && Buffer.compare(sent.dataset, file.dataset) === 0) unchanged++;
    }
    // storescu rewrites some files as it sends them (group lengths dropped); most go over untouched.
    expect(unchanged).toBeGreaterThan(15);
    const audit = await auditArchive(node.data);
    expect(audit.instances).toHaveLength(expected.size);
    expect(audit.damaged).toEqual([]);
    expect(audit.filesWithoutRow).toEqual([]);
  });

  it('stores a generated CT series, each file byte-identical to its dataset', { timeout: 120_000 }, async () => {
    const dir = join(data.path, 'series');
    mkdirSync(dir);
    const series = generateCtSeries({ dir, count: 40, patientName: 'E2E^Series' });
    const before = recorder.stores.length;
    const run = await storescu({ port: recorder.port, calledAet: node.aet, dir });
    expect(run.code, run.log).toBe(0);
    expect(run.stored).toHaveLength(series.files.length);
    const recorded = recorder.stores.slice(before);
    expect(recorded.map((s) => s.status)).toEqual(series.files.map(() => 0));
    for (const file of series.files) {
      const sent = recorded.find((s) => s.sopInstanceUid === file.sopInstanceUid)!;
      // our fixtures cross the wire unchanged, so the file itself is the oracle too
      expect(Buffer.compare(sent.dataset, splitPart10(readFileSync(file.path)).dataset)).toBe(0);
      await expectStoredAsSent(sent);
    }
    const audit = await auditArchive(node.data);
    expect(audit.stagingFiles).toEqual([]);
  });
});
