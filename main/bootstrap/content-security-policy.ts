/**
 * The reading room's Content-Security-Policy: the node sends it with the
 * app's HTML, and the Electron shell adds it to any response from the node
 * that lacks it. A leaf, so the shell need not load the HTTP face for it.
 *
 * WASM codecs need 'wasm-unsafe-eval'; the DICOM decoders run in module
 * workers (and Cornerstone may start blob: workers); React and Cornerstone
 * set inline styles; images may be data:/blob: URLs. Nothing else leaves or
 * enters the origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
