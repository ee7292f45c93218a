/**
 * Reading the reader's viewer settings file (window presets, key map) and
 * checking it against resources/schemas/viewer-settings.schema.json with Ajv.
 * Read on every request: the file is small, and an edit shows at the next
 * page load without a watcher.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ViewerSettings, ViewerSettingsIssue, ViewerSettingsResponse } from '../../shared/api/viewer-settings.js';
import { resourcePath } from '../paths.js';

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(resourcePath('schemas', 'viewer-settings.schema.json'), 'utf8')) as object);
  return validator;
}

export function readViewerSettings(file: string): ViewerSettingsResponse {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, settings: {}, issues: [] };
    return refused(file, [{ pointer: '', message: `cannot read: ${(error as Error).message}` }]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return refused(file, [{ pointer: '', message: `not JSON: ${(error as Error).message}` }]);
  }
  const validate = compiled();
  if (validate(document)) return { file, settings: document as ViewerSettings, issues: [] };
  return refused(file, (validate.errors ?? []).flatMap((e) => issueOf(e) ?? []));
}

function refused(file: string, issues: Array<Omit<ViewerSettingsIssue, 'file'>>): ViewerSettingsResponse {
  return { file, settings: {}, issues: issues.map((issue) => ({ file, ...issue })) };
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Ajv's error as an author fixes it: where, and why in words. */
function issueOf(error: ErrorObject): Omit<ViewerSettingsIssue, 'file'> | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'propertyNames': // the enum error below names the key
      return undefined;
    case 'enum':
      return error.propertyName !== undefined
        ? { pointer: `${error.instancePath}/${escapePointer(error.propertyName)}`, message: `"${error.propertyName}" is not an action (see the keyboard shortcuts in docs/reading-room.md)` }
        : { pointer: error.instancePath, message: error.message ?? 'is not allowed' };
    case 'additionalProperties':
      return { pointer: `${error.instancePath}/${escapePointer(String(params.additionalProperty))}`, message: `unknown key "${String(params.additionalProperty)}"` };
    case 'required':
      return { pointer: error.instancePath, message: `missing required key "${String(params.missingProperty)}"` };
    default:
      return { pointer: error.instancePath, message: error.message ?? `fails ${error.keyword}` };
  }
}
