/**
 * Screen layouts as grids of cells: regular grids, asymmetric cell lists, and
 * automatic grids sized to the number of viewports (side by side first, as
 * the viewer's own default layouts: 1×2, 1×3, 2×2, 2×3, 2×4, 3×3, 3×4, 4×4).
 */
import type { CellPosition, CellSpec, Layout } from './types.js';

export const AUTO_MAX = 4;

export interface Grid {
  rows: number;
  columns: number;
}

/** The smallest grid, at most two columns wider than tall, that holds `count` viewports (capped at the maximum). */
export function autoGrid(count: number, maxRows = AUTO_MAX, maxColumns = AUTO_MAX): Grid {
  const wanted = Math.max(1, Math.min(count, maxRows * maxColumns));
  for (let rows = 1; rows <= maxRows; rows++) {
    const columns = Math.ceil(wanted / rows);
    if (columns <= Math.min(rows + 2, maxColumns)) return { rows, columns };
  }
  return { rows: maxRows, columns: Math.min(maxColumns, Math.ceil(wanted / maxRows)) };
}

/** How many viewports a layout can hold. */
export function layoutCapacity(layout: Layout): number {
  switch (layout.type) {
    case 'grid':
      return layout.rows * layout.columns;
    case 'cells':
      return layout.cells.length;
    case 'auto':
      return (layout.maxRows ?? AUTO_MAX) * (layout.maxColumns ?? AUTO_MAX);
  }
}

/** The grid and the cell of each of `count` viewports (count ≤ capacity), row by row. */
export function layoutCells(layout: Layout, count: number): Grid & { cells: CellPosition[] } {
  if (layout.type === 'cells') return { rows: layout.rows, columns: layout.columns, cells: layout.cells.slice(0, count).map(cellPosition) };
  const grid = layout.type === 'grid' ? { rows: layout.rows, columns: layout.columns } : autoGrid(count, layout.maxRows, layout.maxColumns);
  return { ...grid, cells: rowByRow(count, grid) };
}

function rowByRow(count: number, grid: Grid): CellPosition[] {
  const cells: CellPosition[] = [];
  for (let i = 0; i < Math.min(count, grid.rows * grid.columns); i++) cells.push({ row: Math.floor(i / grid.columns), column: i % grid.columns, rowSpan: 1, columnSpan: 1 });
  return cells;
}

/**
 * `count` viewports re-flowed after empty ones were dropped: the smallest
 * grid within the screen's that holds them, row by row, the last viewport
 * widened over the cells its row leaves free (no blank hole in the screen).
 */
export function reflowCells(count: number, maxRows: number, maxColumns: number): Grid & { cells: CellPosition[] } {
  const grid = autoGrid(count, maxRows, maxColumns);
  const cells = rowByRow(count, grid);
  const last = cells[cells.length - 1];
  if (last) last.columnSpan = grid.columns - last.column;
  return { ...grid, cells };
}

export function cellPosition(cell: CellSpec): CellPosition {
  return { row: cell.row, column: cell.column, rowSpan: cell.rowSpan ?? 1, columnSpan: cell.columnSpan ?? 1 };
}

/** Cells outside the grid or overlapping an earlier cell, for the validator. */
export function cellProblems(rows: number, columns: number, cells: readonly CellSpec[]): Array<{ index: number; message: string }> {
  const problems: Array<{ index: number; message: string }> = [];
  const owner = new Map<number, number>();
  cells.forEach((spec, index) => {
    const c = cellPosition(spec);
    if (c.row + c.rowSpan > rows || c.column + c.columnSpan > columns) {
      problems.push({ index, message: `cell rows ${c.row}..${c.row + c.rowSpan - 1}, columns ${c.column}..${c.column + c.columnSpan - 1} fall outside the ${rows}×${columns} grid` });
      return;
    }
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      for (let k = c.column; k < c.column + c.columnSpan; k++) {
        const other = owner.get(r * columns + k);
        if (other !== undefined) {
          problems.push({ index, message: `overlaps cell ${other} at row ${r}, column ${k}` });
          return;
        }
      }
    }
    for (let r = c.row; r < c.row + c.rowSpan; r++) for (let k = c.column; k < c.column + c.columnSpan; k++) owner.set(r * columns + k, index);
  });
  return problems;
}
