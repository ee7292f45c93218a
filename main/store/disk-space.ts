/**
 * Whether the data folder's disk can take more: evidence (a write that failed
 * for lack of space) sets "full", and only the file system's own count
 * (statfs) clears it, so a node neither refuses on a guess nor keeps failing
 * writes one by one while the disk stays full.
 */
import { statfsSync } from 'node:fs';
import type { StorageStatus } from '../../shared/api/app-api.js';

/** Free space below which a disk that has refused a write still counts as full (a larger object may fail where smaller ones fit). */
export const MIN_FREE_BYTES = 256 * 1024;

/** Error codes that mean "no space" from the file system or SQLite. */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE']);

/** True when `error` (or its cause) says the disk is full. */
export function isDiskFullError(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && FULL_CODES.has(code)) return true;
    if ((e as { code?: unknown }).code === 'disk-full') return true;
  }
  return false;
}

/** Bytes an unprivileged writer may still use under `dir`; undefined when the file system will not say. */
export function freeBytesAt(dir: string): number | undefined {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  } catch {
    return undefined;
  }
}

export class DiskSpace {
  private full = false;
  private free: number | undefined;

  constructor(private readonly dir: string) {
    this.refresh();
  }

  /** A write failed for lack of space. */
  noteFull(): void {
    this.full = true;
    this.refresh();
  }

  /** Re-reads the free space; clears "full" once there is room again. Returns whether the disk is full. */
  refresh(): boolean {
    this.free = freeBytesAt(this.dir);
    if (this.full && this.free !== undefined && this.free >= MIN_FREE_BYTES) this.full = false;
    return this.full;
  }

  /** At least MIN_FREE_BYTES free (or the file system will not say). */
  hasRoom(): boolean {
    return this.free === undefined || this.free >= MIN_FREE_BYTES;
  }

  get isFull(): boolean {
    return this.full;
  }

  get freeBytes(): number | undefined {
    return this.free;
  }
}

/** What /api/status says of the storage. */
export function storageStatus(writable: boolean, space: DiskSpace): StorageStatus {
  return { writable, ...(writable ? {} : { reason: 'disk full' as const }), freeBytes: space.freeBytes ?? null };
}
