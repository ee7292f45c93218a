/**
 * The main side of the HostBridge: one `ipcMain.handle` per channel of
 * HOST_IPC; every call is checked (sender, then arguments) before a host
 * service runs, and a refusal is logged and rejected with its reason.
 */
import type { AppInfo, HostDisplay, ImportSelection } from '../../shared/host/host-bridge.js';
import type { Logger } from '../log.js';
import { HOST_IPC, type HostInvokeChannel } from './host-ipc-channels.js';
import {
  expectFullScreenFlag,
  expectImportChoiceOptions,
  expectNoArguments,
  expectWindowOnDisplay,
  senderProblem,
  type FrameLike,
} from './host-ipc-validation.js';

/** What the handlers read of Electron's `IpcMainInvokeEvent`. */
export interface InvokeEventLike<S> {
  readonly senderFrame: FrameLike | null;
  readonly sender: S;
}

/** What the shell uses of Electron's `ipcMain`. */
export interface IpcMainLike<S> {
  handle(channel: string, listener: (event: InvokeEventLike<S>, ...args: unknown[]) => unknown): void;
}

/** What the HostBridge does in the main process; `sender` identifies the calling page's window. */
export interface HostServices<S> {
  displays(): HostDisplay[];
  currentDisplayId(sender: S): string;
  openWindowOnDisplay(displayId: string, route: string): Promise<void>;
  setFullScreen(sender: S, fullScreen: boolean): void;
  chooseFilesToImport(sender: S, options: { folder: boolean }): Promise<ImportSelection>;
  appInfo(): AppInfo;
}

export class HostIpcSenderError extends Error {
  constructor(channel: string, reason: string) {
    super(`${channel}: refused: ${reason}`);
    this.name = 'HostIpcSenderError';
  }
}

export function registerHostIpc<S>(ipc: IpcMainLike<S>, appOrigin: string, services: HostServices<S>, logger: Logger): void {
  const handle = (channel: HostInvokeChannel, run: (sender: S, args: unknown[]) => unknown) => {
    ipc.handle(channel, async (event, ...args) => {
      try {
        const problem = senderProblem(event.senderFrame, appOrigin);
        if (problem !== undefined) throw new HostIpcSenderError(channel, problem);
        return await run(event.sender, args);
      } catch (error) {
        logger.warn('host bridge call failed', { channel, error });
        throw error;
      }
    });
  };
  handle(HOST_IPC.displays, (_s, args) => {
    expectNoArguments(HOST_IPC.displays, args);
    return services.displays();
  });
  handle(HOST_IPC.currentDisplayId, (sender, args) => {
    expectNoArguments(HOST_IPC.currentDisplayId, args);
    return services.currentDisplayId(sender);
  });
  handle(HOST_IPC.openWindowOnDisplay, (_s, args) => {
    const { displayId, route } = expectWindowOnDisplay(HOST_IPC.openWindowOnDisplay, args);
    return services.openWindowOnDisplay(displayId, route);
  });
  handle(HOST_IPC.setFullScreen, (sender, args) => {
    services.setFullScreen(sender, expectFullScreenFlag(HOST_IPC.setFullScreen, args));
  });
  handle(HOST_IPC.chooseFilesToImport, (sender, args) => services.chooseFilesToImport(sender, expectImportChoiceOptions(HOST_IPC.chooseFilesToImport, args)));
  handle(HOST_IPC.appInfo, (_s, args) => {
    expectNoArguments(HOST_IPC.appInfo, args);
    return services.appInfo();
  });
}
