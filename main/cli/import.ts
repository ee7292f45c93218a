/** `viewbox import`: renders what main/import does (progress, summary); the logic lives there. */
import { importPaths, type ImportSummary } from '../import/import-paths.js';
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';
import { progressBar } from './progress.js';
import { openArchiveFor, setup } from './setup.js';

export const importUsage = `Usage: viewbox import [--data DIR] [--config FILE] PATH...

Imports DICOM files into the archive: files, folders (recursively), a DICOMDIR
(the files it references) and zip archives. Files are stored byte for byte,
exactly as a network receipt would store them. Non-DICOM files are skipped.

Prints a summary: imported, already present, rejected (each with its reason),
skipped. Exit status 0 when nothing was rejected, 1 otherwise.

Options:
  --data DIR      data folder (default: the per-user application data folder)
  --config FILE   configuration file (duplicates policy, object size limit)
  --json          print the summary as JSON
  -h, --help      this help
`;

export async function importCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { ...dataOption, ...configOption, ...jsonOption, ...helpOption }, importUsage, true);
  if (values.help) {
    io.out(importUsage);
    return EXIT_OK;
  }
  if (positionals.length === 0) throw new UsageError('name at least one file, folder, DICOMDIR or zip archive', importUsage);
  const s = setup(values);
  const archive = await openArchiveFor(s);
  const bar = io.stderrIsTty ? progressBar(io) : undefined;
  let summary: ImportSummary;
  try {
    summary = await importPaths(positionals, archive, bar ? { onProgress: (p) => bar.update({ done: p.done, total: p.total, label: p.outcome.path }) } : {});
  } finally {
    bar?.finish();
    await archive.close();
  }
  io.out(values.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  return summary.rejected.length === 0 ? EXIT_OK : EXIT_FAILED;
}

export function formatSummary(summary: ImportSummary): string {
  const lines = [
    `imported: ${summary.imported}`,
    `already present: ${summary.alreadyPresent + summary.keptExisting}` +
      (summary.keptExisting > 0 ? ` (${summary.keptExisting} with different content under a held SOP Instance UID: the held copy was kept)` : ''),
    `rejected: ${summary.rejected.length}`,
    ...summary.rejected.map((r) => `  ${r.path}: ${r.reason}`),
    `skipped: ${summary.skipped.length}`,
    ...summary.skipped.map((r) => `  ${r.path}: ${r.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}
