/**
 * The hanging-protocol part of the app API: the effective presets (with the
 * files that were skipped and why), saving to the user folder, and the
 * engine's input for a study, so that the reading room runs the engine
 * itself (and can preview a preset being edited).
 */
import type { StudyFacts } from '../hanging-protocols/study-facts.js';
import type { HangingProtocol, ProtocolIssue } from '../hanging-protocols/types.js';

export type ProtocolLayer = 'built-in' | 'site' | 'user';

export interface CatalogEntry {
  protocol: HangingProtocol;
  layer: ProtocolLayer;
  /** The file it was read from. */
  file: string;
}

export interface ProtocolCatalog {
  protocols: CatalogEntry[];
  /** Files skipped whole, with every reason. */
  issues: Array<ProtocolIssue & { file: string }>;
  /** Where Save writes. */
  userDir: string;
}

/** What GET /api/studies/{uid}/protocol-input answers: the engine's input from the index. */
export interface ProtocolInput {
  current: StudyFacts;
  /** The patient's other studies held here. */
  priorCandidates: StudyFacts[];
}

/** The answer to a PUT that was refused: the protocol's problems. */
export interface ProtocolSaveRefusal {
  error: string;
  issues: ProtocolIssue[];
}

export const protocolPaths = {
  /** GET: ProtocolCatalog. */
  catalog: '/api/protocols',
  /** PUT the protocol's JSON text: validated, then saved to the user folder (the id is the document's). */
  save: (id: string) => `/api/protocols/${encodeURIComponent(id)}`,
  input: (studyUid: string) => `/api/studies/${encodeURIComponent(studyUid)}/protocol-input`,
} as const;
