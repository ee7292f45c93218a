/**
 * QIDO-RS (PS3.18 10.6): search parameters become the same compiled query as
 * a C-FIND identifier; answers carry the default attributes of the level
 * (Tables 10.6.3-3 to -5), the matched keys and any `includefield`.
 */
import { dictionaryVr, tagOf } from '../dicom/data-dictionary.js';
import type { DicomJsonDataset } from '../dicom/json.js';
import { answerFor, compileQuery, type CompiledQuery } from './compiled-query.js';
import { QueryKeyError } from './matchers.js';
import { DERIVED, type QueryLevel } from './query-levels.js';

export class QidoParameterError extends Error {
  override name = 'QidoParameterError';
}

export interface QidoSearch {
  query: CompiledQuery;
  /** includefield=all: every attribute the record holds. */
  includeAll: boolean;
  limit: number | undefined;
  offset: number;
  /** Accepted; names already match fuzzily (case, diacritics, scripts), see docs/query.md. */
  fuzzyMatching: boolean;
}

const STUDY_DEFAULTS = ['00080005', '00080020', '00080030', '00080050', '00080056', DERIVED.modalitiesInStudy, '00080090', '00080201', '00100010', '00100020', '00100030', '00100040', '0020000D', '00200010', '00081030', DERIVED.numberOfStudyRelatedSeries, DERIVED.numberOfStudyRelatedInstances];
const SERIES_DEFAULTS = ['00080005', '00080060', '00080201', '0008103E', '0020000D', '0020000E', '00200011', DERIVED.numberOfSeriesRelatedInstances, '00400244', '00400245', '00400275'];
const INSTANCE_DEFAULTS = ['00080005', '00080016', '00080018', '00080056', '00080201', '0020000D', '0020000E', '00200013', '00280010', '00280011', '00280100', '00280008'];

export const QIDO_DEFAULTS: Record<Exclude<QueryLevel, 'PATIENT'>, readonly string[]> = { STUDY: STUDY_DEFAULTS, SERIES: SERIES_DEFAULTS, IMAGE: INSTANCE_DEFAULTS };

const CONTROL = new Set(['includefield', 'limit', 'offset', 'fuzzymatching']);

/** A keyword or an eight-hex-digit tag, as the tag key of DICOM JSON. */
export function attributeKey(name: string): string {
  if (/^[0-9A-Fa-f]{8}$/.test(name)) return name.toUpperCase();
  if (name.includes('.')) throw new QidoParameterError(`"${name}": attributes inside sequences cannot be searched`);
  const tag = tagOf(name);
  if (tag === undefined) throw new QidoParameterError(`"${name}" is neither a DICOM keyword nor a tag`);
  return tag.toString(16).toUpperCase().padStart(8, '0');
}

/**
 * `params` are the URL's search parameters; `scope` the UIDs the path fixes
 * (/studies/{study}/series...).
 */
export function parseQido(level: Exclude<QueryLevel, 'PATIENT'>, params: URLSearchParams, scope: { studyUid?: string; seriesUid?: string } = {}): QidoSearch {
  const includeAll = params.getAll('includefield').some((v) => v.split(',').some((name) => name.trim() === 'all'));
  const identifier = qidoIdentifier(level, params, scope);
  let query: CompiledQuery;
  try {
    query = compileQuery(level, identifier);
  } catch (error) {
    if (error instanceof QueryKeyError) throw new QidoParameterError(error.message);
    throw error;
  }
  return {
    query,
    includeAll,
    limit: count(params.get('limit'), 'limit'),
    offset: count(params.get('offset'), 'offset') ?? 0,
    fuzzyMatching: params.get('fuzzymatching') === 'true',
  };
}

/**
 * The C-FIND identifier QIDO-RS parameters stand for: the keys, `includefield`
 * as return keys, the path's UIDs and the level's default attributes. Also how
 * a search is passed on to a remote node.
 */
export function qidoIdentifier(level: Exclude<QueryLevel, 'PATIENT'>, params: URLSearchParams, scope: { studyUid?: string | undefined; seriesUid?: string | undefined } = {}): DicomJsonDataset {
  const identifier: DicomJsonDataset = {};
  for (const name of params.getAll('includefield').flatMap((v) => v.split(','))) {
    if (name.trim() !== '' && name.trim() !== 'all') identifier[attributeKey(name.trim())] ??= { vr: vrOf(attributeKey(name.trim())) };
  }
  for (const [name, value] of params) {
    if (CONTROL.has(name)) continue;
    const key = attributeKey(name);
    const vr = vrOf(key);
    // PS3.18 8.3.4.1: a UID list may be separated by commas as well as backslashes.
    const text = vr === 'UI' ? value.replaceAll(',', '\\') : value;
    identifier[key] = { vr, Value: [vr === 'PN' ? { Alphabetic: text } : text] };
  }
  if (scope.studyUid) identifier['0020000D'] = { vr: 'UI', Value: [scope.studyUid] };
  if (scope.seriesUid) identifier['0020000E'] = { vr: 'UI', Value: [scope.seriesUid] };
  for (const tag of QIDO_DEFAULTS[level]) identifier[tag] ??= { vr: vrOf(tag) };
  return identifier;
}

function vrOf(key: string): string {
  return dictionaryVr(parseInt(key, 16)) ?? 'UN';
}

function count(value: string | null, name: string): number | undefined {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value)) throw new QidoParameterError(`${name}="${value}" is not a non-negative integer`);
  return Number(value);
}

/** One QIDO-RS result: the asked and default attributes, or with includefield=all everything held but bulk data. */
export function qidoAnswer(search: QidoSearch, record: DicomJsonDataset): DicomJsonDataset {
  const answer = search.includeAll ? { ...record, ...answerFor(search.query, record) } : answerFor(search.query, record);
  return Object.fromEntries(Object.entries(answer).filter(([, element]) => element.BulkDataURI === undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
