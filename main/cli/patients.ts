/** `viewbox patients conflicts`: patients received with demographics that disagree with what is held. */
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';
import { openArchiveFor, setup } from './setup.js';
import { formatTable } from './table.js';

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
  const archive = await openArchiveFor(setup(values));
  try {
    const conflicts = archive.index.listConflicts();
    if (values.json) {
      io.out(`${JSON.stringify(conflicts, null, 2)}\n`);
      return EXIT_OK;
    }
    const rows = conflicts.map((c) => [c.patientId, c.field, show(c.heldValue), show(c.incomingValue), c.studyUid, c.sopUid, c.source ?? '', c.time]);
    io.out(formatTable(['PATIENT ID', 'FIELD', 'HELD', 'INCOMING', 'STUDY UID', 'SOP INSTANCE UID', 'SOURCE', 'TIME'], rows));
    return EXIT_OK;
  } finally {
    await archive.close();
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? '');
}
