/** `viewbox routes validate|list|explain`: check the routing file, show its rules, explain what a study's series would be sent where. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ViewboxConfig } from '../../shared/config.js';
import { apiPaths } from '../../shared/api/app-api.js';
import type { RunRuleRequest } from '../../shared/api/routes-api.js';
import { explainRules } from '../../shared/routing/explain-rules.js';
import type { RoutingFile } from '../../shared/routing/rules.js';
import { setup } from '../bootstrap/setup.js';
import { destinationNames, formatRoutingIssue, loadRoutingFile, RoutingFileError, routingFilePath } from '../routing/load-routing.js';
import { openArchiveForReading, type ReadOnlyArchive } from '../store/read-only-index.js';
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { writeThroughOwner } from './folder-access.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';
import { runJob } from './job-runner.js';
import { formatRuleTable, verdictLines } from './route-summary.js';
import { runSubcommand } from './subcommands.js';

export const routesUsage = `Usage: viewbox routes validate [FILE] [--data DIR] [--config FILE]
       viewbox routes list [--data DIR] [--config FILE] [--json]
       viewbox routes explain STUDY_UID [--data DIR] [--config FILE] [--json]
       viewbox routes run RULE STUDY_UID [--series UID] [--data DIR] [--config FILE]

validate  checks a routing file (default: the configured one) against its
          schema and the configuration: rule ids unique, match keys DICOM
          keywords or tags, match values valid C-FIND keys, destinations
          configured nodes or DICOMweb nodes. Prints every problem as
          FILE:LINE:COL POINTER reason (JSON syntax) or FILE POINTER reason.
list      the configured rules: id, enabled, priority, trigger, match,
          destinations and how each copy is transformed.
explain   for each series of a stored study (its first instance, and the AE
          it came from), which rules match and what they would do, and for
          the others which key failed (the value held against the one wanted).
          Reads the index read-only: works while a node runs.
run       queues the sends RULE makes of the stored study (or one series)
          now, whatever its trigger, with its priority and transform, and
          follows them until each is delivered or given up. Needs the
          running node (viewbox serve or the app) of the data folder; it
          uses the rules that node has in force.

The routing file is routing.rulesFile of the configuration (default:
DATA/routing.json; relative paths from the data folder). Exit status: 0 valid
(run: everything delivered), 1 invalid (run: refused or not all delivered),
2 bad usage. See docs/routing.md.
`;

export function routesCommand(argv: string[], io: CliIo): Promise<number> {
  return runSubcommand('routes', argv, io, routesUsage, { validate, list, explain, run });
}

interface RoutingSetup {
  config: ViewboxConfig;
  dataDir: string;
  file: string;
}

function routingSetup(values: { data?: string; config?: string }, file?: string): RoutingSetup {
  const s = setup(values);
  return { config: s.config, dataDir: s.dataDir, file: file === undefined ? routingFilePath(s.config, s.dataDir) : resolve(file) };
}

/** The file's rules, or undefined after printing its problems. */
async function loadOrReport(where: RoutingSetup, io: CliIo): Promise<RoutingFile | undefined> {
  try {
    return await loadRoutingFile(where.file, destinationNames(where.config));
  } catch (error) {
    if (!(error instanceof RoutingFileError)) throw error;
    for (const issue of error.issues) io.err(`${formatRoutingIssue(issue)}\n`);
    return undefined;
  }
}

async function validate(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { ...dataOption, ...configOption, ...helpOption }, routesUsage, true);
  if (values.help) {
    io.out(routesUsage);
    return EXIT_OK;
  }
  if (positionals.length > 1) throw new UsageError('name at most one routing FILE', routesUsage);
  const where = routingSetup(values, positionals[0]);
  if (!existsSync(where.file)) {
    // The configured file may be absent (nothing is routed); a file named on the command line must exist.
    if (positionals[0] === undefined) {
      io.out(`${where.file}: no routing file, nothing is routed\n`);
      return EXIT_OK;
    }
    io.err(`${where.file} / file not found\n`);
    return EXIT_FAILED;
  }
  const routing = await loadOrReport(where, io);
  if (!routing) return EXIT_FAILED;
  io.out(`${where.file}: valid, ${routing.rules.length} rule(s)\n`);
  return EXIT_OK;
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...dataOption, ...configOption, ...jsonOption, ...helpOption }, routesUsage);
  if (values.help) {
    io.out(routesUsage);
    return EXIT_OK;
  }
  const where = routingSetup(values);
  const routing = await loadOrReport(where, io);
  if (!routing) return EXIT_FAILED;
  if (values.json) io.out(`${JSON.stringify({ file: where.file, rules: routing.rules }, null, 2)}\n`);
  else io.out(routing.rules.length === 0 ? `${where.file}: no rules, nothing is routed\n` : formatRuleTable(routing.rules));
  return EXIT_OK;
}

async function explain(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { ...dataOption, ...configOption, ...jsonOption, ...helpOption }, routesUsage, true);
  if (values.help) {
    io.out(routesUsage);
    return EXIT_OK;
  }
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError('name exactly one STUDY_UID', routesUsage);
  const studyUid = positionals[0];
  const where = routingSetup(values);
  const routing = await loadOrReport(where, io);
  if (!routing) return EXIT_FAILED;
  // Read-only: explaining never needs the folder's lock, whoever owns it.
  const archive = openArchiveForReading(where.dataDir);
  if (!archive) throw new Error(`study ${studyUid} is not in the archive (nothing is stored in ${where.dataDir} yet)`);
  let series: SeriesExplanation[];
  try {
    series = explainStudy(archive, studyUid, routing);
  } finally {
    archive.close();
  }
  if (values.json) {
    io.out(`${JSON.stringify({ studyUid, file: where.file, series }, null, 2)}\n`);
    return EXIT_OK;
  }
  const lines = [`Study ${studyUid}: ${series.length} series, ${routing.rules.length} rule(s) from ${where.file}`];
  for (const s of series) {
    lines.push('', ['Series', s.seriesNumber ?? '-', s.modality, s.description && `"${s.description}"`, s.seriesUid].filter(Boolean).join(' '), `  first instance ${s.sopInstanceUid}, ${s.callingAe ? `received from ${s.callingAe}` : 'not received from an AE (imported)'}`);
    lines.push(...(s.verdicts.length === 0 ? ['  no rules'] : verdictLines(s.verdicts)));
  }
  io.out(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { ...dataOption, ...configOption, ...helpOption, series: { type: 'string' } }, routesUsage, true);
  if (values.help) {
    io.out(routesUsage);
    return EXIT_OK;
  }
  const [rule, studyUid] = positionals;
  if (positionals.length !== 2 || !rule || !studyUid) throw new UsageError('name a RULE and a STUDY_UID', routesUsage);
  const request: RunRuleRequest = { rule, studyUid, ...(values.series ? { seriesUid: values.series } : {}) };
  const { dataDir } = setup(values);
  return writeThroughOwner(dataDir, {
    viaNode: async (client) => runJob(await client.startJob(apiPaths.runRoute, request), io),
    // The rules in force and the queue's delivery live in the node: without it nothing would deliver.
    asOwner: () => {
      io.err(`no node is running on ${dataDir}: start the node (viewbox serve) to route\n`);
      return Promise.resolve(EXIT_FAILED);
    },
  });
}

interface SeriesExplanation {
  seriesUid: string;
  seriesNumber: number | null;
  modality: string | null;
  description: string | null;
  sopInstanceUid: string;
  callingAe: string | undefined;
  verdicts: ReturnType<typeof explainRules>;
}

/** Each series judged by its first instance (rules match instance attributes; a series' instances share the series-level ones). */
function explainStudy(archive: ReadOnlyArchive, studyUid: string, routing: RoutingFile): SeriesExplanation[] {
  const series = archive.listSeries(studyUid);
  if (series.length === 0) throw new Error(`study ${studyUid} is not in the archive`);
  return series.flatMap((s) => {
    const first = archive.listInstances({ seriesUid: s.seriesUid })[0];
    const json = first && archive.getInstanceJson(first.sopInstanceUid);
    if (!first || !json) return [];
    const instance = { json, ...(first.sourceAe ? { callingAe: first.sourceAe } : {}) };
    return [{ seriesUid: s.seriesUid, seriesNumber: s.seriesNumber, modality: s.modality, description: s.description, sopInstanceUid: first.sopInstanceUid, callingAe: first.sourceAe, verdicts: explainRules(routing.rules, instance) }];
  });
}
