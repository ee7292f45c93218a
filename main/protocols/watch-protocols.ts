/**
 * The live protocol library: the effective set, re-read when a file in one
 * of the folders changes (fs.watch, debounced so an editor's write-rename
 * burst is one reload). A folder that does not exist yet is watched through
 * its nearest existing parent, so creating the user folder (the editor's
 * first save) is noticed too.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log.js';
import { formatProtocolIssue, loadProtocolSet, type ProtocolSet } from './load-protocols.js';
import type { ProtocolFolder } from './protocol-folders.js';

export interface ProtocolLibrary {
  /** The set as last read. */
  current(): ProtocolSet;
  /** Called after every reload that changed the set (protocols or issues); returns an unsubscribe. */
  onChange(listener: (set: ProtocolSet) => void): () => void;
  /** Re-read now (e.g. right after the editor saved), without waiting for the watcher. */
  reload(): ProtocolSet;
  close(): void;
}

export interface ProtocolLibraryOptions {
  /** Quiet time after the last file event before re-reading; default 150 ms. */
  debounceMs?: number;
  logger?: Logger;
}

export function openProtocolLibrary(folders: readonly ProtocolFolder[], options: ProtocolLibraryOptions = {}): ProtocolLibrary {
  const debounceMs = options.debounceMs ?? 150;
  const logger = options.logger?.child({ sub: 'protocols' });
  const listeners = new Set<(set: ProtocolSet) => void>();
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let set = loadProtocolSet(folders);
  let fingerprint = fingerprintOf(set);
  report(set);

  function report(s: ProtocolSet): void {
    for (const issue of s.issues) logger?.warn('hanging protocol skipped', { file: issue.file, pointer: issue.pointer, reason: issue.message, line: formatProtocolIssue(issue) });
    logger?.info('hanging protocols loaded', { protocols: s.protocols.map((p) => `${p.protocol.id} (${p.layer})`), skipped: s.issues.length });
  }

  function reload(): ProtocolSet {
    const next = loadProtocolSet(folders);
    const nextFingerprint = fingerprintOf(next);
    set = next;
    arm();
    if (nextFingerprint !== fingerprint) {
      fingerprint = nextFingerprint;
      report(next);
      for (const listener of listeners) listener(next);
    }
    return next;
  }

  function schedule(): void {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) reload();
    }, debounceMs);
  }

  function arm(): void {
    for (const w of watchers) w.close();
    watchers = [];
    if (closed) return;
    // Watched folder → the entries that matter there (null: all of them; a parent
    // watched for a missing folder only cares about the entry leading to it,
    // not, say, the archive's own files in the data folder).
    const watched = new Map<string, Set<string> | null>();
    for (const folder of folders) {
      let dir = folder.dir;
      let child: string | null = null;
      while (!existsSync(dir) && dirname(dir) !== dir) {
        child = basename(dir);
        dir = dirname(dir);
      }
      const entries = watched.get(dir);
      if (child === null || entries === null) watched.set(dir, null);
      else watched.set(dir, new Set([...(entries ?? []), child]));
    }
    for (const [dir, entries] of watched) {
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          if (entries === null || name === null || entries.has(String(name))) schedule();
        });
        // A removed or unreadable folder: re-read (which re-arms on what exists then).
        watcher.on('error', schedule);
        watchers.push(watcher);
      } catch (error) {
        logger?.warn('cannot watch a hanging-protocol folder', { dir, error });
      }
    }
  }

  arm();
  return {
    current: () => set,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
      watchers = [];
      listeners.clear();
    },
  };
}

function fingerprintOf(set: ProtocolSet): string {
  return JSON.stringify([set.protocols.map((p) => [p.file, p.layer, p.protocol]), set.issues]);
}
