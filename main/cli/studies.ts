/** `viewbox studies`: the studies in the archive, as a table or JSON. */
import { dataOption, configOption, helpOption, jsonOption, parse } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';
import { printListing } from './listing.js';
import { personName } from './person-name.js';

export const studiesUsage = `Usage: viewbox studies [--data DIR] [--json]

Lists the studies in the archive: patient, date, modalities, description,
series and instance counts, Study Instance UID.

Options:
  --data DIR    data folder (default: the per-user application data folder)
  --json        print the rows as JSON
  -h, --help    this help
`;

export async function studiesCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...dataOption, ...configOption, ...jsonOption, ...helpOption }, studiesUsage);
  if (values.help) {
    io.out(studiesUsage);
    return EXIT_OK;
  }
  return printListing(values, io, {
    read: (archive) => archive.listStudies(),
    headers: ['PATIENT', 'DATE', 'MODALITIES', 'DESCRIPTION', 'SERIES/INSTANCES', 'STUDY UID'],
    row: (s) => [
      `${personName(s.patientName)} (${s.patientId ?? ''})`,
      formatDate(s.studyDate),
      s.modalities.join('/'),
      s.description ?? '',
      `${s.seriesCount}/${s.instanceCount}`,
      s.studyUid,
    ],
  });
}

/** DICOM DA (YYYYMMDD) as YYYY-MM-DD; anything else as it is. */
function formatDate(date: string | null | undefined): string {
  if (!date) return '';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : date;
}
