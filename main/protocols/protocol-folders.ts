/**
 * Where hanging protocols come from, lowest precedence first: the built-ins
 * shipped in resources/, the site folder (beside the machine-wide
 * configuration unless `protocols.siteDir` says otherwise) and the user
 * folder (in the data folder unless `protocols.userDir` says otherwise).
 */
import { posix, win32 } from 'node:path';
import type { ProtocolLayer } from '../../shared/api/protocols-api.js';
import type { ViewboxConfig } from '../../shared/config.js';
import { currentPlatform, machineConfigFile, resourcePath, type PlatformContext } from '../paths.js';
import { resolveInDataFolder, USER_PROTOCOLS_DIR } from '../store/layout.js';

export interface ProtocolFolder {
  layer: ProtocolLayer;
  dir: string;
}

export const PROTOCOLS_FOLDER_NAME = 'hanging-protocols';

export function builtInProtocolsDir(): string {
  return resourcePath(PROTOCOLS_FOLDER_NAME);
}

export function protocolFolders(config: Pick<ViewboxConfig, 'protocols'>, dataDir: string, platform: PlatformContext = currentPlatform()): ProtocolFolder[] {
  const path = platform.platform === 'win32' ? win32 : posix;
  const fromData = (dir: string) => resolveInDataFolder(dataDir, dir, path);
  const site = config.protocols?.siteDir;
  const user = config.protocols?.userDir;
  return [
    { layer: 'built-in', dir: builtInProtocolsDir() },
    { layer: 'site', dir: site ? fromData(site) : path.join(path.dirname(machineConfigFile(platform)), PROTOCOLS_FOLDER_NAME) },
    { layer: 'user', dir: fromData(user || USER_PROTOCOLS_DIR) },
  ];
}
