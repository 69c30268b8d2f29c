// Entry points that join storage/ and db/ for the CLI and app/: the offline `argus check [--repair]`,
// creating a storage location (identity file + catalog row) after checking its directory, and the
// default location under the data directory (DATA/recordings).
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../base/index.js';
import {
  checkCatalogIntegrity,
  openSqlite,
  sqliteCatalog,
  type Catalog,
  type StorageLocationRecord,
} from '../db/index.js';
import { initStorageIdentity } from '../storage/index.js';
import { recoverRecordings } from './recovery.js';
import type { RecoveryReport } from './recovery-report.js';

export interface CheckRecordingsOptions {
  /** The catalog database (dataDirLayout(dir).catalogFile); the server must not be running. */
  catalogFile: string;
  repair: boolean;
  /** Read every file in full, not only those whose size differs from the index. */
  deep?: boolean;
  clock?: Clock;
}

/** `argus check [--repair]`: the start-up consistency check over every file and row, offline. */
export async function checkRecordings(options: CheckRecordingsOptions): Promise<RecoveryReport> {
  const db = openSqlite(options.catalogFile);
  const integrity = checkCatalogIntegrity(db);
  const catalog = sqliteCatalog(db);
  try {
    const report = await recoverRecordings({
      catalog,
      clock: options.clock ?? systemClock,
      mode: 'check',
      repair: options.repair,
      deep: options.deep ?? false,
    });
    if (integrity !== 'ok')
      report.findings.unshift({
        kind: 'catalog-damaged',
        action: 'none',
        message: `${integrity}: restore the catalog from a backup`,
      });
    return report;
  } finally {
    catalog.close();
  }
}

export interface NewStorageLocationRequest {
  name: string;
  path: string;
  freeSpaceFloorBytes: number;
  sizeLimitBytes?: number | null;
  nowMs: number;
  /** Keep this identity (a removed location's directory added again); default a new UUID. */
  identityUuid?: string;
}

/** Makes a directory a storage location: writes its identity file, then adds the catalog row. */
export async function createStorageLocation(
  catalog: Catalog,
  request: NewStorageLocationRequest,
): Promise<StorageLocationRecord> {
  const dir = path.resolve(request.path);
  const identityUuid = await initStorageIdentity(dir, request.nowMs, request.identityUuid);
  return catalog.storageLocations.create({
    name: request.name,
    path: dir,
    identityUuid,
    freeSpaceFloorBytes: request.freeSpaceFloorBytes,
    sizeLimitBytes: request.sizeLimitBytes ?? null,
    nowMs: request.nowMs,
  });
}

/** The first location (DATA/recordings, 1 GiB floor) when the catalog has none yet. */
export async function ensureDefaultStorageLocation(
  catalog: Catalog,
  recordingsDir: string,
  nowMs: number,
): Promise<StorageLocationRecord> {
  const existing = await catalog.storageLocations.list();
  if (existing[0] !== undefined) return existing[0];
  return createStorageLocation(catalog, {
    name: 'Recordings',
    path: recordingsDir,
    freeSpaceFloorBytes: 1 << 30,
    nowMs,
  });
}

export type StorageDirProblem = 'relative' | 'missing' | 'not-directory' | 'not-writable';

/**
 * Whether `dir` can become a storage location: an absolute path to an existing directory this
 * process may write to. Returns its real path (symbolic links resolved) or the problem in words.
 */
export async function checkStorageDirectory(
  dir: string,
): Promise<{ realPath: string } | { problem: StorageDirProblem; message: string }> {
  if (!path.isAbsolute(dir) || dir.includes('\0'))
    return {
      problem: 'relative',
      message: `The path must be absolute, starting with / (for example /mnt/disk2/argus), not "${dir}"`,
    };
  const abs = path.resolve(dir);
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? {
          problem: 'missing',
          message: `There is no directory ${abs}. Create it (and mount the disk there) first`,
        }
      : { problem: 'not-writable', message: `The server cannot reach ${abs} (${code ?? 'error'})` };
  }
  if (!info.isDirectory()) return { problem: 'not-directory', message: `${abs} is a file, not a directory` };
  try {
    await access(abs, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      problem: 'not-writable',
      message:
        code === 'EROFS'
          ? `${abs} is on a read-only file system`
          : `The server may not write to ${abs}: give the user that runs Argus write permission there`,
    };
  }
  return { realPath: await realpath(abs) };
}
