import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WINDOW_STATE_FILE_NAME, windowStateFile } from '../../../../main/electron/window-state-file.js';
import type { WindowState } from '../../../../main/electron/window-state.js';
import { tempDirsPerTest } from '../../../helpers/tmp.js';
import { recordingLogger } from './fakes.js';

const dirs = tempDirsPerTest('viewbox-window-state-', afterEach);

const state: WindowState = {
  version: 1,
  windows: [{ displayId: '2', displayBounds: { x: 1920, y: 0, width: 2560, height: 1440 }, bounds: { x: 2000, y: 40, width: 1800, height: 1200 }, fullScreen: true }],
};

describe('window state file', () => {
  it('round-trips the state as readable JSON and leaves no temporary file', async () => {
    const dir = await dirs.dataDir();
    const file = join(dir, WINDOW_STATE_FILE_NAME);
    const store = windowStateFile(file, recordingLogger().logger);
    await store.save(state);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(state);
    expect(await readdir(dir)).toEqual([WINDOW_STATE_FILE_NAME]);
    expect(await store.load()).toEqual(state);
  });

  it('starts empty, silently, when there is no file yet', async () => {
    const { logger, lines } = recordingLogger();
    expect(await windowStateFile(join(await dirs.dataDir(), WINDOW_STATE_FILE_NAME), logger).load()).toEqual({ version: 1, windows: [] });
    expect(lines).toEqual([]);
  });

  it('starts empty from a damaged file and names the file in a warning', async () => {
    const file = join(await dirs.dataDir(), WINDOW_STATE_FILE_NAME);
    await writeFile(file, '{"version":1,"windows":[{"displayId"');
    const { logger, lines } = recordingLogger();
    expect(await windowStateFile(file, logger).load()).toEqual({ version: 1, windows: [] });
    expect(lines).toMatchObject([{ level: 'warn', file, msg: expect.stringContaining('window state: not JSON') }]);
  });
});
