/**
 * Micro-benchmark (not a test): parse a CT-like 525 KB dataset fed in 16 KB
 * chunks, the shape of the ingest hot path. Run: npx vitest bench --run test/unit/shared/dicom
 */
import { bench, describe } from 'vitest';
import { DatasetParser } from '../../../../shared/dicom/dataset-parser.js';
import { pydicomTestFiles } from '../../../helpers/pydicom-corpus.js';
import { datasetOf } from './corpus-helpers.js';

// CT_small's real header (explicit VR LE) with its 128×128 Pixel Data replaced by 512×512×2 bytes.
const { data, transferSyntaxUid, baseOffset } = datasetOf(`${pydicomTestFiles}/CT_small.dcm`);
const pixelTag = Buffer.from([0xe0, 0x7f, 0x10, 0x00]);
const header = Buffer.from(data).subarray(0, Buffer.from(data).indexOf(pixelTag));
const pixels = Buffer.alloc(12 + 512 * 512 * 2);
pixelTag.copy(pixels, 0);
pixels.write('OW', 4, 'latin1');
pixels.writeUInt32LE(512 * 512 * 2, 8);
const ct = new Uint8Array(Buffer.concat([header, pixels]));
const chunks: Uint8Array[] = [];
for (let i = 0; i < ct.length; i += 16384) chunks.push(ct.subarray(i, i + 16384));

describe(`CT-like dataset, ${(ct.length / 1024).toFixed(0)} KB in 16 KB chunks`, () => {
  bench('DatasetParser', () => {
    const parser = new DatasetParser({ transferSyntaxUid, baseOffset });
    for (const c of chunks) parser.push(c);
    parser.end();
  });
});
