/**
 * What this computer offers a volume, for the memory budget: device memory
 * (navigator.deviceMemory: browsers round it and report at most 8 GB; 4 GB
 * is assumed where it is missing), the size of Cornerstone's image cache
 * (which holds the voxels), and the GPU's 3D texture limit and norm16
 * support, read once from a throwaway WebGL2 context.
 */
import { cache, getRenderingCapabilities } from '@cornerstonejs/core';
import type { Machine } from '../../shared/volume/volume-budget.js';

const GB = 1024 ** 3;
const ASSUMED_MEMORY_GB = 4;
/** WebGL2's guaranteed minimum, for a browser that will not say. */
const MIN_3D_TEXTURE = 256;

let max3dTexture: number | undefined;

function readMax3dTexture(): number {
  if (max3dTexture !== undefined) return max3dTexture;
  const gl = document.createElement('canvas').getContext('webgl2');
  max3dTexture = gl ? Number(gl.getParameter(gl.MAX_3D_TEXTURE_SIZE)) || MIN_3D_TEXTURE : MIN_3D_TEXTURE;
  gl?.getExtension('WEBGL_lose_context')?.loseContext();
  return max3dTexture;
}

export function thisMachine(): Machine {
  const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return {
    memoryBytes: (deviceMemory && deviceMemory > 0 ? deviceMemory : ASSUMED_MEMORY_GB) * GB,
    cacheBytes: cache.getMaxCacheSize(),
    max3dTexture: readMax3dTexture(),
    norm16: (() => {
      const { norm16, norm16Linear } = getRenderingCapabilities();
      return norm16 && norm16Linear;
    })(),
  };
}
