// Errors of storage/: a stable ARGUS_ERR_STORAGE_* code (callers branch on it, events carry it)
// and a message an administrator can act on. Paths appear in messages; nothing secret does.
export const ARGUS_ERR_STORAGE_MISSING = 'ARGUS_ERR_STORAGE_MISSING';
export const ARGUS_ERR_STORAGE_UNMOUNTED = 'ARGUS_ERR_STORAGE_UNMOUNTED';
export const ARGUS_ERR_STORAGE_SWAPPED = 'ARGUS_ERR_STORAGE_SWAPPED';
export const ARGUS_ERR_STORAGE_IDENTITY = 'ARGUS_ERR_STORAGE_IDENTITY';
export const ARGUS_ERR_STORAGE_IN_USE = 'ARGUS_ERR_STORAGE_IN_USE';
export const ARGUS_ERR_STORAGE_FULL = 'ARGUS_ERR_STORAGE_FULL';
export const ARGUS_ERR_STORAGE_IO = 'ARGUS_ERR_STORAGE_IO';
export const ARGUS_ERR_STORAGE_BAD_PATH = 'ARGUS_ERR_STORAGE_BAD_PATH';

export type StorageErrorCode =
  | typeof ARGUS_ERR_STORAGE_MISSING
  | typeof ARGUS_ERR_STORAGE_UNMOUNTED
  | typeof ARGUS_ERR_STORAGE_SWAPPED
  | typeof ARGUS_ERR_STORAGE_IDENTITY
  | typeof ARGUS_ERR_STORAGE_IN_USE
  | typeof ARGUS_ERR_STORAGE_FULL
  | typeof ARGUS_ERR_STORAGE_IO
  | typeof ARGUS_ERR_STORAGE_BAD_PATH;

export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

/** Wraps a file-system error: ENOSPC/EDQUOT become STORAGE_FULL, the rest STORAGE_IO. */
export function fsError(what: string, err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const full = code === 'ENOSPC' || code === 'EDQUOT';
  return new StorageError(
    full ? ARGUS_ERR_STORAGE_FULL : ARGUS_ERR_STORAGE_IO,
    `${what}: ${code ?? (err as Error).message}`,
    { cause: err },
  );
}
