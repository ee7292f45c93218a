/**
 * A dataset with sequences nested 10,000 deep, sent in a C-STORE to a running
 * `viewbox serve`: the answer is C000 (cannot understand) naming the depth,
 * not A700 from a stack overflow; nothing is stored and the node keeps
 * serving. Nesting within the limit is stored as before.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CT_IMAGE_STORAGE } from '../../fixtures/ct-series.js';
import { encodeElements, newUid } from '../../fixtures/part10-writer.js';
import { EXPLICIT_VR_LE, openRawAssociation, rawCStore } from '../../helpers/peers/raw-association.js';
import { echoscu } from '../../helpers/peers/storescu.js';
import { waitFor } from '../../helpers/peers/wait.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { auditArchive } from './archive-state.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-nesting-');
  node = await startViewbox({ dataDir: join(work.path, 'archive'), args: ['--aet', 'NEST_VBX'] });
});
afterAll(async () => {
  const exit = node ? await node.stop() : undefined;
  await work?.cleanup();
  if (exit) expect(exit.code, 'viewbox serve exits 0 on SIGTERM').toBe(0);
});

const tagBytes = (group: number, element: number, length: number) => {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(element, 2);
  b.writeUInt32LE(length, 4);
  return b;
};
const UNDEFINED = 0xffffffff;
const ITEM = tagBytes(0xfffe, 0xe000, UNDEFINED);
const ITEM_END = tagBytes(0xfffe, 0xe00d, 0);
const SEQUENCE_END = tagBytes(0xfffe, 0xe0dd, 0);
/** Referenced Image Sequence (0008,1140), explicit VR, undefined length. */
const SEQUENCE = Buffer.concat([Buffer.from([0x08, 0x00, 0x40, 0x11]), Buffer.from('SQ', 'latin1'), Buffer.alloc(2), Buffer.from([0xff, 0xff, 0xff, 0xff])]);

/** A CT dataset (no File Meta) whose Referenced Image Sequence nests `depth` sequences deep. */
function nestedDataset(sopInstanceUid: string, depth: number): Buffer {
  const leaf = encodeElements([{ tag: 0x00081150, vr: 'UI', value: CT_IMAGE_STORAGE }]);
  const open = Buffer.concat([ITEM, SEQUENCE]);
  const close = Buffer.concat([SEQUENCE_END, ITEM_END]);
  const nested = Buffer.concat([...Array.from({ length: depth - 1 }, () => open), ITEM, leaf, ITEM_END, ...Array.from({ length: depth - 1 }, () => close)]);
  return encodeElements([
    { tag: 0x00080016, vr: 'UI', value: CT_IMAGE_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x00081140, vr: 'SQ', value: nested },
    { tag: 0x00100010, vr: 'PN', value: 'Nested^Deep' },
    { tag: 0x00100020, vr: 'LO', value: 'PID-NEST' },
    { tag: 0x0020000d, vr: 'UI', value: newUid() },
    { tag: 0x0020000e, vr: 'UI', value: newUid() },
  ]);
}

async function store(depth: number) {
  const sopInstanceUid = newUid();
  const { peer, maxPdu } = await openRawAssociation({
    port: node.dicomPort,
    callingAe: 'NESTER',
    calledAe: node.aet,
    contexts: [{ id: 1, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LE] }],
  });
  try {
    const response = await rawCStore(peer, { contextId: 1, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid, messageId: 1, dataset: nestedDataset(sopInstanceUid, depth), maxPdu });
    return { sopInstanceUid, response };
  } finally {
    peer.destroy();
  }
}

describe('sequences nested deeper than the node reads', () => {
  it('10,000 levels: C000 naming the depth, nothing stored, and the node keeps serving', async () => {
    const { sopInstanceUid, response } = await store(10_000);
    expect(response.status.toString(16), response.errorComment).toBe('c000');
    expect(response.errorComment ?? '').toMatch(/nested deeper than 64/);
    const echo = await echoscu({ port: node.dicomPort, calledAet: node.aet });
    expect(echo.ok, echo.log).toBe(true);
    await waitFor('staging/ to be empty', async () => (await auditArchive(node.data)).stagingFiles.length === 0, 10_000);
    const audit = await auditArchive(node.data);
    expect(audit.bySopUid.has(sopInstanceUid)).toBe(false);
    expect(audit.filesWithoutRow).toEqual([]);
  });

  it('64 levels, the limit, are stored', async () => {
    const { sopInstanceUid, response } = await store(64);
    expect(response.status, response.errorComment).toBe(0);
    expect((await auditArchive(node.data)).bySopUid.has(sopInstanceUid)).toBe(true);
  });
});
