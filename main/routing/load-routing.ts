/**
 * The routing file on disk: where it is (config `routing.rulesFile`, default
 * routing.json in the data folder) and its rules, validated (schema and
 * semantic checks) against the configured destinations.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ViewboxConfig } from '../../shared/config.js';
import type { RoutingIssue } from '../../shared/routing/routing-issue.js';
import type { RoutingFile } from '../../shared/routing/rules.js';
import { checkRoutingText } from '../../shared/routing/validate-routing.js';
import { resolveInDataFolder, ROUTING_FILE } from '../store/layout.js';
import { destinationsOf } from './destination-list.js';
import { routingSchemaIssues } from './routing-schema.js';

export interface RoutingFileIssue extends RoutingIssue {
  file: string;
}

/** An invalid routing file: every problem, each naming the file and the place in it. */
export class RoutingFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: RoutingFileIssue[],
  ) {
    super(`${file}: invalid routing file (${issues.length} problem${issues.length === 1 ? '' : 's'}): ${issues.map(formatRoutingIssue).join('; ')}`);
    this.name = 'RoutingFileError';
  }
}

/** "FILE:LINE:COL POINTER reason" (a JSON syntax error) or "FILE POINTER reason"; the root pointer is shown as "/". */
export function formatRoutingIssue(issue: RoutingFileIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return `${where} ${issue.pointer || '/'} ${issue.message}`;
}

/** The routing file a node with this configuration and data folder uses (absolute). */
export function routingFilePath(config: Pick<ViewboxConfig, 'routing'>, dataDir: string): string {
  return resolveInDataFolder(dataDir, config.routing?.rulesFile || ROUTING_FILE, path);
}

/** The names rules may forward to: configured DIMSE nodes and DICOMweb nodes. */
export function destinationNames(config: Pick<ViewboxConfig, 'nodes' | 'dicomwebNodes'>): string[] {
  return destinationsOf(config).map((d) => d.name);
}

/** The rules of `file`; a missing file routes nothing. Throws RoutingFileError when it is invalid. */
export async function loadRoutingFile(file: string, destinations: readonly string[]): Promise<RoutingFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rules: [] };
    throw new Error(`${file}: cannot read the routing file: ${(error as Error).message}`, { cause: error });
  }
  const checked = checkRoutingText(text, routingSchemaIssues, destinations);
  if (!checked.ok) throw new RoutingFileError(file, checked.issues.map((issue) => ({ file, ...issue })));
  return checked.routing;
}
