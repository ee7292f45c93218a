/**
 * What the JSON Schema cannot say about a protocol: operators that fit their
 * attribute, regular expressions that compile, references (selectors, sync
 * groups, priors) that exist, viewports that fit their layout, unique ids.
 * Runs on a document the schema accepted.
 */
import { escapePointer } from './json-pointer.js';
import { cellProblems, layoutCapacity } from './layout-grid.js';
import { compiledRegex } from './match-rules.js';
import { DISPLAY_SET_ATTRIBUTE_KINDS, STUDY_ATTRIBUTE_KINDS, type AttributeKind } from './study-facts.js';
import type { HangingProtocol, Layout, MatchRule, Operator, ProtocolIssue } from './types.js';

const OPERATORS_BY_KIND: Record<AttributeKind, readonly Operator[]> = {
  text: ['equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'matches', 'notMatches', 'oneOf', 'noneOf', 'exists', 'missing'],
  list: ['equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'matches', 'notMatches', 'oneOf', 'noneOf', 'includesAll', 'exists', 'missing'],
  number: ['equals', 'notEquals', 'oneOf', 'noneOf', 'range', 'exists', 'missing'],
  boolean: ['equals', 'notEquals', 'exists', 'missing'],
};

const ORIENTATIONS = ['axial', 'sagittal', 'coronal', 'oblique'];

export function semanticIssues(protocol: HangingProtocol): ProtocolIssue[] {
  const issues: ProtocolIssue[] = [];
  const add = (pointer: string, message: string) => issues.push({ pointer, message });

  if (protocol.match.length === 0 && !protocol.fallback) add('/match', 'no rules and not a fallback: the protocol would never match; add rules or set "fallback": true');
  protocol.match.forEach((rule, i) => checkRule(rule, STUDY_ATTRIBUTE_KINDS, `/match/${i}`, add));

  const priorCount = protocol.priors?.count ?? 0;
  if (protocol.priors) {
    const { minAgeDays, maxAgeDays, rules } = protocol.priors;
    if (minAgeDays !== undefined && maxAgeDays !== undefined && minAgeDays > maxAgeDays) add('/priors/minAgeDays', `${minAgeDays} is more than maxAgeDays ${maxAgeDays}`);
    (rules ?? []).forEach((rule, i) => {
      if (rule.attribute === 'availablePriors') add(`/priors/rules/${i}/attribute`, 'availablePriors describes the current study, not a prior');
      checkRule(rule, STUDY_ATTRIBUTE_KINDS, `/priors/rules/${i}`, add);
    });
  }

  for (const [key, selector] of Object.entries(protocol.displaySets)) {
    const base = `/displaySets/${escapePointer(key)}`;
    const n = priorNumber(selector.study);
    if (n > priorCount) add(`${base}/study`, priorCount === 0 ? `${selector.study} needs a "priors" section` : `${selector.study} but priors.count is ${priorCount}`);
    selector.rules.forEach((rule, i) => checkRule(rule, DISPLAY_SET_ATTRIBUTE_KINDS, `${base}/rules/${i}`, add));
  }

  const syncIds = new Set<string>();
  (protocol.syncGroups ?? []).forEach((group, i) => {
    if (syncIds.has(group.id)) add(`/syncGroups/${i}/id`, `duplicate sync group id "${group.id}"`);
    syncIds.add(group.id);
  });

  const stageIds = new Set<string>();
  protocol.stages.forEach((stage, s) => {
    const base = `/stages/${s}`;
    if (stageIds.has(stage.id)) add(`${base}/id`, `duplicate stage id "${stage.id}"`);
    stageIds.add(stage.id);
    const wanted = stage.requires?.priors ?? 0;
    if (wanted > priorCount) add(`${base}/requires/priors`, `requires ${wanted} priors but the protocol asks for ${priorCount}`);
    stage.screens.forEach((screen, k) => {
      const screenBase = `${base}/screens/${k}`;
      checkLayout(screen.layout, screen.viewports.length, `${screenBase}`, add);
      screen.viewports.forEach((viewport, v) => {
        const vBase = `${screenBase}/viewports/${v}`;
        if (!Object.hasOwn(protocol.displaySets, viewport.displaySet)) add(`${vBase}/displaySet`, `no display set selector named "${viewport.displaySet}" (known: ${Object.keys(protocol.displaySets).join(', ')})`);
        (viewport.sync ?? []).forEach((id, j) => {
          if (!syncIds.has(id)) add(`${vBase}/sync/${j}`, `no sync group "${id}"${syncIds.size > 0 ? ` (known: ${[...syncIds].join(', ')})` : ' (syncGroups is empty)'}`);
        });
        const type = viewport.type ?? 'stack';
        if (viewport.orientation !== undefined && type !== 'mpr') add(`${vBase}/orientation`, `orientation applies to mpr viewports; this one is ${type}`);
        if (viewport.slab !== undefined && type !== 'mpr') add(`${vBase}/slab`, `slab applies to mpr viewports; this one is ${type}`);
        if (viewport.repeat && screen.layout.type !== 'auto') add(`${vBase}/repeat`, `repeat needs an auto layout; this screen's layout is ${screen.layout.type}`);
        if (viewport.repeat && viewport.matchIndex !== undefined) add(`${vBase}/matchIndex`, 'a repeated viewport takes every candidate in turn; matchIndex does not apply');
      });
    });
  });
  return issues;
}

function checkRule(rule: MatchRule, kinds: Record<string, AttributeKind>, base: string, add: (pointer: string, message: string) => void): void {
  const kind = kinds[rule.attribute];
  if (!kind) return; // the schema names unknown attributes
  const { operator, value } = rule;
  if (!OPERATORS_BY_KIND[kind].includes(operator)) {
    add(`${base}/operator`, `${operator} does not apply to ${rule.attribute} (${kindText(kind)}); use one of ${OPERATORS_BY_KIND[kind].join(', ')}`);
    return;
  }
  if ((operator === 'exists' || operator === 'missing') && value !== undefined) add(`${base}/value`, `${operator} takes no value`);
  if ((operator === 'equals' || operator === 'notEquals') && value !== undefined) {
    const expected = kind === 'number' ? 'number' : kind === 'boolean' ? 'boolean' : 'string';
    if (typeof value !== expected) add(`${base}/value`, `${rule.attribute} is ${kindText(kind)}: compare it with a ${expected}`);
  }
  if ((operator === 'oneOf' || operator === 'noneOf') && Array.isArray(value)) {
    const expected = kind === 'number' ? 'number' : 'string';
    value.forEach((v, i) => {
      if (typeof v !== expected) add(`${base}/value/${i}`, `${rule.attribute} is ${kindText(kind)}: list ${expected}s`);
    });
  }
  if (operator === 'includesAll' && Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v !== 'string') add(`${base}/value/${i}`, `${rule.attribute} is a list of text: list strings`);
    });
  }
  if ((operator === 'matches' || operator === 'notMatches') && typeof value === 'string' && !compiledRegex(value, rule.caseSensitive ?? false)) add(`${base}/value`, `not a valid regular expression: ${regexError(value)}`);
  if (operator === 'range' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if (value.min !== undefined && value.max !== undefined && value.min > value.max) add(`${base}/value`, `min ${value.min} is more than max ${value.max}`);
  }
  if (rule.attribute === 'orientation' && typeof value === 'string' && ['equals', 'notEquals'].includes(operator) && !ORIENTATIONS.includes(value.toLowerCase())) {
    add(`${base}/value`, `orientation is one of ${ORIENTATIONS.join(', ')}`);
  }
}

function checkLayout(layout: Layout, viewportCount: number, base: string, add: (pointer: string, message: string) => void): void {
  if (layout.type === 'cells') {
    for (const p of cellProblems(layout.rows, layout.columns, layout.cells)) add(`${base}/layout/cells/${p.index}`, p.message);
    if (layout.cells.length !== viewportCount) add(`${base}/viewports`, `${viewportCount} viewports but the layout has ${layout.cells.length} cells (one per viewport)`);
    return;
  }
  const capacity = layoutCapacity(layout);
  if (viewportCount > capacity) {
    const shape = layout.type === 'grid' ? `${layout.rows}×${layout.columns} grid` : `auto layout (at most ${layout.maxRows ?? 4}×${layout.maxColumns ?? 4})`;
    add(`${base}/viewports`, `${viewportCount} viewports but the ${shape} holds ${capacity}`);
  }
}

function priorNumber(ref: string | undefined): number {
  const m = /^prior-(\d+)$/.exec(ref ?? '');
  return m ? Number(m[1]) : 0;
}

function kindText(kind: AttributeKind): string {
  return { text: 'text', list: 'a list of text', number: 'a number', boolean: 'true or false' }[kind];
}

function regexError(pattern: string): string {
  try {
    new RegExp(pattern);
    return 'invalid';
  } catch (error) {
    return (error as Error).message;
  }
}
