/**
 * A rule run on demand: a node whose only enabled rule has a manual trigger
 * sends nothing on arrival; POST /api/routes/run (and `viewbox routes run`)
 * queue the study's sends, which arrive at Orthanc byte-exact. Refusals name
 * the rule, the known rules, the study. GET /api/routes lists rules and
 * destinations, AI engines marked. A manual send may name a DICOMweb node.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../shared/api/jobs.js';
import type { RoutesResponse } from '../../../shared/api/routes-api.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { storescu } from '../../helpers/peers/storescu.js';
import type { Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt, isolatedEnv, viewbox } from '../cli/viewbox-cli.js';
import { byteMismatches, dimseNode, NODE_AET, orthancCount, queueOf, startNode, writeNodeSetup, type NodeSetup } from './routing-harness.js';

const ON_DEMAND = 'to-pacs-on-demand';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let node: Viewbox | undefined;
let first: GeneratedSeries;
let second: GeneratedSeries;
let setup: NodeSetup;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-route-run-');
  for (const dir of ['first', 'second']) mkdirSync(join(home.path, dir));
  first = generateCtSeries({ dir: join(home.path, 'first'), count: 6, rows: 64, cols: 64, patientName: 'OnDemand^First' });
  second = generateCtSeries({ dir: join(home.path, 'second'), count: 4, rows: 64, cols: 64, patientName: 'OnDemand^Second' });
  orthanc = await startOrthanc({ aet: 'PACS' });
  setup = await writeNodeSetup(home.path, {
    nodes: [dimseNode('pacs', 'PACS', orthanc.dicomPort)],
    dicomwebNodes: [{ name: 'lung-ai', url: 'http://127.0.0.1:9/dicom-web', aiEngine: true }],
    rules: [
      { id: ON_DEMAND, description: 'Send to the PACS when asked', priority: 'stat', match: { Modality: 'CT' }, trigger: { on: 'manual' }, actions: [{ forward: ['pacs'] }] },
      { id: 'switched-off', enabled: false, match: {}, trigger: { on: 'instance' }, actions: [{ forward: ['pacs'], transcode: 'jpeg-ls-lossless' }] },
    ],
  });
  env = isolatedEnv(home.path);
  node = await startNode(setup);
  for (const dir of ['first', 'second']) await storescu({ port: node.dicomPort, calledAet: NODE_AET, dir: join(home.path, dir) });
}, 90_000);

afterAll(async () => {
  await node?.stop();
  await orthanc?.stop();
  await home?.cleanup();
});

const headers = () => ({ authorization: `Bearer ${node!.token}`, 'content-type': 'application/json' });
const runRule = (body: unknown) => fetch(`${node!.url}api/routes/run`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });

async function jobEnd(id: string): Promise<JobInfo> {
  let info: JobInfo | undefined;
  await waitFor(`job ${id} to end`, async () => {
    info = (await (await fetch(`${node!.url}api/jobs/${id}`, { headers: headers() })).json()) as JobInfo;
    return info.state !== 'running';
  }, 60_000, 100);
  return info!;
}

describe('routing on demand', () => {
  it('sends nothing on arrival: the rule waits to be asked', async () => {
    // The router evaluates each arrival within milliseconds; give it time to do something wrong.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await orthancCount(orthanc.url)).toBe(0);
    expect((await queueOf(node!)).studies).toEqual([]);
  });

  it('GET /api/routes lists the rules and the destinations, the AI engine marked', async () => {
    const routes = (await (await fetch(`${node!.url}api/routes`, { headers: headers() })).json()) as RoutesResponse;
    expect(routes.problem).toBeUndefined();
    expect(routes.rules).toEqual([
      { id: ON_DEMAND, description: 'Send to the PACS when asked', enabled: true, priority: 'stat', trigger: { on: 'manual' }, destinations: ['pacs'], transform: ['as stored'] },
      { id: 'switched-off', enabled: false, priority: 'routine', trigger: { on: 'instance' }, destinations: ['pacs'], transform: ['jpeg-ls-lossless'] },
    ]);
    expect(routes.destinations).toEqual([
      { name: 'pacs', kind: 'dimse', aiEngine: false },
      { name: 'lung-ai', kind: 'dicomweb', aiEngine: true },
    ]);
  });

  it('POST /api/routes/run sends the study; Orthanc holds our bytes', { timeout: 90_000 }, async () => {
    const response = await runRule({ rule: ON_DEMAND, studyUid: first.studyUid });
    expect(response.status).toBe(202);
    const started = (await response.json()) as JobInfo;
    expect(started).toMatchObject({ kind: 'send', node: 'pacs', title: `Route study ${first.studyUid} by rule ${ON_DEMAND}`, studyUid: first.studyUid });
    const ended = await jobEnd(started.id);
    expect(ended).toMatchObject({ state: 'done', progress: { completed: 6, failed: 0, total: 6 } });
    const { checked, mismatched } = await byteMismatches(orthanc.url, setup.dataDir, first.files.map((f) => f.sopInstanceUid));
    expect({ checked, mismatched }).toEqual({ checked: 6, mismatched: [] });
    expect(await orthancCount(orthanc.url)).toBe(6);
    expect((await queueOf(node!)).studies.find((s) => s.studyUid === first.studyUid)).toMatchObject({ rule: ON_DEMAND, priority: 'stat', counts: { done: 6 } });
  });

  it('viewbox routes run sends the other study through the running node', { timeout: 90_000 }, async () => {
    const result = await viewbox(['routes', 'run', ON_DEMAND, second.studyUid, '--data', setup.dataDir, '--config', setup.configFile], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Route study ${second.studyUid} by rule ${ON_DEMAND}: done; 4 instance(s) done, 0 failed`);
    const { mismatched } = await byteMismatches(orthanc.url, setup.dataDir, second.files.map((f) => f.sopInstanceUid));
    expect(mismatched).toEqual([]);
  });

  it('POST /api/jobs/send takes a DICOMweb destination by name: queued for it, as a send job', async () => {
    const response = await fetch(`${node!.url}api/jobs/send`, { method: 'POST', headers: headers(), body: JSON.stringify({ node: 'lung-ai', studyUid: second.studyUid }) });
    expect(response.status, await response.clone().text()).toBe(202);
    const job = (await response.json()) as JobInfo;
    expect(job).toMatchObject({ kind: 'send', node: 'lung-ai', title: `Send study ${second.studyUid} to lung-ai` });
    // Nothing listens there: the sends wait in the queue, under the DICOMweb node's name.
    await waitFor('the sends to lung-ai in the queue', async () => (await queueOf(node!)).destinations.some((d) => d.destination === 'lung-ai' && d.kind === 'dicomweb' && d.pending + d.inFlight === 4), 10_000, 100);
    await fetch(`${node!.url}api/jobs/${job.id}/cancel`, { method: 'POST', headers: headers() });
    expect((await jobEnd(job.id)).state).toBe('cancelled');
  });

  it('refuses an unknown rule naming the rules there are, and a study not held naming it', async () => {
    const unknownRule = await runRule({ rule: 'to-nowhere', studyUid: first.studyUid });
    expect(unknownRule.status).toBe(404);
    expect(((await unknownRule.json()) as { error: string }).error).toBe(`no routing rule named "to-nowhere"; the rules are: ${ON_DEMAND}, switched-off`);
    const unknownStudy = await runRule({ rule: ON_DEMAND, studyUid: '1.2.3.999' });
    expect(unknownStudy.status).toBe(404);
    expect(((await unknownStudy.json()) as { error: string }).error).toBe('study 1.2.3.999 is not in the archive');
    const disabled = await runRule({ rule: 'switched-off', studyUid: first.studyUid });
    expect(disabled.status).toBe(409);
    expect(((await disabled.json()) as { error: string }).error).toMatch(/"switched-off" is disabled/);
    const malformed = await runRule({ studyUid: first.studyUid });
    expect(malformed.status).toBe(400);
  });

  it('viewbox routes run names the rules when the rule is unknown (exit 1)', { timeout: 60_000 }, async () => {
    const result = await viewbox(['routes', 'run', 'to-nowhere', first.studyUid, '--data', setup.dataDir, '--config', setup.configFile], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no routing rule named "to-nowhere"; the rules are: ${ON_DEMAND}, switched-off`);
  });

  it('viewbox routes run without a running node says to start it (exit 1)', { timeout: 60_000 }, async () => {
    const idle = join(home.path, 'idle-data');
    mkdirSync(idle);
    const result = await viewbox(['routes', 'run', ON_DEMAND, first.studyUid, '--data', idle, '--config', setup.configFile], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('start the node (viewbox serve) to route');
  });
});
