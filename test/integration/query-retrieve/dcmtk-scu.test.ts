/**
 * DCMTK's findscu, movescu and getscu against `viewbox serve` holding a
 * generated archive of several patients: the matching rules as a table of
 * queries and expected studies, sub-operations, byte-exact retrieves, and
 * the refusals.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { move } from '../../../main/dicom/scu/move.js';
import { silentLogger } from '../../../main/log.js';
import { readStoredHeader } from '../../../main/store/stored-file.js';
import { splitPart10 } from '../../fixtures/part10-split.js';
import { writeQueryArchive, type WrittenStudy } from '../../fixtures/query-archive.js';
import { startStorescp, type Storescp } from '../../helpers/peers/storescp.js';
import { dcmtkEnv, run } from '../../helpers/run.js';
import { tempDir } from '../../helpers/tmp.js';
import { assertBuilt, isolatedEnv, startServing, viewbox, type ServingProcess } from '../cli/viewbox-cli.js';

let home: Awaited<ReturnType<typeof tempDir>>;
let node: ServingProcess;
let studies: Map<string, WrittenStudy>;
let destination: Storescp;
let sourceFiles: string[];

const study = (label: string) => studies.get(label)!;
const SCU_LIMITS = { maxPduLength: 262144, maxObjectBytes: 2 ** 32, artimTimeoutSeconds: 10, idleTimeoutSeconds: 30 };

beforeAll(async () => {
  assertBuilt();
  home = await tempDir('viewbox-qr-');
  const fixtures = join(home.path, 'fixtures');
  studies = writeQueryArchive(fixtures);
  sourceFiles = await listFiles(fixtures);
  destination = await startStorescp({ aet: 'DEST', bitPreserving: true });
  const config = {
    aet: 'VIEWBOX',
    acceptUnknownCallers: true,
    logLevel: 'info',
    nodes: [
      { name: 'reader', aet: 'READER', host: '127.0.0.1', port: 1, allow: ['find', 'move', 'get'] },
      { name: 'destination', aet: 'DEST', host: '127.0.0.1', port: destination.port, allow: ['store'] },
    ],
  };
  await writeFile(join(home.path, 'config.json'), JSON.stringify(config));
  const env = isolatedEnv(home.path);
  const data = join(home.path, 'data');
  const imported = await viewbox(['import', fixtures, '--data', data], env);
  expect(imported.code, imported.stderr).toBe(0);
  node = await startServing(['serve', '--data', data, '--config', join(home.path, 'config.json'), '--dicom-port', '0', '--http-port', '0'], env);
}, 60_000);

afterAll(async () => {
  node?.child.kill('SIGTERM');
  await node?.exited;
  await destination?.stop();
  await home?.cleanup();
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** Run findscu with `keys` (DCMTK -k syntax) and return each response identifier. */
async function find(keys: string[], options: { patientRoot?: boolean; aet?: string } = {}): Promise<{ code: number | null; answers: DicomJsonDataset[]; output: string }> {
  const out = await tempDir('viewbox-findscu-');
  try {
    const args = ['-v', '-aet', options.aet ?? 'READER', '-aec', 'VIEWBOX', options.patientRoot ? '-P' : '-S', '-X', '-od', out.path, ...keys.flatMap((k) => ['-k', k]), '127.0.0.1', String(node.ready.dicomPort)];
    const result = await run('findscu', args, { env: dcmtkEnv, timeoutMs: 30_000 });
    const files = (await readdir(out.path)).filter((f) => f.startsWith('rsp')).sort();
    const answers = await Promise.all(files.map(async (f) => (await readStoredHeader(join(out.path, f))).json));
    return { code: result.code, answers, output: result.stdout + result.stderr };
  } finally {
    await out.cleanup();
  }
}

const text = (answer: DicomJsonDataset, tag: string) => {
  const v = answer[tag]?.Value?.[0];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : v === undefined ? undefined : JSON.stringify(v);
};

const labelsOf = (answers: DicomJsonDataset[]) =>
  answers.map((a) => [...studies.values()].find((s) => s.studyUid === text(a, '0020000D'))?.label ?? `unknown ${text(a, '0020000D')}`).sort();

describe('C-FIND at study level: one row per matching rule', () => {
  const table: Array<[rule: string, keys: () => string[], expected: string[]]> = [
    ['PN wildcard', () => ['PatientName=DOE*'], ['jane-ct', 'jane-mr', 'john-cr']],
    ['PN leading wildcard', () => ['PatientName=*^JANE'], ['jane-ct', 'jane-mr']],
    ['PN single value, case-insensitive', () => ['PatientName=doe^jane'], ['jane-ct', 'jane-mr']],
    ['PN ignores Latin diacritics', () => ['PatientName=MULLER*'], ['hans-ct']],
    ['PN in another script (ideographic)', () => ['SpecificCharacterSet=ISO_IR 192', 'PatientName=山田*'], ['tarou-mr']],
    ['PN phonetic group', () => ['SpecificCharacterSet=ISO_IR 192', 'PatientName=やまだ^たろう'], ['tarou-mr']],
    ['single value date', () => ['StudyDate=20200615'], ['hans-ct', 'jane-ct']],
    ['date range', () => ['StudyDate=20200101-20201231'], ['hans-ct', 'jane-ct']],
    ['open date range, up to', () => ['StudyDate=-20191231'], ['john-cr']],
    ['open date range, from', () => ['StudyDate=20210101-'], ['jane-mr', 'tarou-mr']],
    ['date and time range together', () => ['StudyDate=20200615', 'StudyTime=1000-1300'], ['hans-ct']],
    ['time range to the end of a minute', () => ['StudyTime=2359-'], ['john-cr']],
    ['derived ModalitiesInStudy', () => ['ModalitiesInStudy=MR'], ['jane-mr', 'tarou-mr']],
    ['ModalitiesInStudy of a second series', () => ['ModalitiesInStudy=SR'], ['jane-ct']],
    ['ModalitiesInStudy list', () => ['ModalitiesInStudy=CR\\SR'], ['jane-ct', 'john-cr']],
    ['patient ID single value', () => ['PatientID=PID-002'], ['john-cr']],
    ['UID list', () => [`StudyInstanceUID=${study('hans-ct').studyUid}\\${study('tarou-mr').studyUid}`], ['hans-ct', 'tarou-mr']],
    ['description wildcard, any case', () => ['StudyDescription=*brain*'], ['jane-mr']],
    ['? wildcard', () => ['AccessionNumber=ACC-1??'], ['jane-ct', 'jane-mr']],
    ['keys combine', () => ['PatientName=DOE*', 'StudyDate=20200101-'], ['jane-ct', 'jane-mr']],
    ['universal', () => ['PatientName'], ['hans-ct', 'jane-ct', 'jane-mr', 'john-cr', 'tarou-mr']],
    ['no match', () => ['PatientID=NOBODY'], []],
  ];
  it.each(table)('%s', async (_rule, keys, expected) => {
    const { code, answers, output } = await find(['QueryRetrieveLevel=STUDY', 'StudyInstanceUID', ...keys()]);
    expect(code, output).toBe(0);
    expect(labelsOf(answers)).toEqual(expected);
  });

  it('fills return keys, derived counts and names in every script', async () => {
    const { answers } = await find(['QueryRetrieveLevel=STUDY', `StudyInstanceUID=${study('jane-ct').studyUid}`, 'PatientName', 'StudyDescription', 'ModalitiesInStudy', 'NumberOfStudyRelatedSeries', 'NumberOfStudyRelatedInstances', 'ReferringPhysicianName', 'InstitutionName']);
    expect(answers).toHaveLength(1);
    const a = answers[0]!;
    expect(a['00100010']?.Value?.[0]).toEqual({ Alphabetic: 'Doe^Jane' });
    expect(text(a, '00081030')).toBe('CT Chest W/ Contrast');
    expect(a['00080061']?.Value).toEqual(['CT', 'SR']);
    expect(text(a, '00201206')).toBe('2');
    expect(text(a, '00201208')).toBe('4');
    // Asked for, held by no record at this level: present and empty.
    expect(a['00080080']).toBeDefined();
    expect(a['00080080']?.Value ?? []).toEqual([]);
    const tarou = (await find(['QueryRetrieveLevel=STUDY', 'PatientID=PID-004', 'PatientName'])).answers[0]!;
    expect(tarou['00100010']?.Value?.[0]).toEqual({ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' });
  });
});

describe('C-FIND at the other levels', () => {
  it('PATIENT level (patient root) with related counts', async () => {
    const { answers } = await find(['QueryRetrieveLevel=PATIENT', 'PatientName=DOE*', 'PatientID', 'NumberOfPatientRelatedStudies', 'NumberOfPatientRelatedInstances'], { patientRoot: true });
    const byId = Object.fromEntries(answers.map((a) => [text(a, '00100020'), [text(a, '00201200'), text(a, '00201204')]]));
    expect(byId).toEqual({ 'PID-001': ['2', '6'], 'PID-002': ['1', '1'] });
  });

  it('SERIES level within a study, by modality', async () => {
    const mr = study('jane-mr');
    const { answers } = await find(['QueryRetrieveLevel=SERIES', `StudyInstanceUID=${mr.studyUid}`, 'Modality=MR', 'SeriesInstanceUID', 'SeriesDescription', 'NumberOfSeriesRelatedInstances']);
    expect(answers.map((a) => text(a, '0020000E')).sort()).toEqual([...mr.seriesUids].sort());
    expect(answers.map((a) => text(a, '0008103E')).sort()).toEqual(['T1 sag', 'T2 ax']);
    expect(answers.every((a) => text(a, '00201209') === '1')).toBe(true);
  });

  it('IMAGE level within a series', async () => {
    const ct = study('jane-ct');
    const { answers } = await find(['QueryRetrieveLevel=IMAGE', `StudyInstanceUID=${ct.studyUid}`, `SeriesInstanceUID=${ct.seriesUids[0]}`, 'SOPInstanceUID', 'InstanceNumber']);
    expect(answers.map((a) => text(a, '00080018')).sort()).toEqual(ct.sopInstanceUids.slice(0, 3).sort());
    expect(answers.map((a) => text(a, '00200013')).sort()).toEqual(['1', '2', '3']);
  });

  it('PATIENT level is refused in the study root model', async () => {
    const { answers, output } = await find(['QueryRetrieveLevel=PATIENT', 'PatientID']);
    expect(answers).toHaveLength(0);
    expect(output).toMatch(/Final Find Response \(Error: DataSetDoesNotMatchSOPClass\)/);
  });

  it('a C-CANCEL after the first response reaches the find, which ends with a final response', async () => {
    const r = await run('findscu', ['-v', '-aet', 'READER', '-aec', 'VIEWBOX', '-S', '--cancel', '1', '-k', 'QueryRetrieveLevel=IMAGE', '-k', 'SOPInstanceUID', '127.0.0.1', String(node.ready.dicomPort)], { env: dcmtkEnv, timeoutMs: 30_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Received Final Find Response/);
    // Whether the twelve answers were all out before it arrived is a race; that the request was read and matched is not.
    expect(node.stderr()).toMatch(/"msg":"C-CANCEL received"[^\n]*"messageId":1/);
  });
});

describe('refusals', () => {
  it('an unknown caller may store but not query, and the log says why', async () => {
    const { code, output } = await find(['QueryRetrieveLevel=STUDY', 'StudyInstanceUID'], { aet: 'STRANGER' });
    expect(code).not.toBe(0);
    expect(output).toMatch(/No Acceptable Presentation Contexts|rejected/i);
    expect(node.stderr()).toMatch(/find context .* refused: node \\"STRANGER\\" is not allowed find/);
  });

  it('C-MOVE to an AE that is not a configured node is refused (A801)', async () => {
    const r = await run('movescu', ['-v', '-aet', 'READER', '-aec', 'VIEWBOX', '-aem', 'NOWHERE', '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${study('john-cr').studyUid}`, '127.0.0.1', String(node.ready.dicomPort)], { env: dcmtkEnv, timeoutMs: 30_000 });
    expect(r.stdout + r.stderr).toMatch(/Final Move Response \(Refused: MoveDestinationUnknown\)/);
    expect(node.stderr()).toMatch(/move destination \\"NOWHERE\\" is not a configured node/);
  });
});

describe('retrieve', () => {
  it('C-MOVE sends the study to the destination, byte-exact', async () => {
    const ct = study('jane-ct');
    const r = await run('movescu', ['-v', '-aet', 'READER', '-aec', 'VIEWBOX', '-aem', 'DEST', '-S', '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${ct.studyUid}`, '127.0.0.1', String(node.ready.dicomPort)], { env: dcmtkEnv, timeoutMs: 60_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // A Pending response after each of the first three sub-operations, then the final one.
    const log = r.stdout + r.stderr;
    expect(log).toMatch(/Move Response 3 \(Pending\)/);
    expect(log).not.toMatch(/Move Response 4 \(Pending\)/);
    expect(log).toMatch(/Final Move Response \(Success\)/);
    await expectSameDatasets(destination.dir, ct.sopInstanceUids);
  });

  it('C-MOVE counts sub-operations in each response (read by our own SCU)', async () => {
    const mr = study('jane-mr');
    const seen: Array<{ remaining: number | undefined; completed: number }> = [];
    const result = await move(
      { node: { name: 'viewbox', aet: 'VIEWBOX', host: '127.0.0.1', port: node.ready.dicomPort }, callingAe: 'READER', limits: SCU_LIMITS, logger: silentLogger },
      { level: 'STUDY', keys: { '0020000D': { vr: 'UI', Value: [mr.studyUid] } }, destination: 'DEST', onProgress: (p) => seen.push({ remaining: p.remaining, completed: p.completed }) },
    );
    expect(result).toMatchObject({ status: 0, completed: 2, failed: 0, warning: 0, failedSopInstanceUids: [] });
    expect(seen).toEqual([{ remaining: 1, completed: 1 }]);
  });

  it('C-GET returns a series on the same association, byte-exact', async () => {
    const mr = study('jane-mr');
    const out = join(home.path, 'getscu');
    await mkdir(out, { recursive: true });
    const r = await run('getscu', ['-v', '-aet', 'READER', '-aec', 'VIEWBOX', '-S', '-od', out, '-k', 'QueryRetrieveLevel=SERIES', '-k', `StudyInstanceUID=${mr.studyUid}`, '-k', `SeriesInstanceUID=${mr.seriesUids[1]}`, '127.0.0.1', String(node.ready.dicomPort)], { env: dcmtkEnv, timeoutMs: 60_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const expected = [mr.sopInstanceUids[1]!];
    await expectSameDatasets(out, expected);
  });

  it('cancel in the middle of a C-MOVE stops it with Cancel', async () => {
    const r = await run('movescu', ['-v', '-aet', 'READER', '-aec', 'VIEWBOX', '-aem', 'DEST', '-S', '--cancel', '1', '-k', 'QueryRetrieveLevel=PATIENT', '-k', 'PatientID=PID-001', '-P', '127.0.0.1', String(node.ready.dicomPort)], { env: dcmtkEnv, timeoutMs: 60_000 });
    expect(r.stdout + r.stderr).toMatch(/Cancel/i);
    expect(node.stderr()).toMatch(/C-MOVE done.*"cancelled":true/);
  });
});

/** Every instance `uids` arrived in `dir` with the dataset bytes of its source file. */
async function expectSameDatasets(dir: string, uids: string[]): Promise<void> {
  const received = new Map<string, Uint8Array>();
  for (const file of await listFiles(dir)) {
    const parts = splitPart10(await readFile(file), file);
    if (parts.meta.sopInstanceUid) received.set(parts.meta.sopInstanceUid, parts.dataset);
  }
  for (const uid of uids) {
    const source = await sourceDataset(uid);
    const got = received.get(uid);
    expect(got, `instance ${uid} was not received`).toBeDefined();
    expect(Buffer.compare(Buffer.from(got!), Buffer.from(source)), `instance ${uid} differs from what was sent`).toBe(0);
  }
}

async function sourceDataset(uid: string): Promise<Uint8Array> {
  for (const file of sourceFiles) {
    const parts = splitPart10(await readFile(file), file);
    if (parts.meta.sopInstanceUid === uid) return parts.dataset;
  }
  throw new Error(`no fixture file holds ${uid}`);
}
