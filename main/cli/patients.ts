/** `viewbox patients conflicts`: patients received with demographics that disagree with what is held. */
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';
import { printListing } from './listing.js';

export const patientsUsage = `Usage: viewbox patients conflicts [--data DIR] [--json]

Lists demographic conflicts: an instance arrived for a held Patient ID (and
issuer) with another name, birth date or sex. The held values are never
overwritten; each conflict shows the held and the incoming value, the study,
the instance and where it came from.

Options:
  --data DIR    data folder (default: the per-user application data folder)
  --json        print the rows as JSON
  -h, --help    this help
`;

export async function patientsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.out(patientsUsage);
    return EXIT_OK;
  }
  if (sub !== 'conflicts') throw new UsageError(`unknown patients subcommand "${sub}"`, patientsUsage);
  const { values } = parse(rest, { ...dataOption, ...configOption, ...jsonOption, ...helpOption }, patientsUsage);
  if (values.help) {
    io.out(patientsUsage);
    return EXIT_OK;
  }
  return printListing(values, io, {
    read: (archive) => archive.listConflicts(),
    headers: ['PATIENT ID', 'FIELD', 'HELD', 'INCOMING', 'STUDY UID', 'SOP INSTANCE UID', 'SOURCE', 'TIME'],
    row: (c) => [c.patientId, c.field, show(c.heldValue), show(c.incomingValue), c.studyUid, c.sopUid, c.source, c.time],
  });
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}
