import { describe, expect, it } from 'vitest';
import type { ProtocolResult, ScreenResult, StageResult, ViewportAssignment } from '../../../../shared/hanging-protocols/types.js';
import { seriesForViewport, stepStage, windowPlan, withPriorSearch } from '../../../../renderer/protocols/window-plan.js';
import type { ViewerSeries } from '../../../../renderer/imaging/study-series.js';

const viewport = (index: number, row: number, column: number, seriesUid?: string, instanceUids?: string[]): ViewportAssignment => ({
  index,
  pointer: `/stages/0/screens/0/viewports/${index}`,
  cell: { row, column, rowSpan: 1, columnSpan: 1 },
  selector: 'x',
  type: 'stack',
  initialImage: 'first',
  invert: false,
  zoom: 1,
  flipHorizontal: false,
  align: 'center',
  sync: [],
  derived: [],
  displaySet: seriesUid
    ? { displaySetId: instanceUids ? `${seriesUid}#R-CC` : seriesUid, seriesUid, study: 'current', studyUid: 'st', description: null, seriesNumber: 1, modality: 'MG', score: 1, matchIndex: 0, rules: [], ...(instanceUids ? { instanceUids } : {}) }
    : null,
});
const screen = (index: number, rows: number, columns: number, viewports: ViewportAssignment[]): ScreenResult => ({ index, rows, columns, viewports, collapsed: [] });
const stage = (screens: ScreenResult[], active = true, index = 0): StageResult => ({ index, id: `s${index}`, name: `Stage ${index}`, active, screens, syncGroups: [] });

describe('window plan', () => {
  const two = stage([screen(0, 1, 2, [viewport(0, 0, 0, 'a'), viewport(1, 0, 1, 'b')]), screen(1, 2, 1, [viewport(0, 0, 0, 'c'), viewport(1, 1, 0, 'd')])]);

  it('puts each screen on its own display when there are enough', () => {
    const first = windowPlan(two, 2, 0)!;
    const second = windowPlan(two, 2, 1)!;
    expect([first.layout.rows, first.layout.cols, first.displays]).toEqual([1, 2, 2]);
    expect(first.viewports.map((v) => v.displaySet?.seriesUid)).toEqual(['a', 'b']);
    expect([second.layout.rows, second.layout.cols]).toEqual([2, 1]);
    expect(second.viewports.map((v) => v.displaySet?.seriesUid)).toEqual(['c', 'd']);
  });

  it('folds both screens side by side onto one display', () => {
    const plan = windowPlan(two, 1)!;
    expect([plan.layout.rows, plan.layout.cols, plan.displays]).toEqual([2, 3, 1]);
    expect(plan.layout.cells).toEqual([
      { row: 0, col: 0, rowSpan: 2, colSpan: 1 },
      { row: 0, col: 1, rowSpan: 2, colSpan: 1 },
      { row: 0, col: 2, rowSpan: 1, colSpan: 1 },
      { row: 1, col: 2, rowSpan: 1, colSpan: 1 },
    ]);
    expect(windowPlan(two, 1, 1)).toBeUndefined();
  });

  it('steps to the next active stage, wrapping, and stays when none other is active', () => {
    const result = { stages: [stage([], true, 0), stage([], false, 1), stage([], true, 2)] } as unknown as ProtocolResult;
    expect(stepStage(result, 0, 1)).toBe(2);
    expect(stepStage(result, 2, 1)).toBe(0);
    expect(stepStage(result, 0, -1)).toBe(2);
    const single = { stages: [stage([], true, 0), stage([], false, 1)] } as unknown as ProtocolResult;
    expect(stepStage(single, 0, 1)).toBe(0);
  });

  it('shows one view of a split series with only its images', () => {
    const image = (sop: string) => ({ imageId: `wadors:${sop}`, sopInstanceUid: sop, frame: 1, instance: {} });
    const loaded: ViewerSeries[] = [{ studyUid: 'st', seriesUid: 'mg', number: 1, description: '', modality: 'MG', images: ['i1', 'i2', 'i3'].map(image) }];
    const split = seriesForViewport({ ...viewport(0, 0, 0, 'mg', ['i2']), screen: 0, screenViewport: 0 }, loaded)!;
    expect([split.seriesUid, split.images.map((i) => i.sopInstanceUid)]).toEqual(['mg#R-CC', ['i2']]);
    expect(seriesForViewport({ ...viewport(0, 0, 0, 'mg'), screen: 0, screenViewport: 0 }, loaded)).toBe(loaded[0]);
    expect(seriesForViewport({ ...viewport(0, 0, 0, 'elsewhere'), screen: 0, screenViewport: 0 }, loaded)).toBeUndefined();
  });

  it('a viewport kept for a missing prior says the PACS was searched too, once it was; other empty viewports are left alone', () => {
    const waiting = { ...viewport(1, 0, 1), vacancy: { text: 'No prior CT chest on this node', priorMissing: true } };
    const noT2 = { ...viewport(2, 0, 2), vacancy: { text: 'No T2 series in this study', priorMissing: false } };
    const plan = windowPlan(stage([screen(0, 1, 3, [viewport(0, 0, 0, 'a'), waiting, noT2])]), 1)!;
    expect(withPriorSearch(plan, false)).toBe(plan);
    expect(withPriorSearch(plan, true).viewports.map((v) => v.vacancy?.text)).toEqual([undefined, 'No prior CT chest on this node or the PACS', 'No T2 series in this study']);
  });
});
