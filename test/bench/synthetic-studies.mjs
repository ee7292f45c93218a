// Synthetic studies shared by the benchmarks: attributes of the i-th study
// (deterministic) and tiny real Part 10 files carrying them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateCtSeries } from '../fixtures/ct-series.ts';

const SURNAMES = ['Smith', 'Jones', 'Brown', 'Taylor', 'Wilson', 'Martin', 'Nguyen', 'Garcia', 'Müller', 'Rossi', 'Novak', 'Kowalski', 'Tanaka', 'Silva', 'Dubois', 'Jensen'];
const GIVEN = ['Anna', 'John', 'Maria', 'Peter', 'Lena', 'Omar', 'Yuki', 'Ines', 'Paul', 'Sara'];
const MODALITIES = ['CT', 'MR', 'CR', 'US', 'DX', 'MG', 'PT', 'NM'];

/** The i-th synthetic study: ~4 studies per patient, dates over ten years. Deterministic. */
export function studyAttributes(i) {
  const patient = Math.floor(i / 4);
  const day = new Date(Date.UTC(2015, 0, 1) + ((i * 7919) % 3650) * 86400000);
  return {
    patientName: `${SURNAMES[patient % SURNAMES.length]}${Math.floor(patient / SURNAMES.length)}^${GIVEN[patient % GIVEN.length]}`,
    patientId: `P${String(patient).padStart(7, '0')}`,
    date: day.toISOString().slice(0, 10).replaceAll('-', ''),
    time: String(80000 + (i % 10) * 1000).padStart(6, '0'),
    accession: `A${String(i).padStart(8, '0')}`,
    modality: MODALITIES[i % MODALITIES.length],
    description: `${MODALITIES[i % MODALITIES.length]} study ${i % 50}`,
  };
}

/** Studies 0..count-1 as one tiny (8×8) Part 10 file each, a thousand per folder. */
export function writeStudyFiles(dir, count) {
  for (let i = 0; i < count; i++) {
    const a = studyAttributes(i);
    const folder = join(dir, String(Math.floor(i / 1000)));
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    generateCtSeries({
      dir: folder,
      count: 1,
      rows: 8,
      cols: 8,
      patientName: a.patientName,
      patientId: a.patientId,
      studyDate: a.date,
      fileName: () => `S${i}.dcm`,
      overrides: [
        { tag: 0x00080030, vr: 'TM', value: a.time },
        { tag: 0x00080050, vr: 'SH', value: a.accession },
        { tag: 0x00080060, vr: 'CS', value: a.modality },
        { tag: 0x00081030, vr: 'LO', value: a.description },
      ],
    });
  }
}

