/**
 * JPEG 2000 and HTJ2K codestreams made in the test, with the encoders that
 * ship beside the decoders (there is no HTJ2K file in the pydicom corpus and
 * no JPEG 2000 encoder in DCMTK).
 */
import { createRequire } from 'node:module';

interface Encoder {
  getDecodedBuffer(frameInfo: { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean; isUsingColorTransform?: boolean }): Uint8Array;
  getEncodedBuffer(): Uint8Array;
  encode(): void;
  setQuality(lossless: boolean, step: number): void;
  delete(): void;
}
type Factory = (options: object) => Promise<Record<string, new () => Encoder>>;

const require = createRequire(import.meta.url);
const modules = new Map<string, Promise<Record<string, new () => Encoder>>>();

/** Once per package: an Emscripten module keeps its embind registrations on the options object it was given. */
function load(specifier: string): Promise<Record<string, new () => Encoder>> {
  let module = modules.get(specifier);
  if (module === undefined) {
    module = (require(specifier) as Factory)({ print: () => undefined, printErr: () => undefined });
    modules.set(specifier, module);
  }
  return module;
}

export interface EncodeOptions {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
  /** Undefined for lossless, else the quantization step (irreversible wavelet). */
  lossyStep?: number;
}

export async function encodeJ2k(kind: 'openjpeg' | 'openjph', pixels: Uint8Array, options: EncodeOptions): Promise<Uint8Array> {
  const specifier = kind === 'openjpeg' ? '@cornerstonejs/codec-openjpeg/wasmjs' : '@cornerstonejs/codec-openjph/wasmjs';
  const module = await load(specifier);
  const encoder = new module[kind === 'openjpeg' ? 'J2KEncoder' : 'HTJ2KEncoder']!();
  try {
    const { lossyStep, ...frameInfo } = options;
    encoder.getDecodedBuffer({ ...frameInfo, isUsingColorTransform: false }).set(pixels);
    if (lossyStep !== undefined) encoder.setQuality(false, lossyStep);
    encoder.encode();
    return encoder.getEncodedBuffer().slice();
  } finally {
    encoder.delete();
  }
}
