/**
 * The engine against a table of generated studies and the built-in presets:
 * which protocol wins, which stage opens, which series each viewport gets,
 * which priors are chosen or missing, and what is not shown.
 */
import { describe, expect, it } from 'vitest';
import { applyProtocols, matchingProtocolIds } from '../../../../shared/hanging-protocols/engine.js';
import { foldScreens } from '../../../../shared/hanging-protocols/screen-folding.js';
import type { StudyFacts } from '../../../../shared/hanging-protocols/study-facts.js';
import type { HangingProtocol, ProtocolResult, ViewportAssignment } from '../../../../shared/hanging-protocols/types.js';
import { loadProtocolSet } from '../../../../main/protocols/load-protocols.js';
import { builtInProtocolsDir } from '../../../../main/protocols/protocol-folders.js';
import { el, study, uid, type SeriesSpec } from './study-json.js';

const builtIns = loadProtocolSet([{ layer: 'built-in', dir: builtInProtocolsDir() }]);
const protocols = builtIns.protocols.map((p) => p.protocol);

function hang(current: StudyFacts, priors: StudyFacts[] = [], options: { protocolId?: string; presets?: HangingProtocol[] } = {}): ProtocolResult {
  return applyProtocols({ current, priorCandidates: priors, protocols: options.presets ?? protocols }, options.protocolId ? { protocolId: options.protocolId } : {});
}

/** What each viewport of a stage's screen shows: "<study>:<series description>" or "-". */
function shown(result: ProtocolResult, stage: number, screen = 0): string[] {
  return result.stages[stage]!.screens[screen]!.viewports.map(label);
}

function label(v: ViewportAssignment): string {
  return v.displaySet ? `${v.displaySet.study}:${v.displaySet.description ?? v.displaySet.displaySetId}` : '-';
}

const scout: SeriesSpec = { modality: 'CT', description: 'Scout', count: 2, plane: 'coronal', imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] };

function ctChest(date: string, extra: Partial<Parameters<typeof study>[0]> = {}): StudyFacts {
  return study({
    date,
    description: 'CT CHEST WITHOUT CONTRAST',
    series: [
      scout,
      { modality: 'CT', description: 'Chest 5mm', thickness: 5, count: 30, bodyPart: 'CHEST' },
      { modality: 'CT', description: 'Lung 1mm', thickness: 1, count: 150, bodyPart: 'CHEST' },
    ],
    ...extra,
  });
}

describe('built-in presets', () => {
  it('all load and validate', () => {
    expect(builtIns.issues).toEqual([]);
    expect(protocols.map((p) => p.id)).toEqual(['cr-chest-prior', 'ct-abdomen-pelvis', 'ct-chest-prior', 'ct-head', 'default', 'mammo-screening', 'mr-brain']);
  });
});

describe('CT chest with prior', () => {
  it('opens on the comparison: current and prior axial (thinnest), synchronised, and a coronal MPR', () => {
    const prior = ctChest('20230110');
    const result = hang(ctChest('20240115'), [prior]);
    expect(result.winner?.id).toBe('ct-chest-prior');
    expect(result.initialStage).toBe(0);
    expect(result.stages[0]).toMatchObject({ id: 'comparison', active: true });
    expect(shown(result, 0)).toEqual(['current:Lung 1mm', 'prior-1:Lung 1mm', 'current:Lung 1mm']);
    const [currentAxial, priorAxial, coronal] = result.stages[0]!.screens[0]!.viewports;
    expect(priorAxial!.displaySet!.studyUid).toBe(prior.studyUid);
    expect(coronal).toMatchObject({ type: 'mpr', orientation: 'coronal' });
    expect(currentAxial).toMatchObject({ voi: { width: 1500, center: -600, label: 'Lung' }, initialImage: 'middle' });
    expect(result.stages[0]!.syncGroups.find((g) => g.id === 'axial-scroll')).toEqual({ id: 'axial-scroll', type: 'scroll', members: [[0, 0], [0, 1]] });
    expect(result.priors.chosen).toEqual([expect.objectContaining({ ref: 'prior-1', studyUid: prior.studyUid, ageDays: 370 })]);
    expect(result.priors.chosen[0]!.why).toMatch(/370 days older.*same modality CT.*same body part CHEST/);
    expect(result.missingPriors).toEqual([]);
    // The scout and the 5 mm series are not shown in any active stage.
    expect(result.notShown.map((n) => `${n.study}:${n.description}`).sort()).toEqual(['current:Chest 5mm', 'current:Scout', 'prior-1:Chest 5mm', 'prior-1:Scout']);
  });

  it('without a prior: the comparison stage is inactive, the study opens on stage 2, the missing prior is a query for a remote node', () => {
    const current = ctChest('20240115');
    const result = hang(current);
    expect(result.winner?.id).toBe('ct-chest-prior');
    expect(result.stages[0]).toMatchObject({ active: false, inactiveBecause: 'needs 1 prior, 0 found' });
    expect(result.initialStage).toBe(1);
    expect(shown(result, 1)).toEqual(['current:Lung 1mm', 'current:Lung 1mm', 'current:Lung 1mm']);
    // The inactive comparison stage drops its prior viewport and says why in explain's words.
    expect(shown(result, 0)).toEqual(['current:Lung 1mm', 'current:Lung 1mm']);
    expect(result.stages[0]!.screens[0]!.collapsed).toEqual([{ pointer: '/stages/0/screens/0/viewports/1', selector: 'priorAxial', type: 'stack', label: 'Prior', unmatched: 'selector "priorAxial": prior-1 was not found' }]);
    expect(result.missingPriors).toEqual([
      {
        ref: 'prior-1',
        reason: 'no other study of this patient in the local archive',
        query: { patientId: 'PAT-1', modalities: ['CT'], studyDateFrom: '20190116', studyDateTo: '20240115', bodyParts: ['CHEST'], excludeStudyUids: [current.studyUid] },
      },
    ]);
  });

  it('refuses priors that are too old, of another modality, of another body part or newer, and says why', () => {
    const current = ctChest('20240115');
    const old = ctChest('20180101');
    const mr = study({ date: '20230101', description: 'MR CHEST', series: [{ modality: 'MR', description: 'T2', bodyPart: 'CHEST' }] });
    const head = study({ date: '20230101', description: 'CT HEAD', series: [{ modality: 'CT', description: 'Brain', bodyPart: 'HEAD' }] });
    const newer = ctChest('20240201');
    const result = hang(current, [old, mr, head, newer]);
    expect(result.priors.chosen).toEqual([]);
    const why = Object.fromEntries(result.priors.considered.map((c) => [c.studyUid, c.why.at(-1)]));
    expect(why[old.studyUid]).toBe('2205 days older, more than the maximum 1825');
    expect(why[mr.studyUid]).toBe('modalities [MR] share none with the current [CT]');
    expect(why[head.studyUid]).toBe('body parts [HEAD] share none with the current [CHEST]');
    expect(why[newer.studyUid]).toBe('17 days newer than the current study');
    expect(result.missingPriors[0]!.reason).toBe('none of the 4 other local studies of this patient is suitable');
    expect(result.missingPriors[0]!.query.excludeStudyUids).toHaveLength(5);
  });

  it('takes the most recent suitable prior, a chest CT before another CT of the chest region', () => {
    const current = ctChest('20240115');
    const older = ctChest('20220301');
    const recent = ctChest('20230601');
    const cardiac = study({ date: '20231201', description: 'CT CARDIAC', series: [{ modality: 'CT', description: 'Heart', bodyPart: 'CHEST', count: 40 }] });
    const result = hang(current, [older, cardiac, recent]);
    expect(result.priors.chosen.map((p) => p.studyUid)).toEqual([recent.studyUid]);
    expect(result.priors.chosen[0]!.why).toMatch(/ranked 1 of 3 suitable \(by rule score, then most recent first\)/);
  });
});

describe('CT head, abdomen/pelvis and the fallback', () => {
  it('CT head: brain window on the soft-tissue series, bone window on the bone-kernel series, scrolling synchronised', () => {
    const head = study({
      date: '20240115',
      description: 'CT HEAD WO',
      series: [scout, { modality: 'CT', description: 'Head 5mm', thickness: 5, count: 30 }, { modality: 'CT', description: 'Head Bone 1mm', thickness: 1, count: 150 }],
    });
    const result = hang(head);
    expect(result.winner?.id).toBe('ct-head');
    expect(shown(result, 0)).toEqual(['current:Head 5mm', 'current:Head Bone 1mm']);
    expect(result.stages[0]!.screens[0]!.viewports.map((v) => v.voi?.label)).toEqual(['Brain', 'Bone']);
    expect(result.stages[0]!.syncGroups[0]).toEqual({ id: 'scroll', type: 'scroll', members: [[0, 0], [0, 1]] });
    // The MPR stage: an asymmetric layout, the axial two rows tall.
    expect(result.stages[1]!.screens[0]!.viewports.map((v) => v.cell)).toEqual([
      { row: 0, column: 0, rowSpan: 2, columnSpan: 1 },
      { row: 0, column: 1, rowSpan: 1, columnSpan: 1 },
      { row: 1, column: 1, rowSpan: 1, columnSpan: 1 },
    ]);
  });

  it('CT abdomen/pelvis by body part alone: axial plus coronal and sagittal MPR of the thinnest volume', () => {
    const abdomen = study({
      date: '20240115',
      description: 'CT',
      series: [
        { modality: 'CT', description: 'Portal venous 5mm', thickness: 5, count: 40, bodyPart: 'ABDOMEN' },
        { modality: 'CT', description: 'Portal venous 1mm', thickness: 1, count: 200, bodyPart: 'ABDOMEN' },
      ],
    });
    const result = hang(abdomen);
    expect(result.winner?.id).toBe('ct-abdomen-pelvis');
    expect(result.candidates.find((c) => c.id === 'ct-abdomen-pelvis')).toMatchObject({ score: 3, rank: 1 });
    expect(shown(result, 0)).toEqual(['current:Portal venous 5mm', 'current:Portal venous 1mm', 'current:Portal venous 1mm']);
    expect(result.stages[0]!.screens[0]!.viewports.map((v) => v.orientation)).toEqual([undefined, 'coronal', 'sagittal']);
  });

  it('MPR viewports are dropped when no series is a regular volume: the axial fills the screen, explain says why', () => {
    const gappy = study({ date: '20240115', description: 'CT ABDOMEN', series: [{ modality: 'CT', description: 'Axial', count: 30, gap: true }] });
    const result = hang(gappy);
    const screen = result.stages[0]!.screens[0]!;
    expect([screen.rows, screen.columns, shown(result, 0)]).toEqual([1, 1, ['current:Axial']]);
    expect(screen.viewports[0]!.cell).toEqual({ row: 0, column: 0, rowSpan: 1, columnSpan: 1 });
    expect(screen.collapsed.map((c) => c.unmatched)).toEqual([
      'no display set matches selector "volume": series 1 "Axial" failed /displaySets/volume/rules/1: isReconstructable false does not equal true',
      'no display set matches selector "volume": series 1 "Axial" failed /displaySets/volume/rules/1: isReconstructable false does not equal true',
    ]);
  });

  it('a CT of the knee with a prior falls to the default: CT chest needs minScore 3, a prior alone gives 1', () => {
    const knee = study({ date: '20240115', description: 'CT KNEE', series: [{ modality: 'CT', description: 'Knee', bodyPart: 'KNEE' }] });
    const prior = study({ date: '20230115', description: 'CT KNEE', series: [{ modality: 'CT', description: 'Knee', bodyPart: 'KNEE' }] });
    const result = hang(knee, [prior]);
    expect(result.winner).toMatchObject({ id: 'default', score: 0 });
    const chest = result.candidates.find((c) => c.id === 'ct-chest-prior')!;
    expect(chest).toMatchObject({ matched: false, excludedBecause: 'score 1 is below minScore 3' });
    const mammo = result.candidates.find((c) => c.id === 'mammo-screening')!;
    expect(mammo.excludedBecause).toBe('required rule /match/0 failed: modalities [CT] does not equal "MG"');
    expect(matchingProtocolIds(result)).toEqual(['default']);
  });

  it('the default shows every image series in an automatic grid, attaches a segmentation, and lists the overflow', () => {
    const series: SeriesSpec[] = Array.from({ length: 18 }, (_, i) => ({ modality: 'CT', description: `S${i + 1}`, count: 3, uid: `1.2.3.${i + 1}` }));
    series.push({ modality: 'SEG', description: 'Liver seg', count: 1, references: ['1.2.3.2'], plane: null });
    series.push({ modality: 'SR', description: 'Dose report', count: 1, plane: null, extra: { '00280010': { vr: 'US' } } });
    const result = hang(study({ date: '20240115', description: 'CT misc', series }));
    expect(result.winner?.id).toBe('default');
    const screen = result.stages[0]!.screens[0]!;
    expect([screen.rows, screen.columns, screen.viewports.length]).toEqual([4, 4, 16]);
    expect(screen.viewports[1]!.derived).toEqual([expect.objectContaining({ modality: 'SEG', description: 'Liver seg' })]);
    expect(result.notShown.map((n) => [n.description, n.reason])).toEqual([
      ['S17', 'more display sets than the 16 viewports of /stages/0/screens/0'],
      ['S18', 'more display sets than the 16 viewports of /stages/0/screens/0'],
      ['Dose report', 'refers to no series shown in an active stage'],
    ]);
  });

  it('a fixed viewport keeps its place when a repeated one fills the rest of a capped auto layout', () => {
    const preset: HangingProtocol = {
      id: 'key-plus-rest',
      name: 'Key series plus the rest',
      version: 1,
      match: [{ attribute: 'modalities', operator: 'equals', value: 'CT' }],
      displaySets: { key: { rules: [{ attribute: 'seriesDescription', operator: 'equals', value: 'S3', required: true }] }, any: { rules: [] } },
      stages: [{ id: 's', name: 'S', screens: [{ layout: { type: 'auto', maxRows: 1, maxColumns: 3 }, viewports: [{ displaySet: 'any', repeat: true }, { displaySet: 'key' }] }] }],
    };
    const s = study({ date: '20240115', series: ['S1', 'S2', 'S3', 'S4'].map((d) => ({ modality: 'CT', description: d, count: 3 })) });
    const result = hang(s, [], { presets: [preset] });
    expect(shown(result, 0)).toEqual(['current:S1', 'current:S2', 'current:S3']);
    expect(result.stages[0]!.screens[0]!.viewports.map((v) => v.pointer.split('/').at(-1))).toEqual(['0', '0', '1']);
    expect(result.notShown.map((n) => [n.description, n.reason])).toEqual([['S4', 'more display sets than the 3 viewports of /stages/0/screens/0']]);
  });

  it('an automatic grid grows side by side first', () => {
    const sizes = [1, 2, 3, 4, 5, 7, 9, 10].map((n) => {
      const s = study({ date: '20240115', series: Array.from({ length: n }, (_, i) => ({ modality: 'OT', description: `S${i}`, count: 1, plane: null })) });
      const screen = hang(s).stages[0]!.screens[0]!;
      return `${screen.rows}x${screen.columns}`;
    });
    expect(sizes).toEqual(['1x1', '1x2', '1x3', '2x2', '2x3', '2x4', '3x3', '3x4']);
  });
});

describe('MR brain', () => {
  const mrSeries = (spec: Partial<SeriesSpec> & { description: string }): SeriesSpec => ({ modality: 'MR', count: 20, thickness: 5, ...spec });

  it('hangs T1, T2, FLAIR, DWI, ADC and T1 post by description', () => {
    const mr = study({
      date: '20240115',
      description: 'MRI BRAIN W/WO',
      series: [
        mrSeries({ description: 'Localizer', count: 3, plane: 'sagittal', imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] }),
        mrSeries({ description: 'AX T1', extra: { '00180081': el.numbers('DS', 12) } }),
        mrSeries({ description: 'AX T2 TSE', extra: { '00180081': el.numbers('DS', 100) } }),
        mrSeries({ description: 'AX T2 FLAIR', extra: { '00180082': el.numbers('DS', 2500) } }),
        mrSeries({ description: 'AX DWI b1000', imageType: ['ORIGINAL', 'PRIMARY', 'DIFFUSION', 'TRACEW'] }),
        mrSeries({ description: 'AX DWI ADC', imageType: ['DERIVED', 'PRIMARY', 'DIFFUSION', 'ADC'] }),
        mrSeries({ description: 'AX T1 POST', extra: { '00180010': el.text('LO', 'GADOLINIUM') } }),
      ],
    });
    const result = hang(mr);
    expect(result.winner?.id).toBe('mr-brain');
    expect(shown(result, 0)).toEqual(['current:AX T1', 'current:AX T2 TSE', 'current:AX T2 FLAIR', 'current:AX DWI b1000', 'current:AX DWI ADC', 'current:AX T1 POST']);
    expect(result.notShown.map((n) => n.description)).toEqual(['Localizer']);
  });

  it('finds T2, FLAIR and ADC by sequence attributes when descriptions are terse, and leaves T1 and DWI empty rather than guess', () => {
    const mr = study({
      date: '20240115',
      description: 'NEURO',
      series: [
        mrSeries({ description: 'SEQ2', extra: { '00180020': el.text('CS', 'SE', 'IR'), '00180082': el.numbers('DS', 2400) } }),
        mrSeries({ description: 'SEQ3', imageType: ['DERIVED', 'PRIMARY', 'ADC'] }),
        mrSeries({ description: 'SEQ4', extra: { '00180081': el.numbers('DS', 95) } }),
      ],
    });
    const result = hang(mr);
    expect(result.winner?.id).toBe('mr-brain');
    const screen = result.stages[0]!.screens[0]!;
    const viewports = screen.viewports;
    // T1, DWI and T1 post are dropped; T2, FLAIR and ADC re-flow into one row.
    expect([screen.rows, screen.columns, viewports.map(label)]).toEqual([1, 3, ['current:SEQ4', 'current:SEQ2', 'current:SEQ3']]);
    expect(screen.collapsed.map((c) => c.label)).toEqual(['T1', 'DWI', 'T1 post']);
    expect(screen.collapsed[0]!.unmatched).toBe('no display set matches selector "t1": series 1 "SEQ2" score 2 is below minScore 3; series 2 "SEQ3" score 2 is below minScore 3; series 3 "SEQ4" score 2 is below minScore 3');
    expect(viewports[1]!.displaySet!.rules.filter((r) => r.passed && r.weight > 0).map((r) => r.why)).toEqual(['inversionTime 2400 is within 1500..∞', 'scanningSequence [SE, IR] equals "IR"', 'orientation "axial" equals "axial"']);
  });
});

describe('projection radiography and mammography', () => {
  it('a chest radiograph with its views in one series and a prior: current and prior on two screens, folded to one display as 1×4', () => {
    const current = study({ date: '20240115', description: 'XR CHEST 2 VIEWS', series: [{ modality: 'DX', bodyPart: 'CHEST', views: [{ view: 'PA' }, { view: 'LL' }] }] });
    const prior = study({ date: '20210115', description: 'CHEST PA LAT', series: [{ modality: 'CR', bodyPart: 'CHEST', description: 'PA', views: [{ view: 'PA' }] }, { modality: 'CR', bodyPart: 'CHEST', description: 'LAT', views: [{ view: 'LATERAL' }] }] });
    const result = hang(current, [prior]);
    expect(result.winner?.id).toBe('cr-chest-prior');
    const screens = result.stages[0]!.screens;
    // One series split by view on the current study, one series per view on the prior.
    expect(screens.map((s) => s.viewports.map((v) => (v.displaySet?.instanceUids ? v.displaySet.displaySetId.replace(/^.*#/, '') : v.displaySet?.description)))).toEqual([
      ['U-PA', 'U-LL'],
      ['PA', 'LAT'],
    ]);
    expect(screens[0]!.viewports[0]!.displaySet!.instanceUids).toHaveLength(1);
    const [one] = foldScreens(screens, 1);
    expect(one).toMatchObject({ display: 0, screens: [0, 1], rows: 1, columns: 4 });
    expect(one!.viewports.map((v) => [v.cell.column, v.screen, v.label])).toEqual([
      [0, 0, 'Current'],
      [1, 0, 'Current'],
      [2, 1, 'Prior'],
      [3, 1, 'Prior'],
    ]);
    expect(foldScreens(screens, 2).map((d) => d.screens)).toEqual([[0], [1]]);
  });

  const fourViews = [
    { laterality: 'R', view: 'CC' },
    { laterality: 'L', view: 'CC' },
    { laterality: 'R', view: 'MLO' },
    { laterality: 'L', view: 'MLO' },
  ];

  it('mammography screening: the four views mirrored, the prior four on the second screen', () => {
    const current = study({ date: '20240115', description: 'MAMMO SCREENING BILAT', series: [{ modality: 'MG', views: fourViews }] });
    const prior = study({ date: '20230101', description: 'MAMMO SCREENING BILAT', series: [{ modality: 'MG', views: [...fourViews].reverse() }] });
    const result = hang(current, [prior]);
    expect(result.winner?.id).toBe('mammo-screening');
    expect(result.initialStage).toBe(0);
    const [screen1, screen2] = result.stages[0]!.screens;
    const view = (v: ViewportAssignment) => `${v.displaySet!.study}:${v.displaySet!.displaySetId.replace(/^.*#/, '')}:${v.align}`;
    expect(screen1!.viewports.map(view)).toEqual(['current:R-CC:right', 'current:L-CC:left', 'current:R-MLO:right', 'current:L-MLO:left']);
    expect(screen2!.viewports.map(view)).toEqual(['prior-1:R-CC:right', 'prior-1:L-CC:left', 'prior-1:R-MLO:right', 'prior-1:L-MLO:left']);
  });

  it('mammography: a prior from last month is too recent (minAgeDays 180): the current 4-view stage opens', () => {
    const current = study({ date: '20240115', description: 'MAMMO SCREENING', series: [{ modality: 'MG', views: fourViews }] });
    const recent = study({ date: '20231215', description: 'MAMMO DIAGNOSTIC', series: [{ modality: 'MG', views: fourViews.slice(0, 2) }] });
    const result = hang(current, [recent]);
    expect(result.priors.considered[0]!.why.at(-1)).toBe('31 days older, less than the minimum 180');
    expect(result.initialStage).toBe(1);
    expect(result.stages[1]!.screens[0]!.viewports.every((v) => v.displaySet?.study === 'current')).toBe(true);
    expect(result.missingPriors[0]!.query).toMatchObject({ modalities: ['MG'], studyDateFrom: '20190116', studyDateTo: '20230719' });
  });
});

describe('ranking', () => {
  const base = (id: string, match: HangingProtocol['match'], extra: Partial<HangingProtocol> = {}): HangingProtocol => ({
    id,
    name: id,
    version: 1,
    match,
    displaySets: { any: { rules: [] } },
    stages: [{ id: 's', name: 'S', screens: [{ layout: { type: 'grid', rows: 1, columns: 1 }, viewports: [{ displaySet: 'any' }] }] }],
    ...extra,
  });
  const ct = study({ date: '20240115', description: 'CT CHEST', series: [{ modality: 'CT', description: 'A' }] });

  it('a tie in score goes to the protocol with more required rules, then to the lower id', () => {
    const a = base('b-general', [{ attribute: 'modalities', operator: 'equals', value: 'CT', weight: 2 }]);
    const b = base('c-specific', [
      { attribute: 'modalities', operator: 'equals', value: 'CT', weight: 1, required: true },
      { attribute: 'studyDescription', operator: 'contains', value: 'chest', weight: 1 },
    ]);
    const c = base('a-general', [{ attribute: 'studyDescription', operator: 'contains', value: 'CT', weight: 2 }]);
    const result = hang(ct, [], { presets: [a, b, c] });
    expect(result.candidates.map((x) => [x.id, x.score, x.rank])).toEqual([
      ['c-specific', 2, 1],
      ['a-general', 2, 2],
      ['b-general', 2, 3],
    ]);
    // The order of the presets does not matter.
    expect(hang(ct, [], { presets: [c, b, a] }).candidates.map((x) => x.id)).toEqual(['c-specific', 'a-general', 'b-general']);
  });

  it('a failing required rule excludes a protocol whatever its score; a fallback ranks last', () => {
    const strong = base('strong', [
      { attribute: 'studyDescription', operator: 'contains', value: 'chest', weight: 10 },
      { attribute: 'patientSex', operator: 'equals', value: 'F', required: true },
    ]);
    const fallback = base('zz-fallback', [], { fallback: true });
    const weak = base('weak', [{ attribute: 'modalities', operator: 'equals', value: 'CT', weight: 0.5 }]);
    const result = hang(ct, [], { presets: [strong, fallback, weak] });
    expect(result.winner?.id).toBe('weak');
    expect(result.candidates.map((c) => [c.id, c.matched])).toEqual([
      ['weak', true],
      ['zz-fallback', true],
      ['strong', false],
    ]);
    expect(result.candidates[2]!.excludedBecause).toBe('required rule /match/1 failed: patientSex has no value');
    expect(result.candidates[2]!.rules[0]).toMatchObject({ pointer: '/match/0', passed: true, weight: 10, why: 'studyDescription "CT CHEST" contains "chest"' });
  });

  it('hangs a requested protocol (the next that matches, or the editor preview) and says when it does not match', () => {
    const result = hang(ctChest('20240115'), [], { protocolId: 'mr-brain' });
    expect(result.winner).toMatchObject({ id: 'mr-brain', forced: true });
    expect(result.stages[0]!.screens[0]!.viewports.every((v) => v.displaySet === null)).toBe(true);
    expect(() => hang(ctChest('20240115'), [], { protocolId: 'nope' })).toThrow(/no hanging protocol with id "nope"/);
  });

  it('no protocol at all: no winner, nothing hung', () => {
    expect(hang(ct, [], { presets: [] })).toMatchObject({ winner: null, stages: [], candidates: [] });
  });

  it('is deterministic: display sets in any order give the same hanging', () => {
    const current = ctChest('20240115');
    const prior = ctChest('20230110', { uid: uid() });
    const a = hang(current, [prior]);
    const b = hang({ ...current, displaySets: [...current.displaySets].reverse() }, [{ ...prior, displaySets: [...prior.displaySets].reverse() }]);
    expect(b.stages).toEqual(a.stages);
  });
});
