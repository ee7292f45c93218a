import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArchiveIndex, type InstanceFile } from '../../../../main/index/archive-index.js';
import { migrations } from '../../../../main/index/migrations.js';
import { compileQuery } from '../../../../shared/query/compiled-query.js';
import type { DicomJsonDataset, PersonNameJson } from '../../../../shared/dicom/json.js';
import { tempDir } from '../../../helpers/tmp.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function indexFile(): Promise<string> {
  const dir = await tempDir('viewbox-index-');
  cleanups.push(dir.cleanup);
  return join(dir.path, 'index.sqlite');
}

async function openIndex(file?: string): Promise<ArchiveIndex> {
  const index = new ArchiveIndex(file ?? (await indexFile()));
  cleanups.push(() => index.close());
  return index;
}

interface Spec {
  sop: string;
  series: string;
  study: string;
  patientId?: string;
  name?: PersonNameJson;
  birthDate?: string;
  sex?: string;
  modality?: string;
  seriesNumber?: number;
  instanceNumber?: number;
}

const str = (vr: string, value: string | number) => ({ vr, Value: [value] });

function dataset(spec: Spec): DicomJsonDataset {
  const json: DicomJsonDataset = {
    '00080016': str('UI', '1.2.840.10008.5.1.4.1.1.2'),
    '00080018': str('UI', spec.sop),
    '0020000D': str('UI', spec.study),
    '0020000E': str('UI', spec.series),
    '00080020': str('DA', '20240131'),
    '7FE00010': { vr: 'OW', BulkDataURI: 'bulk/1000/524288' },
  };
  if (spec.patientId !== undefined) json['00100020'] = str('LO', spec.patientId);
  if (spec.name) json['00100010'] = { vr: 'PN', Value: [spec.name] };
  if (spec.birthDate) json['00100030'] = str('DA', spec.birthDate);
  if (spec.sex) json['00100040'] = str('CS', spec.sex);
  if (spec.modality) json['00080060'] = str('CS', spec.modality);
  if (spec.seriesNumber !== undefined) json['00200011'] = str('IS', spec.seriesNumber);
  if (spec.instanceNumber !== undefined) json['00200013'] = str('IS', spec.instanceNumber);
  return json;
}

function file(spec: Spec, overrides: Partial<InstanceFile> = {}): InstanceFile {
  return {
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    path: `store/2024/01/31/${spec.study}/${spec.sop}.dcm`,
    size: 525_000,
    sha256: `sha-of-${spec.sop}`,
    deflated: false,
    receivedAt: '2024-01-31T10:00:00.000Z',
    sourceAe: 'CT1',
    source: 'dimse:CT1@127.0.0.1',
    ...overrides,
  };
}

function add(index: ArchiveIndex, spec: Spec, overrides: Partial<InstanceFile> = {}): void {
  index.addInstance(dataset(spec), file(spec, overrides));
}

const doe: PersonNameJson = { Alphabetic: 'Doe^Jane' };

describe('index schema', () => {
  it('migrates an empty file to the latest version with WAL, foreign keys and every table', async () => {
    const path = await indexFile();
    (await openIndex(path)).close();
    cleanups.pop();
    const db = new Database(path, { readonly: true });
    cleanups.push(() => void db.close());
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(['instance_events', 'instances', 'jobs', 'measurements', 'name_keys', 'patient_conflicts', 'patients', 'route_waits', 'routing_state', 'send_queue', 'series', 'studies']);
    const indexed = (table: string) =>
      (db.prepare(`SELECT name FROM pragma_index_list('${table}')`).all() as Array<{ name: string }>).map((i) => i.name);
    // What C-FIND / QIDO-RS match on at study level has an index.
    expect(indexed('studies')).toEqual(expect.arrayContaining(['studies_date', 'studies_accession', 'studies_name_search']));
  });

  it('upgrades a schema-1 index: its studies get query records and name keys, and are found by name', async () => {
    const path = await indexFile();
    const old = new Database(path);
    old.exec(migrations[0]!);
    old.pragma('user_version = 1');
    const name = JSON.stringify({ Alphabetic: 'Doe^Jane', Ideographic: '山田^花子' });
    const json = JSON.stringify({ ...dataset({ sop: '1.9.1', series: '1.9.2', study: '1.9.3', patientId: 'OLD-1', name: { Alphabetic: 'Doe^Jane', Ideographic: '山田^花子' } }) });
    const t = '2020-01-01T00:00:00.000Z';
    old.prepare('INSERT INTO patients (id, patient_key, patient_id, issuer, name_json, name_search, created_at) VALUES (1, ?, ?, ?, ?, ?, ?)').run('["OLD-1",""]', 'OLD-1', '', name, 'doe jane | 山田 花子', t);
    old.prepare('INSERT INTO studies (id, study_uid, patient_ref, patient_name_json, received_at, updated_at, series_count, instance_count) VALUES (1, ?, 1, ?, ?, ?, 1, 1)').run('1.9.3', name, t, t);
    old.prepare('INSERT INTO series (id, series_uid, study_ref, received_at, instance_count) VALUES (1, ?, 1, ?, 1)').run('1.9.2', t);
    old.prepare('INSERT INTO instances (sop_uid, series_ref, sop_class_uid, transfer_syntax_uid, path, size, sha256, received_at, source, json) VALUES (?, 1, ?, ?, ?, 1, ?, ?, ?, ?)')
      .run('1.9.1', '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', 'store/x.dcm', 'sha', t, 'test', json);
    old.close();
    const index = await openIndex(path);
    const byName = (level: 'PATIENT' | 'STUDY', key: string) =>
      index.findRecords(compileQuery(level, { '00100010': { vr: 'PN', Value: [{ Alphabetic: key }] }, '00100020': { vr: 'LO' } })).map((r) => r['00100020']?.Value?.[0]);
    expect(byName('STUDY', 'doe*')).toEqual(['OLD-1']);
    expect(byName('STUDY', '山田*')).toEqual(['OLD-1']);
    expect(byName('PATIENT', 'DOE^JANE')).toEqual(['OLD-1']);
    expect(byName('STUDY', 'roe*')).toEqual([]);
  });

  it('opens an up-to-date file without migrating again and keeps its rows', async () => {
    const path = await indexFile();
    const first = await openIndex(path);
    add(first, { sop: '1.1', series: '1.2', study: '1.3', patientId: 'P1' });
    first.close();
    cleanups.pop();
    const again = await openIndex(path);
    expect(again.counts()).toMatchObject({ instances: 1, studies: 1 });
  });

  it('refuses a file from a newer Viewbox, naming the file and both versions', async () => {
    const path = await indexFile();
    const db = new Database(path);
    db.pragma(`user_version = ${migrations.length + 1}`);
    db.close();
    expect(() => new ArchiveIndex(path)).toThrow(new RegExp(`${path.replace(/[.]/g, '\\.')}.*version ${migrations.length + 1}.*\\(${migrations.length}\\)`));
  });
});

describe('index contents', () => {
  it('builds the hierarchy with counts and modalities kept up to date', async () => {
    const index = await openIndex();
    add(index, { sop: '1.1.1', series: '1.1', study: '1', patientId: 'P1', name: doe, modality: 'CT', seriesNumber: 2, instanceNumber: 2 });
    add(index, { sop: '1.1.2', series: '1.1', study: '1', patientId: 'P1', name: doe, modality: 'CT', seriesNumber: 2, instanceNumber: 1 });
    add(index, { sop: '1.2.1', series: '1.2', study: '1', patientId: 'P1', name: doe, modality: 'SR', seriesNumber: 1 });
    add(index, { sop: '2.1.1', series: '2.1', study: '2', patientId: 'P2', modality: 'MR' });

    expect(index.counts()).toEqual({ patients: 2, studies: 2, series: 3, instances: 4, conflicts: 0 });
    const study = index.listStudies().find((s) => s.studyUid === '1')!;
    expect(study).toMatchObject({ patientId: 'P1', patientName: doe, seriesCount: 2, instanceCount: 3, studyDate: '20240131' });
    expect(study.modalities.sort()).toEqual(['CT', 'SR']);
    expect(index.listSeries('1').map((s) => [s.seriesUid, s.seriesNumber, s.instanceCount])).toEqual([
      ['1.2', 1, 1],
      ['1.1', 2, 2],
    ]);
    expect(index.listInstances({ seriesUid: '1.1' }).map((i) => i.sopInstanceUid)).toEqual(['1.1.2', '1.1.1']);
    expect(index.listInstances({ studyUid: '2' }).map((i) => i.sopInstanceUid)).toEqual(['2.1.1']);
    expect(index.getInstance('1.1.1')).toMatchObject({ seriesUid: '1.1', studyUid: '1', instanceNumber: 2, sourceAe: 'CT1', deflated: false });
    expect(index.getInstanceJson('1.1.1')).toEqual(dataset({ sop: '1.1.1', series: '1.1', study: '1', patientId: 'P1', name: doe, modality: 'CT', seriesNumber: 2, instanceNumber: 2 }));
  });

  it('removing the last instances drops their series and study and recomputes the modalities', async () => {
    const index = await openIndex();
    add(index, { sop: '1.1.1', series: '1.1', study: '1', patientId: 'P1', modality: 'CT' });
    add(index, { sop: '1.2.1', series: '1.2', study: '1', patientId: 'P1', modality: 'SR' });
    index.removeInstance('1.2.1');
    expect(index.listStudies()[0]).toMatchObject({ modalities: ['CT'], seriesCount: 1, instanceCount: 1 });
    index.removeInstance('1.1.1');
    expect(index.counts()).toMatchObject({ studies: 0, series: 0, instances: 0 });
  });

  it('an instance that cannot be added leaves no patient, study or series behind', async () => {
    const index = await openIndex();
    const spec = { sop: '1.1.1', series: '1.1', study: '1', patientId: 'P1' };
    add(index, spec);
    // Same file path as a held instance: the instance insert fails after its patient, study and series rows were made.
    expect(() => add(index, { sop: '9.1.1', series: '9.1', study: '9', patientId: 'P9' }, { path: file(spec).path })).toThrow(/UNIQUE/);
    expect(index.counts()).toEqual({ patients: 1, studies: 1, series: 1, instances: 1, conflicts: 0 });
  });

  it('a replacement swaps the row and records the event in the same transaction', async () => {
    const index = await openIndex();
    const spec = { sop: '1.1.1', series: '1.1', study: '1', patientId: 'P1' };
    add(index, spec);
    index.replaceInstance(dataset(spec), file(spec, { path: 'store/new.dcm', sha256: 'new' }), {
      sopUid: spec.sop,
      event: 'replaced',
      policy: 'keep-newest',
      heldSha256: 'sha-of-1.1.1',
      incomingSha256: 'new',
      source: 'import:x',
    });
    expect(index.getInstance(spec.sop)).toMatchObject({ path: 'store/new.dcm', sha256: 'new' });
    expect(index.counts()).toMatchObject({ instances: 1, series: 1, studies: 1 });
    expect(index.listInstanceEvents()).toEqual([expect.objectContaining({ sopUid: spec.sop, event: 'replaced', heldSha256: 'sha-of-1.1.1', incomingSha256: 'new' })]);
  });
});

describe('patients', () => {
  it('records each contradicting demographic once per study, keeps the first values, and each study keeps its own', async () => {
    const index = await openIndex();
    add(index, { sop: '1.1.1', series: '1.1', study: '1', patientId: 'P1', name: doe, birthDate: '19700101', sex: 'F' });
    const other = { Alphabetic: 'Doe^Janet' };
    add(index, { sop: '2.1.1', series: '2.1', study: '2', patientId: 'P1', name: other, birthDate: '19700102', sex: 'F' });
    add(index, { sop: '2.1.2', series: '2.1', study: '2', patientId: 'P1', name: other, birthDate: '19700102', sex: 'F' });
    // Missing values are not contradictions.
    add(index, { sop: '3.1.1', series: '3.1', study: '3', patientId: 'P1' });

    const conflicts = index.listConflicts();
    expect(conflicts.map((c) => [c.field, c.heldValue, c.incomingValue, c.studyUid, c.sopUid])).toEqual([
      ['name', doe, other, '2', '2.1.1'],
      ['birthDate', '19700101', '19700102', '2', '2.1.1'],
    ]);
    expect(conflicts[0]).toMatchObject({ patientId: 'P1', issuer: '', source: 'dimse:CT1@127.0.0.1' });
    expect(index.counts()).toMatchObject({ patients: 1, conflicts: 2 });
    expect(index.findPatients('P1')).toEqual([expect.objectContaining({ name: doe, birthDate: '19700101', studyCount: 3 })]);
    const studies = new Map(index.listStudies().map((s) => [s.studyUid, s]));
    expect(studies.get('2')).toMatchObject({ patientName: other, patientBirthDate: '19700102' });
    expect(studies.get('1')).toMatchObject({ patientName: doe, patientBirthDate: '19700101' });
  });

  it('the same Patient ID from another issuer is another patient, and no ID means one patient per study', async () => {
    const index = await openIndex();
    add(index, { sop: '1.1.1', series: '1.1', study: '1', patientId: 'P1', name: doe });
    const json = dataset({ sop: '2.1.1', series: '2.1', study: '2', patientId: 'P1', name: { Alphabetic: 'Roe^Richard' } });
    json['00100021'] = str('LO', 'OTHER_HOSPITAL');
    index.addInstance(json, file({ sop: '2.1.1', series: '2.1', study: '2' }));
    add(index, { sop: '3.1.1', series: '3.1', study: '3' });
    add(index, { sop: '4.1.1', series: '4.1', study: '4' });
    expect(index.counts()).toMatchObject({ patients: 4, conflicts: 0 });
  });

  it('finds names by any component group, ignoring case, diacritics and full-width forms, and by ID', async () => {
    const index = await openIndex();
    add(index, { sop: '1.1.1', series: '1.1', study: '1', patientId: 'ID-0042', name: { Alphabetic: 'Müller^Zoë' } });
    add(index, { sop: '2.1.1', series: '2.1', study: '2', patientId: 'ID-7', name: { Alphabetic: 'Hong^Gildong', Ideographic: '洪^吉洞', Phonetic: '홍^길동' } });
    add(index, { sop: '3.1.1', series: '3.1', study: '3', patientId: 'ID-8', name: { Alphabetic: 'Ｙａｍａｄａ^Ｔａｒｏｕ' } });
    const ids = (q: string) => index.findPatients(q).map((p) => p.patientId);
    expect(ids('muller')).toEqual(['ID-0042']);
    expect(ids('MÜLLER^zoe')).toEqual(['ID-0042']);
    expect(ids('洪')).toEqual(['ID-7']);
    expect(ids('길동')).toEqual(['ID-7']);
    expect(ids('yamada')).toEqual(['ID-8']);
    expect(ids('ID-0042')).toEqual(['ID-0042']);
    // LIKE wildcards in the query are text, not patterns.
    expect(ids('%')).toEqual([]);
    expect(ids('_')).toEqual([]);
  });
});
