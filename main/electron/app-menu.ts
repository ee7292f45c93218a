/**
 * The application menu: Electron's standard roles only (so text editing,
 * window handling and quitting behave as on every other app of the OS), no
 * reload or developer tools in a packaged app, and no page zoom (images are
 * drawn at device pixels; zooming the page would resample them).
 */

export type MenuRole =
  | 'appMenu'
  | 'fileMenu'
  | 'editMenu'
  | 'windowMenu'
  | 'togglefullscreen'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'about';

/** A subset of Electron's MenuItemConstructorOptions (what this menu uses). */
export interface MenuItemSpec {
  role?: MenuRole;
  label?: string;
  type?: 'separator';
  submenu?: MenuItemSpec[];
}

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Reload and developer tools: only when not packaged. */
  development: boolean;
}

export function appMenuTemplate({ platform, development }: AppMenuOptions): MenuItemSpec[] {
  const view: MenuItemSpec[] = [{ role: 'togglefullscreen' }];
  if (development) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' });
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    ...(platform === 'darwin' ? [] : [{ label: 'Help', submenu: [{ role: 'about' } as const] }]),
  ];
}
