/**
 * electron-builder's afterPack hook (electron-builder.yml): burns Viewbox's
 * Electron fuses into the packed Electron binary, before electron-builder
 * signs it. Fuses are bits in the binary itself, so no command line, no
 * environment variable and no file next to the app can turn these features
 * back on (docs/electron.md, "Fuses"). A plain CommonJS module, so that every
 * electron-builder version can load it without a build step.
 */
'use strict';
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The packaged shell's fuses: the one place they are set (test/unit/electron/fuses.test.ts reads it). */
const SHELL_FUSES = Object.freeze({
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a general Node.js interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies (the node's session) are encrypted at rest with the OS keychain.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS could preload arbitrary code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect and friends would open a debugger on the main process.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar is checked against the hash electron-builder embeds (macOS and Windows; Electron has none on Linux).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // The app is loaded from app.asar only, never from a loose folder put beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
});

/** electron-builder's Arch.arm64. */
const ARM64 = 3;

/** The packed Electron binary (for macOS its .app, which @electron/fuses looks into). */
function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    default:
      return path.join(appOutDir, packager.executableName);
  }
}

async function afterPack(context) {
  const binary = electronBinary(context);
  const isMac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  try {
    // Flipping fuses breaks an Apple Silicon binary's ad-hoc signature; it is made again (the real signing comes later).
    await flipFuses(binary, { ...SHELL_FUSES, resetAdHocDarwinSignature: isMac && context.arch === ARM64 });
  } catch (error) {
    throw new Error(`cannot set the Electron fuses of ${binary}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

module.exports = { default: afterPack, SHELL_FUSES, electronBinary };
