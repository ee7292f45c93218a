/** Screenshots of a test's page at the two monitor sizes we check by eye (1920×1080 and 2560×1440), into a folder named by an environment variable. */
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const SIZES = [
  { width: 1920, height: 1080 },
  { width: 2560, height: 1440 },
];

/** `dir` unset: nothing is taken. The page is left at 1920×1080. */
export async function screenshotsAtBothSizes(page: Page, dir: string | undefined, name: string): Promise<void> {
  if (!dir) return;
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(dir, `${name}-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize(SIZES[0]!);
}
