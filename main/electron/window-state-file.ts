/** The window state file in Electron's user data folder: read leniently, written atomically (temp file + rename). */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { PRIVATE_FILE_MODE } from '../store/owner-only.js';
import { emptyWindowState, parseWindowState, type WindowState } from './window-state.js';

export const WINDOW_STATE_FILE_NAME = 'window-state.json';

export interface WindowStateStore {
  load(): Promise<WindowState>;
  save(state: WindowState): Promise<void>;
}

export function windowStateFile(path: string, logger: Logger): WindowStateStore {
  let writes = 0;
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn('cannot read the window state; windows open on their displays', { file: path, error });
        return emptyWindowState();
      }
      const { state, problem } = parseWindowState(text);
      if (problem) logger.warn(`window state: ${problem}`, { file: path });
      return state;
    },
    async save(state) {
      const temp = `${path}.${process.pid}.${++writes}.tmp`;
      await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
      await rename(temp, path);
    },
  };
}
