/** Opening a study in the viewer with its first viewport switched to another kind (MPR, 3D). */
import type { Page } from 'playwright-core';
import { viewportPane } from './canvas.js';
import { openStudy } from './reading-room.js';

/**
 * Opens `studyUid` (back to the worklist first when a study is open), makes
 * its first viewport active and presses `key` there: `Shift+M` for MPR,
 * `Shift+V` for 3D.
 */
export async function openStudyAs(page: Page, studyUid: string, key: 'Shift+M' | 'Shift+V'): Promise<void> {
  if (page.url().includes('/view/')) {
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.pathname.startsWith('/view/'));
  }
  await openStudy(page, studyUid);
  const cell = viewportPane(page, 0);
  await cell.locator('canvas').first().waitFor();
  await cell.click();
  await page.keyboard.press(key);
}
