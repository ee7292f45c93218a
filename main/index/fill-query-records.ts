/**
 * An index made before query records existed (schema 1) gets them once, when
 * it is upgraded: the patient, study and series JSON rebuilt from one held
 * instance of each, and the name keys from the names the rows hold.
 */
import type { DicomJsonDataset, PersonNameJson } from '../../shared/dicom/json.js';
import { personNameGroupKeys } from '../../shared/query/person-name-key.js';
import { levelRecord } from '../../shared/query/query-levels.js';
import type { IndexDatabase } from './open-database.js';

const MISSING = {
  PATIENT: `SELECT p.id, (SELECT i.json FROM studies st JOIN series se ON se.study_ref = st.id JOIN instances i ON i.series_ref = se.id
      WHERE st.patient_ref = p.id LIMIT 1) AS json FROM patients p WHERE p.json IS NULL`,
  STUDY: `SELECT st.id, (SELECT i.json FROM series se JOIN instances i ON i.series_ref = se.id WHERE se.study_ref = st.id LIMIT 1) AS json
      FROM studies st WHERE st.json IS NULL`,
  SERIES: `SELECT se.id, (SELECT i.json FROM instances i WHERE i.series_ref = se.id LIMIT 1) AS json FROM series se WHERE se.json IS NULL`,
} as const;

const TABLE = { PATIENT: 'patients', STUDY: 'studies', SERIES: 'series' } as const;

export function fillQueryRecords(db: IndexDatabase): void {
  db.transaction(() => {
    for (const level of ['PATIENT', 'STUDY', 'SERIES'] as const) {
      const update = db.prepare(`UPDATE ${TABLE[level]} SET json = ? WHERE id = ?`);
      for (const row of db.prepare(MISSING[level]).all() as Array<{ id: number; json: string | null }>) {
        const record = row.json === null ? {} : levelRecord(JSON.parse(row.json) as DicomJsonDataset, level);
        update.run(JSON.stringify(record), row.id);
      }
    }
    const insertKey = db.prepare('INSERT INTO name_keys (owner, ref, key) VALUES (?, ?, ?)');
    const names = [
      ['patient', 'SELECT id, name_json AS name FROM patients WHERE name_json IS NOT NULL'],
      ['study', 'SELECT id, patient_name_json AS name FROM studies WHERE patient_name_json IS NOT NULL'],
    ] as const;
    for (const [owner, sql] of names) {
      for (const row of db.prepare(sql).all() as Array<{ id: number; name: string }>) {
        for (const key of personNameGroupKeys(JSON.parse(row.name) as PersonNameJson)) insertKey.run(owner, row.id, key);
      }
    }
  })();
}
