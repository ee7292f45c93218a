/**
 * Viewports with nothing to show: dropped and the screen re-flowed (the
 * default), or kept with what the reader is told, per viewport or per stage;
 * explain keeps the engine's reasons.
 */
import { describe, expect, it } from 'vitest';
import { applyProtocols } from '../../../../shared/hanging-protocols/engine.js';
import { reflowCells } from '../../../../shared/hanging-protocols/layout-grid.js';
import type { StudyFacts } from '../../../../shared/hanging-protocols/study-facts.js';
import type { HangingProtocol, ProtocolResult } from '../../../../shared/hanging-protocols/types.js';
import { validateProtocol } from '../../../../shared/hanging-protocols/validate-protocol.js';
import { loadProtocolSet } from '../../../../main/protocols/load-protocols.js';
import { builtInProtocolsDir } from '../../../../main/protocols/protocol-folders.js';
import { study } from './study-json.js';

const builtIns = loadProtocolSet([{ layer: 'built-in', dir: builtInProtocolsDir() }]).protocols.map((p) => p.protocol);
const builtIn = (id: string): HangingProtocol => structuredClone(builtIns.find((p) => p.id === id)!);

function hang(current: StudyFacts, protocol: HangingProtocol, priors: StudyFacts[] = []): ProtocolResult {
  return applyProtocols({ current, priorCandidates: priors, protocols: [protocol] });
}

const t1Only = () => study({ date: '19980612', description: 'MR Brain without contrast', series: [{ modality: 'MR', description: 'T1 3D axial 1 mm', count: 181, bodyPart: 'HEAD' }] });
const ctChest = (date: string) => study({ date, description: 'CT CHEST', series: [{ modality: 'CT', description: 'Lung 1mm', thickness: 1, count: 150, bodyPart: 'CHEST' }] });

describe('whenEmpty', () => {
  it('collapse (the default): an MR brain with one T1 hangs the T1 alone in a 1×1; the five dropped viewports keep their reasons', () => {
    const screen = hang(t1Only(), builtIn('mr-brain')).stages[0]!.screens[0]!;
    expect([screen.rows, screen.columns]).toEqual([1, 1]);
    expect(screen.viewports.map((v) => [v.label, v.displaySet?.description, v.cell])).toEqual([['T1', 'T1 3D axial 1 mm', { row: 0, column: 0, rowSpan: 1, columnSpan: 1 }]]);
    expect(screen.collapsed.map((c) => [c.pointer, c.label])).toEqual([
      ['/stages/0/screens/0/viewports/1', 'T2'],
      ['/stages/0/screens/0/viewports/2', 'FLAIR'],
      ['/stages/0/screens/0/viewports/3', 'DWI'],
      ['/stages/0/screens/0/viewports/4', 'ADC'],
      ['/stages/0/screens/0/viewports/5', 'T1 post'],
    ]);
    expect(screen.collapsed[0]!.unmatched).toMatch(/^no display set matches selector "t2": series 1 "T1 3D axial 1 mm" /);
  });

  it('keep on the stage: the 2×3 stays, each empty viewport saying in clinical words what is missing', () => {
    const protocol = builtIn('mr-brain');
    protocol.stages[0]!.whenEmpty = 'keep';
    expect(validateProtocol(protocol)).toEqual([]);
    const screen = hang(t1Only(), protocol).stages[0]!.screens[0]!;
    expect([screen.rows, screen.columns, screen.collapsed]).toEqual([2, 3, []]);
    expect(screen.viewports.map((v) => v.vacancy?.text ?? v.displaySet?.description)).toEqual([
      'T1 3D axial 1 mm',
      'No T2 series in this study',
      'No FLAIR series in this study',
      'No DWI series in this study',
      'No ADC series in this study',
      'No T1 post series in this study',
    ]);
  });

  it("a viewport's own keep wins over its stage: a missing prior is named as the examination, for the reading room to add where it looked", () => {
    const protocol = builtIn('ct-chest-prior');
    const comparison = protocol.stages[0]!;
    delete comparison.requires;
    comparison.whenEmpty = 'collapse';
    comparison.screens[0]!.viewports[1]!.whenEmpty = 'keep';
    expect(validateProtocol(protocol)).toEqual([]);
    const screen = hang(ctChest('20240115'), protocol).stages[0]!.screens[0]!;
    expect(screen.viewports.map((v) => v.label)).toEqual(['Current', 'Prior', 'Current coronal']);
    expect(screen.viewports[1]).toMatchObject({ displaySet: null, unmatched: 'selector "priorAxial": prior-1 was not found', vacancy: { text: 'No prior CT chest on this node', priorMissing: true } });
  });

  it('a prior without the series asked for is named by its date', () => {
    const protocol = builtIn('ct-chest-prior');
    protocol.stages[0]!.whenEmpty = 'keep';
    const prior = study({ date: '20230301', description: 'CT CHEST', series: [{ modality: 'CT', description: 'Lung 5mm', count: 5, bodyPart: 'CHEST' }] });
    const prior1 = hang(ctChest('20240115'), protocol, [prior]).stages[0]!.screens[0]!.viewports[1]!;
    expect(prior1.vacancy).toEqual({ text: 'No matching series in the prior of 2023-03-01', priorMissing: false });
  });

  it('a screen left with nothing keeps one viewport, to say why it is empty', () => {
    const protocol = builtIn('mr-brain');
    protocol.stages[0]!.requires = { matchedViewports: 0 };
    const ct = study({ date: '20240115', description: 'MR BRAIN', series: [{ modality: 'MR', description: 'Survey', count: 3, bodyPart: 'HEAD' }] });
    const screen = hang(ct, protocol).stages[0]!.screens[0]!;
    expect([screen.rows, screen.columns, screen.viewports.length, screen.collapsed.length]).toEqual([1, 1, 1, 5]);
    expect(screen.viewports[0]!.vacancy?.text).toBe('No T1 series in this study');
  });

  it('rejects a value other than collapse or keep', () => {
    const protocol = builtIn('mr-brain') as unknown as { stages: Array<{ whenEmpty: string }> };
    protocol.stages[0]!.whenEmpty = 'hide';
    expect(validateProtocol(protocol).map((i) => i.pointer)).toEqual(['/stages/0/whenEmpty']);
  });
});

describe('reflowCells', () => {
  it('fits what is left in the smallest grid within the screen, the last viewport closing its row', () => {
    expect(reflowCells(2, 1, 3)).toEqual({ rows: 1, columns: 2, cells: [{ row: 0, column: 0, rowSpan: 1, columnSpan: 1 }, { row: 0, column: 1, rowSpan: 1, columnSpan: 1 }] });
    const five = reflowCells(5, 2, 3);
    expect([five.rows, five.columns, five.cells[4]]).toEqual([2, 3, { row: 1, column: 1, rowSpan: 1, columnSpan: 2 }]);
    expect(reflowCells(4, 2, 3)).toMatchObject({ rows: 2, columns: 2 });
  });
});
