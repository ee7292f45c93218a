/**
 * `viewbox send NODE STUDY` while a node runs goes through the queue and
 * reports as before: exit 0 and the count when everything arrived; exit 1
 * with each failed instance and its reason when the node is unreachable
 * (after the configured attempts). The send jobs are still listed after a
 * restart; one killed while it ran shows as interrupted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../shared/api/jobs.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { freePort } from '../../helpers/net.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { storescu } from '../../helpers/peers/storescu.js';
import type { Viewbox } from '../../helpers/peers/viewbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt, isolatedEnv, viewbox } from '../cli/viewbox-cli.js';
import { dimseNode, NODE_AET, orthancCount, queueOf, startNode, writeNodeSetup, type NodeSetup } from './routing-harness.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let node: Viewbox | undefined;
let series: GeneratedSeries;
let setup: NodeSetup;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-route-manual-');
  mkdirSync(join(home.path, 'series'));
  series = generateCtSeries({ dir: join(home.path, 'series'), count: 8, rows: 64, cols: 64, patientName: 'Manual^Send' });
  orthanc = await startOrthanc({ aet: 'PACS' });
  setup = await writeNodeSetup(home.path, { nodes: [dimseNode('pacs', 'PACS', orthanc.dicomPort), dimseNode('down', 'DOWN', await freePort())], rules: [], maxAttempts: 2 });
  env = isolatedEnv(home.path);
  node = await startNode(setup);
  expect((await storescu({ port: node.dicomPort, calledAet: NODE_AET, dir: join(home.path, 'series') })).stored).toHaveLength(8);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await orthanc?.stop();
  await home?.cleanup();
});

const send = (destination: string) => viewbox(['send', destination, series.studyUid, '--data', setup.dataDir, '--config', setup.configFile], env);

describe('viewbox send through the queue', () => {
  it('sends a held study and says so; the queue shows the manual send', { timeout: 60_000 }, async () => {
    const result = await send('pacs');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Send study ${series.studyUid} to pacs: done; 8 instance(s) done, 0 failed`);
    expect(await orthancCount(orthanc.url)).toBe(8);
    const entry = (await queueOf(node!)).studies.find((s) => s.destination === 'pacs')!;
    expect(entry).toMatchObject({ studyUid: series.studyUid, rule: 'manual', priority: 'high', patientName: 'Manual^Send' });
    expect(entry.counts.done).toBe(8);
  });

  it('to an unreachable node: exit 1, each instance listed with a reason naming the node', { timeout: 60_000 }, async () => {
    const result = await send('down');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed; 0 instance(s) done, 8 failed');
    for (const file of series.files) expect(result.stdout).toMatch(new RegExp(`failed ${file.sopInstanceUid.replace(/\./g, '\\.')}: .*"down"`));
    expect((await queueOf(node!)).destinations.find((d) => d.destination === 'down')).toMatchObject({ dead: 8, pending: 0 });
  });

  it('refuses a node the configuration does not name, as before', async () => {
    const result = await send('nowhere');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no node named "nowhere"/);
  });

  it('lists both send jobs after a restart', { timeout: 60_000 }, async () => {
    await node!.stop();
    node = await startNode(setup);
    const response = await fetch(`${node.url}api/jobs`, { headers: { authorization: `Bearer ${node.token}` } });
    const jobs = (await response.json()) as JobInfo[];
    const sends = jobs.filter((j) => j.kind === 'send' && j.studyUid === series.studyUid);
    expect(sends.map((j) => [j.node, j.state, j.progress.completed, j.progress.failed]).sort()).toEqual([
      ['down', 'failed', 0, 8],
      ['pacs', 'done', 8, 0],
    ]);
  });

  it('a send job running when the node is killed is listed as interrupted after the restart', { timeout: 60_000 }, async () => {
    const headers = { authorization: `Bearer ${node!.token}`, 'content-type': 'application/json' };
    const started = await fetch(`${node!.url}api/jobs/send`, { method: 'POST', headers, body: JSON.stringify({ node: 'down', studyUid: series.studyUid }) });
    expect(started.status).toBe(202);
    const job = (await started.json()) as JobInfo;
    await node!.kill9();
    node = await startNode(setup);
    const jobs = (await (await fetch(`${node.url}api/jobs`, { headers: { authorization: `Bearer ${node.token}` } })).json()) as JobInfo[];
    expect(jobs.find((j) => j.id === job.id)).toMatchObject({ kind: 'send', node: 'down', state: 'interrupted', error: expect.stringMatching(/stopped/) });
  });
});
