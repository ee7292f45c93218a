/**
 * The app's command line: the `viewbox serve` options (`viewbox start`
 * passes them through to Electron). Chromium and Electron switches may be
 * mixed in, so unknown arguments are ignored rather than refused.
 */
import { parseArgs } from 'node:util';
import type { JsonObject } from '../config/merge.js';
import { portValue } from '../cli/args.js';

export interface ShellOptions {
  /** For setup(): the data folder and configuration file. */
  values: { data?: string; config?: string };
  /** Command-line configuration values (top of the configuration layers). */
  flags: JsonObject;
}

/** `argv` without the executable (and, unpackaged, without the app path). */
export function shellOptions(argv: readonly string[]): ShellOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { data: { type: 'string' }, config: { type: 'string' }, aet: { type: 'string' }, 'dicom-port': { type: 'string' }, 'http-port': { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const result: ShellOptions = { values: {}, flags: {} };
  const data = text(values.data);
  const config = text(values.config);
  if (data !== undefined) result.values.data = data;
  if (config !== undefined) result.values.config = config;
  const aet = text(values.aet);
  const dicomPort = portValue(text(values['dicom-port']));
  const httpPort = portValue(text(values['http-port']));
  if (aet !== undefined) result.flags.aet = aet;
  if (dicomPort !== undefined) result.flags.dicomPort = dicomPort;
  if (httpPort !== undefined) result.flags.httpPort = httpPort;
  return result;
}
