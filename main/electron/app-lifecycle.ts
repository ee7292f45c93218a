/**
 * The app's life: one instance per user (a second launch brings the first
 * forward), the archive node started in-process once Electron is ready, the
 * UI loaded from the node with a one-time launch code, and the node closed cleanly
 * (open associations may finish) before the process exits.
 */
import { errorMessage } from '../../shared/error-message.js';
import type { Logger } from '../log.js';

/** What the shell uses of Electron's `app`. */
export interface AppLike {
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance', listener: () => void): unknown;
  on(event: 'window-all-closed', listener: () => void): unknown;
  on(event: 'activate', listener: () => void): unknown;
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** The part of the archive node (main/node.ts ArchiveNode) the shell needs. */
export interface ShellNode {
  url: string;
  /** A fresh one-time launch URL: the main window exchanges it for the session cookie (never the bearer token). */
  newLaunchUrl(): string;
  close(graceMs?: number): Promise<void>;
}

/** The part of the WindowManager the lifecycle drives. */
export interface ShellWindows {
  openAll(launchUrl?: string): Promise<void>;
  focusMain(): void;
  count(): number;
  saveState(): Promise<void>;
}

export interface ShellDeps<N extends ShellNode> {
  app: AppLike;
  platform: NodeJS.Platform;
  startNode(): Promise<N>;
  /** Everything that needs the running node (session guard, IPC, menu, window manager); returns the windows, not yet open. */
  openShell(node: N): ShellWindows;
  /** Tells the user why the app cannot start (a dialog); the process then exits with status 1. */
  fatal(title: string, message: string): void;
  logger: Logger;
}

export type ShellOutcome<N> = { kind: 'second-instance' } | { kind: 'failed'; error: unknown } | { kind: 'running'; node: N; windows: ShellWindows };

/** How long open DICOM associations get to finish when the app quits (as `viewbox serve` on a stop signal). */
export const QUIT_GRACE_MS = 10_000;

export async function runShell<N extends ShellNode>(deps: ShellDeps<N>): Promise<ShellOutcome<N>> {
  const { app, logger } = deps;
  if (!app.requestSingleInstanceLock()) {
    logger.info('Viewbox is already running for this user; its window comes forward');
    app.quit();
    return { kind: 'second-instance' };
  }
  // Filled in once the node runs; the event handlers below may fire before that.
  const shell: { windows?: ShellWindows } = {};
  let starting: Promise<N | undefined> = Promise.resolve(undefined);
  let nodeClosed = false;

  app.on('second-instance', () => shell.windows?.focusMain());
  // All windows have closed (each recorded its placement as it closed): write the state, then stop the node.
  app.on('will-quit', (event) => {
    if (nodeClosed) return;
    event.preventDefault();
    void (async () => {
      await shell.windows?.saveState().catch((error: unknown) => logger.warn('cannot write the window state', { error }));
      const node = await starting.catch(() => undefined);
      try {
        await node?.close(QUIT_GRACE_MS);
      } catch (error) {
        logger.error('the archive node did not close cleanly', { error });
      }
      nodeClosed = true;
      app.quit();
    })();
  });
  // On macOS an app stays running without windows (the node keeps receiving); the dock icon reopens them.
  app.on('window-all-closed', () => {
    if (deps.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    const { windows } = shell;
    if (windows && windows.count() === 0) windows.openAll().catch((error: unknown) => logger.error('cannot reopen the windows', { error }));
  });

  await app.whenReady();
  let node: N;
  try {
    const started = deps.startNode();
    starting = started;
    node = await started;
  } catch (error) {
    logger.error('the archive node could not start', { error });
    deps.fatal('Viewbox could not start', errorMessage(error));
    nodeClosed = true;
    app.exit(1);
    return { kind: 'failed', error };
  }
  const windows = deps.openShell(node);
  shell.windows = windows;
  await windows.openAll(node.newLaunchUrl());
  return { kind: 'running', node, windows };
}
