/**
 * What the CLI's subcommands and the Electron shell start with: the effective
 * configuration, the data folder and a logger.
 */
import { resolve } from 'node:path';
import type { ViewboxConfig } from '../../shared/config.js';
import { loadConfig, type EffectiveConfig } from '../config/load.js';
import type { JsonObject } from '../config/merge.js';
import { createLogger, type Logger } from '../log.js';
import { defaultDataDir } from '../paths.js';
import { ownerOnlyUmask } from '../store/owner-only.js';
import { withTlsPathsResolved } from './tls-paths.js';

export interface Setup {
  effective: EffectiveConfig;
  config: ViewboxConfig;
  dataDir: string;
  logger: Logger;
}

export function setup(values: { data?: string; config?: string }, flags: JsonObject = {}): Setup {
  // Patient data: nothing this process creates is for other users (explicit modes are the rule; this catches the rest).
  ownerOnlyUmask();
  const options: Parameters<typeof loadConfig>[0] = { flags };
  if (values.config !== undefined) options.configFile = values.config;
  const effective = loadConfig(options);
  const dataDir = resolve(values.data ?? defaultDataDir());
  const logger = createLogger({ level: effective.config.logLevel });
  return { effective, config: withTlsPathsResolved(effective.config, dataDir), dataDir, logger };
}
