/**
 * The worklist on the pydicom corpus (real files of every kind): thumbnails
 * that show the anatomy (file's window when it fits, else from the
 * histogram) at a size the reader chooses and the page remembers, an icon
 * for studies without images and no failing request, "(no name)" for rows
 * without a patient name, and a date written 1997.04.24 read and sorted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiPaths, type StudySummary } from '../../shared/api/app-api.js';
import type { JobInfo } from '../../shared/api/jobs.js';
import { waitFor } from '../helpers/peers/wait.js';
import { pydicomTestFiles } from '../helpers/pydicom-corpus.js';
import { openReadingRoom, type ReadingRoom } from './harness/reading-room.js';

let room: ReadingRoom;
let studies: StudySummary[];
/** Every console error and failed response, including the failed requests the harness leaves out. */
const failures: string[] = [];

const rowOf = (description: string) => {
  const study = studies.find((s) => s.description === description);
  if (!study) throw new Error(`no study "${description}" in the corpus import`);
  return room.page.locator(`tr[data-study-uid="${study.studyUid}"]`);
};

interface ImageLike {
  complete: boolean;
  naturalWidth: number;
  width: number;
  height: number;
}
interface DocumentLike {
  createElement(tag: 'canvas'): { width: number; height: number; getContext(type: '2d'): { drawImage(image: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
}

/** Mean, standard deviation and share of white pixels of a row's thumbnail as the browser decoded it. */
async function thumbnailStatistics(description: string) {
  const image = rowOf(description).locator('img.thumb');
  await expect.poll(() => image.evaluate((img: ImageLike) => img.complete && img.naturalWidth > 0), { timeout: 15_000 }).toBe(true);
  return image.evaluate((img: ImageLike) => {
    const doc = (globalThis as unknown as { document: DocumentLike }).document;
    const canvas = doc.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalWidth;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const values: number[] = [];
    for (let i = 0; i < data.length; i += 4) values.push(data[i]!);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    return { mean, sd, white: values.filter((v) => v >= 250).length / values.length, size: img.naturalWidth };
  });
}

beforeAll(async () => {
  room = await openReadingRoom({ viewport: { width: 1400, height: 900 } });
  const { page, node } = room;
  page.on('console', (message) => message.type() === 'error' && failures.push(`console: ${message.text()}`));
  page.on('response', (response) => response.status() >= 400 && failures.push(`HTTP ${response.status()} ${response.url()}`));
  const headers = { Authorization: `Bearer ${node.token}` };
  const api = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(new URL(path, node.url), body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  const job = await api<JobInfo>(apiPaths.importJob, { paths: [pydicomTestFiles] });
  await waitFor('the corpus import', async () => (await api<JobInfo>(apiPaths.job(job.id))).state !== 'running', 60_000);
  studies = await api<StudySummary[]>(apiPaths.studies);
  failures.length = 0;
  await page.reload();
  await waitFor('every study listed', async () => (await page.locator('tr.study-row').count()) === studies.length);
}, 120_000);
afterAll(() => room?.close());

describe('worklist on the pydicom corpus', () => {
  it('windows thumbnails so the anatomy shows: a CT whose file window is far off is not white, an MR is not washed out', async () => {
    for (const description of ['CT, HEAD/BRAIN WO CONTRAST', 'Brain', 'Carotids', 'e+1']) {
      const stats = await thumbnailStatistics(description);
      const shows = stats.sd > 25 && stats.white < 0.3 && stats.mean > 30 && stats.mean < 230;
      expect(shows, `${description}: ${JSON.stringify(stats)}`).toBe(true);
    }
  });

  it('shows an icon for a study without images, and no request fails on the whole load', async () => {
    for (const description of ['OFFIS Structured Reporting Test Document', 'ECG']) {
      const row = rowOf(description);
      await expect.poll(() => row.locator('.thumb.no-images').getAttribute('title')).toMatch(/no images/i);
      expect(await row.locator('img').count()).toBe(0);
    }
    const rtplan = studies.find((s) => s.modalities.join() === 'RTPLAN')!;
    await expect.poll(() => room.page.locator(`tr[data-study-uid="${rtplan.studyUid}"] .thumb.no-images`).count()).toBe(1);
    // Every image row settled: a picture, or the icon (a page tall enough that no thumbnail waits to be scrolled to).
    await room.page.setViewportSize({ width: 1400, height: 4000 });
    await expect
      .poll(() => room.page.locator('tr.study-row .thumb').evaluateAll((els) => els.every((el) => (el as unknown as ImageLike & { tagName: string }).tagName !== 'IMG' || (el as unknown as ImageLike).complete)), { timeout: 20_000 })
      .toBe(true);
    expect(failures).toEqual([]);
    await room.page.setViewportSize({ width: 1400, height: 900 });
  });

  it('answers 204 with the reason for a study it has no picture of, 404 for a study it does not hold', async () => {
    const { node } = room;
    const headers = { Authorization: `Bearer ${node.token}` };
    const nm = studies.find((s) => s.description === 'Whole Body Bone')!;
    const answer = await fetch(new URL(apiPaths.studyThumbnail(nm.studyUid, 64), node.url), { headers });
    expect(answer.status).toBe(204);
    // Its images are JPEG Extended (12 bits), which this node does not decode.
    expect(decodeURIComponent(answer.headers.get('viewbox-no-thumbnail') ?? '')).toMatch(/JPEG Extended.*cannot be rendered/);
    expect((await fetch(new URL(apiPaths.studyThumbnail('1.2.3.999', 64), node.url), { headers })).status).toBe(404);
  });

  it('shows "(no name)" for a patient without a name, and reads a date written 1997.04.24', async () => {
    const unnamed = studies.filter((s) => !s.patientName || !Object.values(s.patientName).some((v) => typeof v === 'string' && v.replace(/\^/g, '').trim()));
    expect(unnamed.length).toBeGreaterThan(0);
    for (const study of unnamed) expect(await room.page.locator(`tr[data-study-uid="${study.studyUid}"] td.patient`).innerText()).toMatch(/^\(no name\)/);
    const dotted = studies.find((s) => s.studyDate === '1997.04.24')!;
    const dottedRow = room.page.locator(`tr[data-study-uid="${dotted.studyUid}"]`);
    expect(await dottedRow.locator('td.date').innerText()).toMatch(/^1997-04-24/);
    // The default order is newest first; one click on the column: oldest first, 1995 < 1997 < 2001 whatever the separators.
    await room.page.getByRole('button', { name: 'Study date' }).click();
    const ascending = await room.page.locator('tr.study-row td.date').evaluateAll((cells) => cells.map((c) => (c as unknown as { innerText: string }).innerText.slice(0, 10)).filter((d) => /^\d{4}-/.test(d)));
    expect(ascending).toEqual([...ascending].sort());
    expect(ascending.indexOf('1997-04-24')).toBe(ascending.indexOf('1995-09-03') + 1);
  });

  it('offers larger thumbnails and remembers the size chosen across a reload', async () => {
    const { page } = room;
    expect((await thumbnailStatistics('e+1')).size).toBeLessThanOrEqual(80);
    await page.getByLabel('Thumbnail size').selectOption('128');
    await expect.poll(async () => (await rowOf('e+1').locator('img.thumb').boundingBox())?.width).toBe(128);
    await page.reload();
    await expect.poll(async () => (await rowOf('e+1').locator('img.thumb').boundingBox())?.width, { timeout: 15_000 }).toBe(128);
    expect((await thumbnailStatistics('e+1')).size).toBeGreaterThanOrEqual(128);
    expect(failures).toEqual([]);
  });
});
