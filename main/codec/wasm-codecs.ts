/**
 * The @cornerstonejs WASM decoders under Node: each module is loaded once,
 * on first use, with its console output captured (OpenJPEG prints progress
 * on stdout) so that a failure can say what the codec said.
 */
import { createRequire } from 'node:module';
import { CodecError } from './pixel-info.js';

export type WasmCodec = 'libjpeg-turbo' | 'charls' | 'openjpeg' | 'openjph';

export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** What the embind classes of the four packages have in common (and the few extras we read). */
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  delete(): void;
  getInterleaveMode?(): number;
  getNearLossless?(): number;
  getIsReversible?(): boolean;
}

type Factory = (options: { print: (line: string) => void; printErr: (line: string) => void }) => Promise<Record<string, new () => WasmDecoder>>;

const PACKAGES: Record<WasmCodec, { specifier: string; decoderClass: string }> = {
  'libjpeg-turbo': { specifier: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', decoderClass: 'JPEGDecoder' },
  charls: { specifier: '@cornerstonejs/codec-charls/decodewasmjs', decoderClass: 'JpegLSDecoder' },
  openjpeg: { specifier: '@cornerstonejs/codec-openjpeg/decodewasmjs', decoderClass: 'J2KDecoder' },
  openjph: { specifier: '@cornerstonejs/codec-openjph/wasmjs', decoderClass: 'HTJ2KDecoder' },
};

interface Loaded {
  Decoder: new () => WasmDecoder;
  /** Lines the module printed during the current decode. */
  messages: string[];
}

const require = createRequire(import.meta.url);
const loaded = new Map<WasmCodec, Promise<Loaded>>();

function load(codec: WasmCodec): Promise<Loaded> {
  let module = loaded.get(codec);
  if (module === undefined) {
    module = (async () => {
      const { specifier, decoderClass } = PACKAGES[codec];
      const messages: string[] = [];
      const collect = (line: string): void => {
        if (messages.length < 20) messages.push(line);
      };
      const factory = require(specifier) as Factory;
      const instance = await factory({ print: collect, printErr: collect });
      const Decoder = instance[decoderClass];
      if (Decoder === undefined) throw new CodecError(`${specifier} has no ${decoderClass}`);
      return { Decoder, messages };
    })();
    // A failed load is not cached: the next call tries again and reports its own error.
    module.catch(() => loaded.delete(codec));
    loaded.set(codec, module);
  }
  return module;
}

export interface WasmDecoded {
  /** A copy, outside WASM memory. */
  pixels: Uint8Array;
  frameInfo: WasmFrameInfo;
  /** CharLS: 0 = planes one after another, 1 line, 2 sample interleaved. */
  interleaveMode?: number;
  /** CharLS: the NEAR parameter (0 = lossless). */
  nearLossless?: number;
  /** OpenJPEG / OpenJPH: reversible wavelet (lossless). */
  reversible?: boolean;
}

export async function wasmDecode(codec: WasmCodec, encoded: Uint8Array): Promise<WasmDecoded> {
  const { Decoder, messages } = await load(codec);
  messages.length = 0;
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const frameInfo = decoder.getFrameInfo();
    const view = decoder.getDecodedBuffer();
    if (view.length === 0) throw new Error('no pixels decoded');
    const result: WasmDecoded = { pixels: new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength)), frameInfo };
    if (decoder.getInterleaveMode) result.interleaveMode = decoder.getInterleaveMode();
    if (decoder.getNearLossless) result.nearLossless = decoder.getNearLossless();
    if (decoder.getIsReversible) result.reversible = decoder.getIsReversible();
    return result;
  } catch (error) {
    // Embind throws C++ exceptions as bare numbers; what the codec printed is the useful part.
    const said = messages.filter((m) => /error|warning|fail/i.test(m)).join('; ') || (error instanceof Error ? error.message : 'decoder aborted');
    throw new CodecError(`${codec} could not decode the frame: ${said}`);
  } finally {
    decoder.delete();
  }
}
