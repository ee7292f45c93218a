import { describe, expect, it } from 'vitest';
import { defaultDataDir, machineConfigFile, userConfigFile } from '../../../../main/paths.js';

const linux = (env: NodeJS.ProcessEnv = {}) => ({ platform: 'linux' as const, home: '/home/ana', env });

describe('per-OS locations', () => {
  it('data folder: XDG on Linux, LOCALAPPDATA on Windows, Application Support on macOS', () => {
    expect(defaultDataDir(linux())).toBe('/home/ana/.local/share/viewbox');
    expect(defaultDataDir(linux({ XDG_DATA_HOME: '/data/ana' }))).toBe('/data/ana/viewbox');
    expect(defaultDataDir(linux({ XDG_DATA_HOME: '' }))).toBe('/home/ana/.local/share/viewbox');
    expect(defaultDataDir({ platform: 'win32', home: 'C:\\Users\\ana', env: { LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' } })).toBe('C:\\Users\\ana\\AppData\\Local\\Viewbox');
    expect(defaultDataDir({ platform: 'darwin', home: '/Users/ana', env: {} })).toBe('/Users/ana/Library/Application Support/Viewbox');
  });

  it('machine-wide file per OS, overridable by VIEWBOX_MACHINE_CONFIG', () => {
    expect(machineConfigFile(linux())).toBe('/etc/viewbox/config.json');
    expect(machineConfigFile({ platform: 'win32', home: 'C:\\Users\\ana', env: { ProgramData: 'C:\\ProgramData' } })).toBe('C:\\ProgramData\\Viewbox\\config.json');
    expect(machineConfigFile({ platform: 'darwin', home: '/Users/ana', env: {} })).toBe('/Library/Application Support/Viewbox/config.json');
    expect(machineConfigFile(linux({ VIEWBOX_MACHINE_CONFIG: '/srv/vb.json' }))).toBe('/srv/vb.json');
  });

  it('user file in the user config folder', () => {
    expect(userConfigFile(linux())).toBe('/home/ana/.config/viewbox/config.json');
    expect(userConfigFile(linux({ XDG_CONFIG_HOME: '/cfg' }))).toBe('/cfg/viewbox/config.json');
    expect(userConfigFile({ platform: 'win32', home: 'C:\\Users\\ana', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' } })).toBe('C:\\Users\\ana\\AppData\\Roaming\\Viewbox\\config.json');
  });
});
