/**
 * Why a viewport has nothing to show, as the engine knows it, and what the
 * reader is told in its place: clinical words ("No prior CT chest on this
 * node"), never selector names or scores (those stay in explain and the
 * editor).
 */
import { studyOf, type HungStudies } from './display-set-selectors.js';
import { imageModalities, type StudyFacts } from './study-facts.js';
import type { StudyRef, Vacancy, ViewportSpec } from './types.js';

export type EmptyCause =
  /** The selector looks in a prior the engine did not find. */
  | { kind: 'prior-missing' }
  /** No display set of its study passed the selector. */
  | { kind: 'no-match'; study: StudyRef }
  /** Some did, none of them a volume the mpr or 3D viewport needs. */
  | { kind: 'not-a-volume'; study: StudyRef }
  /** Fewer candidates than the viewport's matchIndex asks for. */
  | { kind: 'too-few'; study: StudyRef; count: number }
  /** A repeated viewport whose candidates are all shown already. */
  | { kind: 'all-shown' }
  /** The protocol names a selector it does not define (a valid protocol never does). */
  | { kind: 'no-selector' };

export function vacancyOf(cause: EmptyCause, spec: ViewportSpec, studies: HungStudies): Vacancy {
  // A label names the series of the current study ("T2"); in a prior it would read "Prior series in the prior".
  const what = (ref: StudyRef) => (spec.label && ref === 'current' ? `${spec.label} series` : 'matching series');
  const place = (ref: StudyRef) => (ref === 'current' ? 'in this study' : `in the prior${priorDate(studyOf(ref, studies))}`);
  switch (cause.kind) {
    case 'prior-missing':
      return { text: `No prior ${studyKind(studies.current)} on this node`, priorMissing: true };
    case 'no-match':
      return { text: `No ${what(cause.study)} ${place(cause.study)}`, priorMissing: false };
    case 'not-a-volume':
      return { text: `No series ${place(cause.study)} can be shown as ${spec.type === 'volume3d' ? '3D' : 'MPR'}`, priorMissing: false };
    case 'too-few':
      return { text: `Only ${cause.count} ${what(cause.study)} ${place(cause.study)}`, priorMissing: false };
    case 'all-shown':
      return { text: `Every ${what('current')} is shown already`, priorMissing: false };
    case 'no-selector':
      return { text: 'Nothing to show here', priorMissing: false };
  }
}

/** "CT chest", "MR head": the study's image modalities and first body part, as a reader names an examination. */
function studyKind(study: StudyFacts): string {
  const modality = imageModalities(study).join('/') || 'study';
  const part = study.bodyParts[0]?.toLowerCase();
  return part ? `${modality} ${part}` : modality;
}

function priorDate(study: StudyFacts | undefined): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(study?.studyDate ?? '');
  return m ? ` of ${m[1]}-${m[2]}-${m[3]}` : '';
}
