import { describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { displaySetsFromSeries, studyFactsFromInstances, studyFactsFromStudyRecord } from '../../../../shared/hanging-protocols/facts-from-dicom-json.js';
import { orientationOf } from '../../../../shared/hanging-protocols/plane-geometry.js';
import { el, studyJson, uid } from './study-json.js';

describe('orientation from ImageOrientationPatient', () => {
  const tilted = (degrees: number) => {
    const r = (degrees * Math.PI) / 180;
    return [1, 0, 0, 0, Math.cos(r), Math.sin(r)];
  };
  it.each([
    ['axial', [1, 0, 0, 0, 1, 0], 'axial'],
    ['coronal', [1, 0, 0, 0, 0, -1], 'coronal'],
    ['sagittal', [0, 1, 0, 0, 0, -1], 'sagittal'],
    ['axial with a 25° gantry tilt', tilted(25), 'axial'],
    ['35° off axial', tilted(35), 'oblique'],
    ['65° off axial (25° off coronal)', tilted(65), 'coronal'],
  ])('%s', (_name, iop, expected) => {
    expect(orientationOf(iop as number[])).toBe(expected);
  });
  it('none without a valid vector', () => {
    expect(orientationOf(null)).toBeNull();
    expect(orientationOf([1, 0, 0, 1, 0, 0])).toBeNull();
  });
});

describe('display sets from a series', () => {
  it('a regular CT series is a reconstructable volume; one with a missing slice or a localizer is not', () => {
    const [regular, gap, scout] = ['regular', 'gap', 'scout'].map((kind) =>
      displaySetsFromSeries(studyJson({ date: '20240101', series: [{ modality: 'CT', count: 10, gap: kind === 'gap', imageType: kind === 'scout' ? ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] : undefined }] }))[0]!,
    );
    expect(regular).toMatchObject({ kind: 'image', orientation: 'axial', numberOfImages: 10, isReconstructable: true, sliceThickness: 1 });
    expect(gap!.isReconstructable).toBe(false);
    expect(scout!.isReconstructable).toBe(false);
  });

  it('two slices are not a volume; mixed orientations are not a volume', () => {
    expect(displaySetsFromSeries(studyJson({ date: '20240101', series: [{ modality: 'CT', count: 2 }] }))[0]!.isReconstructable).toBe(false);
    const instances = studyJson({ date: '20240101', series: [{ modality: 'CT', count: 6 }] });
    instances[3]!['00200037'] = el.numbers('DS', 1, 0, 0, 0, 0, -1);
    expect(displaySetsFromSeries(instances)[0]!.isReconstructable).toBe(false);
  });

  it('from the first instance only, with the real count: judged by orientation, modality and count', () => {
    const instances = studyJson({ date: '20240101', series: [{ modality: 'CT', count: 1 }, { modality: 'CR', count: 1, plane: null }] });
    expect(displaySetsFromSeries([instances[0]!], 120)[0]).toMatchObject({ numberOfImages: 120, isReconstructable: true });
    expect(displaySetsFromSeries([instances[1]!], 120)[0]).toMatchObject({ numberOfImages: 120, isReconstructable: false, orientation: null });
  });

  it('splits a mammography series by laterality and view, keeping each view’s instances in order', () => {
    const instances = studyJson({
      date: '20240101',
      series: [{ modality: 'MG', views: [{ laterality: 'R', view: 'CC' }, { laterality: 'L', view: 'CC' }, { laterality: 'R', view: 'CC' }, { laterality: 'L', view: 'MLO' }] }],
    });
    const sets = displaySetsFromSeries([...instances].reverse());
    const seriesUid = instances[0]!['0020000E']!.Value![0];
    expect(sets.map((s) => [s.id, s.numberOfImages, s.laterality, s.viewPosition])).toEqual([
      [`${seriesUid}#R-CC`, 2, 'R', 'CC'],
      [`${seriesUid}#L-CC`, 1, 'L', 'CC'],
      [`${seriesUid}#L-MLO`, 1, 'L', 'MLO'],
    ]);
    expect(sets[0]!.instanceUids).toEqual([instances[0]!['00080018']!.Value![0], instances[2]!['00080018']!.Value![0]]);
  });

  it('a one-view projection series is not split', () => {
    const sets = displaySetsFromSeries(studyJson({ date: '20240101', series: [{ modality: 'DX', views: [{ view: 'PA' }, { view: 'PA' }] }] }));
    expect(sets).toHaveLength(1);
    expect(sets[0]!.instanceUids).toBeUndefined();
  });

  it('reads the MR sequence attributes, contrast and numbers written as strings', () => {
    const [set] = displaySetsFromSeries(
      studyJson({
        date: '20240101',
        series: [
          {
            modality: 'MR',
            count: 3,
            extra: {
              '00180020': el.text('CS', 'se', 'IR'),
              '00180021': el.text('CS', 'SK', 'SP'),
              '00180024': el.text('SH', '*tir2d1_16'),
              '00180080': el.text('DS', '9000'),
              '00180081': el.text('DS', ' 81 '),
              '00180082': el.text('DS', '2500'),
              '00180010': el.text('LO', 'Gadovist'),
              '00181030': el.text('LO', 't2_tirm_tra_dark-fluid'),
            },
          },
        ],
      }),
    );
    expect(set).toMatchObject({
      scanningSequence: ['SE', 'IR'],
      sequenceVariant: ['SK', 'SP'],
      sequenceName: '*tir2d1_16',
      repetitionTime: 9000,
      echoTime: 81,
      inversionTime: 2500,
      contrast: true,
      protocolName: 't2_tirm_tra_dark-fluid',
    });
  });

  it('an enhanced multi-frame MR: orientation from the shared groups, volume from the per-frame positions', () => {
    const frame = (z: number): DicomJsonDataset => ({ '00209113': { vr: 'SQ', Value: [{ '00200032': el.numbers('DS', 0, 0, z) }] } });
    const instance: DicomJsonDataset = {
      '00080060': el.text('CS', 'MR'),
      '0020000D': el.text('UI', '1.2.3'),
      '0020000E': el.text('UI', '1.2.3.4'),
      '00080018': el.text('UI', '1.2.3.4.5'),
      '00280010': el.numbers('US', 64),
      '00280008': el.numbers('IS', 4),
      '52009229': { vr: 'SQ', Value: [{ '00209116': { vr: 'SQ', Value: [{ '00200037': el.numbers('DS', 1, 0, 0, 0, 0, -1) }] } }] },
      '52009230': { vr: 'SQ', Value: [frame(0), frame(-2), frame(-4), frame(-6)] },
    };
    // Coronal frames whose positions move along z, not along the plane's normal (y), are no volume.
    const [stacked] = displaySetsFromSeries([instance]);
    expect(stacked).toMatchObject({ orientation: 'coronal', numberOfImages: 4, isReconstructable: false });
    const alongNormal = { ...instance, '52009230': { vr: 'SQ', Value: [0, 2, 4, 6].map((y) => ({ '00209113': { vr: 'SQ', Value: [{ '00200032': el.numbers('DS', 0, y, 0) }] } })) } };
    expect(displaySetsFromSeries([alongNormal])[0]!.isReconstructable).toBe(true);
  });
});

describe('derived objects', () => {
  it('finds the series a SEG, an SR, a PR and an RTSTRUCT refer to', () => {
    const ref = (series: string) => ({ '0020000E': el.text('UI', series) });
    const base = (modality: string, extra: DicomJsonDataset): DicomJsonDataset => ({
      '00080060': el.text('CS', modality),
      '0020000D': el.text('UI', '1.2'),
      '0020000E': el.text('UI', uid()),
      '00080018': el.text('UI', uid()),
      ...extra,
    });
    const seg = base('SEG', { '00081115': { vr: 'SQ', Value: [ref('A')] } });
    const sr = base('SR', { '0040A375': { vr: 'SQ', Value: [{ '00081115': { vr: 'SQ', Value: [ref('B'), ref('C')] } }] } });
    const rt = base('RTSTRUCT', { '30060010': { vr: 'SQ', Value: [{ '30060012': { vr: 'SQ', Value: [{ '30060014': { vr: 'SQ', Value: [ref('D')] } }] } }] } });
    const pr = base('PR', { '00081115': { vr: 'SQ', Value: [ref('E')] } });
    expect([seg, sr, rt, pr].map((d) => displaySetsFromSeries([d])[0]!).map((s) => [s.kind, s.referencedSeriesUids])).toEqual([
      ['derived', ['A']],
      ['derived', ['B', 'C']],
      ['derived', ['D']],
      ['derived', ['E']],
    ]);
  });
});

describe('study facts', () => {
  it('collects modalities and body parts, sorts display sets by series number, and ages the patient', () => {
    const instances = studyJson({
      date: '20240115',
      time: '101500',
      description: 'CT CHEST',
      series: [
        { modality: 'CT', number: 3, bodyPart: 'chest' },
        { modality: 'CT', number: 1, bodyPart: 'CHEST' },
        { modality: 'SR', number: 9, plane: null, count: 1 },
      ],
    });
    for (const i of instances) i['00100030'] = el.text('DA', '19800116');
    const facts = studyFactsFromInstances(instances);
    expect(facts).toMatchObject({ studyDate: '20240115', studyTime: '101500', studyDescription: 'CT CHEST', modalities: ['CT', 'SR'], bodyParts: ['CHEST'], patientAge: 43, patientId: 'PAT-1' });
    expect(facts.displaySets.map((d) => d.seriesNumber)).toEqual([1, 3, 9]);
    instances[0]!['00101010'] = el.text('AS', '044Y');
    expect(studyFactsFromInstances(instances).patientAge).toBe(44);
  });

  it('refuses instances of two studies, naming them', () => {
    const a = studyJson({ date: '20240101', series: [{ modality: 'CT', count: 1 }] });
    const b = studyJson({ date: '20240101', series: [{ modality: 'CT', count: 1 }] });
    expect(() => studyFactsFromInstances([...a, ...b])).toThrow(/belongs to study 2\.25\.\d+, not 2\.25\.\d+/);
  });

  it('from a remote query record: study attributes, no display sets', () => {
    const facts = studyFactsFromStudyRecord({
      '0020000D': el.text('UI', '1.2.3'),
      '00080020': el.text('DA', '20200101'),
      '00080061': el.text('CS', 'CT', 'SR'),
      '00081030': el.text('LO', 'CT CHEST'),
      '00100020': el.text('LO', 'P1'),
    });
    expect(facts).toMatchObject({ studyUid: '1.2.3', modalities: ['CT', 'SR'], studyDescription: 'CT CHEST', displaySets: [], bodyParts: [] });
  });
});
