/**
 * Orthanc marked `commit: true`: after a routed study reaches it, the node
 * asks for storage commitment and records, per instance, that Orthanc
 * committed it. A second rule sends a de-identified copy: Orthanc gets other
 * names and UIDs, one new study for one study.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { freePort } from '../../helpers/net.js';
import { startOrthanc, type Orthanc } from '../../helpers/peers/orthanc.js';
import { storescu } from '../../helpers/peers/storescu.js';
import type { Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { tempDir } from '../../helpers/tmp.js';
import { dimseNode, forwardEach, NODE_AET, queueOf, restartableOrthanc, startNode, waitForOrthancCount, writeNodeSetup, type RestartableOrthanc } from './routing-harness.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let pacs: RestartableOrthanc;
let research: Orthanc;
let node: Viewbox | undefined;
let series: GeneratedSeries;

beforeAll(async () => {
  home = await tempDir('viewbox-route-commit-');
  mkdirSync(join(home.path, 'series'));
  series = generateCtSeries({ dir: join(home.path, 'series'), count: 6, rows: 64, cols: 64, patientName: 'Commit^Copy', patientId: 'PID-COMMIT' });
  const nodePort = await freePort();
  pacs = await restartableOrthanc(home.path, { nodePort });
  await pacs.start();
  research = await startOrthanc({ aet: 'RESEARCH' });
  const setup = await writeNodeSetup(home.path, {
    dicomPort: nodePort,
    nodes: [{ ...dimseNode('pacs', pacs.aet, pacs.dicomPort), allow: ['store'], commit: true }, dimseNode('research', 'RESEARCH', research.dicomPort)],
    rules: [forwardEach('to-pacs', ['pacs']), { id: 'research-copy', match: { Modality: 'CT' }, trigger: { on: 'instance' }, actions: [{ forward: ['research'], deidentify: { profile: 'basic' } }] }],
  });
  node = await startNode(setup, nodePort);
}, 60_000);

afterAll(async () => {
  await node?.stop();
  await pacs?.stop();
  await research?.stop();
  await home?.cleanup();
});

describe('storage commitment and transformed copies', () => {
  it('records that the PACS committed every instance it received', { timeout: 90_000 }, async () => {
    expect((await storescu({ port: node!.dicomPort, calledAet: NODE_AET, dir: join(home.path, 'series') })).stored).toHaveLength(6);
    await waitForOrthancCount(pacs.url, 6, 30_000);
    await waitFor('the commitment of all 6 instances', async () => {
      const entry = (await queueOf(node!)).studies.find((s) => s.destination === 'pacs' && s.studyUid === series.studyUid);
      return entry?.commitment?.committed === 6;
    }, 60_000, 200);
    const entry = (await queueOf(node!)).studies.find((s) => s.destination === 'pacs')!;
    expect(entry.commitment).toEqual({ requested: 0, committed: 6, failed: 0 });
  });

  it('sends a de-identified copy: no original name, ID or UID, one new study', { timeout: 60_000 }, async () => {
    await waitForOrthancCount(research.url, 6, 30_000);
    const instances = await research.get<Array<{ ID: string }>>('/instances?expand');
    const tags = await Promise.all(instances.map((i) => research.get<Record<string, string>>(`/instances/${i.ID}/simplified-tags`)));
    const originals = new Set(series.files.map((f) => f.sopInstanceUid));
    for (const t of tags) {
      expect(t.PatientName).not.toContain('Commit');
      expect(t.PatientID).not.toBe('PID-COMMIT');
      expect(originals.has(t.SOPInstanceUID!)).toBe(false);
      expect(t.StudyInstanceUID).not.toBe(series.studyUid);
    }
    expect(new Set(tags.map((t) => t.StudyInstanceUID)).size).toBe(1);
    expect(new Set(tags.map((t) => t.SOPInstanceUID)).size).toBe(6);
  });
});
