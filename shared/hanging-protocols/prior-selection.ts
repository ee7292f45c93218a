/**
 * Choosing priors by their attributes: an earlier study of the same patient
 * that passes the protocol's prior criteria (modality, body part,
 * description, age, rules), best first. What could not be found locally is
 * returned as a query the UI can send to a remote node.
 */
import { dateOfDayNumber, dayNumber, secondsOfDay } from './dicom-dates.js';
import { scoreRules } from './match-rules.js';
import { imageModalities, studyAttributeValue, type StudyFacts } from './study-facts.js';
import type { ChosenPrior, MissingPrior, PriorConsideration, PriorQuery, PriorSpec, StudyRef } from './types.js';

export interface PriorSelection {
  /** In prior order: chosen[0] is prior-1. */
  chosen: Array<{ study: StudyFacts; report: ChosenPrior }>;
  considered: PriorConsideration[];
  missing: MissingPrior[];
}

interface Verdict {
  study: StudyFacts;
  accepted: boolean;
  score: number;
  ageDays: number | null;
  why: string[];
}

export function priorRef(n: number): StudyRef {
  return `prior-${n}`;
}

/** The priors `spec` picks for `current` among `candidates` (the patient's other studies; others are refused). */
export function selectPriors(current: StudyFacts, candidates: readonly StudyFacts[], spec: PriorSpec | undefined): PriorSelection {
  if (!spec || spec.count <= 0) return { chosen: [], considered: [], missing: [] };
  const verdicts = candidates.filter((c) => c.studyUid !== current.studyUid).map((c) => judge(current, c, spec));
  const accepted = verdicts.filter((v) => v.accepted).sort((a, b) => compareAccepted(a, b, spec.order ?? 'most-recent'));
  const chosen = accepted.slice(0, spec.count).map((v, i) => ({
    study: v.study,
    report: {
      ref: priorRef(i + 1),
      studyUid: v.study.studyUid,
      studyDate: v.study.studyDate,
      description: v.study.studyDescription,
      modalities: v.study.modalities,
      ageDays: v.ageDays,
      why: `${v.why.join('; ')}; ranked ${i + 1} of ${accepted.length} suitable (${rankingText(spec)})`,
    },
  }));
  const considered = verdicts.map((v) => ({
    studyUid: v.study.studyUid,
    studyDate: v.study.studyDate,
    description: v.study.studyDescription,
    accepted: v.accepted,
    score: v.score,
    why: v.why,
  }));
  const missing: MissingPrior[] = [];
  for (let n = chosen.length + 1; n <= spec.count; n++) {
    const reason =
      verdicts.length === 0
        ? 'no other study of this patient in the local archive'
        : accepted.length === 0
          ? `none of the ${verdicts.length} other local studies of this patient is suitable`
          : `only ${accepted.length} suitable local ${accepted.length === 1 ? 'study' : 'studies'} of this patient`;
    missing.push({ ref: priorRef(n), reason, query: priorQuery(current, spec, candidates) });
  }
  return { chosen, considered, missing };
}

function judge(current: StudyFacts, candidate: StudyFacts, spec: PriorSpec): Verdict {
  const why: string[] = [];
  const refuse = (reason: string): Verdict => ({ study: candidate, accepted: false, score: 0, ageDays: null, why: [...why, reason] });

  if (current.patientId && candidate.patientId && current.patientId !== candidate.patientId) return refuse(`patient ID ${candidate.patientId} is not ${current.patientId}`);
  const currentDay = dayNumber(current.studyDate);
  const day = dayNumber(candidate.studyDate);
  if (currentDay === null) return refuse('the current study has no study date, so no study can be dated before it');
  if (day === null) return refuse('no study date');
  const ageDays = currentDay - day;
  if (ageDays < 0) return refuse(`${-ageDays} days newer than the current study`);
  if (ageDays === 0) {
    const t0 = secondsOfDay(current.studyTime);
    const t1 = secondsOfDay(candidate.studyTime);
    if (t0 === null || t1 === null || t1 >= t0) return refuse('same day as the current study, not earlier in time');
  }
  const minAge = spec.minAgeDays ?? 0;
  if (ageDays < minAge) return refuse(`${ageDays} days older, less than the minimum ${minAge}`);
  if (spec.maxAgeDays !== undefined && ageDays > spec.maxAgeDays) return refuse(`${ageDays} days older, more than the maximum ${spec.maxAgeDays}`);
  why.push(`${ageDays} days older${spec.maxAgeDays !== undefined ? ` (at most ${spec.maxAgeDays})` : ''}`);

  const modalities = imageModalities(candidate);
  if (spec.sameModality ?? true) {
    const wanted = imageModalities(current);
    const shared = modalities.filter((m) => wanted.includes(m));
    if (shared.length === 0) return refuse(`modalities [${candidate.modalities.join(', ')}] share none with the current [${wanted.join(', ')}]`);
    why.push(`same modality ${shared.join('/')}`);
  }
  if (spec.modalities && spec.modalities.length > 0) {
    const allowed = spec.modalities.map((m) => m.toUpperCase());
    const hit = modalities.filter((m) => allowed.includes(m));
    if (hit.length === 0) return refuse(`modalities [${candidate.modalities.join(', ')}] are none of [${allowed.join(', ')}]`);
    why.push(`modality ${hit.join('/')} is wanted`);
  }
  if (spec.sameBodyPart) {
    if (current.bodyParts.length === 0 || candidate.bodyParts.length === 0) why.push('body part not recorded, not compared');
    else {
      const shared = candidate.bodyParts.filter((b) => current.bodyParts.includes(b));
      if (shared.length === 0) return refuse(`body parts [${candidate.bodyParts.join(', ')}] share none with the current [${current.bodyParts.join(', ')}]`);
      why.push(`same body part ${shared.join('/')}`);
    }
  }
  if (spec.sameDescription) {
    const a = normalisedDescription(current.studyDescription);
    const b = normalisedDescription(candidate.studyDescription);
    if (!a || a !== b) return refuse(`description ${JSON.stringify(candidate.studyDescription ?? '')} is not the current ${JSON.stringify(current.studyDescription ?? '')}`);
    why.push('same description');
  }
  const rules = scoreRules(spec.rules ?? [], (attribute) => studyAttributeValue(candidate, attribute, 0), '/priors/rules');
  if (rules.failedRequired.length > 0) return refuse(`required rule ${rules.failedRequired[0]!.pointer} failed: ${rules.failedRequired[0]!.why}`);
  for (const o of rules.outcomes) if (!o.required) why.push(`${o.passed ? '+' : 'no'} ${o.weight} for ${o.why}`);
  return { study: candidate, accepted: true, score: rules.score, ageDays, why };
}

function compareAccepted(a: Verdict, b: Verdict, order: 'most-recent' | 'oldest'): number {
  if (a.score !== b.score) return b.score - a.score;
  const ka = sortTime(a.study);
  const kb = sortTime(b.study);
  if (ka !== kb) return order === 'most-recent' ? kb - ka : ka - kb;
  return a.study.studyUid < b.study.studyUid ? -1 : a.study.studyUid > b.study.studyUid ? 1 : 0;
}

function sortTime(study: StudyFacts): number {
  return (dayNumber(study.studyDate) ?? 0) * 86_400 + (secondsOfDay(study.studyTime) ?? 0);
}

function rankingText(spec: PriorSpec): string {
  const byDate = (spec.order ?? 'most-recent') === 'most-recent' ? 'most recent first' : 'oldest first';
  return spec.rules?.some((r) => !r.required) ? `by rule score, then ${byDate}` : byDate;
}

function normalisedDescription(text: string | null): string {
  return (text ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** What to ask a remote node for: the prior criteria as query keys. */
function priorQuery(current: StudyFacts, spec: PriorSpec, known: readonly StudyFacts[]): PriorQuery {
  const modalities = spec.modalities && spec.modalities.length > 0 ? spec.modalities.map((m) => m.toUpperCase()) : (spec.sameModality ?? true) ? imageModalities(current) : [];
  const query: PriorQuery = {
    patientId: current.patientId ?? '',
    modalities,
    excludeStudyUids: [current.studyUid, ...known.map((k) => k.studyUid)],
  };
  const currentDay = dayNumber(current.studyDate);
  if (currentDay !== null) {
    query.studyDateTo = dateOfDayNumber(currentDay - (spec.minAgeDays ?? 0));
    if (spec.maxAgeDays !== undefined) query.studyDateFrom = dateOfDayNumber(currentDay - spec.maxAgeDays);
  }
  if (spec.sameDescription && current.studyDescription) query.studyDescription = current.studyDescription;
  if (spec.sameBodyPart && current.bodyParts.length > 0) query.bodyParts = current.bodyParts;
  return query;
}
