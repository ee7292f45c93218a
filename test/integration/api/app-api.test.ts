/**
 * The app API of a running node: the worklist search (the QIDO engine),
 * read status, nodes, conflicts, jobs and the event stream, with a real
 * storescu sending studies in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEvent, StoredMeasurement, StudySummary } from '../../../shared/api/app-api.js';
import { apiPaths, MAX_MEASUREMENT_BYTES } from '../../../shared/api/app-api.js';
import type { ViewboxConfig } from '../../../shared/config.js';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { silentLogger } from '../../../main/log.js';
import { startArchiveNode, type ArchiveNode } from '../../../main/node.js';
import { defaultConfigFile } from '../../../main/config/load.js';
import { writeQueryArchive, type WrittenStudy } from '../../fixtures/query-archive.js';
import { freePort } from '../../helpers/net.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { tempDir } from '../../helpers/tmp.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let node: ArchiveNode;
let studies: Map<string, WrittenStudy>;
let fixtures: string;

const call = (path: string, init: RequestInit = {}) => fetch(new URL(path, node.url), { ...init, headers: { authorization: `Bearer ${node.token}`, 'content-type': 'application/json', ...init.headers } });
const getJson = async <T>(path: string): Promise<T> => {
  const response = await call(path);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
};

beforeAll(async () => {
  home = await tempDir('viewbox-api-');
  fixtures = join(home.path, 'fixtures');
  studies = writeQueryArchive(fixtures);
  const dicomPort = await freePort();
  const config: ViewboxConfig = {
    ...(JSON.parse(readFileSync(defaultConfigFile(), 'utf8')) as ViewboxConfig),
    dicomPort,
    httpPort: 0,
    nodes: [
      { name: 'pacs', aet: 'PACS', host: '127.0.0.1', port: 1, allow: ['store', 'find'] },
      // The node itself as a remote PACS: a real C-FIND over a real association.
      { name: 'self', aet: 'VIEWBOX', host: '127.0.0.1', port: dicomPort, allow: ['find'] },
    ],
  };
  node = await startArchiveNode(config, join(home.path, 'data'), silentLogger);
  for (const study of ['jane-ct', 'jane-mr', 'john-cr']) {
    const sent = await storescu({ port: node.dicomPort, calledAet: 'VIEWBOX', dir: join(fixtures, study) });
    expect(sent.results.every((r) => r.outcome === 'success')).toBe(true);
  }
});

afterAll(async () => {
  await node?.close(0);
  await home?.cleanup();
});

/** Read server-sent events until `until` says stop (or the time is up). */
async function collectEvents(until: (events: ServerEvent[]) => boolean, act: () => Promise<void>, timeoutMs = 10_000): Promise<ServerEvent[]> {
  const response = await call(apiPaths.events);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: ServerEvent[] = [];
  let buffered = '';
  const deadline = Date.now() + timeoutMs;
  // The stream is open once its first comment arrives; only then act.
  const first = await reader.read();
  buffered += first.value ?? '';
  await act();
  while (!until(events) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<undefined>((r) => setTimeout(() => r(undefined), deadline - Date.now()))]);
    if (!chunk || chunk.done) break;
    buffered += chunk.value;
    for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)) as ServerEvent);
    }
  }
  await reader.cancel();
  return events;
}

describe('worklist', () => {
  it('searches with the query engine and returns worklist rows newest first', async () => {
    const rows = await getJson<StudySummary[]>(`${apiPaths.studies}?PatientName=doe*`);
    expect(rows.map((r) => r.studyUid)).toEqual(['jane-mr', 'jane-ct', 'john-cr'].map((l) => studies.get(l)!.studyUid));
    const ct = rows.find((r) => r.studyUid === studies.get('jane-ct')!.studyUid)!;
    expect(ct).toMatchObject({ patientId: 'PID-001', modalities: ['CT', 'SR'], seriesCount: 2, instanceCount: 4, readStatus: 'unread', conflicts: 0 });
    expect((await getJson<StudySummary[]>(`${apiPaths.studies}?ModalitiesInStudy=CR`)).map((r) => r.studyUid)).toEqual([studies.get('john-cr')!.studyUid]);
    expect(await getJson<StudySummary[]>(`${apiPaths.studies}?limit=1&offset=1`)).toHaveLength(1);
  });

  it('refuses a search it cannot read, naming the parameter', async () => {
    const response = await call(`${apiPaths.studies}?StudyDate=yesterday`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/\(0008,0020\)/);
  });

  it('keeps the read status the reader sets, and says so on the event stream', async () => {
    const uid = studies.get('john-cr')!.studyUid;
    const events = await collectEvents(
      (e) => e.some((x) => x.type === 'study-updated' && x.studyUid === uid),
      async () => {
        const response = await call(apiPaths.readStatus(uid), { method: 'PUT', body: JSON.stringify({ readStatus: 'read' }) });
        expect(response.status).toBe(200);
      },
    );
    expect(events).toContainEqual({ type: 'study-updated', studyUid: uid });
    const [row] = await getJson<StudySummary[]>(`${apiPaths.studies}?StudyInstanceUID=${uid}`);
    expect(row?.readStatus).toBe('read');
    expect((await call(apiPaths.readStatus(uid), { method: 'PUT', body: JSON.stringify({ readStatus: 'done' }) })).status).toBe(400);
    expect((await call(apiPaths.readStatus('1.2.3.4'), { method: 'PUT', body: JSON.stringify({ readStatus: 'read' }) })).status).toBe(404);
  });

  it('announces a study as it arrives', async () => {
    const uid = studies.get('hans-ct')!.studyUid;
    const events = await collectEvents(
      (e) => e.some((x) => x.type === 'study-updated' && x.studyUid === uid),
      async () => {
        await storescu({ port: node.dicomPort, calledAet: 'VIEWBOX', dir: join(fixtures, 'hans-ct') });
      },
    );
    // Two images, one event.
    expect(events.filter((x) => x.type === 'study-updated' && x.studyUid === uid)).toHaveLength(1);
  });
});

describe('measurements', () => {
  const length = (uid: string, x: number) => ({ formatVersion: 1, annotationUID: uid, metadata: { toolName: 'Length' }, data: { handles: { points: [[0, 0, 0], [x, 0, 0]] } } });

  it('keeps each annotation of a study as sent, replaces it, and deletes it', async () => {
    const study = studies.get('jane-ct')!.studyUid;
    const put = (uid: string, body: unknown) => call(apiPaths.measurement(study, uid), { method: 'PUT', body: JSON.stringify(body) });
    expect(await getJson(apiPaths.measurements(study))).toEqual([]);
    expect((await put('a-1', length('a-1', 10))).status).toBe(200);
    expect((await put('a-2', length('a-2', 20))).status).toBe(200);
    expect((await put('a-1', length('a-1', 30))).status).toBe(200);
    const kept = await getJson<StoredMeasurement[]>(apiPaths.measurements(study));
    expect(Object.fromEntries(kept.map((m) => [m.annotationUid, m.annotation]))).toEqual({ 'a-1': length('a-1', 30), 'a-2': length('a-2', 20) });
    expect((await call(apiPaths.measurement(study, 'a-1'), { method: 'DELETE' })).status).toBe(204);
    expect((await call(apiPaths.measurement(study, 'a-1'), { method: 'DELETE' })).status).toBe(404);
    expect((await getJson<StoredMeasurement[]>(apiPaths.measurements(study))).map((m) => m.annotationUid)).toEqual(['a-2']);
    // Another study's measurements are its own.
    expect(await getJson(apiPaths.measurements(studies.get('jane-mr')!.studyUid))).toEqual([]);
  });

  it('refuses what is not a measurement of a held study, saying why', async () => {
    const study = studies.get('jane-ct')!.studyUid;
    const refused = async (response: Response, status: number, reason: RegExp) => {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(reason);
    };
    await refused(await call(apiPaths.measurement('1.2.3.4', 'x'), { method: 'PUT', body: '{}' }), 404, /study 1\.2\.3\.4 is not in the archive/);
    await refused(await call(apiPaths.measurements('1.2.3.4')), 404, /1\.2\.3\.4/);
    await refused(await call(apiPaths.measurement(study, 'x'), { method: 'PUT', body: '{"a":' }), 400, /measurement x: the body is not JSON/);
    await refused(await call(apiPaths.measurement(study, 'x'), { method: 'PUT', body: '[1]' }), 400, /must be a JSON object/);
    const huge = JSON.stringify({ data: 'x'.repeat(MAX_MEASUREMENT_BYTES) });
    await refused(await call(apiPaths.measurement(study, 'x'), { method: 'PUT', body: huge }), 413, /larger than/);
  });
});

describe('nodes, conflicts, jobs', () => {
  it('lists the configured nodes', async () => {
    expect((await getJson<Array<{ name: string; search: boolean }>>(apiPaths.nodes)).map((n) => [n.name, n.search])).toEqual([
      ['pacs', false],
      ['self', false],
    ]);
  });

  it('searches a remote node by C-FIND with QIDO-RS parameters, and says which node failed', async () => {
    const answers = await getJson<DicomJsonDataset[]>(`${apiPaths.remoteStudies('self')}?PatientName=doe*`);
    expect(answers.map((a) => a['0020000D']?.Value?.[0]).sort()).toEqual(['jane-ct', 'jane-mr', 'john-cr'].map((l) => studies.get(l)!.studyUid).sort());
    expect(answers.find((a) => a['00100020']?.Value?.[0] === 'PID-002')?.['00081030']?.Value).toEqual(['Chest PA']);
    const down = await call(apiPaths.remoteStudies('pacs'));
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: string }).error).toMatch(/node "pacs" \(PACS at 127\.0\.0\.1:1\)/);
    expect((await call(apiPaths.remoteStudies('nowhere'))).status).toBe(404);
    expect((await call(`${apiPaths.remoteStudies('self')}?StudyDate=june`)).status).toBe(400);
  });

  it('lists conflicts as they are recorded', async () => {
    expect(await getJson(apiPaths.conflicts)).toEqual([]);
  });

  it('refuses a retrieve from a node that is not configured, and a malformed one', async () => {
    const unknown = await call(apiPaths.retrieve, { method: 'POST', body: JSON.stringify({ node: 'nowhere', studyUid: '1.2.3' }) });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/nowhere/);
    expect((await call(apiPaths.retrieve, { method: 'POST', body: '{"node": 1}' })).status).toBe(400);
    // By C-MOVE the node would send us the images, which its configuration does not allow.
    const refused = await call(apiPaths.retrieve, { method: 'POST', body: JSON.stringify({ node: 'self', studyUid: '1.2.3' }) });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: string }).error).toMatch(/node "self" may not send us images .*add "store" to its allow list/);
    expect(await getJson(apiPaths.jobs)).toEqual([]);
  });
});
