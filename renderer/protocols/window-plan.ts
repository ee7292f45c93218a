/**
 * What one window shows of a hung stage: the stage's screens folded onto the
 * displays (shared/hanging-protocols/screen-folding.ts), the part for this
 * window's display as a viewport layout, and for each viewport the series to
 * show and how. Pure: the viewer applies it.
 */
import { foldScreens, type FoldedViewport } from '../../shared/hanging-protocols/screen-folding.js';
import type { ProtocolResult, StageResult } from '../../shared/hanging-protocols/types.js';
import type { Layout } from '../imaging/layouts.js';
import type { ViewerSeries } from '../imaging/study-series.js';

export interface WindowPlan {
  layout: Layout;
  /** One per layout cell, in cell order. */
  viewports: FoldedViewport[];
  /** Displays the stage's screens are spread over (1: all on this one). */
  displays: number;
}

/** The stage as this window (display `display` of `displayCount`) shows it; undefined when the stage has nothing for it. */
export function windowPlan(stage: StageResult, displayCount: number, display = 0): WindowPlan | undefined {
  const plans = foldScreens(stage.screens, displayCount);
  const plan = plans.find((p) => p.display === display);
  if (!plan) return undefined;
  const cells = plan.viewports.map((v) => ({ row: v.cell.row, col: v.cell.column, rowSpan: v.cell.rowSpan, colSpan: v.cell.columnSpan }));
  return {
    layout: { id: `stage:${stage.id}:${display}`, label: stage.name, rows: plan.rows, cols: plan.columns, cells },
    viewports: plan.viewports,
    displays: plans.length,
  };
}

/** A kept viewport waiting for a prior says where it was looked for: this node, and the PACS once that was searched too. */
export function withPriorSearch(plan: WindowPlan, pacsSearched: boolean): WindowPlan {
  if (!pacsSearched) return plan;
  return { ...plan, viewports: plan.viewports.map((v) => (v.vacancy?.priorMissing ? { ...v, vacancy: { ...v.vacancy, text: `${v.vacancy.text} or the PACS` } } : v)) };
}

/** The next (or previous) stage that is active, wrapping around; the same one when no other is. */
export function stepStage(result: ProtocolResult, from: number, step: 1 | -1): number {
  const count = result.stages.length;
  for (let i = 1; i <= count; i++) {
    const next = (((from + step * i) % count) + count) % count;
    if (result.stages[next]?.active) return next;
  }
  return from;
}

/**
 * The series a viewport shows, from those loaded: the assigned series, or
 * for one view of a split series (mammography) only that view's images.
 * Undefined while its study is not loaded (a prior on its way) or when the
 * viewport has no display set.
 */
export function seriesForViewport(viewport: FoldedViewport, loaded: readonly ViewerSeries[]): ViewerSeries | undefined {
  const assigned = viewport.displaySet;
  if (!assigned) return undefined;
  const whole = loaded.find((s) => s.seriesUid === assigned.seriesUid && s.studyUid === assigned.studyUid);
  if (!whole || !assigned.instanceUids) return whole;
  const wanted = new Set(assigned.instanceUids);
  return { ...whole, seriesUid: assigned.displaySetId, images: whole.images.filter((image) => wanted.has(image.sopInstanceUid)) };
}
