/**
 * Builds the reading room (renderer/) into dist/renderer, which the node
 * serves from its own origin (main/web/static-ui.ts). The Cornerstone3D
 * settings are the ones measured to work here (see TESTING.md): the DICOM
 * image loader's decode worker is an ES module found through
 * `new URL(..., import.meta.url)`, and the WASM codec glue is CommonJS.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  plugins: [react()],
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      'dicom-parser',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Cornerstone3D and vtk.js are large by nature; the warning says nothing useful here.
    chunkSizeWarningLimit: 8000,
    // A report of which plugins took the build's time: noise in every build log.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
