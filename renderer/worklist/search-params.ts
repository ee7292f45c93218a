/**
 * The worklist's filters as QIDO-RS study parameters for GET /api/studies
 * (docs/api.md). What a user types is taken as the start of the value
 * (names, IDs) or any part of it (descriptions), unless they wrote their own
 * wildcards.
 */
export interface WorklistFilters {
  name: string;
  patientId: string;
  accession: string;
  /** YYYY-MM-DD as date inputs give it; empty for no bound. */
  dateFrom: string;
  dateTo: string;
  modality: string;
  description: string;
}

/** Typing waits this long before searching; events arriving during a transfer are merged the same way. */
export const SEARCH_DEBOUNCE_MS = 250;

/** A remote search is a C-FIND on another system: wait for the typing to settle. */
export const REMOTE_SEARCH_DEBOUNCE_MS = 600;

export const EMPTY_FILTERS: WorklistFilters = { name: '', patientId: '', accession: '', dateFrom: '', dateTo: '', modality: '', description: '' };

const hasWildcard = (value: string) => /[*?]/.test(value);

function prefix(value: string): string {
  return hasWildcard(value) ? value : `${value}*`;
}

function contains(value: string): string {
  return hasWildcard(value) ? value : `*${value}*`;
}

/** "Doe, Jane" is how people type what DICOM writes "Doe^Jane". */
function nameQuery(value: string): string {
  return prefix(value.replace(/\s*,\s*/g, '^'));
}

function dicomDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

export function studySearchParams(filters: WorklistFilters): URLSearchParams {
  const params = new URLSearchParams();
  const name = filters.name.trim();
  const patientId = filters.patientId.trim();
  const accession = filters.accession.trim();
  const description = filters.description.trim();
  if (name) params.set('PatientName', nameQuery(name));
  if (patientId) params.set('PatientID', prefix(patientId));
  if (accession) params.set('AccessionNumber', prefix(accession));
  if (filters.dateFrom || filters.dateTo) {
    const from = dicomDate(filters.dateFrom);
    const to = dicomDate(filters.dateTo);
    params.set('StudyDate', from && from === to ? from : `${from}-${to}`);
  }
  if (filters.modality) params.set('ModalitiesInStudy', filters.modality);
  if (description) params.set('StudyDescription', contains(description));
  return params;
}
