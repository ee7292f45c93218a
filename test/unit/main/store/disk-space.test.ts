/** What counts as "disk full", and when a full disk counts as having room again. */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DiskSpace, isDiskFullError, storageStatus } from '../../../../main/store/disk-space.js';
import { IngestError } from '../../../../main/store/instance-sink.js';

const withCode = (code: string) => Object.assign(new Error(code), { code });

describe('disk space', () => {
  it('recognises a full disk from the file system, SQLite and the store, also as a cause', () => {
    for (const code of ['ENOSPC', 'EDQUOT', 'SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE']) expect(isDiskFullError(withCode(code)), code).toBe(true);
    expect(isDiskFullError(new IngestError('disk-full', 'disk full while writing x'))).toBe(true);
    expect(isDiskFullError(new Error('storing failed', { cause: withCode('ENOSPC') }))).toBe(true);
    for (const code of ['EACCES', 'EIO', 'SQLITE_CORRUPT']) expect(isDiskFullError(withCode(code)), code).toBe(false);
    expect(isDiskFullError(new IngestError('io', 'x'))).toBe(false);
    expect(isDiskFullError('ENOSPC')).toBe(false);
  });

  it('is full only on evidence, and free again once statfs shows room', () => {
    const space = new DiskSpace(tmpdir());
    expect(space.isFull).toBe(false);
    expect(space.freeBytes).toBeGreaterThan(0);
    // The temp folder has room: a write that failed (a larger object) does not keep it "full".
    space.noteFull();
    expect(space.isFull).toBe(false);
    expect(storageStatus(true, space)).toEqual({ writable: true, freeBytes: space.freeBytes });
    expect(storageStatus(false, space)).toMatchObject({ writable: false, reason: 'disk full' });
  });
});
