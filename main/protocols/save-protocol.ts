/**
 * Saving a protocol to the user folder (the editor's Save): only a valid
 * protocol is written, as the author's own text, atomically (temporary file,
 * fsync, rename), to the file that already holds its id in the user folder or
 * else to <id>.json. The library's watcher then picks it up.
 */
import { open, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkProtocolText } from '../../shared/hanging-protocols/validate-protocol.js';
import type { HangingProtocol, ProtocolIssue } from '../../shared/hanging-protocols/types.js';
import { durableRename, ensureDirectory } from '../store/durable-fs.js';
import { PRIVATE_FILE_MODE } from '../store/owner-only.js';
import { protocolFiles, readProtocolFile } from './load-protocols.js';

export class ProtocolValidationError extends Error {
  constructor(
    readonly issues: ProtocolIssue[],
    what: string,
  ) {
    super(`${what} is not a valid hanging protocol: ${issues.map((i) => `${i.pointer || '/'}: ${i.message}`).join('; ')}`);
    this.name = 'ProtocolValidationError';
  }
}

/** `expectedId`: the id the caller means to save (e.g. in the request's address); another id in the text is refused. */
export async function saveUserProtocol(userDir: string, text: string, options: { expectedId?: string } = {}): Promise<{ file: string; protocol: HangingProtocol }> {
  const check = checkProtocolText(text);
  if (!check.ok) throw new ProtocolValidationError(check.issues, 'the protocol to save');
  const { protocol } = check;
  if (options.expectedId !== undefined && protocol.id !== options.expectedId) {
    throw new ProtocolValidationError([{ pointer: '/id', message: `the id is "${protocol.id}", but "${options.expectedId}" was to be saved` }], 'the protocol to save');
  }
  const existing = protocolFiles({ layer: 'user', dir: userDir }).files.find((file) => {
    const read = readProtocolFile(file);
    return 'protocol' in read && read.protocol.id === protocol.id;
  });
  const file = existing ?? join(userDir, `${protocol.id}.json`);
  await ensureDirectory(userDir, new Set());
  const temporary = join(userDir, `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(temporary, 'w', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(text.endsWith('\n') ? text : `${text}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await durableRename(temporary, file, new Set([userDir]));
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new Error(`cannot save hanging protocol "${protocol.id}" to ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { file, protocol };
}
