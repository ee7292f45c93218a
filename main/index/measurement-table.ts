/**
 * The measurements readers draw, kept per study in the index. The node does
 * not interpret an annotation (its shape is the viewer's): it checks that it
 * is a JSON object of bounded size and keeps it as sent.
 */
import type { StoredMeasurement } from '../../shared/api/app-api.js';
import type { IndexDatabase } from './open-database.js';

export class MeasurementTable {
  private readonly statements;

  constructor(db: IndexDatabase) {
    this.statements = {
      list: db.prepare('SELECT annotation_uid AS annotationUid, json, updated_at AS updatedAt FROM measurements WHERE study_uid = ? ORDER BY updated_at, annotation_uid'),
      upsert: db.prepare(`INSERT INTO measurements (study_uid, annotation_uid, json, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (study_uid, annotation_uid) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`),
      remove: db.prepare('DELETE FROM measurements WHERE study_uid = ? AND annotation_uid = ?'),
    };
  }

  list(studyUid: string): StoredMeasurement[] {
    const rows = this.statements.list.all(studyUid) as Array<{ annotationUid: string; json: string; updatedAt: string }>;
    return rows.map((row) => ({ annotationUid: row.annotationUid, updatedAt: row.updatedAt, annotation: JSON.parse(row.json) as Record<string, unknown> }));
  }

  /** Stores (or replaces) one annotation; returns when it was stored. */
  put(studyUid: string, annotationUid: string, annotation: Record<string, unknown>): string {
    const updatedAt = new Date().toISOString();
    this.statements.upsert.run(studyUid, annotationUid, JSON.stringify(annotation), updatedAt);
    return updatedAt;
  }

  /** False when there was no such annotation. */
  remove(studyUid: string, annotationUid: string): boolean {
    return this.statements.remove.run(studyUid, annotationUid).changes > 0;
  }
}
