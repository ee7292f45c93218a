/**
 * Where a command that writes runs. A data folder has one owner: when a node
 * holds it, the command becomes a job of that node (through its API); when
 * nobody does, the command takes the folder's lock itself for its run.
 */
import { DataFolderBusyError, dataFolderHolder, type OwnerRecord } from '../store/data-folder-owner.js';
import { NodeClient } from './node-client.js';

/** A node that has just taken the lock publishes its URL once its HTTP face is up: wait that long, not for another command to finish. */
const PUBLISH_WAIT_MS = 10_000;

export async function writeThroughOwner<T>(dataDir: string, ways: { viaNode: (client: NodeClient) => Promise<T>; asOwner: () => Promise<T> }): Promise<T> {
  const client = await runningNodeClient(dataDir);
  if (client) return ways.viaNode(client);
  try {
    return await ways.asOwner();
  } catch (error) {
    // A node started between the look and the lock: go through it after all.
    if (!(error instanceof DataFolderBusyError)) throw error;
    const late = await runningNodeClient(dataDir);
    if (!late) throw error;
    return ways.viaNode(late);
  }
}

/** The node that holds the folder, or undefined when the folder is free; a holder that serves no HTTP (another command) is a DataFolderBusyError. */
async function runningNodeClient(dataDir: string): Promise<NodeClient | undefined> {
  const deadline = Date.now() + PUBLISH_WAIT_MS;
  let owner: OwnerRecord | undefined;
  for (;;) {
    const state = await dataFolderHolder(dataDir);
    if (!state.held) return undefined;
    owner = state.owner;
    if (owner?.url && owner.token) return new NodeClient({ pid: owner.pid, url: owner.url, token: owner.token });
    if (Date.now() > deadline) throw new DataFolderBusyError(dataDir, owner);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
