/**
 * Sequence nesting is bounded where the bytes are read: 64 levels parse (and
 * the recursive consumers, the writer and JSON, take them), 65 are refused
 * with a parse error naming the limit, and 10,000 are refused at once rather
 * than overflowing a stack further on.
 */
import { describe, expect, it } from 'vitest';
import { DicomParseError, MAX_SEQUENCE_DEPTH, parseDataset } from '../../../../shared/dicom/dataset-parser.js';
import { encodeDataset } from '../../../../shared/dicom/dataset-writer.js';
import type { DicomJsonDataset } from '../../../../shared/dicom/json.js';
import { EXPLICIT_VR_LE } from '../../../../shared/dicom/uid-registry.js';

const UNDEFINED = 0xffffffff;

function header(group: number, element: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(element, 2);
  b.writeUInt32LE(length, 4);
  return b;
}

/** (0008,1140) SQ of undefined length, explicit VR LE. */
const SEQUENCE = Buffer.from([0x08, 0x00, 0x40, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff]);
/** (0008,1150) UI "1.2" as the innermost item's content. */
const LEAF = Buffer.from([0x08, 0x00, 0x50, 0x11, 0x55, 0x49, 4, 0, 0x31, 0x2e, 0x32, 0]);

/** A dataset holding `depth` nested sequences, each with one item of undefined length. */
function nested(depth: number): Uint8Array {
  const parts: Buffer[] = [];
  for (let i = 0; i < depth; i++) parts.push(SEQUENCE, header(0xfffe, 0xe000, UNDEFINED));
  parts.push(LEAF);
  for (let i = 0; i < depth; i++) parts.push(header(0xfffe, 0xe00d, 0), header(0xfffe, 0xe0dd, 0));
  return Buffer.concat(parts);
}

/** A dataset holding `depth` nested sequences with defined lengths, built from the inside out. */
function nestedDefined(depth: number): Uint8Array {
  let inner: Buffer = LEAF;
  for (let i = 0; i < depth; i++) {
    const itemBytes = Buffer.concat([header(0xfffe, 0xe000, inner.length), inner]);
    const sq = Buffer.from([0x08, 0x00, 0x40, 0x11, 0x53, 0x51, 0, 0, 0, 0, 0, 0]);
    sq.writeUInt32LE(itemBytes.length, 8);
    inner = Buffer.concat([sq, itemBytes]);
  }
  return inner;
}

function depthOf(dataset: DicomJsonDataset): number {
  let depth = 0;
  let at: DicomJsonDataset | undefined = dataset;
  while (at?.['00081140']) {
    depth++;
    at = at['00081140'].Value?.[0] as DicomJsonDataset | undefined;
  }
  return depth;
}

const parse = (bytes: Uint8Array) => parseDataset(bytes, { transferSyntaxUid: EXPLICIT_VR_LE });

describe('sequence nesting depth', () => {
  it.each([
    ['undefined lengths', nested],
    ['defined lengths', nestedDefined],
  ])('%s: %i levels parse, and the writer and JSON take them', (_name, build) => {
    const json = parse(build(MAX_SEQUENCE_DEPTH));
    expect(MAX_SEQUENCE_DEPTH).toBe(64);
    expect(depthOf(json)).toBe(64);
    expect(parse(encodeDataset(json, { explicitVr: true }))).toEqual(json);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it.each([
    ['undefined lengths', nested],
    ['defined lengths', nestedDefined],
  ])('%s: one level more is refused, naming the limit', (_name, build) => {
    expect(() => parse(build(MAX_SEQUENCE_DEPTH + 1))).toThrow(DicomParseError);
    expect(() => parse(build(MAX_SEQUENCE_DEPTH + 1))).toThrow(/\(0008,1140\).*sequences nested deeper than 64 levels/);
  });

  it('10,000 levels are refused within 100 ms', () => {
    const bytes = nested(10_000);
    const started = performance.now();
    expect(() => parse(bytes)).toThrow(/nested deeper than 64/);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
