/**
 * The routing file is re-read while the node runs: a rule added routes the
 * next arrival; a broken file is logged with its file, pointer and reason,
 * GET /api/routes shows the problem, and the rules before it keep routing;
 * a removed file routes nothing.
 */
import { mkdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutesResponse } from '../../../shared/api/routes-api.js';
import type { RouteRule } from '../../../shared/routing/rules.js';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { storescu } from '../../helpers/peers/storescu.js';
import type { Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt } from '../cli/viewbox-cli.js';
import { dimseNode, forwardEach, NODE_AET, orthancCount, startNode, waitForOrthancCount, writeNodeSetup } from './routing-harness.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let orthanc: Orthanc;
let node: Viewbox | undefined;
let routingFile: string;
const series = new Map<string, GeneratedSeries>();

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-route-reload-');
  // One study, a series per step: each step's arrival is new to the router.
  const studyUid = generateCtSeries({ dir: home.path, count: 0 }).studyUid;
  for (const [name, count] of [['before', 2], ['added', 3], ['broken', 2], ['removed', 2]] as const) {
    mkdirSync(join(home.path, name));
    series.set(name, generateCtSeries({ dir: join(home.path, name), count, rows: 32, cols: 32, studyUid, seriesNumber: series.size + 1 }));
  }
  orthanc = await startOrthanc({ aet: 'PACS' });
  const setup = await writeNodeSetup(home.path, { nodes: [dimseNode('pacs', 'PACS', orthanc.dicomPort)], rules: [] });
  routingFile = join(home.path, 'routing.json');
  node = await startNode(setup);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await orthanc?.stop();
  await home?.cleanup();
});

const store = (name: string) => storescu({ port: node!.dicomPort, calledAet: NODE_AET, dir: join(home.path, name) });
const writeRules = (rules: unknown[]) => writeFile(routingFile, JSON.stringify({ rules }, null, 2));
const routes = async () => (await (await fetch(`${node!.url}api/routes`, { headers: { authorization: `Bearer ${node!.token}` } })).json()) as RoutesResponse;
/** Long enough for a routed arrival to reach Orthanc: what is not there by then was not routed. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));

describe('the routing file reloaded while the node runs', () => {
  it('without rules, an arrival is not sent', async () => {
    await store('before');
    await settle();
    expect(await orthancCount(orthanc.url)).toBe(0);
  });

  it('a rule added to the file routes the next arrival', { timeout: 60_000 }, async () => {
    await writeRules([forwardEach('to-pacs', ['pacs'])]);
    await waitFor('the new rule in force', async () => (await routes()).rules.some((r) => r.id === 'to-pacs'), 10_000, 50);
    await store('added');
    await waitForOrthancCount(orthanc.url, 3);
    await settle();
    // The series stored before the rule was evaluated then, under no rules: the cursor is not rewound.
    expect(await orthancCount(orthanc.url)).toBe(3);
  });

  it('a broken file is logged and shown; the previous rules still route', { timeout: 60_000 }, async () => {
    const broken: RouteRule[] = [forwardEach('to-nowhere', ['nowhere'])];
    await writeRules(broken);
    await waitFor('the problem reported', async () => (await routes()).problem !== undefined, 10_000, 50);
    const now = await routes();
    expect(now.problem).toMatch(/^routing\.json: \/rules\/0\/actions\/0\/forward\/0: unknown destination "nowhere"/);
    expect(now.rules.map((r) => r.id)).toEqual(['to-pacs']);
    expect(node!.output()).toMatch(/the routing file is invalid: the previous rules stay in force.*routing\.json/);
    await store('broken');
    await waitForOrthancCount(orthanc.url, 5);
  });

  it('a removed file routes nothing, and the problem is gone', { timeout: 60_000 }, async () => {
    await rm(routingFile);
    await waitFor('no rules in force', async () => (await routes()).rules.length === 0, 10_000, 50);
    expect((await routes()).problem).toBeUndefined();
    await store('removed');
    await settle();
    expect(await orthancCount(orthanc.url)).toBe(5);
  });
});
