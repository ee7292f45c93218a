/** The registry that matches storage commitment reports to waiting requests by Transaction UID. */
import { describe, expect, it } from 'vitest';
import { CommitmentReports } from '../../../../main/dicom/commitment-reports.js';
import type { CommitmentReport } from '../../../../main/dicom/storage-commitment-sop.js';
import { silentLogger } from '../../../../main/log.js';

const report = (transactionUid: string): CommitmentReport => ({ transactionUid, reporterAe: 'PACS', committed: [{ sopClassUid: '1.2', sopInstanceUid: '1.2.3' }], failed: [] });

describe('commitment reports', () => {
  it('hands a report to the request waiting for its transaction, and only to it', async () => {
    const reports = new CommitmentReports({ logger: silentLogger });
    const first = reports.expect('2.25.1', 10_000);
    const second = reports.expect('2.25.2', 10_000);
    expect(reports.pending).toBe(2);
    expect(reports.deliver(report('2.25.2'))).toBe(true);
    expect(await second).toEqual(report('2.25.2'));
    expect(reports.deliver(report('2.25.1'))).toBe(true);
    expect(await first).toEqual(report('2.25.1'));
    expect(reports.pending).toBe(0);
  });

  it('a report nobody waits for goes to `unclaimed`', () => {
    const unclaimed: CommitmentReport[] = [];
    const reports = new CommitmentReports({ logger: silentLogger, unclaimed: (r) => unclaimed.push(r) });
    expect(reports.deliver(report('2.25.9'))).toBe(false);
    expect(unclaimed).toEqual([report('2.25.9')]);
  });

  it('resolves with nothing after the timeout, and a report after that is unclaimed', async () => {
    const unclaimed: CommitmentReport[] = [];
    const reports = new CommitmentReports({ logger: silentLogger, unclaimed: (r) => unclaimed.push(r) });
    expect(await reports.expect('2.25.3', 20)).toBeUndefined();
    expect(reports.deliver(report('2.25.3'))).toBe(false);
    expect(unclaimed).toHaveLength(1);
  });

  it('a withdrawn wait resolves with nothing at once and frees the transaction', async () => {
    const reports = new CommitmentReports({ logger: silentLogger });
    const withdraw = new AbortController();
    const waiting = reports.expect('2.25.4', 60_000, withdraw.signal);
    withdraw.abort();
    expect(await waiting).toBeUndefined();
    expect(reports.pending).toBe(0);
  });

  it('closing ends every wait with nothing', async () => {
    const reports = new CommitmentReports({ logger: silentLogger });
    const waits = [reports.expect('2.25.6', 60_000), reports.expect('2.25.7', 60_000)];
    reports.close();
    expect(await Promise.all(waits)).toEqual([undefined, undefined]);
    expect(reports.pending).toBe(0);
  });

  it('refuses to wait twice for one transaction', () => {
    const reports = new CommitmentReports({ logger: silentLogger });
    const withdraw = new AbortController();
    void reports.expect('2.25.5', 60_000, withdraw.signal);
    expect(() => reports.expect('2.25.5', 60_000)).toThrow(/2\.25\.5 is already waited for/);
    withdraw.abort();
  });
});
