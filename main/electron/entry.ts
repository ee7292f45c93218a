/**
 * The Electron main process entry: the only module of the main process that
 * imports `electron`. It reads the command line and configuration, then
 * hands Electron's real objects to the shell's logic (app-lifecycle,
 * window-manager, web-security, host-ipc), which is written against small
 * interfaces and tested with fakes.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, type WebContents } from 'electron';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../../shared/error-message.js';
import { setup, type Setup } from '../bootstrap/setup.js';
import { shellStateDir } from '../store/layout.js';
import { PRIVATE_DIR_MODE } from '../store/owner-only.js';
import { createLogger } from '../log.js';
import { startArchiveNode, type ArchiveNode } from '../node.js';
import { viewboxVersion } from '../version.js';
import { appMenuTemplate } from './app-menu.js';
import { runShell } from './app-lifecycle.js';
import { MIN_WINDOW_SIZE } from './display-geometry.js';
import { registerHostIpc } from './host-ipc.js';
import { shellHostServices } from './host-services.js';
import { shellOptions } from './shell-options.js';
import { WindowManager } from './window-manager.js';
import { WINDOW_STATE_FILE_NAME, windowStateFile } from './window-state-file.js';
import { guardSession, guardWebContents, secureWebPreferences } from './web-security.js';

// Unpackaged, argv is [electron, appPath, ...options]; packaged, [app, ...options].
const options = shellOptions(process.argv.slice(process.defaultApp ? 2 : 1));
let configured: Setup | undefined;
let setupError: unknown;
try {
  configured = setup(options.values, options.flags);
} catch (error) {
  setupError = error;
}
const logger = (configured?.logger ?? createLogger({ level: 'info' })).child({ sub: 'shell' });

// Electron's own state (window placement, Chromium's profile, the single-instance lock) lives beside the
// archive it shows: one app instance per data folder. Must be set before the app is ready, and must exist.
if (configured) {
  const userData = shellStateDir(configured.dataDir);
  mkdirSync(userData, { recursive: true, mode: PRIVATE_DIR_MODE });
  app.setPath('userData', userData);
}

const development = !app.isPackaged;
const preload = join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs');

function openShell(node: ArchiveNode, dataDir: string): WindowManager<BrowserWindow> {
  const appOrigin = new URL(node.url).origin;
  guardSession(session.defaultSession, appOrigin, logger);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, development })));
  const windows = new WindowManager<BrowserWindow>({
    screen,
    createWindow(bounds) {
      const window = new BrowserWindow({
        ...bounds,
        minWidth: MIN_WINDOW_SIZE.width,
        minHeight: MIN_WINDOW_SIZE.height,
        show: false,
        title: 'Viewbox',
        backgroundColor: '#000000',
        webPreferences: secureWebPreferences(preload, development),
      });
      guardWebContents(window.webContents, appOrigin, logger);
      // Pinch zoom would resample images that are drawn at device pixels.
      void window.webContents.setVisualZoomLevelLimits(1, 1);
      window.once('ready-to-show', () => window.show());
      return window;
    },
    store: windowStateFile(join(app.getPath('userData'), WINDOW_STATE_FILE_NAME), logger),
    pageUrl: (route) => new URL(route, node.url).href,
    logger,
  });
  registerHostIpc<WebContents>(
    ipcMain,
    appOrigin,
    shellHostServices({ windows, windowOf: (sender: WebContents) => BrowserWindow.fromWebContents(sender), dialog, appInfo: { version: viewboxVersion(), dataFolder: dataDir } }),
    logger,
  );
  return windows;
}

// Not awaited: Electron emits `ready` only after this module has finished evaluating, so a top-level
// await on whenReady() would never return.
runShell({
  app,
  platform: process.platform,
  startNode: async () => {
    if (!configured) throw setupError;
    return startArchiveNode(configured.config, configured.dataDir, configured.logger);
  },
  openShell: (node) => openShell(node, configured!.dataDir),
  fatal: (title, message) => dialog.showErrorBox(title, message),
  logger,
}).catch((error: unknown) => {
  logger.error('the shell failed', { error });
  dialog.showErrorBox('Viewbox failed', errorMessage(error));
  app.exit(1);
});
