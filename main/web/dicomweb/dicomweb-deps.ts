/** What the DICOMweb routes need from the node (wired in main/node.ts). */
import type { StorageStatus } from '../../../shared/api/app-api.js';
import type { Logger } from '../../log.js';
import type { ArchiveReader } from '../../store/archive-reader.js';
import type { InstanceSink } from '../../store/instance-sink.js';

export interface DicomWebDeps {
  /** The archive's read door: instances, their metadata and their bytes. */
  archive: ArchiveReader;
  /** STOW-RS stores through it, as C-STORE does (pass the node's observed sink so "study arrived" events fire). */
  sink: InstanceSink;
  /** Whether the archive takes writes now; STOW-RS answers 507 when not (a full disk). */
  storage?: () => StorageStatus;
  logger: Logger;
}
