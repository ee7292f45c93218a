/**
 * Hostile queries against a running `viewbox serve`: a wildcard key built to
 * make a backtracking matcher run for minutes answers within a second over
 * QIDO-RS and C-FIND while another association's C-ECHO answers within
 * 100 ms; a C-FIND asking for a sequence whose items hold binary values
 * (an Icon Image Sequence) gets every match, and the association is released
 * normally.
 */
import { mkdirSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DicomJsonDataset } from '../../../shared/dicom/json.js';
import { readStoredHeader } from '../../../main/store/stored-file.js';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { encodeElements, newUid, type Element } from '../../fixtures/part10-writer.js';
import { runTimed, spanMs, timedEcho, writeTimedLogConfig } from '../../helpers/peers/dcmtk-timing.js';
import { storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { httpGet } from '../cli/http-get.js';

const LONG = 'a'.repeat(5000);
/** 24 `*`: a backtracking matcher tries C(5000, 24) ways before saying no. */
const HOSTILE_KEY = `*${'a*'.repeat(24)}b`;

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
let logConfig: string;
let longStudyUid: string;
let iconStudy: { studyUid: string; sopInstanceUids: string[]; iconSop: string };

/** One item of an explicit VR LE sequence. */
function item(elements: Element[]): Buffer {
  const body = encodeElements(elements);
  const header = Buffer.alloc(8);
  header.writeUInt16LE(0xfffe, 0);
  header.writeUInt16LE(0xe000, 2);
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body]);
}

/** A 64×64 8-bit icon: its Pixel Data (4,096 bytes) is bulk data inside the item. */
function iconImageSequence(): Element {
  const pixels = new Uint8Array(64 * 64).map((_, i) => i % 251);
  const icon = item([
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: 64 },
    { tag: 0x00280011, vr: 'US', value: 64 },
    { tag: 0x00280100, vr: 'US', value: 8 },
    { tag: 0x00280101, vr: 'US', value: 8 },
    { tag: 0x00280102, vr: 'US', value: 7 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x7fe00010, vr: 'OB', value: pixels },
  ]);
  return { tag: 0x00880200, vr: 'SQ', value: icon };
}

beforeAll(async () => {
  work = await tempDir('viewbox-e2e-query-');
  logConfig = writeTimedLogConfig(work.path);
  const fixtures = join(work.path, 'fixtures');
  const longDir = join(fixtures, 'long');
  const iconDir = join(fixtures, 'icon');
  mkdirSync(longDir, { recursive: true });
  mkdirSync(iconDir, { recursive: true });
  // Values far over LO's and PN's 64 characters: a sender may send them, and they are stored as sent.
  const long = generateCtSeries({
    dir: longDir,
    count: 1,
    rows: 16,
    cols: 16,
    patientId: 'PID-LONG',
    overrides: [
      { tag: 0x00081030, vr: 'LO', value: LONG },
      { tag: 0x00100010, vr: 'PN', value: LONG },
    ],
  });
  longStudyUid = long.studyUid;
  const studyUid = newUid();
  const seriesUid = newUid();
  const plain = generateCtSeries({ dir: iconDir, count: 2, rows: 16, cols: 16, patientId: 'PID-ICON', studyUid, seriesUid });
  const withIcon = generateCtSeries({
    dir: iconDir,
    count: 1,
    rows: 16,
    cols: 16,
    patientId: 'PID-ICON',
    studyUid,
    seriesUid,
    overrides: [iconImageSequence(), { tag: 0x00200013, vr: 'IS', value: '3' }],
    fileName: () => 'ICON.dcm',
  });
  iconStudy = { studyUid, sopInstanceUids: [...plain.files, ...withIcon.files].map((f) => f.sopInstanceUid), iconSop: withIcon.files[0]!.sopInstanceUid };

  const config = { aet: 'QUERY_VBX', acceptUnknownCallers: true, nodes: [{ name: 'reader', aet: 'READER', host: '127.0.0.1', port: 1, allow: ['find'] }] };
  await writeFile(join(work.path, 'config.json'), JSON.stringify(config));
  node = await startViewbox({ dataDir: join(work.path, 'archive'), args: ['--config', join(work.path, 'config.json')] });
  const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: fixtures });
  expect(sent.stored, sent.log).toHaveLength(4);
}, 60_000);

afterAll(async () => {
  const exit = node ? await node.stop() : undefined;
  await work?.cleanup();
  if (exit) expect(exit.code, 'viewbox serve exits 0 on SIGTERM').toBe(0);
});

/** `promise`, or a rejection naming `what` after `ms`: a stalled node fails the test instead of hanging it. */
function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

interface FindRun {
  code: number | null;
  answers: DicomJsonDataset[];
  /** From the C-FIND request to the final response, as findscu logged it. */
  ms: number | undefined;
  log: string;
}

/** findscu (Study Root) with `keys`; `onRequest` runs once the C-FIND request is on its way. */
async function find(keys: string[], onRequest?: () => void): Promise<FindRun> {
  const out = await tempDir('viewbox-findscu-');
  try {
    const args = ['-aet', 'READER', '-aec', node.aet, '-S', '-X', '-od', out.path, ...keys.flatMap((k) => ['-k', k]), '127.0.0.1', String(node.dicomPort)];
    let told = false;
    const run = await runTimed(
      'findscu',
      args,
      logConfig,
      (line) => {
        if (!told && /^Sending Find Request/.test(line.text)) {
          told = true;
          onRequest?.();
        }
      },
      10_000,
    );
    const files = (await readdir(out.path)).filter((f) => f.startsWith('rsp')).sort();
    const answers = await Promise.all(files.map(async (f) => (await readStoredHeader(join(out.path, f))).json));
    return { code: run.code, answers, ms: spanMs(run.lines, /^Sending Find Request/, /^Received Final Find Response/), log: run.log };
  } finally {
    await out.cleanup();
  }
}

describe('a wildcard key with 24 `*` against 5,000-character values', () => {
  it.each([
    ['StudyDescription', '00081030'],
    ['PatientName', '00100010'],
  ])('QIDO-RS %s: answered within 1 s, a concurrent C-ECHO within 100 ms', async (keyword) => {
    const path = `/dicom-web/studies?${keyword}=${encodeURIComponent(HOSTILE_KEY)}`;
    const started = performance.now();
    const answer = within(5000, 'QIDO-RS', httpGet(node.httpPort, path, { authorization: `Bearer ${node.token}` })).then((reply) => ({ reply, ms: performance.now() - started }));
    const echo = await within(10_000, 'C-ECHO', timedEcho({ port: node.dicomPort, calledAet: node.aet, config: logConfig }));
    const { reply, ms } = await answer;
    expect([200, 204], reply.body).toContain(reply.status);
    expect(reply.body === '' ? [] : (JSON.parse(reply.body) as unknown[])).toEqual([]);
    expect(ms).toBeLessThan(1000);
    expect(echo.ok, echo.log).toBe(true);
    expect(echo.ms, echo.log).toBeLessThan(100);
    // The same kind of key, satisfiable, finds the study: the matcher still matches.
    const found = await httpGet(node.httpPort, `/dicom-web/studies?${keyword}=${encodeURIComponent(`*${'A*'.repeat(24)}`)}`, { authorization: `Bearer ${node.token}` });
    expect(found.status, found.body).toBe(200);
    expect((JSON.parse(found.body) as DicomJsonDataset[]).map((s) => s['0020000D']?.Value?.[0])).toEqual([longStudyUid]);
  });

  it.each(['StudyDescription', 'PatientName'])('C-FIND %s (findscu): answered within 1 s, a concurrent C-ECHO within 100 ms', async (keyword) => {
    let echo: ReturnType<typeof timedEcho> | undefined;
    const result = await find(['QueryRetrieveLevel=STUDY', 'StudyInstanceUID', `${keyword}=${HOSTILE_KEY}`], () => {
      echo = timedEcho({ port: node.dicomPort, calledAet: node.aet, config: logConfig });
    });
    expect(result.code, result.log).toBe(0);
    expect(result.answers).toEqual([]);
    expect(result.ms, result.log).toBeLessThan(1000);
    expect(echo, 'the C-ECHO was started').toBeDefined();
    const echoed = await within(10_000, 'C-ECHO', echo!);
    expect(echoed.ok, echoed.log).toBe(true);
    expect(echoed.ms, echoed.log).toBeLessThan(100);
  });
});

describe('C-FIND asking for a sequence whose items hold binary values', () => {
  it('answers every match, the icon item without its Pixel Data, and releases the association', async () => {
    const result = await find(['QueryRetrieveLevel=IMAGE', `StudyInstanceUID=${iconStudy.studyUid}`, 'SOPInstanceUID', 'InstanceNumber', 'IconImageSequence']);
    expect(result.code, result.log).toBe(0);
    expect(result.log).toMatch(/Received Final Find Response \(Success\)/);
    expect(result.log).toMatch(/Releasing Association/);
    expect(result.log).not.toMatch(/Abort/i);
    const bySop = new Map(result.answers.map((a) => [a['00080018']?.Value?.[0], a]));
    expect([...bySop.keys()].sort()).toEqual([...iconStudy.sopInstanceUids].sort());
    const icon = bySop.get(iconStudy.iconSop)!['00880200'];
    expect(icon?.vr).toBe('SQ');
    const iconItem = icon?.Value?.[0] as DicomJsonDataset;
    expect(iconItem['00280010']?.Value).toEqual([64]);
    expect(iconItem['00280004']?.Value).toEqual(['MONOCHROME2']);
    // The binary value is returned empty: a C-FIND answer carries no bulk data.
    expect(iconItem['7FE00010']).toBeDefined();
    expect(iconItem['7FE00010']?.BulkDataURI).toBeUndefined();
    expect(iconItem['7FE00010']?.InlineBinary ?? '').toBe('');
    // The node goes on answering on a new association.
    const again = await find(['QueryRetrieveLevel=STUDY', `StudyInstanceUID=${iconStudy.studyUid}`]);
    expect(again.answers).toHaveLength(1);
  });
});
