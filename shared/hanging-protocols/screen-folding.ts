/**
 * Screens onto displays. A stage's screen k goes to display k when there are
 * enough displays. With fewer displays, screen k goes to display k mod n, and
 * the screens that share a display sit side by side, left to right in screen
 * order: their grids are joined column-wise on a common row count (the least
 * common multiple of theirs, so every cell keeps its proportions).
 * Example: screens 2×2 and 1×2 on one display give a 2×4 grid whose right
 * half holds the second screen's two viewports, each two rows tall.
 */
import type { CellPosition, ScreenResult, ViewportAssignment } from './types.js';

export interface FoldedViewport extends ViewportAssignment {
  /** The stage screen the viewport came from. */
  screen: number;
  /** The viewport's index within that screen (ViewportAssignment.index is renumbered per display). */
  screenViewport: number;
}

export interface DisplayPlan {
  display: number;
  /** Stage screens shown on this display, left to right. */
  screens: number[];
  rows: number;
  columns: number;
  viewports: FoldedViewport[];
}

/** Where each screen of a stage goes on `displayCount` displays (at least one); displays left without a screen are not listed. */
export function foldScreens(screens: readonly ScreenResult[], displayCount: number): DisplayPlan[] {
  const n = Math.max(1, Math.floor(displayCount));
  const byDisplay = new Map<number, ScreenResult[]>();
  screens.forEach((screen, k) => byDisplay.set(k % n, [...(byDisplay.get(k % n) ?? []), screen]));
  return [...byDisplay].sort(([a], [b]) => a - b).map(([display, list]) => joinSideBySide(display, list));
}

function joinSideBySide(display: number, screens: ScreenResult[]): DisplayPlan {
  const rows = screens.reduce((l, s) => lcm(l, Math.max(1, s.rows)), 1);
  const viewports: FoldedViewport[] = [];
  let columnOffset = 0;
  for (const screen of screens) {
    const scale = rows / Math.max(1, screen.rows);
    for (const v of screen.viewports) {
      const cell: CellPosition = {
        row: v.cell.row * scale,
        rowSpan: v.cell.rowSpan * scale,
        column: v.cell.column + columnOffset,
        columnSpan: v.cell.columnSpan,
      };
      viewports.push({ ...v, index: viewports.length, cell, screen: screen.index, screenViewport: v.index });
    }
    columnOffset += screen.columns;
  }
  return { display, screens: screens.map((s) => s.index), rows, columns: columnOffset, viewports };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(a: number, b: number): number {
  return (a * b) / gcd(a, b);
}
