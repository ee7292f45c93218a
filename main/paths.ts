/**
 * Where Viewbox keeps things on each OS: the per-user data folder, the user
 * and machine-wide configuration files, and the installed package's own files
 * (resources/, package.json). Pure functions of (env, platform, home) so tests
 * can ask "what would Windows do" on Linux.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, win32, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PlatformContext {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

export function currentPlatform(): PlatformContext {
  return { platform: process.platform, env: process.env, home: homedir() };
}

/** The OS per-user application data folder for Viewbox (the default `--data`). */
export function defaultDataDir(ctx: PlatformContext = currentPlatform()): string {
  switch (ctx.platform) {
    case 'win32':
      return win32.join(ctx.env.LOCALAPPDATA ?? win32.join(ctx.home, 'AppData', 'Local'), 'Viewbox');
    case 'darwin':
      return posix.join(ctx.home, 'Library', 'Application Support', 'Viewbox');
    default:
      return posix.join(nonEmpty(ctx.env.XDG_DATA_HOME) ?? posix.join(ctx.home, '.local', 'share'), 'viewbox');
  }
}

/** The per-user configuration file (may not exist). */
export function userConfigFile(ctx: PlatformContext = currentPlatform()): string {
  switch (ctx.platform) {
    case 'win32':
      return win32.join(ctx.env.APPDATA ?? win32.join(ctx.home, 'AppData', 'Roaming'), 'Viewbox', 'config.json');
    case 'darwin':
      return posix.join(ctx.home, 'Library', 'Preferences', 'Viewbox', 'config.json');
    default:
      return posix.join(nonEmpty(ctx.env.XDG_CONFIG_HOME) ?? posix.join(ctx.home, '.config'), 'viewbox', 'config.json');
  }
}

/** The machine-wide configuration file site IT deploys; VIEWBOX_MACHINE_CONFIG overrides it (tests, unusual installs). */
export function machineConfigFile(ctx: PlatformContext = currentPlatform()): string {
  const override = nonEmpty(ctx.env.VIEWBOX_MACHINE_CONFIG);
  if (override) return override;
  switch (ctx.platform) {
    case 'win32':
      return win32.join(ctx.env.ProgramData ?? 'C:\\ProgramData', 'Viewbox', 'config.json');
    case 'darwin':
      return '/Library/Application Support/Viewbox/config.json';
    default:
      return '/etc/viewbox/config.json';
  }
}

let root: string | undefined;

/**
 * The installed package's root folder (where package.json and resources/ are).
 * Found by walking up from this module, because it runs both from main/ (tests
 * on the sources) and from dist/main/ (the built command).
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'resources'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find Viewbox's package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  root = dir;
  return dir;
}

export function resourcePath(...parts: string[]): string {
  return join(packageRoot(), 'resources', ...parts);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.length > 0 ? value : undefined;
}
