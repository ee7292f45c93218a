/**
 * Bad input from one peer never stops the node: after each case another
 * association's C-ECHO and C-STORE succeed, and nothing of the bad input is
 * indexed or left in staging.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CT_IMAGE_STORAGE, generateCtSeries } from '../../fixtures/ct-series.js';
import { newUid } from '../../fixtures/part10-writer.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { pydicomTestFiles } from '../../helpers/pydicom-corpus.js';
import { tempDir } from '../../helpers/tmp.js';
import { EXPLICIT_VR_LE, PDU, openRawAssociation, pDataTf, cStoreRq, rawCStore } from '../../helpers/peers/raw-association.js';
import { echoscu, storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { auditArchive } from './archive-state.js';
import { waitFor } from '../../helpers/peers/wait.js';

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
let goodCount = 0;

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-bad-');
  node = await startViewbox({ dataDir: join(work.path, 'archive'), args: ['--aet', 'BAD_VBX'] });
});
afterAll(async () => {
  const exit = node ? await node.stop() : undefined;
  await work?.cleanup();
  if (exit) expect(exit.code, 'viewbox serve exits 0 on SIGTERM').toBe(0);
});

/** A C-ECHO and a C-STORE from fresh associations succeed, and the store is indexed. */
async function expectStillServing(): Promise<void> {
  const echo = await echoscu({ port: node.dicomPort, calledAet: node.aet });
  expect(echo.ok, echo.log).toBe(true);
  const dir = join(work.path, `good-${++goodCount}`);
  mkdirSync(dir);
  const { files } = generateCtSeries({ dir, count: 1, rows: 64, cols: 64 });
  const run = await storescu({ port: node.dicomPort, calledAet: node.aet, files: [files[0]!.path] });
  expect(run.stored, run.log).toEqual([files[0]!.path]);
  const audit = await auditArchive(node.data);
  expect(audit.bySopUid.has(files[0]!.sopInstanceUid)).toBe(true);
}

/** Nothing of `sopInstanceUid` indexed, and staging/ drains (the writer was aborted). */
async function expectNothingKept(sopInstanceUid: string): Promise<void> {
  await waitFor('staging/ to be empty', async () => (await auditArchive(node.data)).stagingFiles.length === 0, 10_000);
  const audit = await auditArchive(node.data);
  expect(audit.bySopUid.has(sopInstanceUid)).toBe(false);
  expect(audit.filesWithoutRow).toEqual([]);
}

const isFailure = (status: number) => status >= 0xa000;

async function ctAssociation() {
  return openRawAssociation({
    port: node.dicomPort,
    callingAe: 'BADPEER',
    calledAe: node.aet,
    contexts: [{ id: 1, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LE] }],
  });
}

describe('bad input', () => {
  it('a non-DICOM payload in a C-STORE gets a failure status naming why', async () => {
    const { peer, accepted, maxPdu } = await ctAssociation();
    expect(accepted[0]?.result).toBe(0);
    const sopInstanceUid = newUid();
    const junk = Buffer.from('This is a README, not a DICOM dataset.\n'.repeat(200));
    const response = await rawCStore(peer, { contextId: 1, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid, messageId: 1, dataset: junk, maxPdu });
    expect(isFailure(response.status), `status 0x${response.status.toString(16)}`).toBe(true);
    expect(response.errorComment ?? '').not.toBe('');
    peer.destroy();
    await expectNothingKept(sopInstanceUid);
    await expectStillServing();
  });

  it('a truncated dataset (MR_truncated.dcm, which storescu refuses to send) gets C000', async () => {
    const path = join(pydicomTestFiles, 'MR_truncated.dcm');
    const refused = await storescu({ port: node.dicomPort, calledAet: node.aet, files: [path] });
    expect(refused.results[0]?.outcome).toBe('not-sent');
    const { meta, dataset } = splitPart10(readFileSync(path), path);
    const { peer, maxPdu } = await openRawAssociation({
      port: node.dicomPort,
      callingAe: 'BADPEER',
      calledAe: node.aet,
      contexts: [{ id: 1, abstractSyntax: meta.sopClassUid!, transferSyntaxes: [meta.transferSyntaxUid] }],
    });
    const response = await rawCStore(peer, { contextId: 1, sopClassUid: meta.sopClassUid!, sopInstanceUid: meta.sopInstanceUid!, messageId: 1, dataset, maxPdu });
    expect(response.status & 0xf000, `status 0x${response.status.toString(16)}: ${response.errorComment}`).toBe(0xc000);
    expect(response.errorComment ?? '').not.toBe('');
    peer.destroy();
    await expectNothingKept(meta.sopInstanceUid!);
    await expectStillServing();
  });

  it.each([
    ['a P-DATA PDU longer than the max PDU', (command: Buffer) => pDataTf([{ contextId: 1, command: true, last: true, data: command }], 0x7fff0000)],
    ['a PDV longer than its PDU', (command: Buffer) => pDataTf([{ contextId: 1, command: true, last: true, data: command, lengthOverride: command.length + 5000 }])],
    ['data for a context that was never accepted', (command: Buffer) => pDataTf([{ contextId: 99, command: true, last: true, data: command }])],
  ])('%s → A-ABORT and the socket closes', async (_name, build) => {
    const { peer } = await ctAssociation();
    const command = cStoreRq({ sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: newUid(), messageId: 1 });
    await peer.send(build(command));
    const answer = await peer.nextPdu(15_000);
    expect(answer?.type).toBe(PDU.abort);
    await Promise.race([peer.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('socket still open 5 s after A-ABORT')), 5_000))]);
    await expectStillServing();
  });

  it('an unsupported SOP class is refused at negotiation, and storescu cannot send it', async () => {
    const madeUpSopClass = newUid();
    const { peer, accepted } = await openRawAssociation({
      port: node.dicomPort,
      callingAe: 'BADPEER',
      calledAe: node.aet,
      contexts: [
        { id: 1, abstractSyntax: madeUpSopClass, transferSyntaxes: [EXPLICIT_VR_LE] },
        { id: 3, abstractSyntax: CT_IMAGE_STORAGE, transferSyntaxes: [EXPLICIT_VR_LE] },
      ],
    });
    expect(accepted.find((c) => c.id === 1)?.result, 'abstract syntax not supported').toBe(3);
    expect(accepted.find((c) => c.id === 3)?.result).toBe(0);
    peer.destroy();

    const dir = join(work.path, 'unsupported');
    mkdirSync(dir);
    const { files } = generateCtSeries({ dir, count: 1, rows: 64, cols: 64, sopClassUid: madeUpSopClass });
    const run = await storescu({ port: node.dicomPort, calledAet: node.aet, files: [files[0]!.path] });
    expect(run.results[0]?.outcome, run.log).not.toBe('success');
    expect(run.stored).toEqual([]);
    await expectNothingKept(files[0]!.sopInstanceUid);
    await expectStillServing();
  });
});
