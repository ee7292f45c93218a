/**
 * `viewbox remote` and `viewbox send` as a user runs them, with Orthanc as
 * the PACS: echo, find (table and JSON), retrieve by C-GET and by C-MOVE into
 * the archive, send back to storescp; the bytes are compared at each step.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { writeQueryArchive, type WrittenStudy } from '../../fixtures/query-archive.js';
import { freePort } from '../../helpers/net.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt, isolatedEnv, viewbox } from './viewbox-cli.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let destination: Storescp;
let studies: Map<string, WrittenStudy>;
let env: NodeJS.ProcessEnv;
let data: string;
let args: string[];

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-remote-');
  const fixtures = join(home.path, 'fixtures');
  studies = writeQueryArchive(fixtures);
  const ourPort = await freePort();
  orthanc = await startOrthanc({ aet: 'PACS', modalities: [{ name: 'viewbox', aet: 'VBXREMOTE', host: '127.0.0.1', port: ourPort }], config: { DicomAlwaysAllowGet: true } });
  destination = await startStorescp({ aet: 'ARCHIVE2', bitPreserving: true });
  const sent = await storescu({ port: orthanc.dicomPort, calledAet: 'PACS', dir: fixtures });
  expect(sent.results.every((r) => r.outcome === 'success')).toBe(true);
  const config = {
    aet: 'VBXREMOTE',
    dicomPort: ourPort,
    nodes: [
      { name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: orthanc.dicomPort, allow: ['store'] },
      { name: 'archive2', aet: 'ARCHIVE2', host: '127.0.0.1', port: destination.port, allow: [] },
      { name: 'nobody', aet: 'NOBODY', host: '127.0.0.1', port: await freePort(), allow: [] },
    ],
  };
  await writeFile(join(home.path, 'config.json'), JSON.stringify(config));
  env = isolatedEnv(home.path);
  data = join(home.path, 'data');
  args = ['--config', join(home.path, 'config.json')];
}, 60_000);

afterAll(async () => {
  await orthanc?.stop();
  await destination?.stop();
  await home?.cleanup();
});

/** Orthanc's copy of an instance, by SOP Instance UID. */
async function orthancFile(sopUid: string): Promise<Uint8Array> {
  const hits = (await (await fetch(`${orthanc.url}/tools/lookup`, { method: 'POST', body: sopUid })).json()) as Array<{ ID: string }>;
  const response = await fetch(`${orthanc.url}/instances/${hits[0]?.ID}/file`);
  return new Uint8Array(await response.arrayBuffer());
}

/** The archive's stored file of an instance, via `viewbox studies`' data folder. */
async function archivedDatasets(): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const store = join(data, 'store');
  for (const entry of await readdir(store, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const parts = splitPart10(await readFile(join(entry.parentPath, entry.name)));
    if (parts.meta.sopInstanceUid) out.set(parts.meta.sopInstanceUid, parts.dataset);
  }
  return out;
}

describe('viewbox remote', () => {
  it('echo says how long the node took, and names an unknown node', async () => {
    const ok = await viewbox(['remote', 'echo', 'pacs', ...args], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^pacs \(PACS at 127\.0\.0\.1:\d+\) answered C-ECHO in \d+\.\d ms/);
    const unknown = await viewbox(['remote', 'echo', 'elsewhere', ...args], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no node named "elsewhere" in the configuration \(configured: pacs, archive2, nobody\)/);
    const down = await viewbox(['remote', 'echo', 'nobody', ...args], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/node "nobody" \(NOBODY at 127\.0\.0\.1:\d+\)/);
  });

  it('find prints a table, or DICOM JSON with --json', async () => {
    const table = await viewbox(['remote', 'find', 'pacs', 'PatientName=DOE*', ...args], env);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PATIENT\s+ID\s+DATE\s+MODALITIES\s+DESCRIPTION\s+ACCESSION\s+STUDY UID$/);
    expect(lines).toHaveLength(4);
    expect(table.stdout).toContain('Chest PA');
    const json = await viewbox(['remote', 'find', 'pacs', '--level', 'SERIES', `StudyInstanceUID=${studies.get('jane-mr')!.studyUid}`, '--json', ...args], env);
    expect(json.code, json.stderr).toBe(0);
    const answers = JSON.parse(json.stdout) as DicomJsonDataset[];
    expect(answers.map((a) => a['0020000E']?.Value?.[0]).sort()).toEqual([...studies.get('jane-mr')!.seriesUids].sort());
    const bad = await viewbox(['remote', 'find', 'pacs', 'PatientNmae=X', ...args], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"PatientNmae" is neither a DICOM keyword nor a tag');
  });

  it('retrieve --via get brings a study into the archive, byte-exact with the PACS', async () => {
    const ct = studies.get('jane-ct')!;
    const r = await viewbox(['remote', 'retrieve', 'pacs', ct.studyUid, '--via', 'get', '--data', data, ...args], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: done; 4 instance\(s\) done, 0 failed/);
    const held = await archivedDatasets();
    for (const uid of ct.sopInstanceUids) {
      expect(Buffer.compare(Buffer.from(held.get(uid)!), Buffer.from(splitPart10(await orthancFile(uid)).dataset)), uid).toBe(0);
    }
  });

  it('retrieve --via move (the default) listens for the PACS and keeps what arrives', async () => {
    const mr = studies.get('jane-mr')!;
    const r = await viewbox(['remote', 'retrieve', 'pacs', mr.studyUid, '--series', mr.seriesUids[0]!, '--data', data, ...args], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Retrieve series .* from pacs \(C-MOVE\): done; 1 instance\(s\) done, 0 failed/);
    const held = await archivedDatasets();
    expect(held.has(mr.sopInstanceUids[0]!)).toBe(true);
    expect(held.has(mr.sopInstanceUids[1]!)).toBe(false);
    const listed = await viewbox(['studies', '--json', '--data', data, ...args], env);
    expect((JSON.parse(listed.stdout) as Array<{ studyUid: string }>).map((s) => s.studyUid).sort()).toEqual([studies.get('jane-ct')!.studyUid, mr.studyUid].sort());
  });
});

describe('viewbox send', () => {
  it('sends a held study as its stored bytes', async () => {
    const ct = studies.get('jane-ct')!;
    const r = await viewbox(['send', 'archive2', ct.studyUid, '--data', data, ...args], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/done; 4 instance\(s\) done, 0 failed/);
    const held = await archivedDatasets();
    const received = new Map<string, Uint8Array>();
    for (const f of await readdir(destination.dir)) {
      const parts = splitPart10(await readFile(join(destination.dir, f)));
      if (parts.meta.sopInstanceUid) received.set(parts.meta.sopInstanceUid, parts.dataset);
    }
    for (const uid of ct.sopInstanceUids) expect(Buffer.compare(Buffer.from(received.get(uid)!), Buffer.from(held.get(uid)!)), uid).toBe(0);
  });

  it('a study that is not held is an error naming it', async () => {
    const r = await viewbox(['send', 'archive2', '1.2.3.4.5', '--data', data, ...args], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('study 1.2.3.4.5 is not in the archive');
  });
});
