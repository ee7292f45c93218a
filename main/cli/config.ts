/** `viewbox config validate FILE` and `viewbox config show`. */
import { formatIssue } from '../config/errors.js';
import { loadConfig, validateConfigFile } from '../config/load.js';
import { effectiveValues, formatEffectiveValues } from '../config/show.js';
import { configOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

export const configUsage = `Usage: viewbox config validate FILE
       viewbox config show [--config FILE] [--json]

validate  checks FILE against the configuration schema
          (resources/schemas/config.schema.json) on its own and on top of the
          built-in defaults; prints every problem as FILE: /json/pointer: reason.
          Exit status 0 when valid, 2 otherwise.
show      prints the effective configuration (built-in defaults < machine-wide
          file < user file < --config FILE) and, for each value, where it came from.
`;

export async function configCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'validate':
      return validate(rest, io);
    case 'show':
      return show(rest, io);
    case undefined:
    case '-h':
    case '--help':
      io.out(configUsage);
      return EXIT_OK;
    default:
      throw new UsageError(`unknown config subcommand "${sub}"`, configUsage);
  }
}

function validate(argv: string[], io: CliIo): number {
  const { values, positionals } = parse(argv, { ...helpOption }, configUsage, true);
  if (values.help) {
    io.out(configUsage);
    return EXIT_OK;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('name exactly one FILE to validate', configUsage);
  const issues = validateConfigFile(positionals[0]);
  for (const issue of issues) io.err(`${formatIssue(issue)}\n`);
  if (issues.length > 0) return EXIT_USAGE;
  io.out(`${positionals[0]}: valid\n`);
  return EXIT_OK;
}

function show(argv: string[], io: CliIo): number {
  const { values } = parse(argv, { ...configOption, ...jsonOption, ...helpOption }, configUsage);
  if (values.help) {
    io.out(configUsage);
    return EXIT_OK;
  }
  const effective = loadConfig(values.config !== undefined ? { configFile: values.config } : {});
  const rows = effectiveValues(effective);
  if (values.json) {
    const sources = Object.fromEntries(rows.map((r) => [r.pointer, r.source]));
    io.out(`${JSON.stringify({ config: effective.config, sources }, null, 2)}\n`);
  } else {
    io.out(`${formatEffectiveValues(rows)}\n`);
  }
  return EXIT_OK;
}
