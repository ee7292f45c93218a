/**
 * The PACS tab's table: each column's header starts where its cells' text
 * starts, as in the local worklist (a reader scans down from the header).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeQueryArchive } from '../fixtures/query-archive.js';
import { freePort } from '../helpers/net.js';
import { startOrthanc, type Orthanc } from '../helpers/peers/orthanc.js';
import { storescu } from '../helpers/peers/storescu.js';
import { tempDir } from '../helpers/tmp.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

let orthanc: Orthanc;
let room: ReadingRoom;
let fixtures: Awaited<ReturnType<typeof tempDir>>;

interface NodeLike {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<NodeLike>;
}
interface RangeLike {
  selectNodeContents(node: NodeLike): void;
  getBoundingClientRect(): { left: number; width: number };
}

/** Per column: the left edge of the header's text and of the first row's text (undefined for an empty cell). */
async function columnTextEdges(page: Page, table: string): Promise<Array<{ header: string; headerX: number | undefined; cellX: number | undefined }>> {
  return page.locator(table).evaluate((element) => {
    const doc = (globalThis as unknown as { document: { createRange(): RangeLike } }).document;
    const firstText = (node: NodeLike): NodeLike | undefined => {
      if (node.nodeType === 3 && node.textContent?.trim()) return node;
      for (const child of Array.from(node.childNodes)) {
        const found = firstText(child);
        if (found) return found;
      }
      return undefined;
    };
    const textX = (cell: NodeLike | undefined) => {
      const text = cell && firstText(cell);
      if (!text) return undefined;
      const range = doc.createRange();
      range.selectNodeContents(text);
      return range.getBoundingClientRect().left;
    };
    const t = element as unknown as { querySelectorAll(s: string): ArrayLike<NodeLike> };
    const headers = Array.from(t.querySelectorAll('thead th'));
    const cells = Array.from(t.querySelectorAll('tbody tr:first-child > td'));
    return headers.map((th, i) => ({ header: th.textContent ?? '', headerX: textX(th), cellX: textX(cells[i]) }));
  });
}

beforeAll(async () => {
  fixtures = await tempDir('viewbox-e2e-pacs-columns-');
  writeQueryArchive(join(fixtures.path, 'studies'));
  const dicomPort = await freePort();
  orthanc = await startOrthanc({ aet: 'PACS', modalities: [{ name: 'viewbox', aet: 'VIEWBOX', host: '127.0.0.1', port: dicomPort }] });
  const sent = await storescu({ port: orthanc.dicomPort, calledAet: 'PACS', dir: join(fixtures.path, 'studies') });
  if (!sent.results.every((r) => r.outcome === 'success')) throw new Error(`storescu to Orthanc: ${sent.log}`);
  const config = join(fixtures.path, 'config.json');
  await writeFile(config, JSON.stringify({ aet: 'VIEWBOX', nodes: [{ name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: orthanc.dicomPort, allow: ['store'], search: true }] }));
  room = await openReadingRoom({ viewport: { width: 1600, height: 900 }, serveArgs: ['--config', config, '--dicom-port', String(dicomPort)] });
}, 60_000);

afterAll(async () => {
  await room?.close();
  await orthanc?.stop();
  await fixtures?.cleanup();
});

describe('worklist on a PACS: columns', () => {
  it('starts each header where the text of its cells starts', async () => {
    const { page } = room;
    await page.getByRole('button', { name: 'pacs' }).click();
    await page.locator('input[name="name"]').fill('doe');
    await expect.poll(() => page.locator('.worklist-summary').textContent(), { timeout: 10_000 }).toMatch(/^\d+ studies on pacs$/);
    await page.locator('tr.remote-row').first().waitFor();
    const columns = await columnTextEdges(page, 'table.study-table.remote');
    const compared = columns.filter((c) => c.headerX !== undefined && c.cellX !== undefined && !/Series|Images|Retrieve/.test(c.header));
    expect(compared.map((c) => c.header)).toEqual(['Patient', 'Patient ID', 'Study date', 'Mod.', 'Description', 'Accession']);
    for (const column of compared) expect(Math.abs(column.headerX! - column.cellX!), `${column.header}: header at x ${column.headerX}, cells at x ${column.cellX}`).toBeLessThanOrEqual(1);
    expect(room.problems).toEqual([]);
  });
});
