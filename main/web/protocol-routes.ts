/** The hanging-protocol routes of the app API (contract in shared/api/protocols-api.ts). */
import type { Hono } from 'hono';
import type { ProtocolCatalog, ProtocolSaveRefusal } from '../../shared/api/protocols-api.js';
import type { ArchiveReader } from '../store/archive-reader.js';
import { ProtocolValidationError, saveUserProtocol } from '../protocols/save-protocol.js';
import { studiesForProtocols } from '../protocols/study-facts-from-index.js';
import type { ProtocolLibrary } from '../protocols/watch-protocols.js';

export interface ProtocolDeps {
  library: ProtocolLibrary;
  userDir: string;
}

/** A protocol is a few kilobytes; this bounds what a PUT may hold. */
const MAX_PROTOCOL_BYTES = 512 * 1024;

export function addProtocolRoutes(api: Hono, deps: ProtocolDeps, archive: ArchiveReader): void {
  api.get('/protocols', (c) => {
    const set = deps.library.current();
    const catalog: ProtocolCatalog = {
      protocols: set.protocols.map(({ protocol, layer, file }) => ({ protocol, layer, file })),
      issues: set.issues,
      userDir: deps.userDir,
    };
    return c.json(catalog);
  });

  api.put('/protocols/:id', async (c) => {
    const id = c.req.param('id');
    const text = await c.req.text();
    if (new TextEncoder().encode(text).length > MAX_PROTOCOL_BYTES) return c.json({ error: `protocol ${id} is larger than ${MAX_PROTOCOL_BYTES} bytes`, issues: [] } satisfies ProtocolSaveRefusal, 413);
    try {
      const saved = await saveUserProtocol(deps.userDir, text, { expectedId: id });
      deps.library.reload();
      return c.json({ id: saved.protocol.id, file: saved.file });
    } catch (error) {
      if (error instanceof ProtocolValidationError) return c.json({ error: error.message, issues: error.issues } satisfies ProtocolSaveRefusal, 422);
      throw error;
    }
  });

  api.get('/studies/:uid/protocol-input', (c) => {
    const uid = c.req.param('uid');
    if (!archive.hasStudy(uid)) return c.json({ error: `study ${uid} is not in the archive` }, 404);
    return c.json(studiesForProtocols(archive, uid));
  });
}
