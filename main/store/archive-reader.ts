/**
 * The archive's read door. Everything outside main/store/ that reads the
 * archive (DICOMweb, the Q/R SCP, sends, hanging-protocol input, the listing
 * commands) finds instances and reaches their bytes here, never by building
 * a path under the data folder or querying the index itself, so audit on
 * access, storage tiers and evicted-but-known instances are each one change
 * behind this door.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';
import type { CompiledQuery } from '../../shared/query/compiled-query.js';
import type { ArchiveIndex, ConflictRow, IndexCounts, InstanceRow, SeriesRow, StudyRow } from '../index/archive-index.js';
import type { QueryPage } from '../index/query-index.js';

export type { ConflictRow, IndexCounts, QueryPage, SeriesRow, StudyRow };

/**
 * A held instance: its UIDs, place in the hierarchy, stored transfer syntax,
 * size and SHA-256. `path` is the store's own key for the file: only the
 * reader turns it into something to open.
 */
export type HeldInstance = InstanceRow;

export interface ByteRange {
  offset: number;
  length: number;
}

export interface ArchiveReader {
  /** One instance by SOP Instance UID. */
  getInstance(sopInstanceUid: string): HeldInstance | undefined;
  /** The instances of a study or a series, in series and instance number order. */
  listInstances(filter: { studyUid?: string; seriesUid?: string }): HeldInstance[];
  /** The series of a study, in series number order. */
  listSeries(studyUid: string): SeriesRow[];
  hasStudy(studyUid: string): boolean;
  /** Every study, newest first (the worklist as `viewbox studies` prints it). */
  listStudies(): StudyRow[];
  /** The worklist rows of these studies, in the order given; unknown UIDs are left out. */
  studySummaries(studyUids: readonly string[]): StudyRow[];
  /** Study Instance UIDs of every study of a patient (same Patient ID and issuer). */
  studyUidsOfPatient(patientId: string, issuer: string): string[];
  /** Patient, study, series or instance records matching a query (C-FIND, QIDO-RS, C-MOVE/C-GET), with derived keys. */
  findRecords(query: CompiledQuery, page?: QueryPage): DicomJsonDataset[];
  /** Demographic conflicts between instances of one patient. */
  listConflicts(): ConflictRow[];
  counts(): IndexCounts;
  /** The DICOM JSON of an instance, as received, without bulk data (from the index: no file is opened). */
  getInstanceJson(sopInstanceUid: string): DicomJsonDataset | undefined;
  /** The same as JSON text, unparsed (WADO-RS metadata rewrites its BulkDataURIs in the text). */
  getInstanceJsonText(sopInstanceUid: string): string | undefined;
  /**
   * Where the instance's stored Part 10 bytes can be read now, for readers
   * that open the file and read ranges of it themselves (multipart bodies,
   * frame location, DIMSE sends, conversion).
   */
  fileOf(instance: HeldInstance): string;
  /** A stream of the stored Part 10 file, or of one byte range of it. */
  openStream(instance: HeldInstance, range?: ByteRange): Readable;
}

/** The reader of an open index whose file paths are relative to `dataDir`. */
export function archiveReader(index: ArchiveIndex, dataDir: string): ArchiveReader {
  const fileOf = (instance: HeldInstance) => join(dataDir, instance.path);
  return {
    getInstance: (uid) => index.getInstance(uid),
    listInstances: (filter) => index.listInstances(filter),
    listSeries: (studyUid) => index.listSeries(studyUid),
    hasStudy: (studyUid) => index.hasStudy(studyUid),
    listStudies: () => index.listStudies(),
    studySummaries: (uids) => index.studySummaries(uids),
    studyUidsOfPatient: (patientId, issuer) => index.studyUidsOfPatient(patientId, issuer),
    findRecords: (query, page) => index.findRecords(query, page),
    listConflicts: () => index.listConflicts(),
    counts: () => index.counts(),
    getInstanceJson: (uid) => index.getInstanceJson(uid),
    getInstanceJsonText: (uid) => index.getInstanceJsonText(uid),
    fileOf,
    openStream: (instance, range) =>
      range === undefined ? createReadStream(fileOf(instance)) : createReadStream(fileOf(instance), { start: range.offset, end: range.offset + range.length - 1 }),
  };
}
