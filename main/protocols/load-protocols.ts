/**
 * Reading the effective set of hanging protocols from the folders (built-in
 * < site < user): every *.json file of each folder, one protocol per file. A
 * file that is not a valid protocol is reported (file, JSON pointer, reason)
 * and skipped whole; the others keep working. A later folder replaces a
 * protocol of the same id; two files of one folder with one id are an error
 * on the second (in file-name order).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProtocolLayer } from '../../shared/api/protocols-api.js';
import { checkProtocolText } from '../../shared/hanging-protocols/validate-protocol.js';
import type { HangingProtocol } from '../../shared/hanging-protocols/types.js';
import type { ProtocolFolder } from './protocol-folders.js';

export interface ProtocolSource {
  file: string;
  layer: ProtocolLayer;
}

export interface LoadedProtocol extends ProtocolSource {
  protocol: HangingProtocol;
  /** Lower-layer files of the same id this one replaces, lowest first. */
  replaces: ProtocolSource[];
}

export interface ProtocolFileIssue {
  file: string;
  /** RFC 6901 pointer into the file's document; "" for the whole file. */
  pointer: string;
  message: string;
}

export interface ProtocolSet {
  folders: ProtocolFolder[];
  /** The effective protocols, by id. */
  protocols: LoadedProtocol[];
  /** Files skipped, with every reason. */
  issues: ProtocolFileIssue[];
}

/** `FILE: /pointer: reason`, as the CLI prints it. */
export function formatProtocolIssue(issue: ProtocolFileIssue): string {
  return `${issue.file}: ${issue.pointer || '/'}: ${issue.message}`;
}

export type ProtocolFileResult = { protocol: HangingProtocol } | { issues: ProtocolFileIssue[] };

/** One protocol file: the protocol, or every problem with it. */
export function readProtocolFile(file: string): ProtocolFileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { issues: [{ file, pointer: '', message: `cannot read: ${(error as Error).message}` }] };
  }
  const check = checkProtocolText(text.replace(/^\uFEFF/, ''));
  return check.ok ? { protocol: check.protocol } : { issues: check.issues.map((i) => ({ file, ...i })) };
}

/** The *.json files of a folder in file-name order; a missing user or site folder is simply empty. */
export function protocolFiles(folder: ProtocolFolder): { files: string[]; issue?: ProtocolFileIssue } {
  try {
    const names = readdirSync(folder.dir, { withFileTypes: true })
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.json') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { files: names.map((n) => join(folder.dir, n)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && folder.layer !== 'built-in') return { files: [] };
    return { files: [], issue: { file: folder.dir, pointer: '', message: `cannot read the ${folder.layer} protocol folder: ${(error as Error).message}` } };
  }
}

export function loadProtocolSet(folders: readonly ProtocolFolder[]): ProtocolSet {
  const effective = new Map<string, LoadedProtocol>();
  const issues: ProtocolFileIssue[] = [];
  for (const folder of folders) {
    const listing = protocolFiles(folder);
    if (listing.issue) issues.push(listing.issue);
    const inThisFolder = new Map<string, string>();
    for (const file of listing.files) {
      const result = readProtocolFile(file);
      if ('issues' in result) {
        issues.push(...result.issues);
        continue;
      }
      const { protocol } = result;
      const earlier = inThisFolder.get(protocol.id);
      if (earlier) {
        issues.push({ file, pointer: '/id', message: `id "${protocol.id}" is already defined by ${earlier} in the same folder` });
        continue;
      }
      inThisFolder.set(protocol.id, file);
      const replaced = effective.get(protocol.id);
      const replaces = replaced ? [...replaced.replaces, { file: replaced.file, layer: replaced.layer }] : [];
      effective.set(protocol.id, { protocol, file, layer: folder.layer, replaces });
    }
  }
  const protocols = [...effective.values()].sort((a, b) => (a.protocol.id < b.protocol.id ? -1 : a.protocol.id > b.protocol.id ? 1 : 0));
  return { folders: [...folders], protocols, issues };
}
