/**
 * A slow reader against the real node (`viewbox serve`): a C-GET requestor
 * that stops reading (getscu suspended with SIGSTOP) leaves the node's socket
 * full. The node must treat that as idleness, abort after the idle timeout
 * with the reason in its log, and free the slot for the next caller.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCtSeries } from '../../fixtures/ct-series.js';
import { tempDir } from '../../helpers/tmp.js';
import { dcmtkEnv } from '../../helpers/run.js';
import { echoscu, storescu } from '../../helpers/peers/storescu.js';
import { startViewbox, type Viewbox } from '../../helpers/peers/viewbox.js';
import { waitFor } from '../../helpers/peers/wait.js';

const IDLE_SECONDS = 2;
/** Far more than loopback's socket buffers hold (a few MB each way), so the node's writes must wait. */
const IMAGES = 60;

let work: Awaited<ReturnType<typeof tempDir>>;
let node: Viewbox;
let studyUid: string;
let getscu: ChildProcess | undefined;

beforeAll(async () => {
  work = await tempDir('viewbox-slow-reader-');
  const input = join(work.path, 'in');
  mkdirSync(input);
  studyUid = generateCtSeries({ dir: input, count: IMAGES, rows: 512, cols: 512, patientName: 'Slow^Reader', patientId: 'SLOW-1' }).studyUid;
  const config = join(work.path, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      acceptUnknownCallers: true,
      limits: { maxAssociations: 1, idleTimeoutSeconds: IDLE_SECONDS, artimTimeoutSeconds: 3 },
      nodes: [{ name: 'reader', aet: 'READER', host: '127.0.0.1', port: 1, allow: ['get'] }],
    }),
  );
  node = await startViewbox({ dataDir: join(work.path, 'data'), args: ['--config', config] });
  const sent = await storescu({ port: node.dicomPort, calledAet: node.aet, dir: input });
  expect(sent.stored).toHaveLength(IMAGES);
}, 120_000);

afterAll(async () => {
  getscu?.kill('SIGKILL');
  await node?.stop();
  await work?.cleanup();
});

describe('a C-GET requestor that stops reading', () => {
  it('is aborted after the idle timeout, logged, and its slot freed', { timeout: 60_000 }, async () => {
    const out = join(work.path, 'get');
    mkdirSync(out);
    getscu = spawn('getscu', ['-aet', 'READER', '-aec', node.aet, '-k', 'QueryRetrieveLevel=STUDY', '-k', `StudyInstanceUID=${studyUid}`, '-od', out, '127.0.0.1', String(node.dicomPort)], {
      env: dcmtkEnv,
      stdio: 'ignore',
    });
    await waitFor('getscu receiving its first instance', () => readdirSync(out).length > 0, 20_000);
    getscu.kill('SIGSTOP');
    const stoppedAt = Date.now();

    // The only slot is held while the node waits on the full socket.
    const refused = await echoscu({ port: node.dicomPort, calledAet: node.aet });
    expect(refused.ok).toBe(false);

    await waitFor('the node giving up on the stalled reader', () => /answered nothing for 2 s/.test(node.output()), 20_000);
    const heldMs = Date.now() - stoppedAt;
    const abortLine = node.output().split('\n').find((line) => line.includes('answered nothing for'))!;
    expect(abortLine).toContain('READER');
    expect(heldMs).toBeLessThan(15_000);

    await waitFor('the slot to be free again', async () => (await echoscu({ port: node.dicomPort, calledAet: node.aet })).ok, 15_000, 200);
    expect(readdirSync(out).length).toBeLessThan(IMAGES);
    console.log(`stalled reader: slot freed ${heldMs} ms after the peer stopped reading (idle timeout ${IDLE_SECONDS} s)`);
  });
});
