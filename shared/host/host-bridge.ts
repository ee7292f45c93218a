/**
 * HostBridge: the one interface between the reading room and its host for
 * native needs (displays, windows, full screen, choosing files, app info).
 * The Electron preload implements it over IPC (main/electron/preload.cts);
 * a plain browser implements it with web APIs (renderer/host/browser-host.ts).
 * Types only: both implementations and every caller compile against this.
 */

/** A rectangle in the desktop's coordinate space (DIP / CSS pixels; origin at the primary display's top left). */
export interface HostRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HostDisplay {
  /** Stable while the display stays connected; opaque to callers. */
  id: string;
  /** What the OS calls it (may be empty). */
  label: string;
  bounds: HostRect;
  /** The part windows may use (bounds minus task bars, docks, menu bars). */
  workArea: HostRect;
  /** Device pixels per CSS pixel: images are drawn at bounds × scaleFactor device pixels. */
  scaleFactor: number;
  primary: boolean;
}

/**
 * An in-app route: a path on the app's own origin, such as `/` or
 * `/viewer?study=1.2.3`. Anything else (another origin, `//host`, a scheme,
 * a backslash) is refused by both implementations.
 */
export type AppRoute = string;

/** A file the browser picked; structurally a DOM `File` (only what an upload needs). */
export interface PickedFile {
  readonly name: string;
  readonly size: number;
  /** The path below the chosen folder (`webkitRelativePath`), empty for single files. */
  readonly webkitRelativePath: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * What the user chose to import. Electron gives local paths the node reads
 * itself (folders, DICOMDIRs and zips included); a browser gives file
 * contents to upload. Cancelling the dialog is not an error.
 */
export type ImportSelection =
  | { kind: 'cancelled' }
  | { kind: 'paths'; paths: string[] }
  | { kind: 'files'; files: PickedFile[] };

export interface ImportChoiceOptions {
  /** Choose a folder (e.g. a CD with a DICOMDIR) rather than files. */
  folder?: boolean;
}

export interface AppInfo {
  /** Which implementation answers. */
  shell: 'electron' | 'browser';
  version: string;
  /** The archive node's data folder; null where the host cannot know it (a browser). */
  dataFolder: string | null;
}

export interface HostBridge {
  /** Every display, primary first. Always at least one (a browser without the Window Management API reports its own screen). */
  displays(): Promise<HostDisplay[]>;
  /** The display the calling window is on (the one its centre lies on). */
  currentDisplayId(): Promise<string>;
  /**
   * Shows `route` on that display: in its window when it has one (one window
   * per display), else in a new window covering its work area. Rejects with
   * an error naming the display when there is no such display or the route is
   * not an app route. A browser without the Window Management API (or its
   * permission) shows the route in the calling window instead.
   */
  openWindowOnDisplay(displayId: string, route: AppRoute): Promise<void>;
  /** Full screen on, or off, for the calling window (on its own display). */
  setFullScreen(fullScreen: boolean): Promise<void>;
  chooseFilesToImport(options?: ImportChoiceOptions): Promise<ImportSelection>;
  appInfo(): Promise<AppInfo>;
  /** Called with the new list after a display is added, removed or changes (resolution, scale, work area). Returns the unsubscribe function. */
  onDisplaysChanged(listener: (displays: HostDisplay[]) => void): () => void;
}

/** The global name under which the Electron preload exposes its HostBridge (`window.viewboxHost`). */
export type HostBridgeGlobalName = 'viewboxHost';
