/** The engine's answer as text for `viewbox protocols explain`: winner, candidates with their rules, priors, stages, what is not shown. */
import type { DisplayPlan } from '../../shared/hanging-protocols/screen-folding.js';
import type { StudyFacts } from '../../shared/hanging-protocols/study-facts.js';
import type { CandidateReport, ProtocolResult, RuleOutcome, ViewportAssignment } from '../../shared/hanging-protocols/types.js';

export interface Explanation {
  study: StudyFacts;
  result: ProtocolResult;
  /** Per stage, the screens folded onto the displays (when a display count was given). */
  displays?: DisplayPlan[][];
}

export function formatExplanation({ study, result, displays }: Explanation): string {
  const lines: string[] = [];
  const images = study.displaySets.filter((d) => d.kind === 'image').length;
  lines.push(`Study ${study.studyUid}: ${study.modalities.join('/') || 'no modality'}, ${date(study.studyDate)}, ${quote(study.studyDescription)}, patient ${study.patientId ?? '(no ID)'}, ${images} image display set(s)`);
  lines.push(result.winner ? `Winner: ${result.winner.id} ${quote(result.winner.name)} v${result.winner.version}, score ${result.winner.score}${result.winner.forced ? ' (requested; it does not match)' : ''}` : 'Winner: none (no protocol matches and there is no fallback)');
  lines.push('', 'Candidates:');
  for (const c of result.candidates) lines.push(...candidate(c));

  lines.push('', `Priors: ${result.priors.wanted} wanted, ${result.priors.chosen.length} chosen`);
  for (const p of result.priors.chosen) lines.push(`  ${p.ref}  ${p.studyUid}  ${date(p.studyDate)}  ${quote(p.description)}: ${p.why}`);
  for (const c of result.priors.considered.filter((c) => !c.accepted)) lines.push(`  refused  ${c.studyUid}  ${date(c.studyDate)}  ${quote(c.description)}: ${c.why[c.why.length - 1] ?? ''}`);
  for (const m of result.missingPriors) {
    const q = m.query;
    const dates = q.studyDateFrom || q.studyDateTo ? `, dates ${q.studyDateFrom ?? ''}-${q.studyDateTo ?? ''}` : '';
    lines.push(`  missing  ${m.ref}: ${m.reason} (to query remotely: patient ${q.patientId}, modalities ${q.modalities.join('/') || 'any'}${dates})`);
  }

  result.stages.forEach((stage, s) => {
    const state = stage.active ? (s === result.initialStage ? 'active, opens here' : 'active') : `inactive: ${stage.inactiveBecause ?? ''}`;
    lines.push('', `Stage ${s + 1} ${quote(stage.name)} (${stage.id}): ${state}`);
    for (const screen of stage.screens) {
      lines.push(`  Screen ${screen.index + 1}${screen.name ? ` ${quote(screen.name)}` : ''} (${screen.rows}×${screen.columns})`);
      for (const v of screen.viewports) lines.push(`    ${viewport(v)}`);
      for (const c of screen.collapsed) lines.push(`    dropped ${c.pointer} ${c.label ? `${quote(c.label)} ` : ''}${c.selector} ${c.type}: ${c.unmatched}`);
    }
    for (const group of stage.syncGroups) {
      if (group.members.length > 0) lines.push(`  sync ${group.id} (${group.type}): ${group.members.map(([sc, vp]) => `screen ${sc + 1} viewport ${vp + 1}`).join(', ')}`);
    }
    for (const plan of displays?.[s] ?? []) {
      lines.push(`  Display ${plan.display + 1}: screen(s) ${plan.screens.map((k) => k + 1).join(', ')} as ${plan.rows}×${plan.columns}`);
    }
  });

  lines.push('', result.notShown.length === 0 ? 'Not shown: nothing' : 'Not shown:');
  for (const n of result.notShown) lines.push(`  ${n.study} series ${quote(n.description)} ${n.modality} (${n.displaySetId}): ${n.reason}`);
  return `${lines.join('\n')}\n`;
}

function candidate(c: CandidateReport): string[] {
  const head = c.matched ? `  ${c.rank}. ${c.id}  score ${c.score}${c.fallback ? '  (fallback)' : ''}` : `  -  ${c.id}  score ${c.score}  excluded: ${c.excludedBecause ?? ''}`;
  return [head, ...c.rules.map((r) => `       ${rule(r)}`)];
}

function rule(r: RuleOutcome): string {
  const flags = [r.required ? 'required' : '', r.passed && r.weight > 0 ? `+${r.weight}` : `weight ${r.weight}`].filter(Boolean).join(', ');
  return `${r.passed ? 'pass' : 'fail'}  ${r.pointer}  ${r.why}  (${flags})`;
}

function viewport(v: ViewportAssignment): string {
  const at = `[${v.cell.row},${v.cell.column}${v.cell.rowSpan > 1 || v.cell.columnSpan > 1 ? ` ${v.cell.rowSpan}×${v.cell.columnSpan}` : ''}]`;
  const kind = v.type === 'mpr' ? `mpr ${v.orientation ?? 'axial'}` : v.type;
  const settings = [
    v.voi ? `W${v.voi.width}/L${v.voi.center}${v.voi.label ? ` ${v.voi.label}` : ''}` : '',
    v.initialImage !== 'first' ? `${v.initialImage} image` : '',
    v.align !== 'center' ? `align ${v.align}` : '',
    v.invert ? 'inverted' : '',
    v.sync.length ? `sync ${v.sync.join(',')}` : '',
  ].filter(Boolean);
  const shown = v.displaySet
    ? `${v.displaySet.study} series ${v.displaySet.seriesNumber ?? '?'} ${quote(v.displaySet.description)} ${v.displaySet.modality} (${v.displaySet.displaySetId}), score ${v.displaySet.score}${v.displaySet.matchIndex > 0 ? `, candidate ${v.displaySet.matchIndex + 1}` : ''}`
    : `unmatched: ${v.unmatched ?? ''}`;
  const derived = v.derived.length ? `; with ${v.derived.map((d) => `${d.modality} ${quote(d.description)}`).join(', ')}` : '';
  return `${at} ${v.label ? `${quote(v.label)} ` : ''}${v.selector} ${kind} -> ${shown}${derived}${settings.length ? `  [${settings.join('; ')}]` : ''}`;
}

function date(da: string | null): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]}` : 'no date';
}

function quote(text: string | null | undefined): string {
  return JSON.stringify(text ?? '');
}
