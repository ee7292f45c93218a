/**
 * The hanging-protocol engine: a study, the patient's other studies and the
 * presets in; the winning protocol, every candidate's score with each rule's
 * verdict, the priors chosen (or missing), the stages with their viewport
 * assignments, and what is not shown out. Pure and deterministic: the
 * renderer and `viewbox protocols explain` run this same function.
 *
 * Ranking: a protocol is a candidate when none of its required rules fails
 * and its score (the weights of the rules that passed) reaches minScore, by
 * default anything above 0 (a fallback protocol needs no score). Candidates
 * rank by: not a fallback first, then higher score, then more required rules
 * (the more specific protocol), then id.
 */
import { scoreRules } from './match-rules.js';
import { selectPriors, type PriorSelection } from './prior-selection.js';
import { hangStages } from './stage-assignment.js';
import { studyAttributeValue, type StudyFacts } from './study-facts.js';
import type { CandidateReport, HangingProtocol, ProtocolResult } from './types.js';

export interface EngineInput {
  current: StudyFacts;
  /** The patient's other studies held locally, in any order; priors are chosen among them. */
  priorCandidates?: readonly StudyFacts[];
  /** Valid protocols (see validate-protocol.ts), e.g. the effective preset set. */
  protocols: readonly HangingProtocol[];
}

export interface EngineOptions {
  /**
   * Hang this protocol instead of the winner: the reader's "next protocol
   * that matches", or the editor's preview of a protocol being written
   * (which is hung even when it does not match; `winner.forced` says so).
   */
  protocolId?: string;
}

export interface RankedProtocol {
  protocol: HangingProtocol;
  report: CandidateReport;
  priors: PriorSelection;
  requiredCount: number;
}

/** Every protocol scored against the study: matched ones in rank order, then the others by id. */
export function rankProtocols(current: StudyFacts, priorCandidates: readonly StudyFacts[], protocols: readonly HangingProtocol[]): RankedProtocol[] {
  const scored = protocols.map((protocol): RankedProtocol => {
    const priors = selectPriors(current, priorCandidates, protocol.priors);
    const rules = scoreRules(protocol.match, (attribute) => studyAttributeValue(current, attribute, priors.chosen.length), '/match');
    const fallback = protocol.fallback ?? false;
    const report: CandidateReport = { id: protocol.id, name: protocol.name, version: protocol.version, fallback, matched: true, score: rules.score, rules: rules.outcomes };
    const firstFailed = rules.failedRequired[0];
    if (firstFailed) {
      report.matched = false;
      report.excludedBecause = `required rule ${firstFailed.pointer} failed: ${firstFailed.why}`;
    } else if (!fallback && protocol.minScore !== undefined && rules.score < protocol.minScore) {
      report.matched = false;
      report.excludedBecause = `score ${rules.score} is below minScore ${protocol.minScore}`;
    } else if (!fallback && rules.score <= 0) {
      report.matched = false;
      report.excludedBecause = rules.outcomes.length === 0 ? 'no match rules and not a fallback' : 'score 0: no rule with a weight passed';
    }
    return { protocol, report, priors, requiredCount: rules.requiredCount };
  });
  const matched = scored.filter((s) => s.report.matched).sort(compareCandidates);
  matched.forEach((s, i) => (s.report.rank = i + 1));
  const excluded = scored.filter((s) => !s.report.matched).sort((a, b) => compareIds(a.protocol.id, b.protocol.id));
  return [...matched, ...excluded];
}

function compareCandidates(a: RankedProtocol, b: RankedProtocol): number {
  return (
    Number(a.report.fallback) - Number(b.report.fallback) ||
    b.report.score - a.report.score ||
    b.requiredCount - a.requiredCount ||
    compareIds(a.protocol.id, b.protocol.id)
  );
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function applyProtocols(input: EngineInput, options: EngineOptions = {}): ProtocolResult {
  const ranked = rankProtocols(input.current, input.priorCandidates ?? [], input.protocols);
  const candidates = ranked.map((r) => r.report);
  const hangOf = (r: RankedProtocol) => hangStages(r.protocol, { current: input.current, priors: r.priors.chosen.map((c) => c.study) });
  let chosen: RankedProtocol | undefined;
  let hung: ReturnType<typeof hangStages> | undefined;
  let forced = false;
  if (options.protocolId !== undefined) {
    chosen = ranked.find((r) => r.protocol.id === options.protocolId);
    if (!chosen) throw new Error(`no hanging protocol with id "${options.protocolId}" (known: ${input.protocols.map((p) => p.id).join(', ') || 'none'})`);
    forced = !chosen.report.matched;
    hung = hangOf(chosen);
  } else {
    // The best match that can hang something: a protocol whose every stage would stay empty
    // (the study matched, its series did not) gives way to the next.
    for (const candidate of ranked.filter((r) => r.report.matched)) {
      const stages = hangOf(candidate);
      if (stages.stages.some((stage) => stage.active)) {
        [chosen, hung] = [candidate, stages];
        break;
      }
      candidate.report.skippedBecause = 'no stage could be hung: no display set matched any of its viewports';
    }
  }
  if (!chosen || !hung) {
    return { winner: null, candidates, priors: { wanted: 0, chosen: [], considered: [], missing: [] }, missingPriors: [], stages: [], initialStage: 0, notShown: [] };
  }
  const priors = chosen.priors;
  const { protocol, report } = chosen;
  return {
    winner: { id: protocol.id, name: protocol.name, version: protocol.version, score: report.score, ...(forced ? { forced } : {}) },
    candidates,
    priors: { wanted: protocol.priors?.count ?? 0, chosen: priors.chosen.map((c) => c.report), considered: priors.considered, missing: priors.missing },
    missingPriors: priors.missing,
    ...hung,
  };
}

/** The matched protocols' ids in rank order: what "next protocol that matches" cycles through. */
export function matchingProtocolIds(result: ProtocolResult): string[] {
  return result.candidates.filter((c) => c.matched).map((c) => c.id);
}
