/**
 * A Query/Retrieve identifier read under its information model (PS3.4
 * C.4.1.2.1): its level and keys, compiled by the shared query engine, or
 * the status that refuses it. C-FIND, C-MOVE and C-GET all start here.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { compileQuery, type CompiledQuery } from '../../../shared/query/compiled-query.js';
import { QueryKeyError } from '../../../shared/query/matchers.js';
import { QUERY_LEVELS, type QueryLevel, type QueryModel } from '../../../shared/query/query-levels.js';
import { QueryStatus } from '../status.js';

/** A query identifier that cannot be answered, with the status that says so. */
export class IdentifierError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'IdentifierError';
  }
}

/** The level and compiled keys of an identifier under a model. */
export function compileIdentifier(model: QueryModel, identifier: DicomJsonDataset): CompiledQuery {
  const level = identifier['00080052']?.Value?.[0];
  if (typeof level !== 'string' || !QUERY_LEVELS.includes(level.trim() as QueryLevel)) {
    throw new IdentifierError(QueryStatus.identifierDoesNotMatchSopClass, `Query/Retrieve Level (0008,0052) "${String(level ?? '')}" is not PATIENT, STUDY, SERIES or IMAGE`);
  }
  const trimmed = level.trim() as QueryLevel;
  if (model === 'study' && trimmed === 'PATIENT') {
    throw new IdentifierError(QueryStatus.identifierDoesNotMatchSopClass, 'level PATIENT does not exist in the Study Root model');
  }
  try {
    return compileQuery(trimmed, identifier);
  } catch (error) {
    if (error instanceof QueryKeyError) throw new IdentifierError(QueryStatus.unableToProcess, error.message);
    throw error;
  }
}
