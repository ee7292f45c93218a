/**
 * Generated studies as DICOM JSON instances (the form WADO-RS metadata and
 * the index give), described compactly: the engine tests go through the same
 * facts builder as the renderer and the CLI.
 */
import type { DicomJsonDataset, DicomJsonElement } from '../../../../shared/dicom/json.js';
import { studyFactsFromInstances } from '../../../../shared/hanging-protocols/facts-from-dicom-json.js';
import type { StudyFacts } from '../../../../shared/hanging-protocols/study-facts.js';

export type Plane = 'axial' | 'coronal' | 'sagittal' | 'oblique';

export interface SeriesSpec {
  modality: string;
  description?: string;
  number?: number;
  /** Instances (default 20; one per view when views are given). */
  count?: number;
  plane?: Plane | null;
  thickness?: number;
  bodyPart?: string;
  imageType?: string[];
  /** Projection images: one instance per view. */
  views?: Array<{ laterality?: string; view: string }>;
  /** A missing slice in the middle (not a regular volume). */
  gap?: boolean;
  /** Series this derived object refers to (SEG: ReferencedSeriesSequence). */
  references?: string[];
  /** Further attributes of every instance. */
  extra?: Record<string, DicomJsonElement>;
  uid?: string;
}

export interface StudySpec {
  uid?: string;
  patientId?: string;
  date: string;
  time?: string;
  description?: string;
  series: SeriesSpec[];
}

let counter = 0;
export function uid(): string {
  return `2.25.${Date.now()}${++counter}`;
}

const IOP: Record<Plane, number[]> = {
  axial: [1, 0, 0, 0, 1, 0],
  coronal: [1, 0, 0, 0, 0, -1],
  sagittal: [0, 1, 0, 0, 0, -1],
  oblique: [1, 0, 0, 0, 0.7071068, 0.7071068],
};
const NORMAL: Record<Plane, number[]> = { axial: [0, 0, 1], coronal: [0, -1, 0], sagittal: [-1, 0, 0], oblique: [0, -0.7071068, 0.7071068] };

const text = (vr: string, ...values: string[]): DicomJsonElement => ({ vr, Value: values });
const numbers = (vr: string, ...values: number[]): DicomJsonElement => ({ vr, Value: values });

export function studyJson(spec: StudySpec): DicomJsonDataset[] {
  const studyUid = spec.uid ?? uid();
  const instances: DicomJsonDataset[] = [];
  spec.series.forEach((s, index) => {
    const seriesUid = s.uid ?? uid();
    const count = s.views ? s.views.length : (s.count ?? 20);
    const thickness = s.thickness ?? 1;
    const plane = s.plane === undefined ? (s.views ? null : 'axial') : s.plane;
    for (let i = 0; i < count; i++) {
      const ds: DicomJsonDataset = {
        '00080016': text('UI', s.modality === 'SEG' ? '1.2.840.10008.5.1.4.1.1.66.4' : '1.2.840.10008.5.1.4.1.1.2'),
        '00080018': text('UI', uid()),
        '00080020': text('DA', spec.date),
        '00080060': text('CS', s.modality),
        '0020000D': text('UI', studyUid),
        '0020000E': text('UI', seriesUid),
        '00200011': numbers('IS', s.number ?? index + 1),
        '00200013': numbers('IS', i + 1),
        '00100020': text('LO', spec.patientId ?? 'PAT-1'),
        '00280010': numbers('US', 64),
      };
      if (spec.time) ds['00080030'] = text('TM', spec.time);
      if (spec.description) ds['00081030'] = text('LO', spec.description);
      if (s.description) ds['0008103E'] = text('LO', s.description);
      if (s.bodyPart) ds['00180015'] = text('CS', s.bodyPart);
      if (s.imageType) ds['00080008'] = text('CS', ...s.imageType);
      if (s.thickness !== undefined || plane) ds['00180050'] = numbers('DS', thickness);
      if (plane) {
        const step = s.gap && i >= count / 2 ? i + 1 : i;
        ds['00200037'] = numbers('DS', ...IOP[plane]);
        ds['00200032'] = numbers('DS', ...NORMAL[plane].map((n) => n * step * thickness));
      }
      const view = s.views?.[i];
      if (view) {
        ds['00185101'] = text('CS', view.view);
        if (view.laterality) ds['00200062'] = text('CS', view.laterality);
      }
      if (s.references) ds['00081115'] = { vr: 'SQ', Value: s.references.map((r) => ({ '0020000E': text('UI', r) })) };
      Object.assign(ds, s.extra ?? {});
      instances.push(ds);
    }
  });
  return instances;
}

export function study(spec: StudySpec): StudyFacts {
  return studyFactsFromInstances(studyJson(spec));
}

export const el = { text, numbers };
