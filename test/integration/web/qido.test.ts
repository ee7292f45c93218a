/**
 * QIDO-RS over the generated archive of several patients: dicomweb-client's
 * searches at each level, the same matching as C-FIND, paging, includefield,
 * Retrieve URLs, and the refusals.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { api } from 'dicomweb-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { writeQueryArchive, type WrittenStudy } from '../../fixtures/query-archive.js';
import { tempDir } from '../../helpers/tmp.js';
import { startDicomWeb, storePart10, type DicomWebHarness } from './dicomweb-harness.js';
import { installFetchXhr } from './fetch-xhr.js';

interface SearchClient {
  searchForStudies(options?: { queryParams?: Record<string, string> }): Promise<DicomJsonDataset[]>;
  searchForSeries(options?: { studyInstanceUID?: string; queryParams?: Record<string, string> }): Promise<DicomJsonDataset[]>;
  searchForInstances(options?: { studyInstanceUID?: string; seriesInstanceUID?: string; queryParams?: Record<string, string> }): Promise<DicomJsonDataset[]>;
}

let work: Awaited<ReturnType<typeof tempDir>>;
let web: DicomWebHarness;
let client: SearchClient;
let studies: Map<string, WrittenStudy>;
let uninstall: () => void;

const uidOf = (answer: DicomJsonDataset, tag: string) => answer[tag]?.Value?.[0] as string | undefined;
const labels = (answers: DicomJsonDataset[]) => answers.map((a) => [...studies.values()].find((s) => s.studyUid === uidOf(a, '0020000D'))?.label).sort();

beforeAll(async () => {
  uninstall = installFetchXhr();
  work = await tempDir('viewbox-qido-');
  const fixtures = join(work.path, 'fixtures');
  studies = writeQueryArchive(fixtures);
  web = await startDicomWeb(join(work.path, 'data'));
  for (const entry of await readdir(fixtures, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await storePart10(web.archive, join(entry.parentPath, entry.name));
  }
  client = new api.DICOMwebClient({ url: web.base, headers: web.auth, verbose: false, singlepart: false }) as unknown as SearchClient;
});

afterAll(async () => {
  uninstall?.();
  await web?.close();
  await work?.cleanup();
});

describe('QIDO-RS', () => {
  it('searches studies with the C-FIND rules, from dicomweb-client', async () => {
    expect(labels(await client.searchForStudies({ queryParams: { PatientName: 'doe*' } }))).toEqual(['jane-ct', 'jane-mr', 'john-cr']);
    expect(labels(await client.searchForStudies({ queryParams: { PatientName: '山田*' } }))).toEqual(['tarou-mr']);
    expect(labels(await client.searchForStudies({ queryParams: { StudyDate: '20200101-20201231', ModalitiesInStudy: 'CT' } }))).toEqual(['hans-ct', 'jane-ct']);
    expect(labels(await client.searchForStudies({ queryParams: { '00100020': 'PID-002' } }))).toEqual(['john-cr']);
  });

  it('answers carry the level defaults, derived counts and a Retrieve URL', async () => {
    const [jane] = await client.searchForStudies({ queryParams: { AccessionNumber: 'ACC-100' } });
    const ct = studies.get('jane-ct')!;
    expect(jane?.['00100010']?.Value).toEqual([{ Alphabetic: 'Doe^Jane' }]);
    expect(jane?.['00081030']?.Value).toEqual(['CT Chest W/ Contrast']);
    expect(jane?.['00080061']?.Value).toEqual(['CT', 'SR']);
    expect(jane?.['00201208']?.Value).toEqual([4]);
    expect(jane?.['00081190']?.Value).toEqual([`${web.base}/studies/${ct.studyUid}`]);
  });

  it('searches series and instances, nested under their study and series', async () => {
    const mr = studies.get('jane-mr')!;
    const series = await client.searchForSeries({ studyInstanceUID: mr.studyUid, queryParams: { SeriesDescription: 't2*' } });
    expect(series.map((s) => uidOf(s, '0020000E'))).toEqual([mr.seriesUids[1]]);
    const ct = studies.get('jane-ct')!;
    const instances = await client.searchForInstances({ studyInstanceUID: ct.studyUid, seriesInstanceUID: ct.seriesUids[0]! });
    expect(instances.map((i) => uidOf(i, '00080018')).sort()).toEqual(ct.sopInstanceUids.slice(0, 3).sort());
    expect(instances[0]?.['00081190']?.Value?.[0]).toMatch(new RegExp(`/studies/${ct.studyUid}/series/${ct.seriesUids[0]}/instances/`));
    const everywhere = await client.searchForInstances({ queryParams: { Modality: 'CR' } });
    expect(everywhere.map((i) => uidOf(i, '00080018'))).toEqual(studies.get('john-cr')!.sopInstanceUids);
  });

  it('pages with limit and offset, and includefield adds attributes', async () => {
    const all = await client.searchForStudies();
    expect(all).toHaveLength(5);
    const page = await client.searchForStudies({ queryParams: { limit: '2', offset: '1' } });
    expect(page.map((a) => uidOf(a, '0020000D'))).toEqual(all.slice(1, 3).map((a) => uidOf(a, '0020000D')));
    const [withPosition] = await client.searchForInstances({ queryParams: { SOPInstanceUID: studies.get('john-cr')!.sopInstanceUids[0]!, includefield: 'ImagePositionPatient,PixelData' } });
    expect(withPosition?.['00200032']?.Value).toHaveLength(3);
    // Bulk data is never part of a search answer.
    expect(withPosition?.['7FE00010']).toBeUndefined();
  });

  it('refuses what it cannot read (400 naming it) and other media types (406)', async () => {
    const bad = await web.get('/studies?StudyDate=yesterday');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/\(0008,0020\)/);
    const unknown = await web.get('/studies?PatientNmae=x');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain('PatientNmae');
    expect((await web.get('/studies', 'application/dicom+xml')).status).toBe(406);
    const ok = await web.get('/studies?PatientID=PID-004', 'application/dicom+json');
    expect(ok.headers.get('content-type')).toBe('application/dicom+json');
  });
});
