/**
 * Debian's Chromium driven by playwright-core, with the flags measured in
 * ../shared/TESTING.md (headless, SwiftShader WebGL2, nothing phoning home)
 * and a fresh profile per launch.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = ['--headless=new', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export async function launchChromium(): Promise<Browser> {
  // launch() already uses a temporary profile folder and removes it on close.
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, timeout: 30_000 });
}
