/**
 * The hanging-protocol format (what authors write, as described by
 * resources/schemas/hanging-protocol.schema.json) and what the engine answers.
 * Both the renderer and the CLI use these types; docs/hanging-protocols.md is
 * the author's guide to them.
 */

// ---------------------------------------------------------------- the format

/** Attributes a study rule (or a prior rule) can test; study-facts.ts says where each comes from. */
export type StudyAttribute =
  | 'modalities'
  | 'studyDescription'
  | 'bodyParts'
  | 'seriesDescriptions'
  | 'patientSex'
  | 'patientAge'
  | 'numberOfSeries'
  | 'institutionName'
  | 'availablePriors';

/** Attributes a display-set rule can test. */
export type DisplaySetAttribute =
  | 'modality'
  | 'seriesDescription'
  | 'seriesNumber'
  | 'numberOfImages'
  | 'orientation'
  | 'sliceThickness'
  | 'isReconstructable'
  | 'imageType'
  | 'scanningSequence'
  | 'sequenceVariant'
  | 'sequenceName'
  | 'protocolName'
  | 'echoTime'
  | 'repetitionTime'
  | 'inversionTime'
  | 'convolutionKernel'
  | 'contrast'
  | 'laterality'
  | 'viewPosition'
  | 'bodyPart'
  | 'sopClassUid';

export type Operator =
  | 'equals'
  | 'notEquals'
  | 'contains'
  | 'notContains'
  | 'startsWith'
  | 'matches'
  | 'notMatches'
  | 'oneOf'
  | 'noneOf'
  | 'includesAll'
  | 'range'
  | 'exists'
  | 'missing';

export interface NumberRange {
  /** Inclusive. */
  min?: number;
  /** Inclusive. */
  max?: number;
}

export type RuleValue = string | number | boolean | Array<string | number> | NumberRange;

/** One test of an attribute. A study passes a protocol's required rules to be a candidate; passed rules add their weight. */
export interface MatchRule<A extends string = string> {
  attribute: A;
  operator: Operator;
  /** Absent only for `exists` and `missing`. */
  value?: RuleValue;
  /** Added to the score when the rule passes; default 1, or 0 for a required rule (a gate, not evidence). */
  weight?: number;
  /** A failing required rule excludes the candidate; default false. */
  required?: boolean;
  /** Text comparisons ignore case unless this is true. */
  caseSensitive?: boolean;
  /** Why the rule exists, shown in explanations. */
  description?: string;
}

export type StudyRule = MatchRule<StudyAttribute>;
export type DisplaySetRule = MatchRule<DisplaySetAttribute>;

/** Which earlier studies of the patient are hung as priors, chosen by their attributes (never by UID). */
export interface PriorSpec {
  /** How many priors the protocol wants (prior-1 … prior-N). */
  count: number;
  /** The prior shares at least one image modality with the current study; default true. */
  sameModality?: boolean;
  /** The prior has one of these modalities (instead of, or as well as, sameModality). */
  modalities?: string[];
  /** The prior shares a body part with the current study; not compared when either has none recorded. Default false. */
  sameBodyPart?: boolean;
  /** The prior's description equals the current one (ignoring case and spacing); default false. */
  sameDescription?: boolean;
  /** At most this many days older than the current study. */
  maxAgeDays?: number;
  /** At least this many days older; default 0 (same day allowed when earlier in time). */
  minAgeDays?: number;
  /** Which qualifying studies come first; default most-recent. */
  order?: 'most-recent' | 'oldest';
  /** Further rules on the prior study: required ones filter, the others' weights rank before `order`. */
  rules?: StudyRule[];
}

/** Where a selector looks: the current study or the n-th chosen prior. */
export type StudyRef = 'current' | `prior-${number}`;

export type SortAttribute = 'seriesNumber' | 'numberOfImages' | 'sliceThickness';

export interface SortKey {
  attribute: SortAttribute;
  direction: 'asc' | 'desc';
}

/** A named choice of display set (series, or one view of a projection series) that viewports refer to. */
export interface DisplaySetSelector {
  /** Default "current". */
  study?: StudyRef;
  /** Display sets passing every required rule are candidates, best score first. */
  rules: DisplaySetRule[];
  /** A candidate needs at least this score; default 0. */
  minScore?: number;
  /** Tie-breaks after the score (then series number, then display set id). */
  sortBy?: SortKey[];
}

export type SyncType = 'scroll' | 'zoomPan' | 'voi';

export interface SyncGroup {
  id: string;
  type: SyncType;
  description?: string;
}

export interface GridLayout {
  type: 'grid';
  rows: number;
  columns: number;
}

export interface CellsLayout {
  type: 'cells';
  rows: number;
  columns: number;
  /** One per viewport, in viewport order. */
  cells: CellSpec[];
}

/** As many viewports as the screen ends up with, in the smallest grid that holds them (≤ maxRows × maxColumns). */
export interface AutoLayout {
  type: 'auto';
  maxRows?: number;
  maxColumns?: number;
}

export type Layout = GridLayout | CellsLayout | AutoLayout;

export interface CellSpec {
  row: number;
  column: number;
  rowSpan?: number;
  columnSpan?: number;
}

export type ViewportType = 'stack' | 'mpr' | 'volume3d';
export type PlaneOrientation = 'axial' | 'sagittal' | 'coronal';

export interface Voi {
  width: number;
  center: number;
  /** The preset's name, shown to the reader (e.g. "Lung"). */
  label?: string;
}

export interface Slab {
  thicknessMm: number;
  mode: 'mip' | 'minip' | 'average';
}

export interface ViewportSpec {
  /** Key of `displaySets`. */
  displaySet: string;
  /** 0 = the best match (default), 1 = the second best, ... */
  matchIndex?: number;
  /** One viewport per matching display set (not yet shown on this screen); only in an auto layout. */
  repeat?: boolean;
  /** Default stack. mpr and volume3d take only reconstructable display sets. */
  type?: ViewportType;
  /** mpr only; default axial. */
  orientation?: PlaneOrientation;
  /** mpr only. */
  slab?: Slab;
  /** Default first. */
  initialImage?: 'first' | 'middle' | 'last';
  /** Absent: the image's own window. */
  voi?: Voi;
  invert?: boolean;
  /** Magnification relative to fitting the viewport; default 1. */
  zoom?: number;
  flipHorizontal?: boolean;
  /** Keep the image against this edge of the viewport (mammography: chest walls back to back). */
  align?: 'left' | 'center' | 'right';
  /** Sync group ids. */
  sync?: string[];
  /** Attach segmentations, structured reports, presentation states and key images that reference the series; default true. */
  derived?: boolean;
  /** Shown in the viewport (e.g. "Prior"). */
  label?: string;
  /** Nothing to show: drop the viewport (default) or keep it, saying what is missing; wins over the stage's. */
  whenEmpty?: WhenEmpty;
}

/** What becomes of a viewport with nothing to show; see hanging-protocol.schema.json. */
export type WhenEmpty = 'collapse' | 'keep';

export interface ScreenSpec {
  name?: string;
  layout: Layout;
  viewports: ViewportSpec[];
}

export interface StageRequirements {
  /** The stage is active only when at least this many priors were found. */
  priors?: number;
  /** ...and at least this many of its viewports got a display set. */
  matchedViewports?: number;
}

export interface StageSpec {
  id: string;
  name: string;
  requires?: StageRequirements;
  /** For its viewports that do not say; default collapse. */
  whenEmpty?: WhenEmpty;
  /** One per monitor; see screen-folding.ts for fewer monitors. */
  screens: ScreenSpec[];
}

export interface HangingProtocol {
  $schema?: string;
  id: string;
  name: string;
  /** The author's revision of this protocol (an integer that grows). */
  version: number;
  description?: string;
  /** Matches every study, ranked below every protocol that is not a fallback. */
  fallback?: boolean;
  match: StudyRule[];
  /** A candidate needs at least this score; default: any score above 0. */
  minScore?: number;
  priors?: PriorSpec;
  displaySets: Record<string, DisplaySetSelector>;
  syncGroups?: SyncGroup[];
  stages: StageSpec[];
}

/** A problem in a protocol document: where (RFC 6901 pointer) and why. */
export interface ProtocolIssue {
  pointer: string;
  message: string;
}

// ---------------------------------------------------------------- the answer

export interface RuleOutcome {
  /** JSON pointer of the rule inside its protocol, e.g. "/match/2". */
  pointer: string;
  attribute: string;
  operator: Operator;
  value?: RuleValue;
  weight: number;
  required: boolean;
  passed: boolean;
  /** What was found and why it passed or failed. */
  why: string;
}

export interface CandidateReport {
  id: string;
  name: string;
  version: number;
  fallback: boolean;
  /** True when it could hang the study (no required rule failed). */
  matched: boolean;
  score: number;
  /** 1 = the winner; only matched candidates are ranked. */
  rank?: number;
  rules: RuleOutcome[];
  /** Why it is excluded, when not matched. */
  excludedBecause?: string;
  /** Why a matched protocol was passed over for the next one. */
  skippedBecause?: string;
}

export interface ChosenPrior {
  /** "prior-1", "prior-2", ... */
  ref: StudyRef;
  studyUid: string;
  studyDate: string | null;
  description: string | null;
  modalities: string[];
  ageDays: number | null;
  why: string;
}

export interface PriorConsideration {
  studyUid: string;
  studyDate: string | null;
  description: string | null;
  accepted: boolean;
  score: number;
  why: string[];
}

/** The protocol wanted a prior no local study satisfies: the UI may query and retrieve one from a remote node. */
export interface MissingPrior {
  ref: StudyRef;
  reason: string;
  /** What to look for remotely. */
  query: PriorQuery;
}

export interface PriorQuery {
  patientId: string;
  /** Any of these (empty: any modality). */
  modalities: string[];
  /** Inclusive DICOM dates (YYYYMMDD), from the age limits. */
  studyDateFrom?: string;
  studyDateTo?: string;
  /** When sameDescription is asked. */
  studyDescription?: string;
  bodyParts?: string[];
  /** Studies already known locally (and not suitable), to skip. */
  excludeStudyUids: string[];
}

export interface PriorsReport {
  wanted: number;
  chosen: ChosenPrior[];
  considered: PriorConsideration[];
  missing: MissingPrior[];
}

export interface DerivedRef {
  displaySetId: string;
  seriesUid: string;
  modality: string;
  description: string | null;
}

export interface AssignedDisplaySet {
  displaySetId: string;
  seriesUid: string;
  /** Set when the display set is part of a series (one view of a projection series). */
  instanceUids?: string[];
  study: StudyRef;
  studyUid: string;
  description: string | null;
  seriesNumber: number | null;
  modality: string;
  score: number;
  /** Place among the selector's candidates (0 = best). */
  matchIndex: number;
  rules: RuleOutcome[];
}

export interface CellPosition {
  row: number;
  column: number;
  rowSpan: number;
  columnSpan: number;
}

/** A viewport as hung: where it is, what it shows (or why nothing) and how. */
export interface ViewportAssignment {
  /** Index in the screen. */
  index: number;
  /** Pointer of the viewport spec in the protocol, e.g. "/stages/0/screens/0/viewports/2". */
  pointer: string;
  cell: CellPosition;
  selector: string;
  type: ViewportType;
  orientation?: PlaneOrientation;
  slab?: Slab;
  initialImage: 'first' | 'middle' | 'last';
  voi?: Voi;
  invert: boolean;
  zoom: number;
  flipHorizontal: boolean;
  align: 'left' | 'center' | 'right';
  sync: string[];
  label?: string;
  displaySet: AssignedDisplaySet | null;
  /** Why no display set, when displaySet is null (the engine's reasons, for explain and the editor). */
  unmatched?: string;
  /** What the reader is told in an empty viewport that was kept, when displaySet is null. */
  vacancy?: Vacancy;
  derived: DerivedRef[];
}

/** An empty viewport as the reader sees it: clinical words, never the engine's. */
export interface Vacancy {
  /** E.g. "No prior CT chest on this node", "No T2 series in this study". */
  text: string;
  /** It waits for a prior not held here (the reading room may still find one on the PACS). */
  priorMissing: boolean;
}

/** A viewport with nothing to show that was dropped from its screen (whenEmpty "collapse"). */
export interface CollapsedViewport {
  /** Pointer of the viewport spec, e.g. "/stages/0/screens/0/viewports/1". */
  pointer: string;
  selector: string;
  type: ViewportType;
  label?: string;
  /** Why it had nothing to show. */
  unmatched: string;
}

export interface ScreenResult {
  index: number;
  name?: string;
  rows: number;
  columns: number;
  viewports: ViewportAssignment[];
  /** Viewports dropped because they had nothing to show; the others were re-flowed into rows × columns. */
  collapsed: CollapsedViewport[];
}

export interface SyncGroupResult {
  id: string;
  type: SyncType;
  /** Viewports of this stage in the group, as [screen, viewport] indices. */
  members: Array<[number, number]>;
}

export interface StageResult {
  index: number;
  id: string;
  name: string;
  active: boolean;
  /** Why the stage is inactive. */
  inactiveBecause?: string;
  screens: ScreenResult[];
  syncGroups: SyncGroupResult[];
}

export interface NotShown {
  displaySetId: string;
  seriesUid: string;
  study: StudyRef;
  modality: string;
  description: string | null;
  reason: string;
}

export interface ProtocolResult {
  /** null only when no protocol matches (possible only if the built-in fallback was replaced by one that is not a fallback). */
  winner: { id: string; name: string; version: number; score: number; /** Hung on request though it does not match. */ forced?: boolean } | null;
  /** Every protocol considered: matched ones by rank, then the excluded, by id. */
  candidates: CandidateReport[];
  priors: PriorsReport;
  /** Shorthand for priors.missing: priors the winner wanted and the local archive lacks. */
  missingPriors: MissingPrior[];
  stages: StageResult[];
  /** The first active stage (0 when none is active). */
  initialStage: number;
  /** Display sets of the current study and chosen priors that no active stage shows (derived objects count as shown when attached). */
  notShown: NotShown[];
}
