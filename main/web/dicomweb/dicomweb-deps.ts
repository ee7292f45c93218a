/** What the DICOMweb routes need from the node (wired in main/node.ts). */
import type { ArchiveIndex } from '../../index/archive-index.js';
import type { StorageStatus } from '../../../shared/api/app-api.js';
import type { Logger } from '../../log.js';
import type { InstanceSink } from '../../store/instance-sink.js';

export interface DicomWebDeps {
  /** Where metadata and file locations come from. */
  index: ArchiveIndex;
  /** The archive's data folder: index paths are relative to it. */
  dataDir: string;
  /** STOW-RS stores through it, as C-STORE does (pass the node's observed sink so "study arrived" events fire). */
  sink: InstanceSink;
  /** Whether the archive takes writes now; STOW-RS answers 507 when not (a full disk). */
  storage?: () => StorageStatus;
  logger: Logger;
}
