/**
 * GET /api/viewer-settings: the reader's window presets and key map from
 * DATA/viewer-settings.json (schema: resources/schemas/viewer-settings.schema.json).
 * A file with any problem is not used: `settings` is then empty and `issues`
 * says what to fix.
 */
export interface WindowPresetSetting {
  name: string;
  width: number;
  center: number;
}

export interface ViewerSettings {
  /** Replace the built-in presets (menu order; keys of preset1..preset8). */
  windowPresets?: WindowPresetSetting[];
  /** Action id (renderer/app/lib/keyboard-map.ts) to the keys that replace its own. */
  keys?: Record<string, string[]>;
}

export interface ViewerSettingsIssue {
  file: string;
  /** RFC 6901 pointer into the file's document; "" for the whole file. */
  pointer: string;
  message: string;
}

export interface ViewerSettingsResponse {
  /** Where the node reads them (it may not exist: no user settings). */
  file: string;
  settings: ViewerSettings;
  issues: ViewerSettingsIssue[];
}

export const VIEWER_SETTINGS_PATH = '/api/viewer-settings';
