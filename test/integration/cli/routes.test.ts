/**
 * `viewbox routes` as a user runs it: the built command, a configuration
 * with destinations, a routing file in the data folder, and an archive made
 * of real files (pydicom's CT_small, and MR_small made a second series of
 * the same study) by `viewbox import` — then the same explain read-only
 * beside a running node that received the CT from a named AE.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleVerdict } from '../../../shared/routing/explain-rules.js';
import type { RouteRule } from '../../../shared/routing/rules.js';
import { startViewbox } from '../../helpers/peers/viewbox.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt, isolatedEnv, viewbox } from './viewbox-cli.js';

const CT_STUDY = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';
const CT_SERIES = '1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322';
const MR_SERIES = '1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457';

let dir: { path: string; cleanup: () => Promise<void> };
let env: NodeJS.ProcessEnv;
let data: string;
let config: string;
let images: string;

function rule(id: string, match: Record<string, string>, forward: string[], extra: Partial<RouteRule> = {}): RouteRule {
  return { id, match, trigger: { on: 'instance' }, actions: [{ forward }], ...extra };
}

const rules: RouteRule[] = [
  rule('ct-to-pacs', { Modality: 'CT' }, ['PACS']),
  rule('mr-research', { Modality: 'MR', InstitutionName: 'tosh*' }, ['RESEARCH_WEB'], {
    priority: 'low',
    trigger: { on: 'study-stable', seconds: 60 },
    actions: [{ forward: ['RESEARCH_WEB'], deidentify: { profile: 'basic', options: ['retain-dates'] } }],
  }),
  rule('from-scanner', { callingAe: 'CT_SCAN*' }, ['AI'], { trigger: { on: 'manual' }, actions: [{ forward: ['AI'], transcode: 'jpeg-ls-lossless' }] }),
  rule('old-studies', { StudyDate: '-20031231' }, ['PACS']),
  rule('off', {}, ['PACS'], { enabled: false }),
];

interface Explained {
  studyUid: string;
  series: Array<{ seriesUid: string; modality: string; callingAe?: string; verdicts: RuleVerdict[] }>;
}

function outcomes(explained: Explained, seriesUid: string): Record<string, unknown> {
  const series = explained.series.find((s) => s.seriesUid === seriesUid)!;
  return Object.fromEntries(series.verdicts.map((v) => [v.rule.id, v.outcome === 'fails' ? v.failures.map((f) => [f.key, f.held, f.wanted]) : v.outcome]));
}

beforeAll(async () => {
  assertBuilt();
  dir = await tempDir('viewbox-routes-cli-');
  env = isolatedEnv(dir.path);
  data = join(dir.path, 'archive');
  images = join(dir.path, 'images');
  config = join(dir.path, 'viewbox.json');
  await mkdir(images);
  await copyFile(join(pydicomTestFiles, 'CT_small.dcm'), join(images, 'ct.dcm'));
  // MR_small joins CT_small's study (and patient), so one study has two series.
  await copyFile(join(pydicomTestFiles, 'MR_small.dcm'), join(images, 'mr.dcm'));
  const ct = await run('dcmdump', ['+P', 'PatientID', '+P', 'PatientName', '+P', 'PatientBirthDate', '+P', 'PatientSex', join(images, 'ct.dcm')]);
  const value = (keyword: string) => new RegExp(`\\[([^\\]]*)\\].*${keyword}`).exec(ct.stdout)?.[1] ?? '';
  const modified = await run('dcmodify', ['-nb', '-m', `StudyInstanceUID=${CT_STUDY}`, ...['PatientID', 'PatientName', 'PatientBirthDate', 'PatientSex'].flatMap((k) => ['-m', `${k}=${value(k)}`]), join(images, 'mr.dcm')]);
  expect(modified.code, modified.stderr).toBe(0);
  await writeFile(
    config,
    JSON.stringify({
      nodes: [
        { name: 'PACS', aet: 'PACS', host: '127.0.0.1', port: 9, allow: ['store'] },
        { name: 'AI', aet: 'AI', host: '127.0.0.1', port: 9, allow: [] },
      ],
      dicomwebNodes: [{ name: 'RESEARCH_WEB', url: 'http://127.0.0.1:9/dicom-web' }],
    }),
  );
  const imported = await viewbox(['import', '--data', data, '--config', config, images], env);
  expect(imported.code, imported.stderr).toBe(0);
  await writeFile(join(data, 'routing.json'), JSON.stringify({ rules }, null, 2));
});
afterAll(() => dir.cleanup());

describe('viewbox routes validate', () => {
  it('the configured file (DATA/routing.json) is valid', async () => {
    const r = await viewbox(['routes', 'validate', '--data', data, '--config', config], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${join(data, 'routing.json')}: valid, 5 rule(s)\n`);
  });

  it('a broken file: exit 1, each problem names the file and the pointer', async () => {
    const file = join(dir.path, 'broken.json');
    await writeFile(file, JSON.stringify({ rules: [rule('a', { Modallity: 'CT' }, ['PACS']), rule('b', { Modality: 'CT' }, ['NOWHERE'])] }, null, 2));
    const r = await viewbox(['routes', 'validate', file, '--data', data, '--config', config], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${file} /rules/0/match/Modallity "Modallity" is not a DICOM keyword (PS3.6), an 8-digit tag or "callingAe"`,
      `${file} /rules/1/actions/0/forward/0 unknown destination "NOWHERE": not a configured node or DICOMweb node (configured: PACS, AI, RESEARCH_WEB)`,
    ]);
  });

  it('a syntax error: FILE:LINE:COL', async () => {
    const file = join(dir.path, 'syntax.json');
    await writeFile(file, '{\n  "rules": [\n    { "id": "a" "match": {} }\n  ]\n}\n');
    const r = await viewbox(['routes', 'validate', file, '--data', data, '--config', config], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}:3:17 / not valid JSON: `));
  });

  it('a missing file named on the command line is an error; a missing configured file routes nothing; bad usage is 2', async () => {
    const missing = join(dir.path, 'nope.json');
    const r = await viewbox(['routes', 'validate', missing, '--data', data, '--config', config], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${missing} / file not found`);
    const empty = await viewbox(['routes', 'validate', '--data', join(dir.path, 'empty'), '--config', config], env);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('no routing file, nothing is routed');
    expect((await viewbox(['routes', 'frobnicate'], env)).code).toBe(2);
    expect((await viewbox(['routes', 'explain', '--data', data], env)).code).toBe(2);
  });
});

describe('viewbox routes list', () => {
  it('one row per rule: id, enabled, priority, trigger, match, destinations, transform', async () => {
    const r = await viewbox(['routes', 'list', '--data', data, '--config', config], env);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(lines).toEqual([
      ['ID', 'ENABLED', 'PRIORITY', 'TRIGGER', 'MATCH', 'DESTINATIONS', 'TRANSFORM'],
      ['ct-to-pacs', 'yes', 'routine', 'instance', 'Modality=CT', 'PACS', 'as stored'],
      ['mr-research', 'yes', 'low', 'study-stable 60s', 'Modality=MR InstitutionName=tosh*', 'RESEARCH_WEB', 'as stored, de-identified (basic: retain-dates)'],
      ['from-scanner', 'yes', 'routine', 'manual', 'callingAe=CT_SCAN*', 'AI', 'jpeg-ls-lossless'],
      ['old-studies', 'yes', 'routine', 'instance', 'StudyDate=-20031231', 'PACS', 'as stored'],
      ['off', 'no', 'routine', 'instance', '(every instance)', 'PACS', 'as stored'],
    ]);
  });
});

describe('viewbox routes explain', () => {
  it('--json, no node running: per series, which rules match and which key failed, held against wanted', async () => {
    const r = await viewbox(['routes', 'explain', CT_STUDY, '--data', data, '--config', config, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const explained = JSON.parse(r.stdout) as Explained;
    expect(explained.series.map((s) => [s.seriesUid, s.modality, s.callingAe])).toEqual([
      [CT_SERIES, 'CT', undefined],
      [MR_SERIES, 'MR', undefined],
    ]);
    expect(outcomes(explained, CT_SERIES)).toEqual({
      'ct-to-pacs': 'matches',
      'mr-research': [
        ['Modality', ['CT'], 'MR'],
        ['InstitutionName', ['JFK IMAGING CENTER'], 'tosh*'],
      ],
      'from-scanner': [['callingAe', [], 'CT_SCAN*']],
      'old-studies': [['StudyDate', ['20040119'], '-20031231']],
      off: 'disabled',
    });
    expect(outcomes(explained, MR_SERIES)).toEqual({
      'ct-to-pacs': [['Modality', ['MR'], 'CT']],
      'mr-research': 'matches',
      'from-scanner': [['callingAe', [], 'CT_SCAN*']],
      'old-studies': [['StudyDate', ['20040826'], '-20031231']],
      off: 'disabled',
    });
  });

  it('text: what a matching rule does, why the others do not apply', async () => {
    const r = await viewbox(['routes', 'explain', CT_STUDY, '--data', data, '--config', config], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Study ${CT_STUDY}: 2 series, 5 rule(s) from ${join(data, 'routing.json')}`);
    expect(r.stdout).toMatch(/matches +mr-research +low, on study-stable 60s -> RESEARCH_WEB \(as stored, de-identified \(basic: retain-dates\)\)/);
    expect(r.stdout).toMatch(/fails +ct-to-pacs +Modality is "MR", wants "CT"/);
    expect(r.stdout).toContain('not received from an AE (imported)');
  });

  it('an unknown study is an error naming it', async () => {
    const r = await viewbox(['routes', 'explain', '1.2.3.4', '--data', data, '--config', config], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('study 1.2.3.4 is not in the archive');
  });

  it('beside a running node (read-only), with the AE the node received the CT from', async () => {
    const nodeData = join(dir.path, 'node-archive');
    await mkdir(nodeData);
    // Manual rules only: a running node routes on arrival, and this test is about explaining.
    const manual = rules.map((r) => ({ ...r, trigger: { on: 'manual' } as const }));
    await writeFile(join(nodeData, 'routing.json'), JSON.stringify({ rules: manual }));
    const node = await startViewbox({ dataDir: nodeData, args: ['--config', config], env });
    try {
      const sent = await storescu({ port: node.dicomPort, aet: 'CT_SCANNER_2', calledAet: node.aet, files: [join(images, 'ct.dcm')] });
      expect(sent.stored, sent.log).toHaveLength(1);
      const r = await viewbox(['routes', 'explain', CT_STUDY, '--data', nodeData, '--config', config, '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const explained = JSON.parse(r.stdout) as Explained;
      expect(explained.series.map((s) => [s.seriesUid, s.callingAe])).toEqual([[CT_SERIES, 'CT_SCANNER_2']]);
      expect(outcomes(explained, CT_SERIES)).toMatchObject({ 'ct-to-pacs': 'matches', 'from-scanner': 'matches' });
      const text = await viewbox(['routes', 'explain', CT_STUDY, '--data', nodeData, '--config', config], env);
      expect(text.stdout).toContain('received from CT_SCANNER_2');
      expect(text.stdout).toMatch(/matches +from-scanner +routine, on manual -> AI \(jpeg-ls-lossless\)/);
    } finally {
      await node.stop();
    }
  });
});
