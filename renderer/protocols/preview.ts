/**
 * The editor's preview of a protocol on the open study, as rows people read:
 * for every stage, screen and viewport, what it would show and why (or why
 * nothing). Pure: the editor renders it.
 */
import type { ProtocolResult } from '../../shared/hanging-protocols/types.js';

export interface PreviewRow {
  stage: string;
  /** "2 / 3": screen 2, viewport 3 (1-based, as people count). */
  where: string;
  selector: string;
  /** What is shown ("current: Axial 1.25 (CT 2)"), or "—". */
  shown: string;
  /** Why: the selector's passing rules, or the reason it is empty. */
  why: string;
  matched: boolean;
}

export function previewRows(result: ProtocolResult): PreviewRow[] {
  return result.stages.flatMap((stage) =>
    stage.screens.flatMap((screen) => {
      const stageName = `${stage.name}${stage.active ? '' : ` (inactive: ${stage.inactiveBecause ?? 'not applicable'})`}`;
      // Viewports dropped for having nothing to show (whenEmpty "collapse"), after those shown.
      const dropped = screen.collapsed.map(
        (c): PreviewRow => ({ stage: stageName, where: `${screen.index + 1} / –`, selector: c.selector, shown: '— (dropped: nothing to show)', why: c.unmatched, matched: false }),
      );
      const shown = screen.viewports.map((viewport): PreviewRow => {
        const set = viewport.displaySet;
        const where = `${screen.index + 1} / ${viewport.index + 1}`;
        if (!set) return { stage: stageName, where, selector: viewport.selector, shown: '—', why: viewport.unmatched ?? 'no display set', matched: false };
        const description = `${set.description ?? '(no description)'} (${set.modality}${set.seriesNumber !== null ? ` ${set.seriesNumber}` : ''})`;
        const passed = set.rules.filter((r) => r.passed).map((r) => r.why);
        return {
          stage: stageName,
          where,
          selector: viewport.selector,
          shown: `${set.study}: ${description}${viewport.type !== 'stack' ? ` as ${viewport.type}${viewport.orientation ? ` ${viewport.orientation}` : ''}` : ''}`,
          why: passed.length > 0 ? passed.join('; ') : `best of the candidates (score ${set.score})`,
          matched: true,
        };
      });
      return [...shown, ...dropped];
    }),
  );
}
