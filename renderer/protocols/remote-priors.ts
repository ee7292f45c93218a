/**
 * Priors a hanging protocol wants and the local archive lacks, looked for on
 * the configured PACS: the search that stands for a missing prior, and which
 * of a node's answers the protocol's own prior rules would take. Pure.
 */
import { studyFactsFromStudyRecord } from '../../shared/hanging-protocols/facts-from-dicom-json.js';
import { selectPriors } from '../../shared/hanging-protocols/prior-selection.js';
import type { StudyFacts } from '../../shared/hanging-protocols/study-facts.js';
import type { HangingProtocol, MissingPrior } from '../../shared/hanging-protocols/types.js';
import type { DicomJsonDataset } from '../../shared/dicom/json.js';

/** QIDO-RS study parameters for GET /api/nodes/{name}/studies. */
export function priorSearchParams(missing: MissingPrior): URLSearchParams {
  const { query } = missing;
  const params = new URLSearchParams({ PatientID: query.patientId });
  if (query.modalities.length > 0) params.set('ModalitiesInStudy', query.modalities.join('\\'));
  if (query.studyDateFrom || query.studyDateTo) params.set('StudyDate', `${query.studyDateFrom ?? ''}-${query.studyDateTo ?? ''}`);
  return params;
}

/**
 * The Study Instance UIDs to retrieve: the answers the protocol's prior rules
 * accept, best first, as many as priors are missing; studies known here (or
 * the current one) are skipped.
 */
export function priorsToRetrieve(protocol: HangingProtocol, current: StudyFacts, missing: readonly MissingPrior[], answers: readonly DicomJsonDataset[]): string[] {
  if (missing.length === 0 || !protocol.priors) return [];
  const skip = new Set([current.studyUid, ...missing.flatMap((m) => m.query.excludeStudyUids)]);
  const candidates = answers.flatMap((answer) => {
    try {
      const facts = studyFactsFromStudyRecord(answer);
      return skip.has(facts.studyUid) ? [] : [facts];
    } catch {
      return [];
    }
  });
  const selection = selectPriors(current, candidates, { ...protocol.priors, count: missing.length });
  return selection.chosen.map((c) => c.study.studyUid);
}
