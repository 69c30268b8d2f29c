// The Storage section's arithmetic and words: GiB fields to bytes (packages/api schemas.ts
// StorageLocation*), byte counts as `df -h` shows them, a location's state in plain words, and
// why a location cannot be removed yet. Pure.
import { formatBinaryBytes, type StorageLocation, type StorageLocationCreate } from '@argus/api';

export const GIB = 1024 ** 3;
/** The API's smallest size limit (STORAGE_SIZE_LIMIT_MIN_BYTES): 0.25 GiB. */
export const SIZE_LIMIT_MIN_GIB = 0.25;

/** "1.5" or "1,5" GiB -> bytes; undefined when it is not a number >= min. */
export function parseGiB(text: string, minGiB = 0): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '' || !/^\d*\.?\d*$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  if (!Number.isFinite(n) || n < minGiB || n * GIB > Number.MAX_SAFE_INTEGER) return undefined;
  return Math.round(n * GIB);
}

/** Bytes as a GiB field value: "1", "0.5", "931.32". */
export function toGiB(bytes: number): string {
  return String(Math.round((bytes / GIB) * 100) / 100);
}

/** Sizes as the server's messages give them. */
export const formatBytes = formatBinaryBytes;

export interface StorageFormInput {
  name: string;
  path: string;
  floorGiB: string;
  limitGiB: string;
}

/** The request body, or the first problem in words an operator understands. */
export function storageCreateBody(
  input: StorageFormInput,
): { body: StorageLocationCreate } | { problem: string } {
  const name = input.name.trim();
  if (!name) return { problem: 'Give the storage location a name.' };
  if (name.length > 100) return { problem: 'The name is longer than 100 characters.' };
  const dir = input.path.trim();
  if (!dir.startsWith('/'))
    return { problem: 'The folder must be a full path starting with /, for example /mnt/disk2/argus.' };
  const floor = input.floorGiB.trim() === '' ? undefined : parseGiB(input.floorGiB);
  if (input.floorGiB.trim() !== '' && floor === undefined)
    return { problem: 'The space to keep free must be a number of GiB (0 or more).' };
  const limit = input.limitGiB.trim() === '' ? null : parseGiB(input.limitGiB, SIZE_LIMIT_MIN_GIB);
  if (limit === undefined)
    return { problem: `The size limit must be at least ${SIZE_LIMIT_MIN_GIB} GiB, or left empty for none.` };
  return {
    body: {
      name,
      path: dir,
      ...(floor !== undefined ? { freeSpaceFloorBytes: floor } : {}),
      ...(limit !== null ? { sizeLimitBytes: limit } : {}),
    },
  };
}

const STATES: Record<StorageLocation['state'], string> = {
  ok: 'Ready',
  full: 'Full',
  unavailable: 'Unavailable',
};

export const describeLocationState = (state: StorageLocation['state']): string => STATES[state];

/** "120 GiB free of 931 GiB", or why nothing is known. */
export function describeSpace(loc: StorageLocation): string {
  if (loc.freeBytes === null || loc.totalBytes === null) return 'Not known while unavailable';
  return `${formatBytes(loc.freeBytes)} free of ${formatBytes(loc.totalBytes)}`;
}

/** Why the location cannot be removed now, or undefined when it can. */
export function removalBlocker(loc: StorageLocation, locationCount: number): string | undefined {
  if (loc.cameraCount > 0)
    return `${loc.cameraCount === 1 ? 'A camera records' : `${loc.cameraCount} cameras record`} here: move ${loc.cameraCount === 1 ? 'it' : 'them'} to another location first.`;
  if (loc.segmentCount > 0)
    return `Holds ${loc.segmentCount} recording ${loc.segmentCount === 1 ? 'file' : 'files'}; it can be removed once retention has deleted them.`;
  if (locationCount <= 1) return 'Cameras need at least one storage location.';
  return undefined;
}

/** The warning before a floor above today's free space (retention then deletes footage there). */
export function floorWarning(loc: StorageLocation, floorBytes: number): string | undefined {
  if (loc.freeBytes === null || floorBytes <= loc.freeBytes || floorBytes <= loc.freeSpaceFloorBytes)
    return undefined;
  return `Only ${formatBytes(loc.freeBytes)} is free on ${loc.name}. To keep ${formatBytes(floorBytes)} free, Argus deletes the oldest unlocked footage there at once, and stops recording there if that is not enough. Continue?`;
}
