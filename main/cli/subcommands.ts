/** Commands made of subcommands (`viewbox routes validate|list|explain`): pick the subcommand, or print the usage. */
import { UsageError } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';

export type Subcommand = (argv: string[], io: CliIo) => Promise<number> | number;

export async function runSubcommand(command: string, argv: string[], io: CliIo, usage: string, subcommands: Record<string, Subcommand>): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help') {
    io.out(usage);
    return EXIT_OK;
  }
  const subcommand = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!subcommand) throw new UsageError(`unknown ${command} subcommand "${name}"`, usage);
  return subcommand(rest, io);
}
