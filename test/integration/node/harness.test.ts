/**
 * The fixtures and the real-peer harness, checked against real DCMTK and
 * Orthanc before the e2e tests rely on them: generated files are valid DICOM
 * that DCMTK sends bit-exact, and the raw upper-layer peer speaks PS3.8.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { generateMultiframe } from '../../fixtures/multiframe.js';
import { parseFileMeta, splitPart10 } from '../../fixtures/part10-split.js';
import { listDcm, pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { startOrthanc } from '../../helpers/peers/orthanc.js';
import { startDimseRecorder } from '../../helpers/peers/dimse-recorder.js';
import { openRawAssociation, pDataTf, cEchoRq, VERIFICATION, IMPLICIT_VR_LE } from '../../helpers/peers/raw-association.js';
import { peakRss } from '../../helpers/peers/rss.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { storescu } from '../../helpers/peers/storescu.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let series: GeneratedSeries;

beforeAll(async () => {
  work = await tempDir('viewbox-harness-');
  series = generateCtSeries({ dir: work.path, count: 5, patientName: 'Harness^Test' });
});
afterAll(() => work.cleanup());

/** dcmdump's value of one tag, e.g. "(0020,0032)". */
function dumpValue(dump: string, tag: string): string {
  const line = dump.split('\n').find((l) => l.startsWith(tag));
  const match = line && /\[(.*?)\]/.exec(line);
  if (!match) throw new Error(`${tag} not in dump`);
  return match[1]!;
}

describe('generated CT series', () => {
  it('passes dcmdump without warnings and has a consistent geometry', async () => {
    const positions: number[][] = [];
    for (const file of series.files) {
      const dump = await run('dcmdump', ['-M', file.path]);
      expect(dump.code, dump.stderr).toBe(0);
      expect(dump.stderr).toBe('');
      expect(dumpValue(dump.stdout, '(0010,0010)')).toBe('Harness^Test');
      expect(dumpValue(dump.stdout, '(0008,0018)')).toBe(file.sopInstanceUid);
      positions.push(dumpValue(dump.stdout, '(0020,0032)').split('\\').map(Number));
      expect(file.size).toBeGreaterThan(520_000);
      expect(file.size).toBeLessThan(530_000);
    }
    const thickness = 1.25;
    for (let i = 1; i < positions.length; i++) expect(Math.abs(positions[i]![2]! - positions[i - 1]![2]!)).toBeCloseTo(thickness, 6);
    expect(new Set(series.files.map((f) => f.sopInstanceUid)).size).toBe(series.files.length);
  });

  it('has pixel data that is not constant', () => {
    const { dataset } = splitPart10(readFileSync(series.files[0]!.path));
    const pixels = new Int16Array(dataset.buffer.slice(dataset.byteOffset + dataset.length - 512 * 512 * 2, dataset.byteOffset + dataset.length));
    expect(new Set(pixels).size).toBeGreaterThan(50);
  });
});

describe('splitPart10', () => {
  it('finds the dataset right after group 0002 in every corpus Part 10 file', () => {
    let checked = 0;
    for (const path of listDcm(pydicomTestFiles)) {
      const bytes = readFileSync(path);
      if (bytes.length < 132 || bytes.toString('latin1', 128, 132) !== 'DICM') continue;
      if (path.endsWith('meta_missing_tsyntax.dcm')) {
        expect(() => splitPart10(bytes, path)).toThrow(/meta_missing_tsyntax\.dcm: File Meta lacks Transfer Syntax UID/);
        continue;
      }
      const { meta, dataset } = splitPart10(bytes, path);
      expect(meta.transferSyntaxUid, path).toMatch(/^1\.2\.840\.10008\.1\.2/);
      // the first dataset element is past group 0002, in either byte order
      const groupLe = dataset.length >= 2 ? dataset[0]! | (dataset[1]! << 8) : 0x0008;
      const groupBe = dataset.length >= 2 ? (dataset[0]! << 8) | dataset[1]! : 0x0008;
      expect(groupLe > 0x0002 || groupBe > 0x0002, path).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('storescu → storescp (bit-preserving)', () => {
  let scp: Storescp;
  beforeAll(async () => {
    scp = await startStorescp({ aet: 'HARNESS_SCP', bitPreserving: true });
  });
  afterAll(() => scp.stop());

  it('stores every generated file byte-exact and reports each as Success', async () => {
    const sampler = peakRss(scp.service.pid);
    const result = await storescu({ port: scp.port, calledAet: 'HARNESS_SCP', files: series.files.map((f) => f.path) });
    const { peakRss: rss } = await sampler.stop();
    expect(result.code, result.log).toBe(0);
    expect(result.results.map((r) => r.outcome)).toEqual(series.files.map(() => 'success'));
    expect(rss).toBeGreaterThan(1_000_000);
    const received = readdirSync(scp.dir).map((name) => join(scp.dir, name));
    expect(received).toHaveLength(series.files.length);
    for (const path of received) {
      const got = splitPart10(readFileSync(path), path);
      const sent = series.files.find((f) => f.sopInstanceUid === got.meta.sopInstanceUid);
      expect(sent, path).toBeDefined();
      expect(Buffer.compare(got.dataset, splitPart10(readFileSync(sent!.path)).dataset)).toBe(0);
    }
  });

  it('reports files storescu cannot read as not sent, with the reason', async () => {
    const junk = join(work.path, 'README.txt');
    await import('node:fs/promises').then((fs) => fs.writeFile(junk, 'not DICOM'));
    const result = await storescu({ port: scp.port, calledAet: 'HARNESS_SCP', files: [junk, series.files[0]!.path] });
    expect(result.results[0]).toMatchObject({ file: junk, outcome: 'not-sent' });
    expect(result.results[0]!.detail).toMatch(/Bad DICOM file/);
    expect(result.stored).toEqual([series.files[0]!.path]);
  });

  it('records, through the proxy, exactly the dataset bytes and status the SCP got', async () => {
    const recorder = await startDimseRecorder({ port: scp.port });
    try {
      const corpus = listDcm(pydicomTestFiles);
      const result = await storescu({ port: recorder.port, calledAet: 'HARNESS_SCP', files: corpus });
      expect(result.stored.length).toBeGreaterThan(10);
      const successes = recorder.stores.filter((s) => s.status === 0);
      expect(successes).toHaveLength(result.results.filter((r) => r.outcome === 'success').length);
      // storescp overwrites duplicates: compare the UIDs sent once
      const once = successes.filter((s) => successes.filter((t) => t.sopInstanceUid === s.sopInstanceUid).length === 1);
      expect(once.length).toBeGreaterThanOrEqual(8);
      for (const store of once) {
        const name = readdirSync(scp.dir).find((n) => n.endsWith(store.sopInstanceUid));
        expect(name, store.sopInstanceUid).toBeDefined();
        const received = splitPart10(readFileSync(join(scp.dir, name!)));
        expect(received.meta.transferSyntaxUid).toBe(store.transferSyntaxUid);
        expect(Buffer.compare(received.dataset, store.dataset), store.sopInstanceUid).toBe(0);
      }
    } finally {
      await recorder.close();
    }
  });

  it('answers a raw-peer C-ECHO (the hand-built PDUs are valid PS3.8)', async () => {
    const { peer, accepted } = await openRawAssociation({
      port: scp.port,
      callingAe: 'RAWPEER',
      calledAe: 'HARNESS_SCP',
      contexts: [{ id: 1, abstractSyntax: VERIFICATION, transferSyntaxes: [IMPLICIT_VR_LE] }],
    });
    expect(accepted).toEqual([{ id: 1, result: 0, transferSyntax: IMPLICIT_VR_LE }]);
    await peer.send(pDataTf([{ contextId: 1, command: true, last: true, data: cEchoRq(1) }]));
    expect(await peer.nextResponse()).toEqual({ status: 0 });
    peer.destroy();
  });

  it('receives a streamed multi-frame object intact', async () => {
    const mf = await generateMultiframe({ path: join(work.path, 'mf.dcm'), targetBytes: 20 * 1024 * 1024 });
    expect(statSync(mf.path).size).toBe(mf.size);
    const dump = await run('dcmdump', ['-M', mf.path]);
    expect(dump.stderr).toBe('');
    expect(dumpValue(dump.stdout, '(0028,0008)')).toBe(String(mf.frames));
    const result = await storescu({ port: scp.port, calledAet: 'HARNESS_SCP', files: [mf.path] });
    expect(result.stored).toEqual([mf.path]);
    const name = readdirSync(scp.dir).find((n) => n.includes(mf.sopInstanceUid));
    expect(name).toBeDefined();
    const got = readFileSync(join(scp.dir, name!));
    expect(Buffer.compare(splitPart10(got).dataset, splitPart10(readFileSync(mf.path)).dataset)).toBe(0);
    expect(parseFileMeta(got).sopInstanceUid).toBe(mf.sopInstanceUid);
  });
});

describe('Orthanc peer', () => {
  it('starts on free ports from its own config and stores what storescu sends', async () => {
    const orthanc = await startOrthanc({ aet: 'HARNESS_PACS' });
    try {
      const result = await storescu({ port: orthanc.dicomPort, calledAet: 'HARNESS_PACS', files: series.files.map((f) => f.path) });
      expect(result.stored).toHaveLength(series.files.length);
      const stats = await orthanc.get<{ CountInstances: number }>('/statistics');
      expect(stats.CountInstances).toBe(series.files.length);
    } finally {
      await orthanc.stop();
    }
  });
});
