/**
 * Viewport layouts: regular grids from 1×1 to 4×4 and the asymmetric 1+2 and
 * 1+3 (one large viewport on the left, the others stacked on the right).
 */
export interface LayoutCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export interface Layout {
  id: string;
  label: string;
  rows: number;
  cols: number;
  cells: LayoutCell[];
}

export const MAX_GRID = 4;

export function gridLayout(rows: number, cols: number): Layout {
  const cells: LayoutCell[] = [];
  for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) cells.push({ row, col, rowSpan: 1, colSpan: 1 });
  return { id: `${rows}x${cols}`, label: `${rows}×${cols}`, rows, cols, cells };
}

/** One large viewport on the left, `others` stacked on the right. */
export function oneAndStack(others: number): Layout {
  const cells: LayoutCell[] = [{ row: 0, col: 0, rowSpan: others, colSpan: 1 }];
  for (let row = 0; row < others; row++) cells.push({ row, col: 1, rowSpan: 1, colSpan: 1 });
  return { id: `1+${others}`, label: `1+${others}`, rows: others, cols: 2, cells };
}

export const ASYMMETRIC_LAYOUTS: Layout[] = [oneAndStack(2), oneAndStack(3)];

export function layoutById(id: string): Layout | undefined {
  const grid = /^([1-4])x([1-4])$/.exec(id);
  if (grid) return gridLayout(Number(grid[1]), Number(grid[2]));
  return ASYMMETRIC_LAYOUTS.find((l) => l.id === id);
}

/** The layout a study opens in: enough viewports for its series, side by side first, at most 4×4. */
export function defaultLayout(seriesCount: number): Layout {
  if (seriesCount <= 1) return gridLayout(1, 1);
  if (seriesCount <= 3) return gridLayout(1, seriesCount);
  if (seriesCount === 4) return gridLayout(2, 2);
  if (seriesCount <= 6) return gridLayout(2, 3);
  if (seriesCount <= 8) return gridLayout(2, 4);
  if (seriesCount === 9) return gridLayout(3, 3);
  if (seriesCount <= 12) return gridLayout(3, 4);
  return gridLayout(4, 4);
}

/**
 * Which series each viewport shows after a layout change: viewports that
 * stay keep theirs, new ones take the next series not yet shown.
 */
export function assignSeries(previous: readonly number[], cellCount: number, seriesCount: number): number[] {
  const kept = previous.slice(0, cellCount);
  const unshown = Array.from({ length: seriesCount }, (_, i) => i).filter((i) => !kept.includes(i));
  while (kept.length < cellCount) kept.push(unshown.shift() ?? -1);
  return kept;
}
