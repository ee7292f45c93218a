/**
 * The routing file's JSON Schema (resources/schemas/routing.schema.json) run
 * by Ajv, its errors said the way an author fixes them: a pointer to the
 * offending value and a reason in words.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { resourcePath } from '../paths.js';
import type { RoutingIssue } from '../../shared/routing/routing-issue.js';

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(resourcePath('schemas', 'routing.schema.json'), 'utf8')) as object;
  // strictRequired off: the trigger's branches require "on", which the discriminator's parent declares.
  validator = new Ajv({ allErrors: true, strict: true, strictRequired: false, discriminator: true }).compile(schema);
  return validator;
}

/** The schema's problems with a parsed routing document (none: it conforms). */
export function routingSchemaIssues(document: unknown): RoutingIssue[] {
  const validate = compiled();
  if (validate(document)) return [];
  const issues = (validate.errors ?? []).flatMap((error) => issueOf(error) ?? []);
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.pointer} ${issue.message}`;
    return !seen.has(key) && seen.add(key);
  });
}

const ID_PATTERN_REASON = 'must be letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters';
const KEY_PATTERN_REASON = 'is not a match key: use "callingAe", a DICOM keyword (e.g. "Modality") or an 8-hex-digit tag (e.g. "00080060")';

function issueOf(error: ErrorObject): RoutingIssue | undefined {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const quoted = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');
  switch (error.keyword) {
    case 'propertyNames': // its pattern error names the key
      return undefined;
    case 'pattern':
      return error.propertyName === undefined
        ? { pointer: at, message: ID_PATTERN_REASON }
        : { pointer: `${at}/${error.propertyName}`, message: `"${error.propertyName}" ${KEY_PATTERN_REASON}` };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return { pointer: `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `unknown key "${key}"` };
    }
    case 'required':
      return { pointer: at, message: `missing required key "${String(params.missingProperty)}"` };
    case 'enum':
      return { pointer: at, message: `must be one of ${quoted(params.allowedValues as unknown[])}` };
    case 'const':
      return { pointer: at, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'discriminator':
      return { pointer: `${at}/on`, message: params.error === 'mapping' ? `unknown trigger ${JSON.stringify(params.tagValue)}: must be "instance", "series-stable", "study-stable" or "manual"` : 'must be a string' };
    case 'minItems':
      return { pointer: at, message: `must list at least ${String(params.limit)}` };
    case 'uniqueItems':
      return { pointer: at, message: `lists the same value twice (items ${String(params.j)} and ${String(params.i)})` };
    case 'type':
      return { pointer: at, message: `must be of type ${String(params.type)}` };
    default:
      return { pointer: at, message: error.message ?? `fails ${error.keyword}` };
  }
}
