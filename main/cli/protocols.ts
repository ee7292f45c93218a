/** `viewbox protocols validate|list|explain`: check hanging-protocol files, show the effective set, explain what a study gets. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyProtocols } from '../../shared/hanging-protocols/engine.js';
import { foldScreens } from '../../shared/hanging-protocols/screen-folding.js';
import { setup } from '../bootstrap/setup.js';
import { formatExplanation } from '../protocols/format-explanation.js';
import { formatProtocolIssue, loadProtocolSet, readProtocolFile, type ProtocolFileIssue, type ProtocolSet } from '../protocols/load-protocols.js';
import { protocolFolders, type ProtocolFolder } from '../protocols/protocol-folders.js';
import { studiesForProtocols } from '../protocols/study-facts-from-index.js';
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';
import { openArchiveForReading } from '../store/read-only-index.js';
import { formatTable } from './table.js';

export const protocolsUsage = `Usage: viewbox protocols validate [PATH ...] [--data DIR] [--config FILE]
       viewbox protocols list [--data DIR] [--config FILE] [--json]
       viewbox protocols explain STUDY_UID [--data DIR] [--config FILE] [--json]
                                 [--protocol ID] [--displays N]

validate  checks hanging-protocol files (a PATH may be a file or a folder of
          *.json); without PATH, every file of the effective folders
          (built-in < site < user). Prints every problem as
          FILE: /json/pointer: reason. Exit status 0 when all are valid, 1 otherwise.
list      the effective protocols: id, name, version, and the file that won.
explain   what opening the study would hang: the winner, every candidate's
          score with each rule passed or failed, the priors chosen (or missing),
          each stage's viewports per screen, and the series not shown.
          --protocol ID hangs that protocol instead of the winner;
          --displays N also shows how the screens fold onto N displays.

Folders: the site folder is protocols.siteDir of the configuration (default:
hanging-protocols beside the machine-wide configuration file), the user
folder protocols.userDir (default: DATA/hanging-protocols). See
docs/hanging-protocols.md.
`;

const explainOptions = { ...dataOption, ...configOption, ...jsonOption, ...helpOption, protocol: { type: 'string' }, displays: { type: 'string' } } as const;

export async function protocolsCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'validate':
      return validate(rest, io);
    case 'list':
      return list(rest, io);
    case 'explain':
      return explain(rest, io);
    case undefined:
    case '-h':
    case '--help':
      io.out(protocolsUsage);
      return EXIT_OK;
    default:
      throw new UsageError(`unknown protocols subcommand "${sub}"`, protocolsUsage);
  }
}

function folders(values: { data?: string; config?: string }): ProtocolFolder[] {
  const s = setup(values);
  return protocolFolders(s.config, s.dataDir);
}

function validate(argv: string[], io: CliIo): number {
  const { values, positionals } = parse(argv, { ...dataOption, ...configOption, ...helpOption }, protocolsUsage, true);
  if (values.help) {
    io.out(protocolsUsage);
    return EXIT_OK;
  }
  const issues: ProtocolFileIssue[] = [];
  let valid = 0;
  const tallySet = (set: ProtocolSet) => {
    // Valid files: the effective ones and those a later folder replaced.
    valid += set.protocols.reduce((n, p) => n + 1 + p.replaces.length, 0);
    issues.push(...set.issues);
  };
  if (positionals.length === 0) tallySet(loadProtocolSet(folders(values)));
  for (const path of positionals.map((p) => resolve(p))) {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      issues.push({ file: path, pointer: '', message: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message });
      continue;
    }
    if (isFolder) tallySet(loadProtocolSet([{ layer: 'user', dir: path }]));
    else {
      const read = readProtocolFile(path);
      if ('issues' in read) issues.push(...read.issues);
      else valid++;
    }
  }
  for (const issue of issues) io.err(`${formatProtocolIssue(issue)}\n`);
  const invalid = new Set(issues.map((i) => i.file)).size;
  if (invalid > 0) {
    io.out(`${invalid} of ${valid + invalid} protocol file(s) invalid, ${issues.length} problem(s)\n`);
    return EXIT_FAILED;
  }
  io.out(`${valid} protocol file(s) valid\n`);
  return EXIT_OK;
}

function list(argv: string[], io: CliIo): number {
  const { values } = parse(argv, { ...dataOption, ...configOption, ...jsonOption, ...helpOption }, protocolsUsage);
  if (values.help) {
    io.out(protocolsUsage);
    return EXIT_OK;
  }
  const set = loadProtocolSet(folders(values));
  if (values.json) {
    io.out(`${JSON.stringify({ folders: set.folders, protocols: set.protocols, issues: set.issues }, null, 2)}\n`);
  } else {
    const rows = set.protocols.map((p) => [p.protocol.id, p.protocol.name, String(p.protocol.version), p.layer, p.file, p.replaces.map((r) => r.layer).join(', ')]);
    io.out(formatTable(['ID', 'NAME', 'VERSION', 'FROM', 'FILE', 'REPLACES'], rows));
    for (const issue of set.issues) io.err(`skipped: ${formatProtocolIssue(issue)}\n`);
  }
  return EXIT_OK;
}

async function explain(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, explainOptions, protocolsUsage, true);
  if (values.help) {
    io.out(protocolsUsage);
    return EXIT_OK;
  }
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError('name exactly one STUDY_UID', protocolsUsage);
  const displayCount = values.displays === undefined ? undefined : Number(values.displays);
  if (displayCount !== undefined && !(Number.isInteger(displayCount) && displayCount >= 1)) throw new UsageError(`--displays must be a whole number of at least 1, not "${values.displays}"`, protocolsUsage);
  const studyUid = positionals[0];
  const s = setup(values);
  const set = loadProtocolSet(protocolFolders(s.config, s.dataDir));
  for (const issue of set.issues) io.err(`skipped: ${formatProtocolIssue(issue)}\n`);
  // Read-only: explaining a hanging never needs the folder's lock, whoever owns it.
  const archive = openArchiveForReading(s.dataDir);
  if (!archive) throw new Error(`study ${studyUid} is not in the archive (nothing is stored in ${s.dataDir} yet)`);
  let studies;
  try {
    studies = studiesForProtocols(archive, studyUid);
  } finally {
    archive.close();
  }
  const options = values.protocol !== undefined ? { protocolId: values.protocol } : {};
  const result = applyProtocols({ current: studies.current, priorCandidates: studies.priorCandidates, protocols: set.protocols.map((p) => p.protocol) }, options);
  const displays = displayCount === undefined ? undefined : result.stages.map((stage) => foldScreens(stage.screens, displayCount));
  if (values.json) {
    const sources = Object.fromEntries(set.protocols.map((p) => [p.protocol.id, { file: p.file, layer: p.layer }]));
    io.out(`${JSON.stringify({ studyUid, ...result, ...(displays ? { displays } : {}), protocolSources: sources, skippedProtocolFiles: set.issues }, null, 2)}\n`);
  } else {
    io.out(formatExplanation({ study: studies.current, result, ...(displays ? { displays } : {}) }));
  }
  return EXIT_OK;
}
