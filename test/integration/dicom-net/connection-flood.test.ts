/**
 * Connections that never associate, against the real node (`viewbox serve`):
 * each lives at most ARTIM, and no more than twice `maxAssociations` are held
 * at once; the rest are closed at once, so a flood cannot exhaust the node.
 */
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.js';
import { echoscu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';

const MAX_ASSOCIATIONS = 2;
const ARTIM_SECONDS = 3;
const FLOOD = 12;

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
const sockets: Socket[] = [];

beforeAll(async () => {
  work = await tempDir('viewbox-flood-');
  const config = join(work.path, 'config.json');
  writeFileSync(config, JSON.stringify({ acceptUnknownCallers: true, limits: { maxAssociations: MAX_ASSOCIATIONS, artimTimeoutSeconds: ARTIM_SECONDS } }));
  node = await startViewbox({ dataDir: join(work.path, 'data'), args: ['--config', config] });
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await node?.stop();
  await work?.cleanup();
});

describe('connections that never associate', () => {
  it('are held at most twice maxAssociations at once, each for at most ARTIM', { timeout: 30_000 }, async () => {
    const closedAt: number[] = [];
    const opened = Date.now();
    for (let i = 0; i < FLOOD; i++) {
      const socket = connect(node.dicomPort, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => closedAt.push(Date.now() - opened));
      sockets.push(socket);
    }
    await waitFor('the connections over the limit to be closed', () => closedAt.length >= FLOOD - 2 * MAX_ASSOCIATIONS, 2_000);
    expect(closedAt.every((ms) => ms < 2_000)).toBe(true);
    expect(node.output()).toMatch(/connection refused: too many connections/);

    await waitFor('every connection to be closed by ARTIM', () => closedAt.length === FLOOD, (ARTIM_SECONDS + 3) * 1000);
    expect(Math.max(...closedAt)).toBeGreaterThanOrEqual(ARTIM_SECONDS * 1000 - 200);
    expect((await echoscu({ port: node.dicomPort, calledAet: node.aet })).ok).toBe(true);
  });
});
