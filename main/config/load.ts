/**
 * Layered configuration: built-in defaults < machine-wide file < user file <
 * --config FILE < command-line flags. Every layer is validated on its own
 * and the merged result in full; all problems are reported together.
 */
import { readFileSync } from 'node:fs';
import type { ViewboxConfig } from '../../shared/config.js';
import { currentPlatform, machineConfigFile, resourcePath, userConfigFile, type PlatformContext } from '../paths.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { isPlainObject, mergeLayers, type JsonObject } from './merge.js';
import { validateConfig, validateLayer } from './schema.js';

export type LayerName = 'default' | 'machine' | 'user' | 'config-file' | 'flags';

export interface LayerSource {
  layer: LayerName;
  /** The file, or "command line" for flags. */
  file: string;
}

export interface EffectiveConfig {
  config: ViewboxConfig;
  /** JSON pointer of each leaf value → where it came from. */
  sources: Map<string, LayerSource>;
  /** The layers that were present, in precedence order (lowest first). */
  layers: LayerSource[];
}

export interface LoadConfigOptions {
  /** `--config FILE`: must exist. */
  configFile?: string;
  /** Values from command-line flags, already shaped like the document (e.g. {aet: 'X', dicomPort: 104}). */
  flags?: JsonObject;
  platform?: PlatformContext;
}

export const COMMAND_LINE = 'command line';

export function defaultConfigFile(): string {
  return resourcePath('config', 'default.json');
}

export function loadConfig(options: LoadConfigOptions = {}): EffectiveConfig {
  const platform = options.platform ?? currentPlatform();
  const candidates: Array<{ source: LayerSource; required: boolean }> = [
    { source: { layer: 'default', file: defaultConfigFile() }, required: true },
    { source: { layer: 'machine', file: machineConfigFile(platform) }, required: false },
    { source: { layer: 'user', file: userConfigFile(platform) }, required: false },
  ];
  if (options.configFile !== undefined) candidates.push({ source: { layer: 'config-file', file: options.configFile }, required: true });

  const issues: ConfigIssue[] = [];
  const layers: Array<{ layer: LayerSource; document: JsonObject }> = [];
  for (const { source, required } of candidates) {
    const read = readConfigDocument(source.file, required);
    if ('issue' in read) issues.push(read.issue);
    else if (read.document) {
      issues.push(...validateLayer(read.document, source.file));
      layers.push({ layer: source, document: read.document });
    }
  }
  if (options.flags && Object.keys(options.flags).length > 0) {
    const flagSource: LayerSource = { layer: 'flags', file: COMMAND_LINE };
    issues.push(...validateLayer(options.flags, COMMAND_LINE));
    layers.push({ layer: flagSource, document: options.flags });
  }
  if (issues.length > 0) throw new ConfigError(issues);

  const merged = mergeLayers(layers);
  const fullIssues = validateConfig(merged.value, 'effective configuration').map((issue) => ({
    ...issue,
    file: merged.sources.get(issue.pointer)?.file ?? issue.file,
  }));
  if (fullIssues.length > 0) throw new ConfigError(fullIssues);
  return { config: merged.value as unknown as ViewboxConfig, sources: merged.sources, layers: layers.map((l) => l.layer) };
}

/**
 * `viewbox config validate FILE`: the file as a layer on its own, then on top
 * of the built-in defaults as the complete configuration it would produce.
 */
export function validateConfigFile(file: string): ConfigIssue[] {
  const read = readConfigDocument(file, true);
  if ('issue' in read) return [read.issue];
  const layerIssues = validateLayer(read.document, file);
  if (layerIssues.length > 0) return layerIssues;
  const defaults = readConfigDocument(defaultConfigFile(), true);
  if ('issue' in defaults) return [defaults.issue];
  const merged = mergeLayers([
    { layer: defaultConfigFile(), document: defaults.document ?? {} },
    { layer: file, document: read.document ?? {} },
  ]);
  return validateConfig(merged.value, file).map((issue) => ({ ...issue, file: merged.sources.get(issue.pointer) ?? file }));
}

function readConfigDocument(file: string, required: boolean): { document?: JsonObject } | { issue: ConfigIssue } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return {};
    return { issue: { file, pointer: '', message: code === 'ENOENT' ? 'file not found' : `cannot read: ${(error as Error).message}` } };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { issue: { file, pointer: '', message: `not valid JSON: ${(error as Error).message}` } };
  }
  if (!isPlainObject(document)) return { issue: { file, pointer: '', message: 'must be a JSON object' } };
  return { document };
}
