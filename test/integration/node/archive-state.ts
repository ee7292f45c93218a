/**
 * What a user (or site IT) would check in a data folder: the index rows, the
 * files under store/, staging/ leftovers, and whether they agree. Reads
 * index.sqlite read-only, so it works while the node runs (WAL).
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { sha256OfFile } from '../../fixtures/part10-split.js';

export interface IndexedInstance {
  sopInstanceUid: string;
  /** Relative to the data folder. */
  path: string;
  sha256: string;
  size: number;
  transferSyntaxUid: string;
}

/** Column names per main/index's schema (the brief names sop_uid, path, size, sha256, transfer syntax). */
const COLUMNS: Record<keyof IndexedInstance, string[]> = {
  sopInstanceUid: ['sop_uid', 'sop_instance_uid'],
  path: ['path'],
  sha256: ['sha256'],
  size: ['size'],
  transferSyntaxUid: ['transfer_syntax', 'transfer_syntax_uid'],
};

export function readIndexedInstances(dataDir: string): IndexedInstance[] {
  const db = new Database(join(dataDir, 'index.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const present = new Set((db.pragma('table_info(instances)') as Array<{ name: string }>).map((c) => c.name));
    const select = Object.entries(COLUMNS).map(([field, names]) => {
      const column = names.find((n) => present.has(n));
      if (!column) throw new Error(`index.sqlite: table instances has none of ${names.join('/')} (columns: ${[...present].join(', ')})`);
      return `${column} AS ${field}`;
    });
    return db.prepare(`SELECT ${select.join(', ')} FROM instances`).all() as IndexedInstance[];
  } finally {
    db.close();
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

export interface ArchiveAudit {
  instances: IndexedInstance[];
  bySopUid: Map<string, IndexedInstance>;
  /** Files in store/, relative to the data folder (forward slashes). */
  storeFiles: string[];
  stagingFiles: string[];
  rowsWithoutFile: IndexedInstance[];
  filesWithoutRow: string[];
  /** Rows whose file's SHA-256 or size differs from the row. */
  damaged: Array<{ row: IndexedInstance; sha256: string; size: number }>;
}

/** Index vs store/ vs staging/: every discrepancy a crash could leave. */
export async function auditArchive(dataDir: string): Promise<ArchiveAudit> {
  const instances = readIndexedInstances(dataDir);
  const toRelative = (p: string) => relative(dataDir, p).split(sep).join('/');
  const storeFiles = filesUnder(join(dataDir, 'store')).map(toRelative);
  const stagingFiles = filesUnder(join(dataDir, 'staging')).map(toRelative);
  const indexedPaths = new Set(instances.map((i) => i.path));
  const rowsWithoutFile = instances.filter((i) => !existsSync(join(dataDir, i.path)));
  const damaged: ArchiveAudit['damaged'] = [];
  for (const row of instances) {
    if (!existsSync(join(dataDir, row.path))) continue;
    const sha256 = await sha256OfFile(join(dataDir, row.path));
    const size = statSync(join(dataDir, row.path)).size;
    if (sha256 !== row.sha256 || size !== row.size) damaged.push({ row, sha256, size });
  }
  return {
    instances,
    bySopUid: new Map(instances.map((i) => [i.sopInstanceUid, i])),
    storeFiles,
    stagingFiles,
    rowsWithoutFile,
    filesWithoutRow: storeFiles.filter((f) => !indexedPaths.has(f)),
    damaged,
  };
}
