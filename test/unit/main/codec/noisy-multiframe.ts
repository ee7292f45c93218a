/**
 * A small multi-frame 16-bit image whose frames do not compress to nothing
 * (noise over a gradient), so that DCMTK's encoders split each frame into
 * several fragments when told to (+fs).
 */
import { writeFile } from 'node:fs/promises';
import { elementHeader, encodeElements, encodeFileMeta, newUid, type Element } from '../../../fixtures/part10-writer.js';

const MF_GRAYSCALE_WORD_SC = '1.2.840.10008.5.1.4.1.1.7.3';

export interface NoisyMultiframe {
  /** The native frames as written (little endian). */
  frames: Buffer[];
  sopInstanceUid: string;
}

export async function writeNoisyMultiframe(path: string, frameCount: number, rows = 64, cols = 64, extra: Element[] = []): Promise<NoisyMultiframe> {
  let seed = 12345;
  const frames = Array.from({ length: frameCount }, (_, f) => {
    const frame = Buffer.alloc(rows * cols * 2);
    for (let i = 0; i < rows * cols; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      frame.writeUInt16LE((f * 300 + i + (seed >>> 22)) & 0x0fff, 2 * i);
    }
    return frame;
  });
  const sopInstanceUid = newUid();
  const elements: Element[] = [
    { tag: 0x00080016, vr: 'UI', value: MF_GRAYSCALE_WORD_SC },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080060, vr: 'CS', value: 'OT' },
    { tag: 0x00100010, vr: 'PN', value: 'Noise^Multiframe' },
    { tag: 0x0020000d, vr: 'UI', value: newUid() },
    { tag: 0x0020000e, vr: 'UI', value: newUid() },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(frameCount) },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: cols },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 12 },
    { tag: 0x00280102, vr: 'US', value: 11 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    ...extra,
  ];
  const pixels = Buffer.concat(frames);
  await writeFile(
    path,
    Buffer.concat([encodeFileMeta({ sopClassUid: MF_GRAYSCALE_WORD_SC, sopInstanceUid }), encodeElements(elements), elementHeader(0x7fe00010, 'OW', pixels.length), pixels]),
  );
  return { frames, sopInstanceUid };
}
