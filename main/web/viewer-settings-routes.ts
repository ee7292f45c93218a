/** GET /api/viewer-settings (shared/api/viewer-settings.ts): the reader's presets and key map, or why the file is not used. */
import type { Hono } from 'hono';
import { readViewerSettings } from './viewer-settings.js';

export function addViewerSettingsRoute(api: Hono, file: string): void {
  api.get('/viewer-settings', (c) => c.json(readViewerSettings(file)));
}
