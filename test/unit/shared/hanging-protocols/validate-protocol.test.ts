import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProtocolText, validateProtocol } from '../../../../shared/hanging-protocols/validate-protocol.js';
import type { HangingProtocol } from '../../../../shared/hanging-protocols/types.js';
import { GENERATED_VALIDATOR_PATH, generatedValidatorSource } from '../../../../main/protocols/generate-schema-validator.js';
import { packageRoot, resourcePath } from '../../../../main/paths.js';

function base(): HangingProtocol {
  return {
    id: 'test',
    name: 'Test',
    version: 1,
    match: [{ attribute: 'modalities', operator: 'equals', value: 'CT' }],
    priors: { count: 1 },
    displaySets: { axial: { rules: [{ attribute: 'orientation', operator: 'equals', value: 'axial' }] }, prior: { study: 'prior-1', rules: [] } },
    syncGroups: [{ id: 'scroll', type: 'scroll' }],
    stages: [
      {
        id: 'one',
        name: 'One',
        screens: [{ layout: { type: 'grid', rows: 1, columns: 2 }, viewports: [{ displaySet: 'axial', sync: ['scroll'] }, { displaySet: 'prior', sync: ['scroll'] }] }],
      },
    ],
  };
}

// A document to break at will: any key, any depth.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

function mutated(change: (p: Doc) => void): unknown {
  const p = base() as unknown as Doc;
  change(p);
  return p;
}

describe('protocol validation', () => {
  it('accepts the base protocol and every built-in', () => {
    expect(validateProtocol(base())).toEqual([]);
    const dir = resourcePath('hanging-protocols');
    for (const name of ['ct-chest-prior', 'ct-abdomen-pelvis', 'ct-head', 'mr-brain', 'cr-chest-prior', 'mammo-screening', 'default']) {
      expect(checkProtocolText(readFileSync(join(dir, `${name}.json`), 'utf8')), name).toMatchObject({ ok: true });
    }
  });

  it.each<[string, (p: Doc) => void, Array<{ pointer: string; message: string }>]>([
    ['a missing key', (p) => delete p.stages, [{ pointer: '', message: 'missing required key "stages"' }]],
    ['an unknown key, nested', (p) => (p.stages[0].screens[0].viewports[1].colour = 'red'), [{ pointer: '/stages/0/screens/0/viewports/1/colour', message: 'unknown key "colour"' }]],
    ['an unknown operator', (p) => (p.match[0].operator = 'like'), [{ pointer: '/match/0/operator', message: expect.stringMatching(/^must be one of "equals", "notEquals", .*"missing"$/) }]],
    ['a range without an object', (p) => (p.match[0] = { attribute: 'patientAge', operator: 'range', value: 5 }), [{ pointer: '/match/0/value', message: 'must be an object' }]],
    ['a rule without its value', (p) => delete p.match[0].value, [{ pointer: '/match/0', message: 'missing required key "value"' }]],
    ['an unknown layout type', (p) => (p.stages[0].screens[0].layout = { type: 'mosaic' }), [{ pointer: '/stages/0/screens/0/layout/type', message: 'unknown type "mosaic"' }]],
    ['a grid missing its columns', (p) => delete p.stages[0].screens[0].layout.columns, [{ pointer: '/stages/0/screens/0/layout', message: 'missing required key "columns"' }]],
    ['a bad selector name', (p) => (p.displaySets['bad name'] = { rules: [] }), [{ pointer: '/displaySets/bad name', message: 'name "bad name" must be letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters' }]],
    ['a bad study reference', (p) => (p.displaySets.prior.study = 'previous'), [{ pointer: '/displaySets/prior/study', message: 'must be "current" or "prior-1" … "prior-8"' }]],
    ['a wrong type', (p) => (p.version = '1.0'), [{ pointer: '/version', message: 'must be an integer' }]],
  ])('schema: %s', (_name, change, issues) => {
    expect(validateProtocol(mutated(change))).toEqual(issues);
  });

  it.each<[string, (p: Doc) => void, Array<{ pointer: string; message: string }>]>([
    ['more viewports than the grid holds', (p) => p.stages[0].screens[0].viewports.push({ displaySet: 'axial' }), [{ pointer: '/stages/0/screens/0/viewports', message: '3 viewports but the 1×2 grid holds 2' }]],
    ['a missing selector', (p) => (p.stages[0].screens[0].viewports[0].displaySet = 'coronal'), [{ pointer: '/stages/0/screens/0/viewports/0/displaySet', message: 'no display set selector named "coronal" (known: axial, prior)' }]],
    ['a missing sync group', (p) => (p.stages[0].screens[0].viewports[0].sync = ['zoom']), [{ pointer: '/stages/0/screens/0/viewports/0/sync/0', message: 'no sync group "zoom" (known: scroll)' }]],
    ['a regular expression that does not compile', (p) => (p.match[0] = { attribute: 'studyDescription', operator: 'matches', value: 'chest(' }), [{ pointer: '/match/0/value', message: expect.stringMatching(/^not a valid regular expression: .*/) }]],
    ['an operator that does not fit its attribute', (p) => (p.match[0] = { attribute: 'patientAge', operator: 'contains', value: '4' }), [{ pointer: '/match/0/operator', message: 'contains does not apply to patientAge (a number); use one of equals, notEquals, oneOf, noneOf, range, exists, missing' }]],
    ['a value of the wrong kind', (p) => (p.displaySets.axial.rules[0] = { attribute: 'isReconstructable', operator: 'equals', value: 'yes' }), [{ pointer: '/displaySets/axial/rules/0/value', message: 'isReconstructable is true or false: compare it with a boolean' }]],
    ['an unknown orientation', (p) => (p.displaySets.axial.rules[0].value = 'transverse'), [{ pointer: '/displaySets/axial/rules/0/value', message: 'orientation is one of axial, sagittal, coronal, oblique' }]],
    ['a prior beyond the prior count', (p) => (p.displaySets.prior.study = 'prior-2'), [{ pointer: '/displaySets/prior/study', message: 'prior-2 but priors.count is 1' }]],
    ['a prior without priors', (p) => delete p.priors, [{ pointer: '/displaySets/prior/study', message: 'prior-1 needs a "priors" section' }]],
    ['no rules and no fallback', (p) => (p.match = []), [{ pointer: '/match', message: 'no rules and not a fallback: the protocol would never match; add rules or set "fallback": true' }]],
    ['a duplicate stage id', (p) => p.stages.push(structuredClone(p.stages[0])), [{ pointer: '/stages/1/id', message: 'duplicate stage id "one"' }]],
    ['overlapping cells', (p) => (p.stages[0].screens[0].layout = { type: 'cells', rows: 1, columns: 2, cells: [{ row: 0, column: 0, columnSpan: 2 }, { row: 0, column: 1 }] }), [{ pointer: '/stages/0/screens/0/layout/cells/1', message: 'overlaps cell 0 at row 0, column 1' }]],
    ['repeat outside an auto layout', (p) => (p.stages[0].screens[0].viewports[0].repeat = true), [{ pointer: '/stages/0/screens/0/viewports/0/repeat', message: 'repeat needs an auto layout; this screen\'s layout is grid' }]],
    ['orientation on a stack', (p) => (p.stages[0].screens[0].viewports[0].orientation = 'coronal'), [{ pointer: '/stages/0/screens/0/viewports/0/orientation', message: 'orientation applies to mpr viewports; this one is stack' }]],
    ['a stage needing more priors than wanted', (p) => (p.stages[0].requires = { priors: 2 }), [{ pointer: '/stages/0/requires/priors', message: 'requires 2 priors but the protocol asks for 1' }]],
  ])('semantics: %s', (_name, change, issues) => {
    expect(validateProtocol(mutated(change))).toEqual(issues);
  });

  it('reports every schema problem at once', () => {
    const issues = validateProtocol(mutated((p) => {
      p.version = 0;
      p.name = '';
      p.stages[0].screens[0].viewports[0].zoom = -1;
    }));
    expect(issues.map((i) => i.pointer)).toEqual(['/name', '/version', '/stages/0/screens/0/viewports/0/zoom']);
  });

  it('names the line and column of a JSON syntax error', () => {
    const check = checkProtocolText('{\n  "id": "x",\n  "name": oops\n}');
    expect(check).toEqual({ ok: false, issues: [{ pointer: '', message: 'not valid JSON: unexpected character "o" at line 3, column 11' }] });
  });

  it.each([
    ['{"a": 1,}', 'expected a key in double quotes, found character "}" at line 1, column 9'],
    ['{"a" 1}', 'expected ":" after the key, found character "1" at line 1, column 6'],
    ['[1 2]', 'expected "," or "]" after a value, found character "2" at line 1, column 4'],
    ['{"a": "b', 'unterminated string at line 1, column 9'],
    ['{}\n{}', 'unexpected character "{" after the end of the document at line 2, column 1'],
    ['', 'unexpected end of text at line 1, column 1'],
  ])('locates the syntax error in %j', (text, message) => {
    expect(checkProtocolText(text)).toEqual({ ok: false, issues: [{ pointer: '', message: `not valid JSON: ${message}` }] });
  });
});

describe('the schema and its generated validator', () => {
  it('the committed validator is what the generator makes from the schema (regenerate: see main/protocols/generate-schema-validator.ts)', () => {
    const committed = readFileSync(join(packageRoot(), ...GENERATED_VALIDATOR_PATH), 'utf8');
    expect(committed === generatedValidatorSource(), 'shared/hanging-protocols/schema-validator.generated.ts is stale').toBe(true);
  });

  it('the validator needs no eval (the reading room CSP forbids it) and imports nothing', () => {
    const source = generatedValidatorSource();
    expect(source).not.toMatch(/new Function|\beval\(|require\(|^import /m);
  });

  it('describes every property', () => {
    const schema = JSON.parse(readFileSync(resourcePath('schemas', 'hanging-protocol.schema.json'), 'utf8')) as unknown;
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      if (record.properties && typeof record.properties === 'object') {
        for (const [key, child] of Object.entries(record.properties as Record<string, Record<string, unknown>>)) {
          if (typeof child.description !== 'string' && typeof child.$ref !== 'string') undescribed.push(`${path}/properties/${key}`);
        }
      }
      // if/then/else only constrain properties declared (and described) elsewhere.
      for (const [key, child] of Object.entries(record)) if (!['if', 'then', 'else'].includes(key)) walk(child, `${path}/${key}`);
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
  });
});
