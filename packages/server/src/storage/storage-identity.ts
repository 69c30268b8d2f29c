// The identity file of a storage location: a UUID written when the location is created and kept in
// the catalog, so a missing, unmounted or swapped disk is recognised and never written over.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  ARGUS_ERR_STORAGE_IDENTITY,
  ARGUS_ERR_STORAGE_IN_USE,
  ARGUS_ERR_STORAGE_MISSING,
  ARGUS_ERR_STORAGE_SWAPPED,
  ARGUS_ERR_STORAGE_UNMOUNTED,
  StorageError,
  fsError,
} from './storage-error.js';
import { fsyncDir } from './fs-sync.js';

export const IDENTITY_FILE = '.argus-storage.json';

export interface StorageIdentity {
  argusStorage: 1;
  uuid: string;
  createdAt: string;
}

async function readIdentity(dir: string): Promise<StorageIdentity | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, IDENTITY_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fsError(`cannot read the identity file of storage location ${dir}`, err);
  }
  try {
    const parsed = JSON.parse(text) as Partial<StorageIdentity>;
    if (parsed.argusStorage !== 1 || typeof parsed.uuid !== 'string') throw new Error('unexpected content');
    return parsed as StorageIdentity;
  } catch (err) {
    throw new StorageError(
      ARGUS_ERR_STORAGE_IDENTITY,
      `the identity file ${path.join(dir, IDENTITY_FILE)} is damaged (${(err as Error).message})`,
    );
  }
}

/**
 * Makes `dir` a storage location: creates it and writes the identity file (atomically). Returns the
 * UUID to keep in the catalog. A directory that already carries another identity is refused.
 */
export async function initStorageIdentity(
  dir: string,
  nowMs: number,
  uuid: string = randomUUID(),
): Promise<string> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw fsError(`cannot create storage location ${dir}`, err);
  }
  const existing = await readIdentity(dir);
  if (existing !== undefined) {
    if (existing.uuid === uuid) return uuid;
    throw new StorageError(
      ARGUS_ERR_STORAGE_IN_USE,
      `${dir} already is storage location ${existing.uuid}; choose an empty directory`,
    );
  }
  const identity: StorageIdentity = { argusStorage: 1, uuid, createdAt: new Date(nowMs).toISOString() };
  const tmp = path.join(dir, `${IDENTITY_FILE}.tmp`);
  try {
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o644);
    try {
      await fh.writeFile(`${JSON.stringify(identity, null, 2)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path.join(dir, IDENTITY_FILE));
    await fsyncDir(dir);
  } catch (err) {
    throw fsError(`cannot write the identity file of ${dir}`, err);
  }
  return uuid;
}

/** Throws a StorageError saying why `dir` is not the location with `uuid`. */
export async function verifyStorageIdentity(dir: string, uuid: string): Promise<void> {
  let dirStat;
  try {
    dirStat = await stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new StorageError(
        ARGUS_ERR_STORAGE_MISSING,
        `storage location ${dir} does not exist; is the disk attached? Recording there is stopped`,
      );
    throw fsError(`cannot reach storage location ${dir}`, err);
  }
  if (!dirStat.isDirectory())
    throw new StorageError(ARGUS_ERR_STORAGE_MISSING, `storage location ${dir} is not a directory`);
  const identity = await readIdentity(dir);
  if (identity === undefined) {
    const parent = await stat(path.dirname(dir)).catch(() => undefined);
    const sameDevice = parent !== undefined && parent.dev === dirStat.dev;
    throw new StorageError(
      ARGUS_ERR_STORAGE_UNMOUNTED,
      sameDevice
        ? `storage location ${dir} has no ${IDENTITY_FILE} and lies on its parent's file system: the disk is probably not mounted. Recording there is stopped`
        : `storage location ${dir} has no ${IDENTITY_FILE}: it was wiped or is another disk. Recording there is stopped`,
    );
  }
  if (identity.uuid !== uuid)
    throw new StorageError(
      ARGUS_ERR_STORAGE_SWAPPED,
      `storage location ${dir} holds disk ${identity.uuid}, not the expected ${uuid}: a different disk is mounted there. Recording there is stopped`,
    );
}
