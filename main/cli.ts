/** The `viewbox` command: dispatches to main/cli/<subcommand>.ts and turns errors into exit codes. */
import { errorMessage } from '../shared/error-message.js';
import { configCommand } from './cli/config.js';
import { UsageError } from './cli/args.js';
import { importCommand } from './cli/import.js';
import { openCommand } from './cli/open.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './cli/io.js';
import { patientsCommand } from './cli/patients.js';
import { protocolsCommand } from './cli/protocols.js';
import { queueCommand } from './cli/queue.js';
import { remoteCommand } from './cli/remote.js';
import { routesCommand } from './cli/routes.js';
import { sendCommand } from './cli/send.js';
import { serveCommand } from './cli/serve.js';
import { startCommand } from './cli/start.js';
import { studiesCommand } from './cli/studies.js';
import { ConfigError, formatIssue } from './config/errors.js';
import { DataFolderBusyError } from './store/data-folder-owner.js';
import { viewboxVersion } from './version.js';

export const usage = `Usage: viewbox <command> [options]

Commands:
  start                 open the Viewbox app (or, without Electron, serve)
  serve                 run the archive node (DICOM and HTTP) until stopped
  open                  a fresh launch URL of the running node, opened in the browser
  import PATH...        import files, folders, DICOMDIRs and zip archives
  studies               list the studies in the archive
  patients conflicts    list patients received with conflicting demographics
  remote echo|find|retrieve NODE ...
                        talk to a configured PACS: verify, search, retrieve
  send NODE (STUDY_UID | PATH...)
                        send a held study or files to a configured node
  config validate FILE  check a configuration file against the schema
  config show           the effective configuration and where each value came from
  protocols validate|list|explain
                        check hanging protocols, list them, explain a study's hanging
  routes validate|list|explain
                        check the routing rules, list them, explain where a study's series go
  queue list|retry|purge
                        the send queue: what waits, fails or was given up, per destination

Every command takes --help. Archive commands take --data DIR (default: the
per-user application data folder). See docs/cli.md.
`;

const commands: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  start: startCommand,
  serve: serveCommand,
  open: openCommand,
  import: importCommand,
  studies: studiesCommand,
  patients: patientsCommand,
  remote: remoteCommand,
  send: sendCommand,
  config: configCommand,
  protocols: protocolsCommand,
  routes: routesCommand,
  queue: queueCommand,
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${viewboxVersion()}\n`);
    return EXIT_OK;
  }
  const command = commands[name];
  if (!command) {
    io.err(`viewbox: unknown command "${name}"\n\n${usage}`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const issue of error.issues) io.err(`${formatIssue(issue)}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof DataFolderBusyError) {
      io.err(`viewbox ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.err(`viewbox ${name}: ${error.message}\n\n${error.usage}`);
      return EXIT_USAGE;
    }
    io.err(`viewbox ${name}: ${errorMessage(error)}\n`);
    return EXIT_FAILED;
  }
}
