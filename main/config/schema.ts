/**
 * Validation of configuration documents against
 * resources/schemas/config.schema.json: a layer (any subset of keys) or the
 * merged, effective configuration (every key). Also the rules JSON Schema
 * cannot say (unique node names).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { resourcePath } from '../paths.js';
import type { ConfigIssue } from './errors.js';

type SchemaNode = { [key: string]: unknown };

let validators: { layer: ValidateFunction; full: ValidateFunction } | undefined;

function compiled(): { layer: ValidateFunction; full: ValidateFunction } {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(resourcePath('schemas', 'config.schema.json'), 'utf8')) as SchemaNode;
  const ajv = new Ajv({ allErrors: true, strict: true });
  validators = { full: ajv.compile(schema), layer: ajv.compile(layerSchema(schema)) };
  return validators;
}

/**
 * A layer may leave out any key of the document or of a nested object
 * (limits), so `required` is dropped there; array items (a node) stay whole,
 * because arrays replace rather than merge.
 */
export function layerSchema(schema: SchemaNode): SchemaNode {
  const relax = (node: SchemaNode): SchemaNode => {
    const { required: _required, properties, ...rest } = node;
    if (!properties || typeof properties !== 'object') return rest;
    const relaxed: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(properties as Record<string, SchemaNode>)) {
      relaxed[key] = child.type === 'object' ? relax(child) : child;
    }
    return { ...rest, properties: relaxed };
  };
  return { ...relax(schema), $id: `${String(schema.$id)}#layer` };
}

/** Problems of one layer (a partial document) as it stands in `file`. */
export function validateLayer(document: unknown, file: string): ConfigIssue[] {
  return check(compiled().layer, document, file);
}

/** Problems of a complete configuration (every key present). */
export function validateConfig(document: unknown, file: string): ConfigIssue[] {
  return [...check(compiled().full, document, file), ...tlsNodesWithoutCredentials(document, file)];
}

function check(validate: ValidateFunction, document: unknown, file: string): ConfigIssue[] {
  const issues = validate(document) ? [] : (validate.errors ?? []).map((e) => toIssue(e, file));
  return [...issues, ...duplicateNodeNames(document, file)];
}

function toIssue(error: ErrorObject, file: string): ConfigIssue {
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      return { file, pointer: `${error.instancePath}/${escapePointer(key)}`, message: `unknown key "${key}"` };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { file, pointer: error.instancePath, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    case 'pattern':
      if (/\/aet$/.test(error.instancePath)) {
        return { file, pointer: error.instancePath, message: 'not a valid AE title (no backslash or control characters, only the DICOM default repertoire, not all spaces)' };
      }
      return { file, pointer: error.instancePath, message: error.message ?? 'invalid' };
    default:
      return { file, pointer: error.instancePath, message: error.message ?? 'invalid' };
  }
}

/** Names are one space across DIMSE and DICOMweb nodes: routing rules and the queue name destinations by them. */
function duplicateNodeNames(document: unknown, file: string): ConfigIssue[] {
  const firstPointer = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const list of ['nodes', 'dicomwebNodes']) {
    const nodes = (document as Record<string, unknown> | null)?.[list];
    if (!Array.isArray(nodes)) continue;
    nodes.forEach((node: unknown, index) => {
      const name = (node as { name?: unknown } | null)?.name;
      if (typeof name !== 'string') return;
      const pointer = `/${list}/${index}/name`;
      const first = firstPointer.get(name);
      if (first === undefined) firstPointer.set(name, pointer);
      else issues.push({ file, pointer, message: `duplicate node name "${name}" (also ${first})` });
    });
  }
  return issues;
}

/** A node called over TLS needs our CA (to verify it) and our certificate (to present): only the whole configuration can tell. */
function tlsNodesWithoutCredentials(document: unknown, file: string): ConfigIssue[] {
  const config = document as { nodes?: unknown; dicomTls?: unknown } | null;
  if (!Array.isArray(config?.nodes) || config.dicomTls !== undefined) return [];
  return config.nodes.flatMap((node: unknown, index) =>
    (node as { tls?: unknown } | null)?.tls === true
      ? [{ file, pointer: `/nodes/${index}/tls`, message: 'calling this node over TLS needs dicomTls (the CA that signs its certificate, and our certificate and key)' }]
      : [],
  );
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
