/**
 * The app's command line: the serve flags (main/bootstrap/serve-flags.ts;
 * `viewbox start` passes them through to Electron). Chromium and Electron
 * switches may be mixed in, so unknown arguments are ignored rather than refused.
 */
import { parseArgs } from 'node:util';
import { SERVE_FLAGS, serveFlags, type ServeFlags } from '../bootstrap/serve-flags.js';

export type ShellOptions = ServeFlags;

/** `argv` without the executable (and, unpackaged, without the app path). */
export function shellOptions(argv: readonly string[]): ShellOptions {
  const { values } = parseArgs({ args: [...argv], options: SERVE_FLAGS, strict: false, allowPositionals: true });
  return serveFlags(values);
}
