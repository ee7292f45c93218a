/** `viewbox send NODE (STUDY_UID | PATH ...)`: C-STORE a held study, or Part 10 files, to a configured node. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { apiPaths, type SendRequest } from '../../shared/api/app-api.js';
import { setup } from '../bootstrap/setup.js';
import { configOption, dataOption, helpOption, parse, UsageError } from './args.js';
import { EXIT_OK, type CliIo } from './io.js';
import { writeThroughOwner } from './folder-access.js';
import { runJob, withRemote } from './job-runner.js';

export const sendUsage = `Usage: viewbox send NODE STUDY_UID [--series UID] [--data DIR]
       viewbox send NODE PATH...

Sends a study held in the archive (or one of its series), or Part 10 files,
to a configured node. Each instance goes as its stored bytes when the node
accepts its transfer syntax; when it accepts only uncompressed, it is decoded
losslessly first (the log says so); an instance that cannot be sent is listed
with the reason and the others still go.

Options:
  --series UID    only this series of the study
  --config FILE   configuration file
  --data DIR      data folder
  -h, --help      this help
`;

export async function sendCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv, { ...dataOption, ...configOption, ...helpOption, series: { type: 'string' } }, sendUsage, true);
  if (values.help) {
    io.out(sendUsage);
    return EXIT_OK;
  }
  const [nodeName, ...targets] = positionals;
  if (!nodeName || targets.length === 0) throw new UsageError('say which node and what to send', sendUsage);
  const s = setup(values);
  // A UID is digits and dots; anything that exists on disk is a path.
  const isStudy = targets.length === 1 && /^[0-9.]+$/.test(targets[0]!) && !existsSync(targets[0]!);
  const target = isStudy ? { studyUid: targets[0]!, ...(values.series ? { seriesUid: values.series } : {}) } : { paths: targets.map((t) => resolve(t)) };
  return writeThroughOwner(s.dataDir, {
    viaNode: async (client) => runJob(await client.startJob(apiPaths.send, { node: nodeName, ...target } satisfies SendRequest), io),
    asOwner: () => withRemote(s, { listen: false }, (remote) => runJob(remote.send(nodeName, target), io)),
  });
}
