/**
 * The render worker pool: renders on a worker thread give the codec's own
 * result, a full pool refuses at once (before reading anything), a frame
 * that cannot be rendered is a CodecError as on the main thread, and a
 * crashed worker is replaced.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CodecError } from '../../../../main/codec/pixel-info.js';
import { RenderPool, RenderPoolBusy, type RenderJob } from '../../../../main/codec/render-pool.js';
import { renderFrame } from '../../../../main/codec/render.js';
import { corpus, decodeAll, encodedFrames, instanceOf } from './codec-helpers.js';

const pools: RenderPool[] = [];
afterEach(async () => {
  while (pools.length) await pools.pop()!.close();
});
function pool(size: number, queueLimit: number): RenderPool {
  const made = new RenderPool({ size, queueLimit });
  pools.push(made);
  return made;
}

async function mrJob(options: RenderJob['options']): Promise<RenderJob> {
  const instance = await instanceOf(corpus('MR_small.dcm'));
  const [encoded] = await encodedFrames(instance);
  return { transferSyntaxUid: instance.transferSyntaxUid, encoded: encoded!, info: instance.info, json: instance.json, options };
}

describe('render pool', () => {
  it('renders on a worker exactly what renderFrame renders', async () => {
    const options = { format: 'png', viewport: { width: 100, height: 100 }, window: { center: 600, width: 1200 } } as const;
    const { frames, instance } = await decodeAll(corpus('MR_small.dcm'));
    const expected = await renderFrame(frames[0]!, instance.json, options);
    expect(await pool(1, 4).render(() => mrJob(options))).toEqual(expected);
  });

  it('refuses at once when every slot and queue place is taken, without preparing the job', async () => {
    const renders = pool(1, 2);
    const admitted = [1, 2, 3].map(() => renders.render(() => mrJob({ format: 'jpeg' })));
    let prepared = false;
    await expect(
      renders.render(async () => {
        prepared = true;
        return mrJob({ format: 'jpeg' });
      }),
    ).rejects.toBeInstanceOf(RenderPoolBusy);
    expect(prepared).toBe(false);
    for (const image of await Promise.all(admitted)) expect([image[0], image[1]]).toEqual([0xff, 0xd8]);
    // Room again once they are done.
    expect((await renders.render(() => mrJob({ format: 'jpeg' })))[0]).toBe(0xff);
  });

  it('passes a frame that cannot be rendered back as a CodecError, and keeps working', async () => {
    const renders = pool(1, 1);
    const error = await renders.render(async () => {
      const job = await mrJob({ format: 'png' });
      return { ...job, info: { ...job.info, photometricInterpretation: 'YBR_ICT' } };
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodecError);
    expect((error as Error).message).toMatch(/YBR_ICT/);
    expect((await renders.render(() => mrJob({ format: 'png' })))[1]).toBe(0x50); // "P" of the PNG signature
  });

  it('ends a render that overruns its deadline (its worker is ended with it)', async () => {
    const renders = new RenderPool({ size: 1, queueLimit: 1, deadlineMs: 1 });
    pools.push(renders);
    await expect(renders.render(() => mrJob({ format: 'jpeg', viewport: { width: 256, height: 256 } }))).rejects.toThrow(/render worker ended/);
  });
});
