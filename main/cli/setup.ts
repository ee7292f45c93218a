/** What most subcommands start with: the effective configuration, the data folder and a logger. */
import { resolve } from 'node:path';
import type { ViewboxConfig } from '../../shared/config.js';
import { loadConfig, type EffectiveConfig } from '../config/load.js';
import type { JsonObject } from '../config/merge.js';
import { createLogger, type Logger } from '../log.js';
import { defaultDataDir } from '../paths.js';
import { openArchive, type Archive } from '../store/archive.js';
import { ownerOnlyUmask } from '../store/owner-only.js';

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
  return { effective, config: effective.config, dataDir, logger };
}

export function openArchiveFor(s: Setup): Promise<Archive> {
  return openArchive({ dataDir: s.dataDir, duplicates: s.config.duplicates, maxObjectBytes: s.config.limits.maxObjectBytes, bulkDataThresholdBytes: s.config.limits.bulkDataThresholdBytes, logger: s.logger });
}
