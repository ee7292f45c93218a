/**
 * The files a claimed group sends: each row's stored file as the read door
 * holds it, or, for a row with a transform, the route's copy (transcoded,
 * de-identified) written as a Part 10 file in a private temporary folder, one
 * copy in memory at a time. `cleanup` removes the copies once the group is sent.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatBytes } from '../../shared/bytes.js';
import { encodeFileMeta } from '../../shared/dicom/file-meta.js';
import { errorMessage } from '../../shared/error-message.js';
import type { StoredInstance } from '../dicom/stored-instance.js';
import type { ArchiveReader, HeldInstance } from '../store/archive-reader.js';
import type { QueueRow } from '../store/send-queue-store.js';
import type { SendItem, SendOutcome } from './destinations/destination-sender.js';
import type { RouteCopy, RouteTransform } from './route-transform.js';

export type RouteCopier = (instance: StoredInstance, transform: RouteTransform) => Promise<RouteCopy>;

export interface PreparedGroup {
  items: SendItem[];
  /** Rows that cannot be sent this time, with why. */
  refused: Map<number, SendOutcome>;
  cleanup(): Promise<void>;
}

export async function prepareGroup(rows: readonly QueueRow[], reader: Pick<ArchiveReader, 'getInstance' | 'fileOf'>, copier: RouteCopier | undefined): Promise<PreparedGroup> {
  const items: SendItem[] = [];
  const refused = new Map<number, SendOutcome>();
  let dir: string | undefined;
  for (const row of rows) {
    const held = reader.getInstance(row.sopUid);
    if (!held) {
      refused.set(row.id, { ok: false, error: `instance ${row.sopUid} is no longer in the archive` });
      continue;
    }
    const stored = storedOf(held, reader);
    if (row.transform === '') {
      items.push({ id: row.id, ...stored, size: held.size });
      continue;
    }
    if (!copier) {
      refused.set(row.id, { ok: false, error: `transform not available: this node cannot make copies in another form (${row.transform})` });
      continue;
    }
    try {
      const copy = await copier(stored, JSON.parse(row.transform) as RouteTransform);
      dir ??= await mkdtemp(join(tmpdir(), 'viewbox-route-'));
      const path = join(dir, `${row.id}.dcm`);
      const file = concatBytes([encodeFileMeta({ transferSyntaxUid: copy.transferSyntaxUid, mediaStorageSopClassUid: copy.sopClassUid, mediaStorageSopInstanceUid: copy.sopInstanceUid }), copy.dataset]);
      await writeFile(path, file, { mode: 0o600 });
      items.push({ id: row.id, sopClassUid: copy.sopClassUid, sopInstanceUid: copy.sopInstanceUid, transferSyntaxUid: copy.transferSyntaxUid, path, size: file.length });
    } catch (error) {
      refused.set(row.id, { ok: false, error: `cannot make the copy ${row.transform} of ${row.sopUid}: ${errorMessage(error)}` });
    }
  }
  return { items, refused, cleanup: async () => (dir ? rm(dir, { recursive: true, force: true }) : undefined) };
}

function storedOf(held: HeldInstance, reader: Pick<ArchiveReader, 'fileOf'>): Omit<SendItem, 'id' | 'size'> {
  return { sopClassUid: held.sopClassUid, sopInstanceUid: held.sopInstanceUid, transferSyntaxUid: held.transferSyntaxUid, path: reader.fileOf(held) };
}
