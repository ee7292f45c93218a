/** The HostBridge's work in the main process: windows from the WindowManager, file choice from Electron's dialog. */
import type { AppInfo, HostDisplay, ImportSelection } from '../../shared/host/host-bridge.js';
import type { HostServices } from './host-ipc.js';
import type { WindowLike, WindowManager } from './window-manager.js';

/** What the shell uses of Electron's `dialog`. */
export interface DialogLike<W> {
  showOpenDialog(window: W, options: { title: string; buttonLabel: string; properties: Array<'openFile' | 'openDirectory' | 'multiSelections'> }): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface ShellHostServicesOptions<S, W extends WindowLike> {
  windows: WindowManager<W>;
  /** The window showing the sender's page (BrowserWindow.fromWebContents), if any. */
  windowOf(sender: S): WindowLike | null;
  dialog: DialogLike<W>;
  appInfo: Omit<AppInfo, 'shell'>;
}

export function shellHostServices<S, W extends WindowLike>(options: ShellHostServicesOptions<S, W>): HostServices<S> {
  const { windows } = options;
  const ownWindow = (sender: S): W => {
    const window = options.windowOf(sender);
    if (window === null || !windows.owns(window)) throw new Error('the calling page is not in a Viewbox window');
    return window;
  };
  return {
    displays: (): HostDisplay[] => windows.displays(),
    currentDisplayId: (sender) => windows.displayOf(ownWindow(sender)).id,
    openWindowOnDisplay: (displayId, route) => windows.show(displayId, route),
    setFullScreen: (sender, fullScreen) => windows.setFullScreen(ownWindow(sender), fullScreen),
    async chooseFilesToImport(sender, { folder }): Promise<ImportSelection> {
      const result = await options.dialog.showOpenDialog(ownWindow(sender), {
        title: folder ? 'Import a folder' : 'Import files',
        buttonLabel: 'Import',
        properties: folder ? ['openDirectory'] : ['openFile', 'multiSelections'],
      });
      return result.canceled || result.filePaths.length === 0 ? { kind: 'cancelled' } : { kind: 'paths', paths: result.filePaths };
    },
    appInfo: () => ({ shell: 'electron', ...options.appInfo }),
  };
}
