/** A CT chest and its prior a year before, sent to the reading room's node: what the built-in comparison protocol hangs. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import type { ReadingRoom } from './reading-room.js';

export async function sendChestCtWithPrior(room: ReadingRoom, patient: { patientId: string; patientName: string; images: number }): Promise<{ current: string; prior: string }> {
  const studies: Record<string, string> = {};
  for (const [label, date] of [
    ['current', '20240301'],
    ['prior', '20230301'],
  ] as const) {
    const dir = join(room.work, label);
    mkdirSync(dir);
    const overrides = [
      { tag: 0x00081030, vr: 'LO', value: 'CT Chest with contrast' },
      { tag: 0x00180015, vr: 'CS', value: 'CHEST' },
    ];
    studies[label] = generateCtSeries({ dir, count: patient.images, rows: 32, cols: 32, studyDate: date, patientId: patient.patientId, patientName: patient.patientName, overrides }).studyUid;
    await room.send(dir);
  }
  return { current: studies.current!, prior: studies.prior! };
}
