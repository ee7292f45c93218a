/** `viewbox serve`: run the archive node until SIGINT/SIGTERM. */
import { SERVE_FLAGS, serveFlags } from '../bootstrap/serve-flags.js';
import { setup } from '../bootstrap/setup.js';
import { ConfigError } from '../config/errors.js';
import { startArchiveNode } from '../node.js';
import { helpOption, parse } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';

export const serveUsage = `Usage: viewbox serve [--data DIR] [--config FILE] [--aet AET] [--dicom-port N] [--http-port N] [--dicom-bind ADDR]

Runs the archive node: the DICOM listener (C-ECHO, C-STORE) and the HTTP face.
When ready, prints one line on stdout:
  viewbox ready {"aet":...,"dicomAddress":...,"dicomPort":...,"dicomTlsPort":...,"httpPort":...,"url":...,"token":...,"launchUrl":...,"data":...,"pid":...}
dicomAddress is where the DICOM listeners bind; dicomTlsPort is there only when
dicomTls is configured (docs/networking.md).
token is the API bearer token (for scripts); launchUrl opens one browser session
within 5 minutes (\`viewbox open\` gives a fresh one).
Logs go to stderr. SIGINT or SIGTERM stops it cleanly (open associations may finish).

Options:
  --data DIR        data folder (default: the per-user application data folder)
  --config FILE     configuration file, above the machine-wide and user files
  --aet AET         this node's AE title
  --dicom-port N    DICOM port (0: any free port)
  --http-port N     HTTP port (0: any free port)
  --dicom-bind ADDR address the DICOM listeners bind (0.0.0.0 or :: for all interfaces;
                    default: bindAddress, this machine only)
  -h, --help        this help
`;

/** How long open associations get to finish after a stop signal. */
const STOP_GRACE_MS = 10_000;
/** After the grace period: aborting associations, closing the index and files. */
const STOP_MARGIN_MS = 1_000;

export async function serveCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...SERVE_FLAGS, ...helpOption }, serveUsage);
  if (values.help) {
    io.out(serveUsage);
    return EXIT_OK;
  }
  const { values: where, flags } = serveFlags(values);
  const s = setup(where, flags);
  return runNode(s, io);
}

async function runNode(s: ReturnType<typeof setup>, io: CliIo): Promise<number> {
  let node;
  try {
    node = await startArchiveNode(s.config, s.dataDir, s.logger);
  } catch (error) {
    // A refusal of the effective configuration (e.g. bindAddress) names the file that set the value.
    if (error instanceof ConfigError) throw new ConfigError(error.issues.map((i) => ({ ...i, file: s.effective.sources.get(i.pointer)?.file ?? i.file })));
    throw error;
  }
  // Listen for the stop signal before announcing readiness: whoever reads the line may signal at once.
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const ready = {
    aet: s.config.aet,
    dicomAddress: s.config.dicomBindAddress ?? s.config.bindAddress,
    dicomPort: node.dicomPort,
    ...(node.dicomTlsPort !== undefined ? { dicomTlsPort: node.dicomTlsPort } : {}),
    httpPort: node.httpPort,
    url: node.url,
    token: node.token,
    launchUrl: node.newLaunchUrl(),
    data: s.dataDir,
    pid: process.pid,
  };
  io.out(`viewbox ready ${JSON.stringify(ready)}\n`);
  const signal = await stopped;
  s.logger.info('stopping', { signal });
  // A second signal while draining means "now".
  const force = () => process.exit(1);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  // Whatever the disk or a peer does, the stop ends within the grace period and a moment more: what was
  // acknowledged is durable already, and whatever is left unfinished is what the next start's recovery is for.
  let closed = false;
  const deadline = setTimeout(() => {
    if (!closed) s.logger.error('stopping took longer than the grace period; exiting now', { graceMs: STOP_GRACE_MS });
    process.exit(closed ? EXIT_OK : 1);
  }, STOP_GRACE_MS + STOP_MARGIN_MS);
  deadline.unref();
  await node.close(STOP_GRACE_MS);
  closed = true;
  process.off('SIGINT', force);
  process.off('SIGTERM', force);
  return EXIT_OK;
}
