/**
 * One owner per data folder, under load: storescu sends 300 CT images to a
 * running `viewbox serve` while every other `viewbox` command runs in a loop
 * against the same data folder. Every image the sender was told is stored
 * must be indexed and byte-exact, and every command must still do its job.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries, type GeneratedSeries } from '../../fixtures/ct-series.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { auditArchive } from '../node/archive-state.js';
import { assertBuilt, isolatedEnv, viewbox } from './viewbox-cli.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let destination: Storescp;
let env: NodeJS.ProcessEnv;
let configFile: string;
let sent: GeneratedSeries;
let small: GeneratedSeries;
let smallDir: string;

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-owner-load-');
  const sentDir = join(home.path, 'sent');
  smallDir = join(home.path, 'small');
  mkdirSync(sentDir);
  mkdirSync(smallDir);
  sent = generateCtSeries({ dir: sentDir, count: 300, rows: 64, cols: 64, patientName: 'Owner^Load', patientId: 'OWNER-1' });
  small = generateCtSeries({ dir: smallDir, count: 3, rows: 64, cols: 64, patientName: 'Owner^Small', patientId: 'OWNER-2' });
  destination = await startStorescp({ aet: 'DEST' });
  configFile = join(home.path, 'config.json');
  await writeFile(configFile, JSON.stringify({ aet: 'VBX_OWNER', nodes: [{ name: 'dest', aet: 'DEST', host: '127.0.0.1', port: destination.port, allow: [] }] }));
  env = isolatedEnv(home.path);
});

afterAll(async () => {
  await destination?.stop();
  await home?.cleanup();
});

describe('a data folder held by a running node', () => {
  it('storescu sends 300 images while every CLI command loops on the folder: 300/300 stored byte-exact', { timeout: 120_000 }, async () => {
    const data = join(home.path, 'data');
    const node: Viewbox = await startViewbox({ dataDir: data, args: ['--config', configFile], env });
    const commands: string[][] = [
      ['studies', '--json'],
      ['patients', 'conflicts'],
      ['protocols', 'list'],
      ['protocols', 'explain', small.studyUid],
      ['config', 'show', '--config', configFile],
      ['import', smallDir],
      ['send', 'dest', small.studyUid],
    ];
    const withFolder = (args: string[]) => (args[0] === 'config' ? args : [...args, '--data', data, '--config', configFile]);
    const ranOnce = new Set<string>();
    const failures: string[] = [];
    let sending = true;
    try {
      // The small study first, so that explain and send have something to work on.
      const imported = await viewbox(withFolder(['import', smallDir]), env);
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);

      // Two lanes, so that commands also overlap each other, as a user's scripts and terminals would.
      const lane = async (first: number) => {
        for (let i = first; sending || ranOnce.size < commands.length; i++) {
          const args = commands[i % commands.length]!;
          const r = await viewbox(withFolder(args), env, 60_000);
          ranOnce.add(args.join(' '));
          if (r.code !== 0) failures.push(`viewbox ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-600)}`);
        }
      };
      const loops = Promise.all([lane(0), lane(3)]);
      const store = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: join(home.path, 'sent'), timeoutMs: 90_000 });
      sending = false;
      await loops;

      expect(store.results.filter((r) => r.outcome !== 'success').map((r) => `${r.file}: ${r.outcome} ${r.detail}`)).toEqual([]);
      expect(store.stored).toHaveLength(300);
      expect(failures).toEqual([]);
    } finally {
      sending = false;
      await node.stop();
    }

    // After a clean stop, the data folder holds every acknowledged instance, byte for byte.
    const audit = await auditArchive(data);
    expect(audit.stagingFiles).toEqual([]);
    expect(audit.rowsWithoutFile.map((r) => r.path)).toEqual([]);
    expect(audit.filesWithoutRow).toEqual([]);
    expect(audit.damaged).toEqual([]);
    for (const file of sent.files) {
      const row = audit.bySopUid.get(file.sopInstanceUid);
      expect(row, `acknowledged ${file.path} is indexed`).toBeDefined();
      const held = splitPart10(readFileSync(join(data, row!.path)));
      const original = splitPart10(readFileSync(file.path));
      expect(Buffer.compare(held.dataset, original.dataset), `${file.path} byte-exact`).toBe(0);
    }
    const studies = await viewbox(['studies', '--json', '--data', data, '--config', configFile], env);
    const listed = JSON.parse(studies.stdout) as Array<{ studyUid: string; instanceCount: number }>;
    expect(listed.find((s) => s.studyUid === sent.studyUid)?.instanceCount).toBe(300);
    expect(listed.find((s) => s.studyUid === small.studyUid)?.instanceCount).toBe(3);
  });
});
