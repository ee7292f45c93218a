/** Command-line parsing shared by the subcommands (node:util parseArgs), and usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(message: string, readonly usage: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export const dataOption = { data: { type: 'string' } } as const satisfies OptionSpec;
export const configOption = { config: { type: 'string' } } as const satisfies OptionSpec;
export const helpOption = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpec;
export const jsonOption = { json: { type: 'boolean' } } as const satisfies OptionSpec;

/** parseArgs with errors turned into a UsageError that carries the subcommand's help text. */
export function parse<O extends OptionSpec>(argv: string[], options: O, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
}
