/**
 * Where storage commitment reports meet the requests waiting for them. A
 * PACS may answer on the association of the N-ACTION or, later, on one it
 * opens to our listener; either way the report is delivered here and matched
 * by Transaction UID. A report nobody waits for (it came after the wait, or
 * after a restart) goes to `unclaimed`, so the queue can still record it.
 */
import type { Logger } from '../log.js';
import type { CommitmentReport } from './storage-commitment-sop.js';

export interface CommitmentReportsOptions {
  logger: Logger;
  unclaimed?: (report: CommitmentReport) => void;
}

export class CommitmentReports {
  private readonly waiting = new Map<string, (report: CommitmentReport | undefined) => void>();

  constructor(private readonly options: CommitmentReportsOptions) {}

  /** Transactions waited for now. */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Wait for the report of `transactionUid`: resolves with it, or with
   * undefined after `timeoutMs` or when `withdrawn` aborts (the request
   * failed). Call it before sending the N-ACTION, so a report that comes at
   * once is not missed.
   */
  expect(transactionUid: string, timeoutMs: number, withdrawn?: AbortSignal): Promise<CommitmentReport | undefined> {
    if (this.waiting.has(transactionUid)) throw new Error(`storage commitment transaction ${transactionUid} is already waited for`);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      const withdraw = () => settle(undefined);
      const settle = (report: CommitmentReport | undefined) => {
        clearTimeout(timer);
        withdrawn?.removeEventListener('abort', withdraw);
        this.waiting.delete(transactionUid);
        resolve(report);
      };
      this.waiting.set(transactionUid, settle);
      withdrawn?.addEventListener('abort', withdraw, { once: true });
    });
  }

  /** Stop every wait (the node is closing): each resolves with nothing, as after its timeout. */
  close(): void {
    for (const settle of [...this.waiting.values()]) settle(undefined);
  }

  /** Hand over a report; true when a request was waiting for it. */
  deliver(report: CommitmentReport): boolean {
    const settle = this.waiting.get(report.transactionUid);
    const counts = { transactionUid: report.transactionUid, reporterAe: report.reporterAe, committed: report.committed.length, failed: report.failed.length };
    if (settle) {
      this.options.logger.info('storage commitment report received', counts);
      settle(report);
      return true;
    }
    this.options.logger.warn('storage commitment report for a transaction nobody waits for', counts);
    this.options.unclaimed?.(report);
    return false;
  }
}
