/**
 * Sub-operation bookkeeping shared by C-MOVE and C-GET (PS3.4 C.4.2.1.6 /
 * C.4.3.1.5): the counts in each response, the final status, and the Failed
 * SOP Instance UID List.
 */
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { Tag, type CommandValue } from '../ul/dimse-command.js';
import { RetrieveStatus } from '../status.js';

export class SubOperationTally {
  completed = 0;
  failed = 0;
  warning = 0;
  readonly failedUids: string[] = [];

  constructor(readonly total: number) {}

  get remaining(): number {
    return this.total - this.completed - this.failed - this.warning;
  }

  record(outcome: 'completed' | 'failed' | 'warning', sopInstanceUid: string): void {
    this[outcome]++;
    if (outcome === 'failed') this.failedUids.push(sopInstanceUid);
  }

  /** Counts for a Pending response, or a final one (Remaining only when cancelled). */
  fields(final: { cancelled: boolean } | undefined = undefined): Array<[number, CommandValue]> {
    const fields: Array<[number, CommandValue]> = [
      [Tag.numberOfCompletedSubOperations, { vr: 'US', value: this.completed }],
      [Tag.numberOfFailedSubOperations, { vr: 'US', value: this.failed }],
      [Tag.numberOfWarningSubOperations, { vr: 'US', value: this.warning }],
    ];
    if (!final || final.cancelled) fields.push([Tag.numberOfRemainingSubOperations, { vr: 'US', value: this.remaining }]);
    return fields;
  }

  finalStatus(cancelled: boolean): number {
    if (cancelled) return RetrieveStatus.cancel;
    if (this.failed === 0 && this.warning === 0) return RetrieveStatus.success;
    return this.completed === 0 && this.warning === 0 ? RetrieveStatus.unableToPerformSubOperations : RetrieveStatus.warning;
  }

  /** The final response's identifier: the Failed SOP Instance UID List, when any failed. */
  failedList(): DicomJsonDataset | undefined {
    return this.failedUids.length === 0 ? undefined : { '00080058': { vr: 'UI', Value: [...this.failedUids] } };
  }
}
