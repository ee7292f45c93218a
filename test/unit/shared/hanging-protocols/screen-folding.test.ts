import { describe, expect, it } from 'vitest';
import { autoGrid, cellProblems, layoutCells } from '../../../../shared/hanging-protocols/layout-grid.js';
import { foldScreens } from '../../../../shared/hanging-protocols/screen-folding.js';
import type { ScreenResult, ViewportAssignment } from '../../../../shared/hanging-protocols/types.js';

function screen(index: number, rows: number, columns: number, count = rows * columns): ScreenResult {
  const grid = layoutCells({ type: 'grid', rows, columns }, count);
  const viewports = grid.cells.map(
    (cell, i): ViewportAssignment => ({
      index: i,
      pointer: `/stages/0/screens/${index}/viewports/${i}`,
      cell,
      selector: `s${index}v${i}`,
      type: 'stack',
      initialImage: 'first',
      invert: false,
      zoom: 1,
      flipHorizontal: false,
      align: 'center',
      sync: [],
      displaySet: null,
      unmatched: 'test',
      derived: [],
    }),
  );
  return { index, rows, columns, viewports, collapsed: [] };
}

describe('screen folding', () => {
  it('one screen per display when there are enough displays', () => {
    const plans = foldScreens([screen(0, 1, 2), screen(1, 2, 2)], 3);
    expect(plans.map((p) => [p.display, p.screens, p.rows, p.columns])).toEqual([
      [0, [0], 1, 2],
      [1, [1], 2, 2],
    ]);
    expect(plans[1]!.viewports.map((v) => v.cell)).toEqual(screen(1, 2, 2).viewports.map((v) => v.cell));
  });

  it('two screens on one display sit side by side on a common row count, keeping proportions', () => {
    const [plan] = foldScreens([screen(0, 2, 2), screen(1, 1, 2)], 1);
    expect(plan).toMatchObject({ display: 0, screens: [0, 1], rows: 2, columns: 4 });
    expect(plan!.viewports.map((v) => [v.screen, v.screenViewport, v.index, v.cell.row, v.cell.column, v.cell.rowSpan, v.cell.columnSpan, v.selector])).toEqual([
      [0, 0, 0, 0, 0, 1, 1, 's0v0'],
      [0, 1, 1, 0, 1, 1, 1, 's0v1'],
      [0, 2, 2, 1, 0, 1, 1, 's0v2'],
      [0, 3, 3, 1, 1, 1, 1, 's0v3'],
      [1, 0, 4, 0, 2, 2, 1, 's1v0'],
      [1, 1, 5, 0, 3, 2, 1, 's1v1'],
    ]);
  });

  it('screen k goes to display k mod n; rows use the least common multiple (2 and 3 rows give 6)', () => {
    const plans = foldScreens([screen(0, 2, 1), screen(1, 1, 1), screen(2, 3, 1)], 2);
    expect(plans.map((p) => [p.display, p.screens, p.rows, p.columns])).toEqual([
      [0, [0, 2], 6, 2],
      [1, [1], 1, 1],
    ]);
    expect(plans[0]!.viewports.map((v) => [v.cell.row, v.cell.rowSpan, v.cell.column])).toEqual([
      [0, 3, 0],
      [3, 3, 0],
      [0, 2, 1],
      [2, 2, 1],
      [4, 2, 1],
    ]);
  });

  it('no display count below one', () => {
    expect(foldScreens([screen(0, 1, 1), screen(1, 1, 1)], 0).map((p) => p.screens)).toEqual([[0, 1]]);
    expect(foldScreens([], 2)).toEqual([]);
  });
});

describe('layout grid', () => {
  it('sizes automatic grids side by side first, within the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 16, 40].map((n) => autoGrid(n)).map((g) => `${g.rows}x${g.columns}`)).toEqual([
      '1x1', '1x2', '1x3', '2x2', '2x3', '2x3', '2x4', '2x4', '3x3', '3x4', '3x4', '4x4', '4x4', '4x4',
    ]);
    expect(autoGrid(5, 1, 8)).toEqual({ rows: 1, columns: 5 });
    expect(autoGrid(6, 2, 2)).toEqual({ rows: 2, columns: 2 });
  });

  it('finds cells outside the grid and overlapping cells', () => {
    expect(cellProblems(2, 2, [{ row: 0, column: 0, rowSpan: 2 }, { row: 1, column: 0 }, { row: 0, column: 1, columnSpan: 2 }])).toEqual([
      { index: 1, message: 'overlaps cell 0 at row 1, column 0' },
      { index: 2, message: 'cell rows 0..0, columns 1..2 fall outside the 2×2 grid' },
    ]);
  });
});
