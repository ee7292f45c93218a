/**
 * `viewbox send` and `viewbox remote retrieve` on a folder no node holds:
 * the command owns the folder for its run and builds only what the job
 * needs. No HTTP face (so no URL is published for other commands), no DICOM
 * listener for a send or a C-GET, the configured DICOM port for a C-MOVE.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ViewboxConfig } from '../../../shared/config.js';
import { withRemote } from '../../../main/cli/job-runner.js';
import type { Setup } from '../../../main/bootstrap/setup.js';
import { defaultConfigFile } from '../../../main/config/load.js';
import { silentLogger } from '../../../main/log.js';
import { dataFolderHolder } from '../../../main/store/data-folder-owner.js';
import { freePort } from '../../helpers/net.js';
import { tempDirsPerTest } from '../../helpers/tmp.js';

const dirs = tempDirsPerTest('viewbox-remote-owner-', afterEach);

async function setupOn(dicomPort: number): Promise<Setup> {
  const defaults = JSON.parse(readFileSync(defaultConfigFile(), 'utf8')) as ViewboxConfig;
  const config: ViewboxConfig = { ...defaults, aet: 'VBXOWNER', dicomPort, nodes: [{ name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: await freePort(), allow: ['store'] }] };
  return { effective: { config, sources: new Map(), layers: [] }, config, dataDir: await dirs.dataDir(), logger: silentLogger };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('a remote job run by the folder owner', () => {
  it('a send holds the folder but serves nothing: no HTTP URL published, nothing on the DICOM port', async () => {
    const s = await setupOn(await freePort());
    await withRemote(s, { listen: false }, async (remote) => {
      expect(remote.node('pacs').aet).toBe('PACS');
      const holder = await dataFolderHolder(s.dataDir);
      expect(holder.held).toBe(true);
      expect(holder.held && holder.owner?.url).toBeFalsy();
      expect(await accepts(s.config.dicomPort)).toBe(false);
    });
    expect((await dataFolderHolder(s.dataDir)).held).toBe(false);
  });

  it('a C-MOVE retrieve listens on the configured DICOM port, and still publishes no HTTP URL', async () => {
    const s = await setupOn(await freePort());
    await withRemote(s, { listen: true }, async () => {
      expect(await accepts(s.config.dicomPort)).toBe(true);
      const holder = await dataFolderHolder(s.dataDir);
      expect(holder.held && holder.owner?.url).toBeFalsy();
    });
    expect(await accepts(s.config.dicomPort)).toBe(false);
  });
});
