/**
 * The flags that start an archive node: `viewbox serve` takes them, and the
 * Electron shell takes the same ones (`viewbox start` passes them through).
 * One table, read by both; the values that are configuration become the top
 * layer of the configuration.
 */
import type { ParseArgsConfig } from 'node:util';
import type { JsonObject } from '../config/merge.js';

export const SERVE_FLAGS = {
  data: { type: 'string' },
  config: { type: 'string' },
  aet: { type: 'string' },
  'dicom-port': { type: 'string' },
  'http-port': { type: 'string' },
  'dicom-bind': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The serve flags as parsed; anything else parseArgs returned is ignored. */
export type ServeFlagValues = { [K in keyof typeof SERVE_FLAGS]?: unknown };

export interface ServeFlags {
  /** Where the node's data folder and configuration file are. */
  values: { data?: string; config?: string };
  /** Command-line configuration values (top of the configuration layers). */
  flags: JsonObject;
}

/** The flags split into where-things-are and configuration values. */
export function serveFlags(parsed: ServeFlagValues): ServeFlags {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const result: ServeFlags = { values: {}, flags: {} };
  const data = text(parsed.data);
  const config = text(parsed.config);
  if (data !== undefined) result.values.data = data;
  if (config !== undefined) result.values.config = config;
  const aet = text(parsed.aet);
  const dicomPort = portValue(text(parsed['dicom-port']));
  const httpPort = portValue(text(parsed['http-port']));
  if (aet !== undefined) result.flags.aet = aet;
  if (dicomPort !== undefined) result.flags.dicomPort = dicomPort;
  if (httpPort !== undefined) result.flags.httpPort = httpPort;
  const dicomBind = text(parsed['dicom-bind']);
  if (dicomBind !== undefined) result.flags.dicomBindAddress = dicomBind;
  return result;
}

/** A port flag: digits become a number; anything else is passed on as given so the schema names it. */
function portValue(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return /^\d+$/.test(text) ? Number(text) : text;
}
