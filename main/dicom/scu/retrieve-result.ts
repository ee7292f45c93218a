/** C-MOVE / C-GET responses read as counts, final status and failed SOP Instance UIDs (PS3.4 C.4.2.1.6, C.4.3.1.5). */
import { parseDataset } from '../../../shared/dicom/dataset-parser.js';
import { Tag, type CommandSet } from '../ul/dimse-command.js';
import type { DimseResponse } from './client-association.js';
import { describeStatus, statusClass } from '../status.js';
import { describeNode, type NodeAddress } from './scu-error.js';

export interface RetrieveProgress {
  /** Absent in a final response that was not cancelled. */
  remaining: number | undefined;
  completed: number;
  failed: number;
  warning: number;
}

export interface RetrieveResult extends RetrieveProgress {
  status: number;
  cancelled: boolean;
  failedSopInstanceUids: string[];
  /** Set when the final status is a failure (A7xx, A801, A900, Cxxx...): what the peer said, naming the node. */
  error?: string;
}

export function progressOf(command: CommandSet): RetrieveProgress {
  return {
    remaining: command.us(Tag.numberOfRemainingSubOperations),
    completed: command.us(Tag.numberOfCompletedSubOperations) ?? 0,
    failed: command.us(Tag.numberOfFailedSubOperations) ?? 0,
    warning: command.us(Tag.numberOfWarningSubOperations) ?? 0,
  };
}

/** The final response as a result; `transferSyntaxUid` is the context's, for the failed list. */
export function resultOf(final: DimseResponse, transferSyntaxUid: string, operation: string, node: NodeAddress): RetrieveResult {
  const kind = statusClass(final.status);
  const result: RetrieveResult = { ...progressOf(final.command), status: final.status, cancelled: kind === 'cancel', failedSopInstanceUids: failedUids(final, transferSyntaxUid) };
  if (kind === 'failure') {
    const comment = final.command.text(Tag.errorComment);
    result.error = `${describeNode(node)}: ${operation} failed with status ${describeStatus(final.status)}${comment ? `: ${comment}` : ''}`;
  }
  return result;
}

function failedUids(final: DimseResponse, transferSyntaxUid: string): string[] {
  if (!final.dataset || final.dataset.length === 0) return [];
  try {
    const list = parseDataset(final.dataset, { transferSyntaxUid })['00080058']?.Value ?? [];
    return list.filter((v): v is string => typeof v === 'string');
  } catch {
    // The counts still say how many failed; an unreadable list only loses the UIDs.
    return [];
  }
}
