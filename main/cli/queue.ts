/** `viewbox queue list|retry|purge`: the durable send queue, through the running node (or, for list, the index read-only). */
import { apiPaths } from '../../shared/api/app-api.js';
import type { QueueChangeResponse, QueueListResponse, QueueSelection, SendState } from '../../shared/api/queue-api.js';
import { checkQueueSelection } from '../../shared/api/queue-selection.js';
import type { ViewboxConfig } from '../../shared/config.js';
import { setup } from '../bootstrap/setup.js';
import { readRunningNode } from '../store/data-folder-owner.js';
import { openArchiveForReading } from '../store/read-only-index.js';
import { destinationsOf } from '../routing/destination-list.js';
import { createQueueService } from '../routing/queue-service.js';
import { configOption, dataOption, helpOption, jsonOption, parse, UsageError } from './args.js';
import { writeThroughOwner } from './folder-access.js';
import { EXIT_OK, type CliIo } from './io.js';
import { NodeClient } from './node-client.js';
import { formatQueue } from './queue-listing.js';

export const queueUsage = `Usage: viewbox queue list [--destination NAME] [--state STATE] [--json]
       viewbox queue retry [--destination NAME] [--study UID] [--pending]
       viewbox queue purge [--destination NAME] [--study UID] [--state dead|done|pending]

The durable send queue: every copy of an instance to a destination, by routing
rule or manual send.

list    per destination: pending, in flight, failing (retrying after an
        error), dead letters (given up), delivered in the last 24 hours, when
        the next retry is due and the last error; then one row per study at a
        destination. --state pending|in-flight|done|dead lists only those.
        Works with or without a running node.
retry   puts dead letters back in the queue (as new); with --pending, sends
        what is waiting for its next attempt now. Prints how many.
purge   removes dead letters (default), delivered sends (--state done) or
        cancels what is still to be sent (--state pending). Asks nothing;
        prints how many.

retry and purge change the queue of the running node (viewbox serve); start
it first. --destination and --study narrow any of the three.

Options:
  --destination NAME  a configured node or DICOMweb node
  --study UID         one study (Study Instance UID)
  --config FILE       configuration file
  --data DIR          data folder
  --json              (list) print the answer as JSON
  -h, --help          this help
`;

const selectionOptions = { ...dataOption, ...configOption, ...helpOption, destination: { type: 'string' }, study: { type: 'string' } } as const;

export async function queueCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list':
      return list(rest, io);
    case 'retry':
      return retry(rest, io);
    case 'purge':
      return purge(rest, io);
    case undefined:
    case '-h':
    case '--help':
      io.out(queueUsage);
      return EXIT_OK;
    default:
      throw new UsageError(`unknown queue subcommand "${sub}"`, queueUsage);
  }
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...selectionOptions, ...jsonOption, state: { type: 'string' } }, queueUsage);
  if (values.help) return help(io);
  const s = setup(values);
  const filter = selection(values);
  const node = await readRunningNode(s.dataDir);
  const queue = node ? await new NodeClient(node).request<QueueListResponse>('GET', `${apiPaths.queue}${queryString(filter)}`) : readWithoutNode(s.config, s.dataDir, filter);
  io.out(values.json ? `${JSON.stringify(queue, null, 2)}\n` : formatQueue(queue));
  return EXIT_OK;
}

async function retry(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...selectionOptions, pending: { type: 'boolean' } }, queueUsage);
  if (values.help) return help(io);
  const chosen: QueueSelection = { ...selection(values), state: values.pending ? 'pending' : 'dead' };
  const changed = await change(values, apiPaths.queueRetry, chosen);
  io.out(chosen.state === 'pending' ? `${changed} waiting sends will be tried now\n` : `${changed} dead letters are back in the queue\n`);
  return EXIT_OK;
}

const PURGED: Record<string, string> = { dead: 'dead letters removed', done: 'delivered sends removed', pending: 'sends cancelled' };

async function purge(argv: string[], io: CliIo): Promise<number> {
  const { values } = parse(argv, { ...selectionOptions, state: { type: 'string' } }, queueUsage);
  if (values.help) return help(io);
  const state = values.state ?? 'dead';
  if (!(state in PURGED)) throw new UsageError(`purge takes --state dead, done or pending, not "${state}"`, queueUsage);
  const chosen: QueueSelection = { ...selection(values), state: state as SendState };
  const changed = await change(values, apiPaths.queuePurge, chosen);
  io.out(`${changed} ${PURGED[state]}\n`);
  return EXIT_OK;
}

/** The node checks what it is asked; without one, the same check against this configuration's destinations. */
function readWithoutNode(config: ViewboxConfig, dataDir: string, filter: QueueSelection): QueueListResponse {
  const destinations = destinationsOf(config);
  const checked = checkQueueSelection(filter, destinations.map((d) => d.name), 'list');
  if (!checked.ok) throw new UsageError(checked.error, queueUsage);
  const archive = openArchiveForReading(dataDir);
  if (!archive) return { destinations: [], studies: [] };
  try {
    return createQueueService({ queue: archive.queue, reader: archive, destinations: () => destinations }).list(checked.value);
  } finally {
    archive.close();
  }
}

/** Retry and purge are the owner's: the running node changes its queue, so its delivery workers see the change at once. */
async function change(values: { data?: string; config?: string }, path: string, chosen: QueueSelection): Promise<number> {
  const { dataDir } = setup(values);
  return writeThroughOwner(dataDir, {
    viaNode: async (client) => (await client.request<QueueChangeResponse>('POST', path, chosen)).changed,
    asOwner: () => Promise.reject(new Error(`no node holds the data folder ${dataDir}: start the node (viewbox serve) to change the queue`)),
  });
}

function selection(values: { destination?: string; study?: string; state?: string }): QueueSelection {
  return {
    ...(values.destination !== undefined ? { destination: values.destination } : {}),
    ...(values.study !== undefined ? { studyUid: values.study } : {}),
    ...(values.state !== undefined ? { state: values.state as SendState } : {}),
  };
}

function queryString(filter: QueueSelection): string {
  const params = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function help(io: CliIo): number {
  io.out(queueUsage);
  return EXIT_OK;
}
