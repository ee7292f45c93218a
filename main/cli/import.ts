/** `viewbox import`: renders what main/import does (progress, summary); the logic lives there. */
import { resolve } from 'node:path';
import { apiPaths, type ImportRequest } from '../../shared/api/app-api.js';
import { setup, type Setup } from '../bootstrap/setup.js';
import { importPaths, type ImportSummary } from '../import/import-paths.js';
import { openConfiguredArchive } from '../node.js';
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';
import { progressBar } from './progress.js';
import { writeThroughOwner } from './folder-access.js';
import { followJob } from './job-runner.js';
import type { NodeClient } from './node-client.js';

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
  const summary = await writeThroughOwner(s.dataDir, {
    // The node resolves nothing against our working directory: it gets absolute paths.
    viaNode: (client) => importViaNode(client, positionals.map((p) => resolve(p)), io),
    asOwner: () => importAsOwner(s, positionals, io),
  });
  io.out(values.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
  return summary.rejected.length === 0 ? EXIT_OK : EXIT_FAILED;
}

/** No node holds the folder: this command owns it for its run. */
async function importAsOwner(s: Setup, paths: string[], io: CliIo): Promise<ImportSummary> {
  const archive = await openConfiguredArchive(s.config, s.dataDir, s.logger);
  const bar = io.stderrIsTty ? progressBar(io) : undefined;
  try {
    return await importPaths(paths, archive, bar ? { onProgress: (p) => bar.update({ done: p.done, total: p.total, label: p.outcome.path }) } : {});
  } finally {
    bar?.finish();
    await archive.close();
  }
}

/** A node holds the folder: the import is its job, followed here with the same bar and summary. */
async function importViaNode(client: NodeClient, paths: string[], io: CliIo): Promise<ImportSummary> {
  const job = await client.startJob(apiPaths.importJob, { paths } satisfies ImportRequest);
  const info = await followJob(job, io);
  if (!info.importSummary) throw new Error(`the import job of the node at ${client.node.url} ended ${info.state}${info.error ? `: ${info.error}` : ''}`);
  return info.importSummary as ImportSummary;
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
