/**
 * Checks on every HostBridge IPC call before the main process acts on it:
 * who sent it (the top frame of a page on the node's origin) and what it
 * sent (the exact argument shapes of the HostBridge methods). Pure: each
 * function returns why a call is refused, or the checked arguments.
 */
import { appRouteProblem } from '../../shared/host/app-route.js';
import type { ImportChoiceOptions } from '../../shared/host/host-bridge.js';

/** What the checks read of Electron's `WebFrameMain`. */
export interface FrameLike {
  readonly origin: string;
  readonly url: string;
  readonly parent: unknown;
}

/** Why a call from this frame is refused, or undefined when the app's own top-level page sent it. */
export function senderProblem(frame: FrameLike | null, appOrigin: string): string | undefined {
  if (frame === null) return 'the sending frame has gone (navigated away or closed)';
  if (frame.parent !== null) return `sent from a sub-frame (${frame.url}), not the app's page`;
  if (frame.origin !== appOrigin) return `sent from ${frame.origin}, not the app's origin ${appOrigin}`;
  return undefined;
}

export class HostIpcArgumentError extends Error {
  constructor(channel: string, reason: string) {
    super(`${channel}: ${reason}`);
    this.name = 'HostIpcArgumentError';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value) : typeof value;
}

export function expectNoArguments(channel: string, args: readonly unknown[]): void {
  if (args.length !== 0) throw new HostIpcArgumentError(channel, `takes no arguments, got ${args.length}`);
}

const DISPLAY_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function expectWindowOnDisplay(channel: string, args: readonly unknown[]): { displayId: string; route: string } {
  if (args.length !== 2) throw new HostIpcArgumentError(channel, `takes (displayId, route), got ${args.length} arguments`);
  const [displayId, route] = args;
  if (typeof displayId !== 'string' || !DISPLAY_ID.test(displayId)) throw new HostIpcArgumentError(channel, `displayId must be a display's id, got ${describe(displayId)}`);
  const problem = appRouteProblem(route);
  if (problem !== undefined) throw new HostIpcArgumentError(channel, problem);
  return { displayId, route: route as string };
}

export function expectFullScreenFlag(channel: string, args: readonly unknown[]): boolean {
  const [flag] = args;
  if (args.length !== 1 || typeof flag !== 'boolean') throw new HostIpcArgumentError(channel, `takes one boolean, got ${args.length === 1 ? describe(flag) : `${args.length} arguments`}`);
  return flag;
}

export function expectImportChoiceOptions(channel: string, args: readonly unknown[]): Required<ImportChoiceOptions> {
  if (args.length > 1) throw new HostIpcArgumentError(channel, `takes at most one argument ({folder?: boolean}), got ${args.length}`);
  const [options] = args;
  if (options === undefined) return { folder: false };
  if (typeof options !== 'object' || options === null || Array.isArray(options) || Object.getPrototypeOf(options) !== Object.prototype) {
    throw new HostIpcArgumentError(channel, `options must be {folder?: boolean}, got ${describe(options)}`);
  }
  const unknownKeys = Object.keys(options).filter((k) => k !== 'folder');
  if (unknownKeys.length > 0) throw new HostIpcArgumentError(channel, `unknown option(s) ${unknownKeys.join(', ')} (only folder)`);
  const folder = (options as { folder?: unknown }).folder;
  if (folder !== undefined && typeof folder !== 'boolean') throw new HostIpcArgumentError(channel, `folder must be a boolean, got ${describe(folder)}`);
  return { folder: folder === true };
}
