/**
 * Hanging one protocol: for every stage and screen, which display set each
 * viewport shows (or why none), with its cell, display settings, sync groups
 * and the derived objects (SEG, SR, ...) that refer to it; which stages are
 * active; and what no active stage shows.
 */
import { rankDisplaySets, studyOf, type HungStudies, type RankedDisplaySet, type SelectorRanking } from './display-set-selectors.js';
import { escapePointer } from './json-pointer.js';
import { layoutCapacity, layoutCells, reflowCells, type Grid } from './layout-grid.js';
import type { DisplaySetFacts, StudyFacts } from './study-facts.js';
import { vacancyOf, type EmptyCause } from './vacancy.js';
import type {
  AssignedDisplaySet,
  CollapsedViewport,
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
  WhenEmpty,
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
  const screens = stage.screens.map((screen, s) => hangScreen(screen, `/stages/${index}/screens/${s}`, s, stage.whenEmpty ?? 'collapse', studies, rank, overflow));
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
  stageWhenEmpty: WhenEmpty,
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
    const { candidates, reason, cause } = usable(spec, rank);
    const fresh = candidates.filter((c) => !taken.has(c.set.id));
    if (fresh.length === 0 && room > 0) {
      room--;
      const pick = reason ? { unmatched: reason, cause } : { unmatched: `every display set selector "${spec.displaySet}" matches is already shown on this screen`, cause: { kind: 'all-shown' } as const };
      planned.push({ spec, specIndex: i, pick });
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
  // Empty viewports are dropped unless the protocol keeps them; a screen keeps one, to say why it is empty.
  const dropped = planned.filter((p) => !p.pick.chosen && (p.spec.whenEmpty ?? stageWhenEmpty) === 'collapse');
  if (dropped.length === planned.length) dropped.shift();
  const shown = planned.filter((p) => !dropped.includes(p));
  const grid = dropped.length > 0 ? reflow(screen, shown.length) : layoutCells(screen.layout, shown.length);
  const viewports = shown.map((p, index) => assignment(p.spec, `${pointer}/viewports/${p.specIndex}`, index, grid.cells[index]!, p.pick, studies));
  const collapsed = dropped.map((p) => collapsedViewport(p.spec, `${pointer}/viewports/${p.specIndex}`, p.pick));
  const result: ScreenResult = { index: screenIndex, rows: grid.rows, columns: grid.columns, viewports, collapsed };
  if (screen.name !== undefined) result.name = screen.name;
  return result;
}

/** The screen's grid for the viewports left once the empty ones are dropped. */
function reflow(screen: ScreenSpec, count: number): ReturnType<typeof layoutCells> {
  const { layout } = screen;
  if (layout.type === 'auto') return layoutCells(layout, count);
  const bounds: Grid = { rows: layout.rows, columns: layout.columns };
  return reflowCells(count, bounds.rows, bounds.columns);
}

function collapsedViewport(spec: ViewportSpec, pointer: string, pick: Pick): CollapsedViewport {
  const c: CollapsedViewport = { pointer, selector: spec.displaySet, type: spec.type ?? 'stack', unmatched: pick.unmatched ?? 'nothing matched' };
  if (spec.label !== undefined) c.label = spec.label;
  return c;
}

interface Pick {
  chosen?: RankedDisplaySet;
  matchIndex?: number;
  unmatched?: string;
  cause?: EmptyCause;
}

function needsVolume(spec: ViewportSpec): boolean {
  return spec.type === 'mpr' || spec.type === 'volume3d';
}

interface Usable {
  candidates: RankedDisplaySet[];
  /** The study the selector looks in. */
  study?: StudyRef;
  /** When there are none: why, in the engine's words and as a cause the reader's words are made from. */
  reason?: string;
  cause?: EmptyCause;
}

/** The selector's candidates this viewport can show (a volume for mpr/3D), or why there are none. */
function usable(spec: ViewportSpec, rank: (key: string) => SelectorRanking | undefined): Usable {
  const ranking = rank(spec.displaySet);
  if (!ranking) return { candidates: [], reason: `no display set selector named "${spec.displaySet}"`, cause: { kind: 'no-selector' } };
  if (ranking.studyMissing) return { candidates: [], reason: `selector "${spec.displaySet}": ${ranking.studyMissing}`, cause: { kind: 'prior-missing' } };
  const study = ranking.study;
  const candidates = needsVolume(spec) ? ranking.candidates.filter((c) => c.set.isReconstructable) : ranking.candidates;
  if (candidates.length > 0) return { candidates, study };
  if (ranking.candidates.length > 0) {
    return { candidates, reason: `selector "${spec.displaySet}" matches ${ranking.candidates.length} display set(s), none reconstructable as the ${spec.type} viewport needs`, cause: { kind: 'not-a-volume', study } };
  }
  if (ranking.refused.length === 0) return { candidates, reason: `selector "${spec.displaySet}": the study has no image display sets`, cause: { kind: 'no-match', study } };
  const misses = ranking.refused.slice(0, 3).map((r) => `${describe(r.set)} ${r.why}`);
  const more = ranking.refused.length > 3 ? `; and ${ranking.refused.length - 3} more` : '';
  return { candidates, reason: `no display set matches selector "${spec.displaySet}": ${misses.join('; ')}${more}`, cause: { kind: 'no-match', study } };
}

function pickFor(spec: ViewportSpec, rank: (key: string) => SelectorRanking | undefined): Pick {
  const { candidates, reason, cause, study = 'current' } = usable(spec, rank);
  const want = spec.matchIndex ?? 0;
  const chosen = candidates[want];
  if (chosen) return { chosen, matchIndex: want };
  if (candidates.length > 0) {
    return { unmatched: `selector "${spec.displaySet}" matches ${candidates.length} display set(s); matchIndex ${want} asks for number ${want + 1}`, cause: { kind: 'too-few', study, count: candidates.length } };
  }
  return { unmatched: reason ?? `selector "${spec.displaySet}" matches nothing`, cause: cause ?? { kind: 'no-selector' } };
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
    v.vacancy = vacancyOf(pick.cause ?? { kind: 'no-selector' }, spec, studies);
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
