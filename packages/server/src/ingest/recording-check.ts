// Entry points that join storage/ and db/ for the CLI and app/: the offline `argus check [--repair]`,
// creating a storage location (identity file + catalog row), and the default location under the data
// directory (DATA/recordings).
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
}

/** Makes a directory a storage location: writes its identity file, then adds the catalog row. */
export async function createStorageLocation(
  catalog: Catalog,
  request: NewStorageLocationRequest,
): Promise<StorageLocationRecord> {
  const dir = path.resolve(request.path);
  const identityUuid = await initStorageIdentity(dir, request.nowMs);
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
