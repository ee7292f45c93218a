/**
 * `viewbox open`: a fresh one-time launch URL from the node that runs on the
 * data folder (POST /api/launch with the token of DATA/owner.json), printed
 * and opened in the browser. A second browser, or one restarted, needs no
 * restart of the node.
 */
import { resolve } from 'node:path';
import { apiPaths, type LaunchUrl } from '../../shared/api/app-api.js';
import { defaultDataDir } from '../paths.js';
import { readRunningNode } from '../store/data-folder-owner.js';
import { dataOption, helpOption, parse } from './args.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io.js';
import { NodeClient } from './node-client.js';
import { openerFor, runOpener } from './open-url.js';

export const openUsage = `Usage: viewbox open [--data DIR] [--print]

Prints a fresh launch URL of the node running on the data folder (the app or
\`viewbox serve\`) and opens it in the browser. The URL opens one session,
within 5 minutes; run the command again for another browser.

Options:
  --data DIR   data folder (default: the per-user application data folder)
  --print      print the URL only (also when there is no display)
  -h, --help   this help
`;

export async function openCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...dataOption, ...helpOption, print: { type: 'boolean' } }, openUsage);
  if (values.help) {
    io.out(openUsage);
    return EXIT_OK;
  }
  const dataDir = resolve(values.data ?? defaultDataDir());
  const node = await readRunningNode(dataDir);
  if (!node) {
    io.err(`viewbox open: no Viewbox node is running on ${dataDir}: start one with \`viewbox start\` (the app) or \`viewbox serve\`\n`);
    return EXIT_FAILED;
  }
  const { launchUrl } = await new NodeClient(node).request<LaunchUrl>('POST', apiPaths.launch);
  io.out(`${launchUrl}\n`);
  const opener = values.print ? undefined : openerFor(launchUrl, process.platform, process.env);
  if (opener) {
    try {
      await runOpener(opener);
    } catch (error) {
      // The URL is printed: the user can still paste it.
      io.err(`viewbox open: ${(error as Error).message}; open the URL above in a browser\n`);
    }
  }
  return EXIT_OK;
}
