/** Opening a URL in the user's browser, as the desktop does it: xdg-open, open or start. */
import { spawn } from 'node:child_process';

export interface Opener {
  command: string;
  args: string[];
  /** Windows: the arguments go to cmd as written (start's empty title must stay ""). */
  verbatim: boolean;
}

/** How to open a URL on this platform, or undefined where there is no display to open it on. */
export function openerFor(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): Opener | undefined {
  if (platform === 'darwin') return { command: 'open', args: [url], verbatim: false };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', url], verbatim: true };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return { command: 'xdg-open', args: [url], verbatim: false };
}

/** Starts the opener and leaves it running (a browser it starts may outlive us); rejects when it cannot start. */
export function runOpener(opener: Opener): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(opener.command, opener.args, { detached: true, stdio: 'ignore', windowsVerbatimArguments: opener.verbatim });
    child.once('error', (error) => reject(new Error(`cannot run ${opener.command}: ${error.message}`, { cause: error })));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
