import { describe, expect, it } from 'vitest';
import { appMenuTemplate, type MenuItemSpec } from '../../../../main/electron/app-menu.js';

const roles = (items: MenuItemSpec[]): string[] => items.flatMap((i) => [...(i.role ? [i.role] : []), ...roles(i.submenu ?? [])]);

describe('application menu', () => {
  it('has no reload or developer tools in a packaged app, and no page zoom at all', () => {
    for (const platform of ['win32', 'linux', 'darwin'] as const) {
      const r = roles(appMenuTemplate({ platform, development: false }));
      expect(r).not.toContain('toggleDevTools');
      expect(r).not.toContain('reload');
      expect(r).not.toContain('forceReload');
      expect(r.filter((x) => /zoom/i.test(x))).toEqual([]);
      expect(r).toContain('togglefullscreen');
    }
  });

  it('adds reload and developer tools when running unpackaged', () => {
    expect(roles(appMenuTemplate({ platform: 'linux', development: true }))).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it("uses the platform's standard menus: the app menu on macOS, Help > About elsewhere", () => {
    expect(appMenuTemplate({ platform: 'darwin', development: false })[0]).toEqual({ role: 'appMenu' });
    expect(roles(appMenuTemplate({ platform: 'darwin', development: false }))).not.toContain('about');
    expect(roles(appMenuTemplate({ platform: 'win32', development: false }))).toEqual(['fileMenu', 'editMenu', 'togglefullscreen', 'windowMenu', 'about']);
  });
});
