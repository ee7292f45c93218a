/**
 * The C-STORE SCU against DCMTK storescp: the dataset bytes that arrive are
 * the stored ones (uncompressed and compressed, each offered in its own
 * syntax), the transcoder is used only for a peer that accepts only
 * uncompressed, and a failing instance fails alone.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { echo } from '../../../main/dicom/scu/echo.js';
import { store } from '../../../main/dicom/scu/store.js';
import type { StoredInstance, Transcode } from '../../../main/dicom/stored-instance.js';
import { EXPLICIT_VR_LE } from '../../../shared/dicom/uid-registry.js';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { readFileMetaOf, splitPart10 } from '../../fixtures/part10-split.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { tempDirsPerTest } from '../../helpers/tmp.js';
import { testPeer } from './scu-peer.js';

const dirs = tempDirsPerTest('viewbox-scu-store-', afterEach);
const peers: Storescp[] = [];
afterEach(async () => {
  while (peers.length) await peers.pop()!.stop();
});

async function storescp(extraArgs: string[] = []): Promise<Storescp> {
  const peer = await startStorescp({ aet: 'STORESCP', bitPreserving: true, extraArgs });
  peers.push(peer);
  return peer;
}

async function instanceOf(path: string): Promise<StoredInstance> {
  const meta = await readFileMetaOf(path);
  return { path, sopClassUid: meta.sopClassUid!, sopInstanceUid: meta.sopInstanceUid!, transferSyntaxUid: meta.transferSyntaxUid };
}

/** Received files by SOP Instance UID (storescp names them after the modality and the UID). */
async function received(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of await readdir(dir)) {
    const bytes = await readFile(join(dir, name));
    out.set(splitPart10(bytes, name).meta.sopInstanceUid!, bytes);
  }
  return out;
}

const datasetOf = async (path: string) => Buffer.from(splitPart10(await readFile(path), path).dataset);

describe('store to storescp', () => {
  it('sends uncompressed and compressed instances byte-exact, each in its own syntax', async () => {
    const peer = await storescp();
    const series = generateCtSeries({ dir: await dirs.dataDir(), count: 3, rows: 64, cols: 64 });
    const compressed = [join(pydicomTestFiles, 'SC_rgb_jpeg_gdcm.dcm'), join(pydicomTestFiles, 'MR_small_jpeg_ls_lossless.dcm')];
    const instances = await Promise.all([...series.files.map((f) => f.path), ...compressed].map(instanceOf));
    let transcoderCalls = 0;
    const client = testPeer({ aet: 'STORESCP', port: peer.port }, { limits: { maxPduLength: 16384 } });
    const results = await store(client, { instances, transcode: async () => (transcoderCalls++, new Uint8Array()) });
    expect(results.map((r) => r.outcome)).toEqual(instances.map(() => 'completed'));
    expect(results.every((r) => !r.converted)).toBe(true);
    expect(transcoderCalls).toBe(0);
    const files = await received(peer.dir);
    for (const instance of instances) {
      const file = files.get(instance.sopInstanceUid);
      expect(file, instance.path).toBeDefined();
      const { meta, dataset } = splitPart10(file!);
      expect(meta.transferSyntaxUid).toBe(instance.transferSyntaxUid);
      expect(Buffer.from(dataset).equals(await datasetOf(instance.path)), instance.path).toBe(true);
    }
  });

  it('calls the transcoder only for a peer that accepts only uncompressed, and fails just that instance when it throws', async () => {
    const peer = await storescp(['+x=']); // after +xa: uncompressed syntaxes only
    const ct = generateCtSeries({ dir: await dirs.dataDir(), count: 1, rows: 32, cols: 32 }).files[0]!.path;
    const jpegLossless = await instanceOf(join(pydicomTestFiles, 'SC_rgb_jpeg_gdcm.dcm'));
    const jpegLs = await instanceOf(join(pydicomTestFiles, 'MR_small_jpeg_ls_lossless.dcm'));
    // The fake "decoded" dataset: the uncompressed CT's bytes, under the JPEG instance's UIDs as far as the peer cares.
    const decoded = await datasetOf(ct);
    const calls: Array<[string, string]> = [];
    const transcode: Transcode = async (instance, target) => {
      calls.push([instance.sopInstanceUid, target]);
      if (instance.sopInstanceUid === jpegLs.sopInstanceUid) throw new Error('no JPEG-LS decoder in this test');
      return decoded;
    };
    const client = testPeer({ aet: 'STORESCP', port: peer.port });
    const results = await store(client, { instances: [jpegLs, jpegLossless, await instanceOf(ct)], transcode });
    expect(calls).toEqual([
      [jpegLs.sopInstanceUid, EXPLICIT_VR_LE],
      [jpegLossless.sopInstanceUid, EXPLICIT_VR_LE],
    ]);
    const [ls, lossless, plain] = results;
    expect(ls).toMatchObject({ sopInstanceUid: jpegLs.sopInstanceUid, outcome: 'failed' });
    expect(ls?.outcome === 'failed' && ls.reason).toMatch(/JPEG-LS Lossless.*no JPEG-LS decoder in this test/);
    expect(lossless).toMatchObject({ sopInstanceUid: jpegLossless.sopInstanceUid, outcome: 'completed', converted: true });
    expect(plain).toMatchObject({ outcome: 'completed', converted: false });
    expect(client.lines.some((l) => l.msg === 'instance decoded for a peer that accepts only uncompressed' && l.sopInstanceUid === jpegLossless.sopInstanceUid)).toBe(true);
    expect(client.lines.some((l) => l.level === 'warn' && l.sopInstanceUid === jpegLs.sopInstanceUid)).toBe(true);
    const files = await received(peer.dir);
    expect(Buffer.from(splitPart10(files.get(jpegLossless.sopInstanceUid)!).dataset).equals(decoded)).toBe(true);
    expect(files.has(jpegLs.sopInstanceUid)).toBe(false);
  });

  it('without a transcoder, a compressed instance the peer will not take fails with the reason and the rest go on', async () => {
    const peer = await storescp(['+x=']);
    const jpegLs = await instanceOf(join(pydicomTestFiles, 'MR_small_jpeg_ls_lossless.dcm'));
    const ct = await instanceOf(generateCtSeries({ dir: await dirs.dataDir(), count: 1, rows: 32, cols: 32 }).files[0]!.path);
    const results = await store(testPeer({ aet: 'STORESCP', port: peer.port }), { instances: [jpegLs, ct] });
    expect(results[0]).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/no decoder is available for JPEG-LS Lossless/) });
    expect(results[1]).toMatchObject({ outcome: 'completed' });
  });

  it('answers C-ECHO with a round trip', async () => {
    const peer = await storescp();
    expect(await echo(testPeer({ aet: 'STORESCP', port: peer.port }))).toBeGreaterThan(0);
  });
});
