/**
 * Hanging one protocol: for every stage and screen, which display set each
 * viewport shows (or why none), with its cell, display settings, sync groups
 * and the derived objects (SEG, SR, ...) that refer to it; which stages are
 * active; and what no active stage shows.
 */
import { rankDisplaySets, studyOf, type HungStudies, type RankedDisplaySet, type SelectorRanking } from './display-set-selectors.js';
import { escapePointer } from './json-pointer.js';
import { layoutCapacity, layoutCells } from './layout-grid.js';
import type { DisplaySetFacts, StudyFacts } from './study-facts.js';
import type {
  AssignedDisplaySet,
  DerivedRef,
  HangingProtocol,
  NotShown,
  ScreenResult,
  ScreenSpec,
  StageResult,
  StageSpec,
  StudyRef,
  SyncGroupResult,
  ViewportAssignment,
  ViewportSpec,
} from './types.js';

export interface HungStages {
  stages: StageResult[];
  initialStage: number;
  notShown: NotShown[];
}

/** Why a repeated viewport's display set did not fit, keyed by display set id. */
type Overflow = Map<string, string>;

export function hangStages(protocol: HangingProtocol, studies: HungStudies): HungStages {
  const rankings = new Map<string, SelectorRanking>();
  const rank = (key: string): SelectorRanking | undefined => {
    const selector = protocol.displaySets[key];
    if (!selector) return undefined;
    let ranking = rankings.get(key);
    if (!ranking) {
      ranking = rankDisplaySets(selector, studies, `/displaySets/${escapePointer(key)}`);
      rankings.set(key, ranking);
    }
    return ranking;
  };
  const overflow: Overflow = new Map();
  const stages = protocol.stages.map((stage, index) => hangStage(protocol, stage, index, studies, rank, overflow));
  const firstActive = stages.findIndex((s) => s.active);
  return { stages, initialStage: Math.max(0, firstActive), notShown: notShown(stages, studies, overflow) };
}

function hangStage(
  protocol: HangingProtocol,
  stage: StageSpec,
  index: number,
  studies: HungStudies,
  rank: (key: string) => SelectorRanking | undefined,
  overflow: Overflow,
): StageResult {
  const screens = stage.screens.map((screen, s) => hangScreen(screen, `/stages/${index}/screens/${s}`, s, studies, rank, overflow));
  const matched = screens.reduce((n, s) => n + s.viewports.filter((v) => v.displaySet).length, 0);
  const result: StageResult = { index, id: stage.id, name: stage.name, active: true, screens, syncGroups: syncGroups(protocol, screens) };
  const wantedPriors = stage.requires?.priors ?? 0;
  const wantedViewports = stage.requires?.matchedViewports ?? 1;
  if (studies.priors.length < wantedPriors) {
    result.active = false;
    result.inactiveBecause = `needs ${wantedPriors} ${wantedPriors === 1 ? 'prior' : 'priors'}, ${studies.priors.length} found`;
  } else if (matched < wantedViewports) {
    result.active = false;
    result.inactiveBecause = `needs ${wantedViewports} matched ${wantedViewports === 1 ? 'viewport' : 'viewports'}, ${matched} matched`;
  }
  return result;
}

function hangScreen(
  screen: ScreenSpec,
  pointer: string,
  screenIndex: number,
  studies: HungStudies,
  rank: (key: string) => SelectorRanking | undefined,
  overflow: Overflow,
): ScreenResult {
  type Planned = { spec: ViewportSpec; specIndex: number; pick: Pick };
  const fixed = new Map<number, Pick>();
  const taken = new Set<string>();
  screen.viewports.forEach((spec, i) => {
    if (spec.repeat) return;
    const pick = pickFor(spec, rank);
    fixed.set(i, pick);
    if (pick.chosen) taken.add(pick.chosen.set.id);
  });
  // Repeated viewports share what the fixed ones leave of the layout's capacity.
  const capacity = layoutCapacity(screen.layout);
  let room = capacity - fixed.size;
  const planned: Planned[] = [];
  screen.viewports.forEach((spec, i) => {
    const pick = fixed.get(i);
    if (pick) {
      planned.push({ spec, specIndex: i, pick });
      return;
    }
    const { candidates, reason } = usable(spec, rank);
    const fresh = candidates.filter((c) => !taken.has(c.set.id));
    if (fresh.length === 0 && room > 0) {
      room--;
      planned.push({ spec, specIndex: i, pick: { unmatched: reason ?? `every display set selector "${spec.displaySet}" matches is already shown on this screen` } });
    }
    for (const chosen of fresh) {
      taken.add(chosen.set.id);
      if (room <= 0) {
        overflow.set(chosen.set.id, `more display sets than the ${capacity} viewports of ${pointer}`);
        continue;
      }
      room--;
      planned.push({ spec, specIndex: i, pick: { chosen, matchIndex: candidates.indexOf(chosen) } });
    }
  });
  const grid = layoutCells(screen.layout, planned.length);
  const viewports = planned.map((p, index) => assignment(p.spec, `${pointer}/viewports/${p.specIndex}`, index, grid.cells[index]!, p.pick, studies));
  const result: ScreenResult = { index: screenIndex, rows: grid.rows, columns: grid.columns, viewports };
  if (screen.name !== undefined) result.name = screen.name;
  return result;
}

interface Pick {
  chosen?: RankedDisplaySet;
  matchIndex?: number;
  unmatched?: string;
}

function needsVolume(spec: ViewportSpec): boolean {
  return spec.type === 'mpr' || spec.type === 'volume3d';
}

/** The selector's candidates this viewport can show (a volume for mpr/3D), or why there are none. */
function usable(spec: ViewportSpec, rank: (key: string) => SelectorRanking | undefined): { candidates: RankedDisplaySet[]; reason?: string } {
  const ranking = rank(spec.displaySet);
  if (!ranking) return { candidates: [], reason: `no display set selector named "${spec.displaySet}"` };
  if (ranking.studyMissing) return { candidates: [], reason: `selector "${spec.displaySet}": ${ranking.studyMissing}` };
  const candidates = needsVolume(spec) ? ranking.candidates.filter((c) => c.set.isReconstructable) : ranking.candidates;
  if (candidates.length > 0) return { candidates };
  if (ranking.candidates.length > 0) {
    return { candidates, reason: `selector "${spec.displaySet}" matches ${ranking.candidates.length} display set(s), none reconstructable as the ${spec.type} viewport needs` };
  }
  if (ranking.refused.length === 0) return { candidates, reason: `selector "${spec.displaySet}": the study has no image display sets` };
  const misses = ranking.refused.slice(0, 3).map((r) => `${describe(r.set)} ${r.why}`);
  const more = ranking.refused.length > 3 ? `; and ${ranking.refused.length - 3} more` : '';
  return { candidates, reason: `no display set matches selector "${spec.displaySet}": ${misses.join('; ')}${more}` };
}

function pickFor(spec: ViewportSpec, rank: (key: string) => SelectorRanking | undefined): Pick {
  const { candidates, reason } = usable(spec, rank);
  const want = spec.matchIndex ?? 0;
  const chosen = candidates[want];
  if (chosen) return { chosen, matchIndex: want };
  if (candidates.length > 0) return { unmatched: `selector "${spec.displaySet}" matches ${candidates.length} display set(s); matchIndex ${want} asks for number ${want + 1}` };
  return { unmatched: reason ?? `selector "${spec.displaySet}" matches nothing` };
}

function assignment(spec: ViewportSpec, pointer: string, index: number, cell: ViewportAssignment['cell'], pick: Pick, studies: HungStudies): ViewportAssignment {
  const type = spec.type ?? 'stack';
  const v: ViewportAssignment = {
    index,
    pointer,
    cell,
    selector: spec.displaySet,
    type,
    initialImage: spec.initialImage ?? 'first',
    invert: spec.invert ?? false,
    zoom: spec.zoom ?? 1,
    flipHorizontal: spec.flipHorizontal ?? false,
    align: spec.align ?? 'center',
    sync: spec.sync ?? [],
    displaySet: null,
    derived: [],
  };
  if (type === 'mpr') v.orientation = spec.orientation ?? 'axial';
  if (spec.slab) v.slab = spec.slab;
  if (spec.voi) v.voi = spec.voi;
  if (spec.label !== undefined) v.label = spec.label;
  if (!pick.chosen) {
    v.unmatched = pick.unmatched ?? 'nothing matched';
    return v;
  }
  const { set, study, studyUid, score, rules } = pick.chosen;
  const assigned: AssignedDisplaySet = {
    displaySetId: set.id,
    seriesUid: set.seriesUid,
    study,
    studyUid,
    description: set.seriesDescription,
    seriesNumber: set.seriesNumber,
    modality: set.modality,
    score,
    matchIndex: pick.matchIndex ?? 0,
    rules,
  };
  if (set.instanceUids) assigned.instanceUids = set.instanceUids;
  v.displaySet = assigned;
  if (spec.derived ?? true) v.derived = derivedFor(set, studyOf(study, studies));
  return v;
}

function derivedFor(set: DisplaySetFacts, study: StudyFacts | undefined): DerivedRef[] {
  return (study?.displaySets ?? [])
    .filter((d) => d.kind === 'derived' && d.referencedSeriesUids.includes(set.seriesUid))
    .map((d) => ({ displaySetId: d.id, seriesUid: d.seriesUid, modality: d.modality, description: d.seriesDescription }));
}

function syncGroups(protocol: HangingProtocol, screens: ScreenResult[]): SyncGroupResult[] {
  return (protocol.syncGroups ?? []).map((group) => ({
    id: group.id,
    type: group.type,
    members: screens.flatMap((screen) => screen.viewports.filter((v) => v.displaySet && v.sync.includes(group.id)).map((v): [number, number] => [screen.index, v.index])),
  }));
}

function notShown(stages: StageResult[], studies: HungStudies, overflow: Overflow): NotShown[] {
  const active = stages.filter((s) => s.active);
  const viewports = active.flatMap((s) => s.screens.flatMap((screen) => screen.viewports));
  const shown = new Set(viewports.flatMap((v) => (v.displaySet ? [`${v.displaySet.studyUid}|${v.displaySet.displaySetId}`] : [])));
  const attached = new Set(viewports.flatMap((v) => v.derived.map((d) => `${v.displaySet?.studyUid ?? ''}|${d.displaySetId}`)));
  const refs: Array<[StudyRef, StudyFacts]> = [['current', studies.current], ...studies.priors.map((p, i): [StudyRef, StudyFacts] => [`prior-${i + 1}`, p])];
  const result: NotShown[] = [];
  for (const [ref, study] of refs) {
    for (const set of study.displaySets) {
      const key = `${study.studyUid}|${set.id}`;
      if (shown.has(key) || attached.has(key)) continue;
      const reason =
        set.kind === 'derived'
          ? 'refers to no series shown in an active stage'
          : set.kind === 'other'
            ? `not an image (${set.modality || 'no modality'})`
            : (overflow.get(set.id) ?? (active.length === 0 ? 'no stage is active' : 'no viewport of an active stage selects it'));
      result.push({ displaySetId: set.id, seriesUid: set.seriesUid, study: ref, modality: set.modality, description: set.seriesDescription, reason });
    }
  }
  return result;
}

function describe(set: DisplaySetFacts): string {
  return `series ${set.seriesNumber ?? '?'} ${JSON.stringify(set.seriesDescription ?? '')}`;
}
