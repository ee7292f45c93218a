/** The Send dialog's words: destinations and rules as a reader reads them, and what was queued. */
import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../../../shared/api/routes-api.js';
import { destinationLabel, queuedText, ruleLabel } from '../../../../renderer/queue/send-words.js';

describe('send dialog words', () => {
  it('marks an AI engine and a DICOMweb node', () => {
    expect(destinationLabel({ name: 'PACS', kind: 'dimse', aiEngine: false })).toBe('PACS');
    expect(destinationLabel({ name: 'LUNG-AI', kind: 'dicomweb', aiEngine: true })).toBe('LUNG-AI · AI engine · DICOMweb');
    expect(destinationLabel({ name: 'NODULES', kind: 'dimse', aiEngine: true })).toBe('NODULES · AI engine');
  });

  it('names a rule by its description (else its id), with destinations, priority and any change to the copy', () => {
    const rule: Omit<RuleSummary, 'transform'> = { id: 'research', enabled: true, priority: 'low', trigger: { on: 'manual' }, destinations: ['RESEARCH', 'AI'] };
    expect(ruleLabel({ ...rule, description: 'Research copy', transform: ['as stored', 'de-identified (basic)'] })).toBe('Research copy — to RESEARCH, AI · Low · de-identified (basic)');
    expect(ruleLabel({ ...rule, transform: ['as stored'] })).toBe('research — to RESEARCH, AI · Low');
  });

  it('says how many studies were queued, and which could not be and why', () => {
    expect(queuedText(1, 'for PACS', [])).toBe('1 study queued for PACS — see Send queue.');
    expect(queuedText(3, 'by the rule "Research copy"', [])).toBe('3 studies queued by the rule "Research copy" — see Send queue.');
    expect(queuedText(1, 'for PACS', ['Doe, Jane: study 1.2 is not in the archive'])).toBe('1 study queued for PACS — see Send queue. 1 study could not be queued: Doe, Jane: study 1.2 is not in the archive');
    expect(queuedText(0, 'for PACS', ['A: x', 'B: y'])).toBe('2 studies could not be queued: A: x; B: y');
  });
});
