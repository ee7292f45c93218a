/**
 * Validating a protocol document: the JSON Schema (through the generated,
 * eval-free validator, so it also runs in the reading room under its CSP),
 * then the semantic checks. Every problem comes as {pointer, message}.
 */
import { escapePointer } from './json-pointer.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { semanticIssues } from './semantic-checks.js';
import { validate as schemaValidate } from './schema-validator.generated.js';
import type { HangingProtocol, ProtocolIssue } from './types.js';

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  /** Set on errors about a property name (propertyNames). */
  propertyName?: string;
}

const IDENTIFIER_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$';

const PATTERN_MESSAGES: Record<string, string> = {
  [IDENTIFIER_PATTERN]: 'must be letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters',
  '^(current|prior-[1-8])$': 'must be "current" or "prior-1" … "prior-8"',
  '^[A-Z0-9_]{1,16}$': 'must be a DICOM modality in upper case, e.g. "CT"',
};

/** Every problem of a parsed document; none means it is a valid protocol. */
export function validateProtocol(document: unknown): ProtocolIssue[] {
  if (!schemaValidate(document)) return schemaIssues((schemaValidate as unknown as { errors: SchemaError[] | null }).errors ?? []);
  return semanticIssues(document as HangingProtocol);
}

export type ProtocolCheck = { ok: true; protocol: HangingProtocol } | { ok: false; issues: ProtocolIssue[] };

/** A protocol from JSON text (a file, the editor's buffer): the protocol or every problem; a syntax error names its line and column. */
export function checkProtocolText(text: string): ProtocolCheck {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ pointer: '', message: `not valid JSON: ${syntaxErrorText(text, error as Error)}` }] };
  }
  const issues = validateProtocol(document);
  return issues.length === 0 ? { ok: true, protocol: document as HangingProtocol } : { ok: false, issues };
}

function schemaIssues(errors: readonly SchemaError[]): ProtocolIssue[] {
  const seen = new Set<string>();
  const issues: ProtocolIssue[] = [];
  for (const error of errors) {
    const issue = toIssue(error);
    if (!issue) continue;
    const key = `${issue.pointer}\n${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function toIssue(error: SchemaError): ProtocolIssue | undefined {
  const at = error.instancePath;
  const p = error.params;
  switch (error.keyword) {
    case 'if': // the failing branch reports the real problem
    case 'propertyNames': // as does the name's own pattern error
      return undefined;
    case 'additionalProperties':
      return { pointer: `${at}/${escapePointer(String(p.additionalProperty))}`, message: `unknown key "${String(p.additionalProperty)}"` };
    case 'required':
      return { pointer: at, message: `missing required key "${String(p.missingProperty)}"` };
    case 'enum':
      return { pointer: at, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { pointer: at, message: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'type':
      return { pointer: at, message: `must be ${String(p.type).split(',').map(article).join(' or ')}` };
    case 'discriminator':
      return p.error === 'mapping'
        ? { pointer: `${at}/${String(p.tag)}`, message: `unknown ${String(p.tag)} ${JSON.stringify(p.tagValue)}` }
        : { pointer: `${at}/${String(p.tag)}`, message: `${String(p.tag)} must be a string` };
    case 'pattern': {
      const known = PATTERN_MESSAGES[String(p.pattern)];
      if (error.propertyName !== undefined) return { pointer: `${at}/${escapePointer(error.propertyName)}`, message: `name ${JSON.stringify(error.propertyName)} ${known ?? `must match ${String(p.pattern)}`}` };
      return { pointer: at, message: known ?? `must match ${String(p.pattern)}` };
    }
    default:
      return { pointer: at, message: error.message ?? `fails ${error.keyword}` };
  }
}

function article(type: string): string {
  return { object: 'an object', array: 'a list', integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', null: 'null' }[type] ?? type;
}

/** Where and why the text is not JSON (JSON.parse's own message names no position for many errors). */
function syntaxErrorText(text: string, error: Error): string {
  const found = findJsonSyntaxError(text);
  return found ? `${found.message} at line ${found.line}, column ${found.column}` : error.message;
}
