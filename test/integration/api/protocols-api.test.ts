/**
 * The hanging-protocol routes of a running node: the effective presets and
 * the files skipped, saving to the user folder (only what validates), the
 * engine's input for a study, and the event when the presets change.
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolCatalog, ProtocolInput, ProtocolSaveRefusal } from '../../../shared/api/protocols-api.js';
import { protocolPaths } from '../../../shared/api/protocols-api.js';
import type { ViewboxConfig } from '../../../shared/config.js';
import { silentLogger } from '../../../main/log.js';
import { startArchiveNode, type ArchiveNode } from '../../../main/node.js';
import { defaultConfigFile } from '../../../main/config/load.js';
import { writeQueryArchive, type WrittenStudy } from '../../fixtures/query-archive.js';
import { freePort } from '../../helpers/net.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { tempDir } from '../../helpers/tmp.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let node: ArchiveNode;
let studies: Map<string, WrittenStudy>;
let userDir: string;
let siteDir: string;

const call = (path: string, init: RequestInit = {}) => fetch(new URL(path, node.url), { ...init, headers: { authorization: `Bearer ${node.token}`, ...init.headers } });
const catalog = async () => (await (await call(protocolPaths.catalog)).json()) as ProtocolCatalog;

const minimal = (id: string, name = id) =>
  JSON.stringify({
    id,
    name,
    version: 1,
    match: [{ attribute: 'modalities', operator: 'includesAll', value: ['MR'], weight: 5 }],
    displaySets: { any: { rules: [{ attribute: 'modality', operator: 'equals', value: 'MR', required: true }] } },
    stages: [{ id: 'one', name: 'One', screens: [{ layout: { type: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'any' }] }] }],
  });

beforeAll(async () => {
  home = await tempDir('viewbox-protocols-api-');
  const fixtures = join(home.path, 'fixtures');
  studies = writeQueryArchive(fixtures);
  userDir = join(home.path, 'user-protocols');
  siteDir = join(home.path, 'site-protocols');
  await mkdir(siteDir);
  await writeFile(join(siteDir, 'broken.json'), '{ "id": "broken", ');
  const config: ViewboxConfig = {
    ...(JSON.parse(readFileSync(defaultConfigFile(), 'utf8')) as ViewboxConfig),
    dicomPort: await freePort(),
    httpPort: 0,
    protocols: { siteDir, userDir },
  };
  node = await startArchiveNode(config, join(home.path, 'data'), silentLogger);
  for (const study of ['jane-ct', 'jane-mr']) {
    const sent = await storescu({ port: node.dicomPort, calledAet: 'VIEWBOX', dir: join(fixtures, study) });
    expect(sent.results.every((r) => r.outcome === 'success')).toBe(true);
  }
});

afterAll(async () => {
  await node?.close(0);
  await home?.cleanup();
});

describe('protocol routes', () => {
  it('lists the built-ins and names the site file it skipped, with the reason', async () => {
    const found = await catalog();
    expect(found.protocols.filter((p) => p.layer === 'built-in').map((p) => p.protocol.id)).toContain('ct-chest-prior');
    expect(found.issues).toHaveLength(1);
    expect(found.issues[0]!.file).toBe(join(siteDir, 'broken.json'));
    expect(found.issues[0]!.message).toMatch(/line 1/);
    expect(found.userDir).toBe(userDir);
  });

  it('saves a valid protocol to the user folder, where it replaces the built-in of its id, and announces the change', async () => {
    const events = await call('/api/events');
    const reader = events.body!.getReader();
    const saved = await call(protocolPaths.save('ct-head'), { method: 'PUT', body: minimal('ct-head', 'My CT head') });
    expect(saved.status).toBe(200);
    expect(await readFile(join(userDir, 'ct-head.json'), 'utf8')).toBe(`${minimal('ct-head', 'My CT head')}\n`);
    const entry = (await catalog()).protocols.find((p) => p.protocol.id === 'ct-head')!;
    expect([entry.layer, entry.protocol.name]).toEqual(['user', 'My CT head']);
    let seen = '';
    const until = Date.now() + 5000;
    while (!seen.includes('protocols-changed') && Date.now() < until) seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(seen).toContain('event: protocols-changed');
  });

  it('refuses an invalid protocol, or one whose id is not the address, with every problem', async () => {
    const invalid = await call(protocolPaths.save('bad'), { method: 'PUT', body: JSON.stringify({ id: 'bad', name: 'Bad', version: 1, stages: [] }) });
    expect(invalid.status).toBe(422);
    const refusal = (await invalid.json()) as ProtocolSaveRefusal;
    expect(refusal.issues.length).toBeGreaterThan(0);
    expect(refusal.issues.map((i) => i.pointer)).toContain('/stages');
    const mismatched = await call(protocolPaths.save('other'), { method: 'PUT', body: minimal('mine') });
    expect(mismatched.status).toBe(422);
    expect(((await mismatched.json()) as ProtocolSaveRefusal).issues).toEqual([{ pointer: '/id', message: 'the id is "mine", but "other" was to be saved' }]);
    expect((await catalog()).protocols.map((p) => p.protocol.id)).not.toContain('mine');
  });

  it("gives the engine's input for a study: its facts and the patient's other studies", async () => {
    const input = (await (await call(protocolPaths.input(studies.get('jane-ct')!.studyUid))).json()) as ProtocolInput;
    expect(input.current.studyUid).toBe(studies.get('jane-ct')!.studyUid);
    expect(input.current.displaySets.map((d) => d.modality).sort()).toEqual(['CT', 'SR']);
    expect(input.priorCandidates.map((s) => s.studyUid)).toEqual([studies.get('jane-mr')!.studyUid]);
    expect((await call(protocolPaths.input('1.2.3.4'))).status).toBe(404);
  });
});
