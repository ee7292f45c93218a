/**
 * `viewbox protocols` as a user runs it: a real archive (generated CT series
 * imported with `viewbox import`), the built-in presets plus site and user
 * folders, the built command.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolResult } from '../../../shared/hanging-protocols/types.js';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { newUid, type Element } from '../../fixtures/part10-writer.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt, isolatedEnv, repoRoot, viewbox } from './viewbox-cli.js';

let dir: { path: string; cleanup: () => Promise<void> };
let env: NodeJS.ProcessEnv;
let data: string;
const current = newUid();
const prior = newUid();
const otherPatient = newUid();

/** One CT chest study: a coronal scout and an axial lung series (their folders must exist). */
function chestStudy(root: string, studyUid: string, studyDate: string, patientId: string): void {
  const study: Element[] = [
    { tag: 0x00081030, vr: 'LO', value: 'CT CHEST WITHOUT CONTRAST' },
    { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
  ];
  const common = { rows: 16, cols: 16, patientId, studyUid, studyDate };
  const scout = join(root, `${studyUid}-scout`);
  const lung = join(root, `${studyUid}-lung`);
  generateCtSeries({
    ...common,
    dir: scout,
    count: 2,
    seriesNumber: 1,
    overrides: [...study, { tag: 0x0008103e, vr: 'LO', value: 'Scout' }, { tag: 0x00080008, vr: 'CS', value: 'ORIGINAL\\PRIMARY\\LOCALIZER' }, { tag: 0x00200037, vr: 'DS', value: '1\\0\\0\\0\\0\\-1' }],
  });
  generateCtSeries({ ...common, dir: lung, count: 12, seriesNumber: 2, sliceThickness: 1, overrides: [...study, { tag: 0x0008103e, vr: 'LO', value: 'Lung 1mm' }] });
}

beforeAll(async () => {
  assertBuilt();
  dir = await tempDir('viewbox-protocols-cli-');
  env = isolatedEnv(dir.path);
  data = join(dir.path, 'archive');
  const images = join(dir.path, 'images');
  for (const [uid, date, patient] of [
    [current, '20240115', 'HP-1'],
    [prior, '20230110', 'HP-1'],
    [otherPatient, '20230601', 'HP-2'],
  ] as const) {
    await mkdir(join(images, `${uid}-scout`), { recursive: true });
    await mkdir(join(images, `${uid}-lung`), { recursive: true });
    chestStudy(images, uid, date, patient);
  }
  const imported = await viewbox(['import', '--data', data, images], env);
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(() => dir.cleanup());

describe('viewbox protocols explain', () => {
  it('--json: CT chest with its prior (not the other patient’s study), stages, viewports, rules and what is not shown', async () => {
    const r = await viewbox(['protocols', 'explain', current, '--data', data, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as ProtocolResult & { protocolSources: Record<string, { layer: string }> };
    expect(result.winner).toMatchObject({ id: 'ct-chest-prior', score: 7 });
    expect(result.priors.chosen).toEqual([expect.objectContaining({ ref: 'prior-1', studyUid: prior, studyDate: '20230110', ageDays: 370 })]);
    expect(result.priors.considered.map((c) => c.studyUid)).toEqual([prior]);
    const [stage1, stage2] = result.stages;
    expect(stage1).toMatchObject({ id: 'comparison', active: true });
    expect(stage2).toMatchObject({ id: 'current', active: true });
    const viewports = stage1!.screens[0]!.viewports;
    expect(viewports.map((v) => [v.displaySet?.study, v.displaySet?.studyUid, v.displaySet?.description, v.type])).toEqual([
      ['current', current, 'Lung 1mm', 'stack'],
      ['prior-1', prior, 'Lung 1mm', 'stack'],
      ['current', current, 'Lung 1mm', 'mpr'],
    ]);
    expect(stage1!.syncGroups.find((g) => g.id === 'axial-scroll')!.members).toEqual([
      [0, 0],
      [0, 1],
    ]);
    const chest = result.candidates.find((c) => c.id === 'ct-chest-prior')!;
    expect(chest.rules.map((rule) => [rule.pointer, rule.passed])).toEqual([
      ['/match/0', true],
      ['/match/1', true],
      ['/match/2', true],
      ['/match/3', true],
    ]);
    expect(result.candidates.find((c) => c.id === 'mr-brain')).toMatchObject({ matched: false, excludedBecause: 'required rule /match/0 failed: modalities [CT] does not equal "MR"' });
    expect(result.notShown.map((n) => `${n.study} ${n.description}`).sort()).toEqual(['current Scout', 'prior-1 Scout']);
    expect(result.protocolSources['ct-chest-prior']!.layer).toBe('built-in');
  });

  it('prints the explanation as text, and hangs a requested protocol that does not match', async () => {
    const r = await viewbox(['protocols', 'explain', current, '--data', data, '--displays', '2'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Winner: ct-chest-prior "CT chest with prior" v1, score 7');
    expect(r.stdout).toContain('Stage 1 "Current vs prior" (comparison): active, opens here');
    expect(r.stdout).toMatch(/\[0,1\] "Prior" priorAxial stack -> prior-1 series 2 "Lung 1mm" CT \(.+\), score 1 {2}\[W1500\/L-600 Lung; middle image; sync axial-scroll,axial-zoom,axial-window\]/);
    expect(r.stdout).toMatch(/pass {2}\/match\/1 {2}studyDescription "CT CHEST WITHOUT CONTRAST" matches "chest\|thora\|lung\|pulmon" {2}\(\+3\)/);
    expect(r.stdout).toContain('Display 1: screen(s) 1 as 1×3');
    expect(r.stdout).toMatch(/Not shown:\n {2}current series "Scout" CT .*: no viewport of an active stage selects it/);

    const forced = await viewbox(['protocols', 'explain', current, '--data', data, '--protocol', 'ct-head'], env);
    expect(forced.stdout).toContain('Winner: ct-head "CT head" v1, score 0 (requested; it does not match)');
    // Viewports dropped for having nothing to show keep the engine's reason here (the reader never sees it).
    const mr = await viewbox(['protocols', 'explain', current, '--data', data, '--protocol', 'mr-brain'], env);
    expect(mr.stdout).toMatch(/\n {4}dropped \/stages\/0\/screens\/0\/viewports\/1 "T2" t2 stack: no display set matches selector "t2": series 1 "Scout" failed \/displaySets\/t2\/rules\/0: /);
  });

  it('names a study that is not in the archive', async () => {
    const r = await viewbox(['protocols', 'explain', '1.2.3.4', '--data', data], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('viewbox protocols: study 1.2.3.4 is not in the archive\n');
  });

  it('uses the site folder (beside the machine configuration) over the built-in, and skips an invalid user file naming it', async () => {
    const site = join(dir.path, 'hanging-protocols');
    const user = join(data, 'hanging-protocols');
    await mkdir(site, { recursive: true });
    await mkdir(user, { recursive: true });
    const builtIn = JSON.parse(await readFile(join(repoRoot, 'resources', 'hanging-protocols', 'ct-chest-prior.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(site, 'chest.json'), JSON.stringify({ ...builtIn, name: 'Site chest', version: 2 }));
    await writeFile(join(user, 'chest.json'), JSON.stringify({ ...builtIn, name: 'Broken chest', version: 'two' }));
    try {
      const r = await viewbox(['protocols', 'explain', current, '--data', data, '--json'], env);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`skipped: ${join(user, 'chest.json')}: /version: must be an integer\n`);
      const result = JSON.parse(r.stdout) as ProtocolResult & { protocolSources: Record<string, { layer: string; file: string }> };
      expect(result.winner).toMatchObject({ id: 'ct-chest-prior', name: 'Site chest', version: 2 });
      expect(result.protocolSources['ct-chest-prior']).toEqual({ layer: 'site', file: join(site, 'chest.json') });

      const list = await viewbox(['protocols', 'list', '--data', data], env);
      expect(list.stdout).toMatch(new RegExp(`ct-chest-prior +Site chest +2 +site +${join(site, 'chest.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +built-in\\n`));

      const validate = await viewbox(['protocols', 'validate', '--data', data], env);
      expect(validate.code).toBe(1);
      expect(validate.stderr).toBe(`${join(user, 'chest.json')}: /version: must be an integer\n`);
      expect(validate.stdout).toBe('1 of 9 protocol file(s) invalid, 1 problem(s)\n');
    } finally {
      await rm(site, { recursive: true, force: true });
      await rm(user, { recursive: true, force: true });
    }
  });
});

describe('viewbox protocols validate', () => {
  it('exit 0 for valid files and folders; exit 1 with every problem as FILE: /pointer: reason', async () => {
    const good = join(dir.path, 'good');
    await mkdir(good, { recursive: true });
    const builtIns = join(repoRoot, 'resources', 'hanging-protocols');
    const ok = await viewbox(['protocols', 'validate', builtIns, join(builtIns, 'ct-head.json')], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('8 protocol file(s) valid\n');

    const bad = join(good, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        id: 'bad',
        name: 'Bad',
        version: 1,
        match: [{ attribute: 'studyDescription', operator: 'matches', value: '(chest' }],
        displaySets: { a: { rules: [] } },
        stages: [{ id: 's', name: 'S', screens: [{ layout: { type: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'a' }, { displaySet: 'b' }] }] }],
      }),
    );
    const missing = join(good, 'missing.json');
    const r = await viewbox(['protocols', 'validate', bad, missing], env);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${bad}: /match/0/value: not a valid regular expression: .+$`)),
      `${bad}: /stages/0/screens/0/viewports: 2 viewports but the 1×1 grid holds 1`,
      `${bad}: /stages/0/screens/0/viewports/1/displaySet: no display set selector named "b" (known: a)`,
      `${missing}: /: file not found`,
      '',
    ]);
    expect(r.stdout).toBe('2 of 2 protocol file(s) invalid, 4 problem(s)\n');
  });
});
