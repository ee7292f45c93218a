/**
 * Validating a routing file's text: JSON syntax (with line and column), the
 * JSON Schema (the caller's validator: the node runs Ajv over
 * resources/schemas/routing.schema.json), then the semantic checks.
 */
import { jsonSyntaxIssue } from './json-position.js';
import type { RoutingIssue } from './routing-issue.js';
import type { RoutingFile } from './rules.js';
import { semanticIssues } from './semantic-checks.js';

/** The schema's verdict on a parsed document: no issues means it conforms. */
export type RoutingSchemaCheck = (document: unknown) => RoutingIssue[];

export type RoutingCheck = { ok: true; routing: RoutingFile } | { ok: false; issues: RoutingIssue[] };

/** Every problem of a parsed document; `destinations` are the configured node and DICOMweb node names. */
export function validateRouting(document: unknown, schema: RoutingSchemaCheck, destinations: readonly string[]): RoutingIssue[] {
  const schemaIssues = schema(document);
  return schemaIssues.length > 0 ? schemaIssues : semanticIssues(document as RoutingFile, destinations);
}

/** A routing file from its JSON text: the rules, or every problem. */
export function checkRoutingText(text: string, schema: RoutingSchemaCheck, destinations: readonly string[]): RoutingCheck {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [jsonSyntaxIssue(text, error as Error)] };
  }
  const issues = validateRouting(document, schema, destinations);
  return issues.length === 0 ? { ok: true, routing: document as RoutingFile } : { ok: false, issues };
}
