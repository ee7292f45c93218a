/**
 * The fixture readers on the paths the Debian files do not take: a NIfTI
 * with only a qform (quaternion) transform, and a Fortran-order .npy.
 */
import { describe, expect, it } from 'vitest';
import { parseNifti } from '../../../fixtures/volumes/nifti.js';
import { parseNpy } from '../../../fixtures/volumes/npy.js';

/** A minimal single-file NIfTI-1: 2×3×4 int16 voxels 0..23, qform only. */
function qformNifti(quaternion: [number, number, number], offset: [number, number, number], qfac: number): Uint8Array {
  const bytes = new Uint8Array(352 + 24 * 2);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 348, true);
  [3, 2, 3, 4, 1, 1, 1, 1].forEach((d, k) => view.setInt16(40 + 2 * k, d, true));
  view.setInt16(70, 4, true); // int16
  view.setInt16(72, 16, true);
  [qfac, 2, 3, 4].forEach((p, k) => view.setFloat32(76 + 4 * k, p, true));
  view.setFloat32(108, 352, true);
  view.setInt16(252, 1, true); // qform_code: scanner
  [...quaternion, ...offset].forEach((v, k) => view.setFloat32(256 + 4 * k, v, true));
  bytes.set([0x6e, 0x2b, 0x31, 0], 344); // "n+1\0"
  for (let n = 0; n < 24; n++) view.setInt16(352 + 2 * n, n, true);
  return bytes;
}

describe('NIfTI qform', () => {
  it('identity quaternion: voxel sizes on the diagonal, the offset as translation, qfac −1 flips k', () => {
    const nifti = parseNifti(qformNifti([0, 0, 0], [10, 20, 30], -1));
    expect(nifti.transform).toBe('qform');
    expect(nifti.affine.map((row) => row.map((v) => v + 0))).toEqual([
      [2, 0, 0, 10],
      [0, 3, 0, 20],
      [0, 0, -4, 30],
    ]);
    expect([...nifti.voxels]).toEqual(Array.from({ length: 24 }, (_, n) => n));
  });

  it('a 90° turn about z (b = c = 0, d = sin 45°): i runs along +y, j along −x', () => {
    const s = Math.SQRT1_2;
    const nifti = parseNifti(qformNifti([0, 0, s], [0, 0, 0], 1));
    const rounded = nifti.affine.map((row) => row.map((v) => Math.round(v * 1e6) / 1e6 + 0));
    expect(rounded).toEqual([
      [0, -3, 0, 0],
      [2, 0, 0, 0],
      [0, 0, 4, 0],
    ]);
  });

  it('names the file and the problem when it is not NIfTI-1', () => {
    expect(() => parseNifti(new Uint8Array(400), 'x.nii')).toThrow('x.nii: not a NIfTI-1 file (sizeof_hdr is not 348 in either byte order)');
  });
});

/** A version 1.0 .npy of the given header text and data bytes. */
function npy(header: string, data: Uint8Array): Uint8Array {
  const padded = header.padEnd(118 - 1, ' ') + '\n'; // header length makes the data start at 128
  const bytes = new Uint8Array(10 + padded.length + data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 0xff, padded.length >> 8]);
  bytes.set(new TextEncoder().encode(padded), 10);
  bytes.set(data, 10 + padded.length);
  return bytes;
}

describe('.npy', () => {
  it('reorders a Fortran-order array to C order', () => {
    // 2×3 array [[0,1,2],[3,4,5]] stored column by column: 0 3 1 4 2 5.
    const data = new Uint8Array(new Int16Array([0, 3, 1, 4, 2, 5]).buffer);
    const array = parseNpy(npy("{'descr': '<i2', 'fortran_order': True, 'shape': (2, 3), }", data));
    expect(array.shape).toEqual([2, 3]);
    expect([...array.data]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reads big-endian and refuses types it does not handle, naming them', () => {
    const big = parseNpy(npy("{'descr': '>u2', 'fortran_order': False, 'shape': (2,), }", new Uint8Array([0x01, 0x02, 0x00, 0x05])));
    expect([...big.data]).toEqual([0x0102, 5]);
    expect(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)), 'a.npy')).toThrow(
      "a.npy: dtype '<f4' is not supported (only 8- and 16-bit integers)",
    );
  });
});
