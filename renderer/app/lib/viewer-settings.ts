/**
 * The reader's viewer settings (window presets, key map) as the node serves
 * them (GET /api/viewer-settings), loaded once before the reading room is
 * shown (main.tsx); edits to the file apply at the next page load. Without
 * the file, or with a file the node refuses, the built-in presets and keys.
 */
import { VIEWER_SETTINGS_PATH, type ViewerSettings, type ViewerSettingsIssue, type ViewerSettingsResponse } from '../../../shared/api/viewer-settings.js';
import { getJson } from './api-client.js';

let loaded: ViewerSettingsResponse = { file: '', settings: {}, issues: [] };

export async function loadViewerSettings(): Promise<void> {
  try {
    loaded = await getJson<ViewerSettingsResponse>(VIEWER_SETTINGS_PATH);
  } catch {
    // No answer (an older node, a lost session): the built-ins; the worklist says what is wrong with the node.
  }
}

export function viewerSettings(): ViewerSettings {
  return loaded.settings;
}

/** Why the reader's settings file is not used (shown in the help). */
export function viewerSettingsIssues(): readonly ViewerSettingsIssue[] {
  return loaded.issues;
}
