/**
 * The SQLite index of the archive: one transaction per instance, so no
 * reader ever sees a partial instance; demographic conflicts and duplicate
 * events are recorded, never silently overwritten.
 */
import type { DicomJsonDataset, PersonNameJson } from '../../shared/dicom/json.js';
import { indexAttributes, type IndexAttributes, type PatientAttributes } from './instance-attributes.js';
import type { ReadStatus, StudySummary } from '../../shared/api/app-api.js';
import type { CompiledQuery } from '../../shared/query/compiled-query.js';
import { levelRecord } from '../../shared/query/query-levels.js';
import { fillQueryRecords } from './fill-query-records.js';
import { runQuery, type QueryPage } from './query-index.js';
import { normaliseForSearch, personNameGroupKeys, personNameSearchKey } from '../../shared/query/person-name-key.js';
import { JobTable } from './job-table.js';
import { MeasurementTable } from './measurement-table.js';
import { openIndexDatabase, openIndexReadOnly, type IndexDatabase } from './open-database.js';
import { SendQueueTable } from './send-queue-table.js';

export interface InstanceFile {
  transferSyntaxUid: string;
  /** Relative to the data folder, forward slashes. */
  path: string;
  size: number;
  sha256: string;
  deflated: boolean;
  receivedAt: string;
  sourceAe: string | undefined;
  /** Human-readable origin: "dimse:AE@address", "import:/path", ... */
  source: string;
}

export interface InstanceRow extends InstanceFile {
  sopInstanceUid: string;
  sopClassUid: string;
  seriesUid: string;
  studyUid: string;
  instanceNumber: number | null;
  numberOfFrames: number | null;
}

/** A study as the worklist shows it (the contract lives in shared/api). */
export type StudyRow = StudySummary;

export interface SeriesRow {
  seriesUid: string;
  studyUid: string;
  modality: string | null;
  seriesNumber: number | null;
  description: string | null;
  bodyPart: string | null;
  frameOfReferenceUid: string | null;
  instanceCount: number;
}

export interface PatientRow {
  patientId: string;
  issuer: string;
  name: PersonNameJson | null;
  birthDate: string | null;
  sex: string | null;
  studyCount: number;
}

export interface ConflictRow {
  patientId: string;
  issuer: string;
  field: 'name' | 'birthDate' | 'sex';
  heldValue: unknown;
  incomingValue: unknown;
  studyUid: string;
  sopUid: string;
  source: string;
  time: string;
}

export type InstanceEventKind = 'kept-existing' | 'replaced' | 'rejected';

export interface InstanceEvent {
  sopUid: string;
  event: InstanceEventKind;
  policy: string;
  heldSha256: string | null;
  incomingSha256: string;
  source: string;
  time: string;
}

export interface IndexCounts {
  patients: number;
  studies: number;
  series: number;
  instances: number;
  conflicts: number;
}

const INSTANCE_SELECT = `
  SELECT i.sop_uid AS sopInstanceUid, i.sop_class_uid AS sopClassUid, se.series_uid AS seriesUid, st.study_uid AS studyUid,
         i.instance_number AS instanceNumber, i.number_of_frames AS numberOfFrames, i.transfer_syntax_uid AS transferSyntaxUid,
         i.path, i.size, i.sha256, i.deflated, i.received_at AS receivedAt, i.source_ae AS sourceAe, i.source
  FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref`;

const STUDY_SELECT = `
  SELECT st.study_uid AS studyUid, p.patient_id AS patientId, p.issuer, st.patient_name_json AS patientName,
         st.patient_birth_date AS patientBirthDate, st.patient_sex AS patientSex, st.study_date AS studyDate,
         st.study_time AS studyTime, st.accession, st.study_id AS studyId, st.description, st.modalities,
         st.series_count AS seriesCount, st.instance_count AS instanceCount, st.received_at AS receivedAt, st.updated_at AS updatedAt,
         st.read_status AS readStatus, (SELECT count(*) FROM patient_conflicts c WHERE c.patient_ref = p.id) AS conflicts
  FROM studies st JOIN patients p ON p.id = st.patient_ref`;

type RawInstance = Omit<InstanceRow, 'deflated' | 'sourceAe'> & { deflated: number; sourceAe: string | null };
type RawStudy = Omit<StudyRow, 'patientName' | 'modalities'> & { patientName: string | null; modalities: string };

export class ArchiveIndex {
  private readonly db: IndexDatabase;
  private readonly statements;
  /** Readers' measurements, per study. */
  readonly measurements: MeasurementTable;
  /** The send queue, the router's cursor and waits. */
  readonly sendQueue: SendQueueTable;
  /** Retrieve and send jobs, kept across restarts. */
  readonly jobs: JobTable;

  /**
   * `readOnly`: for commands that only read a folder another process may own (no migration, no writes).
   * `exclusive`: the WAL index in this process's memory, for a disk too full for the shared-memory file.
   */
  constructor(file: string, options: { readOnly?: boolean; exclusive?: boolean } = {}) {
    const { db, previousVersion } = options.readOnly ? openIndexReadOnly(file) : openIndexDatabase(file, { exclusive: options.exclusive });
    this.db = db;
    if (previousVersion === 1) fillQueryRecords(db);
    this.measurements = new MeasurementTable(db);
    this.sendQueue = new SendQueueTable(db);
    this.jobs = new JobTable(db);
    this.statements = {
      instanceByUid: db.prepare(`${INSTANCE_SELECT} WHERE i.sop_uid = ?`),
      instanceJson: db.prepare('SELECT json FROM instances WHERE sop_uid = ?'),
      instanceByPath: db.prepare('SELECT 1 FROM instances WHERE path = ?'),
      patientByKey: db.prepare('SELECT id, name_json, birth_date, sex FROM patients WHERE patient_key = ?'),
      insertPatient: db.prepare(
        'INSERT INTO patients (patient_key, patient_id, issuer, name_json, name_search, birth_date, sex, created_at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      studyByUid: db.prepare('SELECT id, modalities FROM studies WHERE study_uid = ?'),
      insertStudy: db.prepare(`INSERT INTO studies (study_uid, patient_ref, study_date, study_time, accession, study_id, description,
        referring_physician_json, patient_name_json, patient_name_search, patient_birth_date, patient_sex, received_at, updated_at, json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      seriesByUid: db.prepare('SELECT id FROM series WHERE series_uid = ?'),
      insertSeries: db.prepare(`INSERT INTO series (series_uid, study_ref, modality, series_number, description, body_part,
        frame_of_reference_uid, series_date, series_time, received_at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertInstance: db.prepare(`INSERT INTO instances (sop_uid, series_ref, sop_class_uid, instance_number, number_of_frames,
        transfer_syntax_uid, path, size, sha256, deflated, received_at, source_ae, source, json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      countInstance: db.prepare('UPDATE series SET instance_count = instance_count + ? WHERE id = ?'),
      countStudy: db.prepare(
        'UPDATE studies SET instance_count = instance_count + ?, series_count = series_count + ?, modalities = ?, updated_at = ? WHERE id = ?',
      ),
      instanceRefs: db.prepare(
        'SELECT i.id, i.series_ref AS seriesRef, se.study_ref AS studyRef FROM instances i JOIN series se ON se.id = i.series_ref WHERE i.sop_uid = ?',
      ),
      deleteInstance: db.prepare('DELETE FROM instances WHERE id = ?'),
      seriesCount: db.prepare('SELECT instance_count AS n FROM series WHERE id = ?'),
      deleteSeries: db.prepare('DELETE FROM series WHERE id = ?'),
      studyCounts: db.prepare('SELECT series_count AS s, instance_count AS n FROM studies WHERE id = ?'),
      studyModalities: db.prepare("SELECT group_concat(DISTINCT modality) AS m FROM series WHERE study_ref = ? AND modality IS NOT NULL"),
      setStudyModalities: db.prepare('UPDATE studies SET modalities = ? WHERE id = ?'),
      deleteStudy: db.prepare('DELETE FROM studies WHERE id = ?'),
      insertNameKey: db.prepare('INSERT INTO name_keys (owner, ref, key) VALUES (?, ?, ?)'),
      deleteStudyNameKeys: db.prepare("DELETE FROM name_keys WHERE owner = 'study' AND ref = ?"),
      conflictKnown: db.prepare(
        'SELECT 1 FROM patient_conflicts WHERE patient_ref = ? AND field = ? AND incoming_value IS ? AND study_uid = ?',
      ),
      insertConflict: db.prepare(`INSERT INTO patient_conflicts (patient_ref, field, held_value, incoming_value, study_uid, sop_uid, source, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      insertEvent: db.prepare(`INSERT INTO instance_events (sop_uid, event, policy, held_sha256, incoming_sha256, source, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  getInstance(sopUid: string): InstanceRow | undefined {
    const raw = this.statements.instanceByUid.get(sopUid) as RawInstance | undefined;
    return raw && toInstanceRow(raw);
  }

  hasPath(path: string): boolean {
    return this.statements.instanceByPath.get(path) !== undefined;
  }

  /** Add an instance (and its series, study, patient as needed) in one transaction. */
  addInstance(json: DicomJsonDataset, file: InstanceFile, attrs: IndexAttributes = indexAttributes(json)): void {
    this.db.transaction(() => this.insert(json, file, attrs))();
  }

  /**
   * Swap the held copy of an instance for a new one and record why, in one
   * transaction that is durable when this returns (synchronous=FULL for it
   * alone): the caller deletes the old file next, and an OS crash must not
   * bring back an index that points to it.
   */
  replaceInstance(json: DicomJsonDataset, file: InstanceFile, event: Omit<InstanceEvent, 'time'>, attrs: IndexAttributes = indexAttributes(json)): void {
    this.db.pragma('synchronous = FULL');
    try {
      this.db.transaction(() => {
        this.remove(attrs.instance.sopInstanceUid);
        this.insert(json, file, attrs);
        this.recordEvent(event);
      })();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /** Drop an instance's row (its file is gone); empty series and studies go with it. */
  removeInstance(sopUid: string): void {
    this.db.transaction(() => this.remove(sopUid))();
  }

  recordEvent(event: Omit<InstanceEvent, 'time'>): void {
    this.statements.insertEvent.run(event.sopUid, event.event, event.policy, event.heldSha256, event.incomingSha256, event.source, now());
  }

  listStudies(): StudyRow[] {
    return (this.db.prepare(`${STUDY_SELECT} ORDER BY st.study_date DESC, st.study_time DESC, st.id DESC`).all() as RawStudy[]).map(toStudyRow);
  }

  /** The worklist rows of these studies, in the order given; unknown UIDs are left out. */
  studySummaries(studyUids: readonly string[]): StudyRow[] {
    const select = this.db.prepare(`${STUDY_SELECT} WHERE st.study_uid = ?`);
    return studyUids.flatMap((uid) => {
      const raw = select.get(uid) as RawStudy | undefined;
      return raw ? [toStudyRow(raw)] : [];
    });
  }

  /** Set a study's reading status; false when the study is not held. */
  /** Study Instance UIDs of every study of a patient (same Patient ID and issuer); none without an ID (each such study is its own patient). */
  studyUidsOfPatient(patientId: string, issuer: string): string[] {
    if (patientId === '') return [];
    const rows = this.db
      .prepare('SELECT st.study_uid AS uid FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE p.patient_id = ? AND p.issuer = ? ORDER BY st.id')
      .all(patientId, issuer) as Array<{ uid: string }>;
    return rows.map((r) => r.uid);
  }

  hasStudy(studyUid: string): boolean {
    return this.statements.studyByUid.get(studyUid) !== undefined;
  }

  setReadStatus(studyUid: string, status: ReadStatus): boolean {
    return this.db.prepare('UPDATE studies SET read_status = ? WHERE study_uid = ?').run(status, studyUid).changes > 0;
  }

  listSeries(studyUid: string): SeriesRow[] {
    return this.db
      .prepare(`SELECT se.series_uid AS seriesUid, st.study_uid AS studyUid, se.modality, se.series_number AS seriesNumber, se.description,
        se.body_part AS bodyPart, se.frame_of_reference_uid AS frameOfReferenceUid, se.instance_count AS instanceCount
        FROM series se JOIN studies st ON st.id = se.study_ref WHERE st.study_uid = ? ORDER BY se.series_number, se.id`)
      .all(studyUid) as SeriesRow[];
  }

  listInstances(filter: { studyUid?: string; seriesUid?: string; receivedSince?: string } = {}): InstanceRow[] {
    const conditions: Array<[string, string | undefined]> = [
      ['st.study_uid = ?', filter.studyUid],
      ['se.series_uid = ?', filter.seriesUid],
      ['i.received_at >= ?', filter.receivedSince],
    ];
    const used = conditions.filter((c): c is [string, string] => !!c[1]);
    const where = used.map(([sql]) => sql);
    const args = used.map(([, value]) => value);
    const sql = `${INSTANCE_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY se.series_number, i.instance_number, i.id`;
    return (this.db.prepare(sql).all(...args) as RawInstance[]).map(toInstanceRow);
  }

  /** Patient, study, series or instance records matching a query (C-FIND, QIDO-RS), with derived keys. */
  findRecords(query: CompiledQuery, page?: QueryPage): DicomJsonDataset[] {
    return runQuery(this.db, query, page);
  }

  /** The DICOM JSON of an instance, as received, without bulk data. */
  getInstanceJson(sopUid: string): DicomJsonDataset | undefined {
    const text = this.getInstanceJsonText(sopUid);
    return text === undefined ? undefined : (JSON.parse(text) as DicomJsonDataset);
  }

  /** The same as JSON text, unparsed: WADO-RS metadata rewrites its BulkDataURIs in the text. */
  getInstanceJsonText(sopUid: string): string | undefined {
    return (this.statements.instanceJson.get(sopUid) as { json: string } | undefined)?.json;
  }

  /** Patients whose ID, or any component group of whose name, contains the text. */
  findPatients(nameOrId: string): PatientRow[] {
    const needle = `%${normaliseForSearch(nameOrId).replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(`SELECT p.patient_id AS patientId, p.issuer, p.name_json AS name, p.birth_date AS birthDate, p.sex,
        (SELECT count(*) FROM studies st WHERE st.patient_ref = p.id) AS studyCount
        FROM patients p
        WHERE p.patient_id = ? OR p.name_search LIKE ? ESCAPE '\\'
           OR EXISTS (SELECT 1 FROM studies st WHERE st.patient_ref = p.id AND st.patient_name_search LIKE ? ESCAPE '\\')
        ORDER BY p.id`)
      .all(nameOrId, needle, needle) as Array<Omit<PatientRow, 'name'> & { name: string | null }>;
    return rows.map((r) => ({ ...r, name: parseJson<PersonNameJson>(r.name) }));
  }

  listConflicts(): ConflictRow[] {
    const rows = this.db
      .prepare(`SELECT p.patient_id AS patientId, p.issuer, c.field, c.held_value AS heldValue, c.incoming_value AS incomingValue,
        c.study_uid AS studyUid, c.sop_uid AS sopUid, c.source, c.recorded_at AS time
        FROM patient_conflicts c JOIN patients p ON p.id = c.patient_ref ORDER BY c.id`)
      .all() as Array<ConflictRow & { heldValue: string | null; incomingValue: string | null }>;
    return rows.map((r) => ({ ...r, heldValue: parseJson(r.heldValue), incomingValue: parseJson(r.incomingValue) }));
  }

  listInstanceEvents(): InstanceEvent[] {
    return this.db
      .prepare(`SELECT sop_uid AS sopUid, event, policy, held_sha256 AS heldSha256, incoming_sha256 AS incomingSha256, source,
        recorded_at AS time FROM instance_events ORDER BY id`)
      .all() as InstanceEvent[];
  }

  counts(): IndexCounts {
    const one = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      patients: one('SELECT count(*) AS n FROM patients'),
      studies: one('SELECT count(*) AS n FROM studies'),
      series: one('SELECT count(*) AS n FROM series'),
      instances: one('SELECT count(*) AS n FROM instances'),
      conflicts: one('SELECT count(*) AS n FROM patient_conflicts'),
    };
  }

  /** Move everything in the WAL into the database file; true when nothing was left behind. */
  checkpoint(): boolean {
    const [result] = this.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    return !!result && result.busy === 0 && result.log === result.checkpointed;
  }

  close(): void {
    this.db.close();
  }

  private insert(json: DicomJsonDataset, file: InstanceFile, attrs: IndexAttributes): void {
    const s = this.statements;
    const time = now();
    const { patient, study, series, instance } = attrs;
    const patientRef = this.patientFor(patient, json, study.studyUid, instance.sopInstanceUid, file.source, time);

    let studyRow = s.studyByUid.get(study.studyUid) as { id: number; modalities: string } | undefined;
    if (!studyRow) {
      const info = s.insertStudy.run(study.studyUid, patientRef, study.studyDate ?? null, study.studyTime ?? null, study.accession ?? null,
        study.studyId ?? null, study.description ?? null, jsonOrNull(study.referringPhysician), jsonOrNull(patient.name),
        personNameSearchKey(patient.name), patient.birthDate ?? null, patient.sex ?? null, time, time, JSON.stringify(levelRecord(json, 'STUDY')));
      studyRow = { id: Number(info.lastInsertRowid), modalities: '' };
      for (const key of personNameGroupKeys(patient.name)) s.insertNameKey.run('study', studyRow.id, key);
    }
    let seriesRow = s.seriesByUid.get(series.seriesUid) as { id: number } | undefined;
    const newSeries = !seriesRow;
    if (!seriesRow) {
      const info = s.insertSeries.run(series.seriesUid, studyRow.id, series.modality ?? null, series.seriesNumber ?? null,
        series.description ?? null, series.bodyPart ?? null, series.frameOfReferenceUid ?? null, series.seriesDate ?? null,
        series.seriesTime ?? null, time, JSON.stringify(levelRecord(json, 'SERIES')));
      seriesRow = { id: Number(info.lastInsertRowid) };
    }
    s.insertInstance.run(instance.sopInstanceUid, seriesRow.id, instance.sopClassUid, instance.instanceNumber ?? null,
      instance.numberOfFrames ?? null, file.transferSyntaxUid, file.path, file.size, file.sha256, file.deflated ? 1 : 0,
      file.receivedAt, file.sourceAe ?? null, file.source, JSON.stringify(json));
    s.countInstance.run(1, seriesRow.id);
    const modalities = new Set(studyRow.modalities ? studyRow.modalities.split('\\') : []);
    if (series.modality) modalities.add(series.modality);
    s.countStudy.run(1, newSeries ? 1 : 0, [...modalities].sort().join('\\'), time, studyRow.id);
  }

  private remove(sopUid: string): void {
    const s = this.statements;
    const refs = s.instanceRefs.get(sopUid) as { id: number; seriesRef: number; studyRef: number } | undefined;
    if (!refs) return;
    s.deleteInstance.run(refs.id);
    s.countInstance.run(-1, refs.seriesRef);
    const seriesLeft = (s.seriesCount.get(refs.seriesRef) as { n: number }).n;
    if (seriesLeft === 0) s.deleteSeries.run(refs.seriesRef);
    const modalities = ((s.studyModalities.get(refs.studyRef) as { m: string | null }).m ?? '').split(',').filter(Boolean).sort().join('\\');
    s.countStudy.run(-1, seriesLeft === 0 ? -1 : 0, modalities, now(), refs.studyRef);
    const study = s.studyCounts.get(refs.studyRef) as { s: number; n: number };
    if (study.n === 0) {
      s.deleteStudyNameKeys.run(refs.studyRef);
      s.deleteStudy.run(refs.studyRef);
    }
  }

  /** The patient row for these demographics; differences from the held row become conflict records. */
  private patientFor(patient: PatientAttributes, json: DicomJsonDataset, studyUid: string, sopUid: string, source: string, time: string): number {
    const s = this.statements;
    const key = patient.patientId ? JSON.stringify([patient.patientId, patient.issuer]) : JSON.stringify(['', '', studyUid]);
    const held = s.patientByKey.get(key) as { id: number; name_json: string | null; birth_date: string | null; sex: string | null } | undefined;
    if (!held) {
      const info = s.insertPatient.run(key, patient.patientId, patient.issuer, jsonOrNull(patient.name), personNameSearchKey(patient.name),
        patient.birthDate ?? null, patient.sex ?? null, time, JSON.stringify(levelRecord(json, 'PATIENT')));
      const id = Number(info.lastInsertRowid);
      for (const key of personNameGroupKeys(patient.name)) s.insertNameKey.run('patient', id, key);
      return id;
    }
    const incomingName = jsonOrNull(patient.name);
    const differences: Array<[ConflictRow['field'], string | null, string | null]> = [
      ['name', held.name_json, incomingName],
      ['birthDate', jsonOrNull(held.birth_date ?? undefined), jsonOrNull(patient.birthDate)],
      ['sex', jsonOrNull(held.sex ?? undefined), jsonOrNull(patient.sex)],
    ];
    for (const [field, heldValue, incomingValue] of differences) {
      // Only a value that contradicts another counts; a missing value is not a conflict.
      if (heldValue === null || incomingValue === null || heldValue === incomingValue) continue;
      // One record per study and differing value, not one per instance of the study.
      if (!s.conflictKnown.get(held.id, field, incomingValue, studyUid)) {
        s.insertConflict.run(held.id, field, heldValue, incomingValue, studyUid, sopUid, source, time);
      }
    }
    return held.id;
  }
}

function now(): string {
  return new Date().toISOString();
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toInstanceRow(raw: RawInstance): InstanceRow {
  return { ...raw, deflated: raw.deflated === 1, sourceAe: raw.sourceAe ?? undefined };
}

function toStudyRow(raw: RawStudy): StudyRow {
  return { ...raw, patientName: parseJson<PersonNameJson>(raw.patientName), modalities: raw.modalities ? raw.modalities.split('\\') : [] };
}
