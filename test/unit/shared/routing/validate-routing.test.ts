/**
 * Every kind of problem a routing file can have, each reported at its JSON
 * pointer with a reason (and line and column for broken JSON), through the
 * real schema.
 */
import { describe, expect, it } from 'vitest';
import { routingSchemaIssues } from '../../../../main/routing/routing-schema.js';
import type { RoutingIssue } from '../../../../shared/routing/routing-issue.js';
import { checkRoutingText } from '../../../../shared/routing/validate-routing.js';

const DESTINATIONS = ['PACS', 'AI', 'RESEARCH_WEB'];

function rule(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'ct', match: { Modality: 'CT' }, trigger: { on: 'instance' }, actions: [{ forward: ['PACS'] }], ...extra };
}

function issuesOf(document: unknown): RoutingIssue[] {
  const checked = checkRoutingText(JSON.stringify(document, null, 2), routingSchemaIssues, DESTINATIONS);
  return checked.ok ? [] : checked.issues;
}

function single(document: unknown): RoutingIssue {
  const issues = issuesOf(document);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  return issues[0]!;
}

describe('routing file validation', () => {
  it('accepts a file using every feature', () => {
    const ok = {
      rules: [
        rule({ description: 'x', enabled: false, priority: 'stat' }),
        rule({ id: 'stable', trigger: { on: 'series-stable', seconds: 30 }, match: { callingAe: 'CT_*', '00180015': 'CHEST', StudyDate: '20240101-' } }),
        rule({ id: 'study', trigger: { on: 'study-stable', seconds: 86400 }, actions: [{ forward: ['RESEARCH_WEB', 'AI'], transcode: 'as-stored', deidentify: { profile: 'basic', options: ['retain-dates'] } }] }),
        rule({ id: 'manual', trigger: { on: 'manual' }, match: {}, actions: [{ forward: ['AI'], transcode: 'jpeg-ls-lossless' }] }),
      ],
    };
    expect(issuesOf(ok)).toEqual([]);
    expect(issuesOf({ rules: [] })).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['no rules key', {}, '', /missing required key "rules"/],
    ['an unknown top-level key', { rules: [], rulez: [] }, '/rulez', /unknown key "rulez"/],
    ['a rule without actions', { rules: [{ id: 'a', match: {}, trigger: { on: 'instance' } }] }, '/rules/0', /missing required key "actions"/],
    ['an id with a space', { rules: [rule({ id: 'ct rule' })] }, '/rules/0/id', /letters, digits/],
    ['an unknown priority', { rules: [rule({ priority: 'urgent' })] }, '/rules/0/priority', /"stat", "high", "routine", "low"/],
    ['an unknown trigger', { rules: [rule({ trigger: { on: 'later' } })] }, '/rules/0/trigger/on', /unknown trigger "later"/],
    ['a stable trigger without seconds', { rules: [rule({ trigger: { on: 'series-stable' } })] }, '/rules/0/trigger', /missing required key "seconds"/],
    ['seconds out of range', { rules: [rule({ trigger: { on: 'study-stable', seconds: 86401 } })] }, '/rules/0/trigger/seconds', /86400/],
    ['an empty forward list', { rules: [rule({ actions: [{ forward: [] }] })] }, '/rules/0/actions/0/forward', /at least 1/],
    ['no actions', { rules: [rule({ actions: [] })] }, '/rules/0/actions', /at least 1/],
    ['an unknown transcode', { rules: [rule({ actions: [{ forward: ['PACS'], transcode: 'j2k' }] })] }, '/rules/0/actions/0/transcode', /"as-stored", "explicit-little", "jpeg-ls-lossless"/],
    ['an unknown de-identification profile', { rules: [rule({ actions: [{ forward: ['PACS'], deidentify: { profile: 'full' } }] })] }, '/rules/0/actions/0/deidentify/profile', /must be "basic"/],
    ['a match key that is no keyword', { rules: [rule({ match: { 'Study Date': '2024' } })] }, '/rules/0/match/Study Date', /not a match key/],
    ['a match value that is not text', { rules: [rule({ match: { Modality: ['CT'] } })] }, '/rules/0/match/Modality', /type string/],
    ['a duplicate rule id', { rules: [rule(), rule()] }, '/rules/1/id', /duplicate rule id "ct" \(also \/rules\/0\/id\)/],
    ['an unknown keyword', { rules: [rule({ match: { Modallity: 'CT' } })] }, '/rules/0/match/Modallity', /"Modallity" is not a DICOM keyword/],
    ['a tag not in the dictionary', { rules: [rule({ match: { '00081090': 'x', '0009ABCD': 'x', '00089999': 'x' } })] }, '/rules/0/match/00089999', /not in the DICOM data dictionary/],
    ['a sequence', { rules: [rule({ match: { ReferencedStudySequence: '*' } })] }, '/rules/0/match/ReferencedStudySequence', /is a sequence/],
    ['a date that is no date', { rules: [rule({ match: { StudyDate: '2024-03' } })] }, '/rules/0/match/StudyDate', /"2024" is not a date/],
    ['a number that is no number', { rules: [rule({ match: { InstanceNumber: 'first' } })] }, '/rules/0/match/InstanceNumber', /"first" is not a number/],
    ['a wildcard where C-FIND takes it literally', { rules: [rule({ match: { StudyInstanceUID: '1.2.840.*' } })] }, '/rules/0/match/StudyInstanceUID', /wildcards do not apply to StudyInstanceUID \(VR UI\)/],
    ['an unconfigured destination', { rules: [rule({ actions: [{ forward: ['PACS'] }, { forward: ['AI', 'ORTHANC'] }] })] }, '/rules/0/actions/1/forward/1', /unknown destination "ORTHANC".*configured: PACS, AI, RESEARCH_WEB/],
  ])('%s', (_, document, pointer, reason) => {
    const issue = single(document);
    expect(issue.pointer).toBe(pointer);
    expect(issue.message).toMatch(reason);
  });

  it('reports every problem of a file at once', () => {
    const issues = issuesOf({ rules: [rule({ match: { Modallity: 'CT' } }), rule({ actions: [{ forward: ['NOWHERE'] }] })] });
    expect(issues.map((i) => i.pointer)).toEqual(['/rules/0/match/Modallity', '/rules/1/id', '/rules/1/actions/0/forward/0']);
  });

  it.each<[string, string, number, number]>([
    ['a trailing comma', '{\n  "rules": [\n    {"id": "a",}\n  ]\n}', 3, 16],
    ['a missing colon', '{\n  "rules" []\n}', 2, 11],
    ['the text ends early', '{\n  "rules": [\n', 3, 1],
  ])('names line and column of a syntax error: %s', (_, text, line, column) => {
    const checked = checkRoutingText(text, routingSchemaIssues, DESTINATIONS);
    expect(checked.ok).toBe(false);
    const [issue] = checked.ok ? [] : checked.issues;
    expect(issue).toMatchObject({ pointer: '', line, column });
    expect(issue!.message).toMatch(/^not valid JSON: /);
  });
});

describe('JSON syntax errors V8 gives no position for', () => {
  it('places an unexpected character that occurs once', () => {
    const checked = checkRoutingText('{\n  "rules": [tru]\n}', routingSchemaIssues, DESTINATIONS);
    expect(checked.ok ? [] : checked.issues).toEqual([{ pointer: '', line: 2, column: 16, message: expect.stringMatching(/^not valid JSON: Unexpected token '\]'/) }]);
  });

  it('quotes one that occurs several times, without a position', () => {
    const checked = checkRoutingText('{\n  "rules": [{"id": "a"}, #, #]\n}', routingSchemaIssues, DESTINATIONS);
    const [issue] = checked.ok ? [] : checked.issues;
    expect(issue).toEqual({ pointer: '', message: expect.stringMatching(/^not valid JSON: Unexpected token '#'/) });
  });
});
