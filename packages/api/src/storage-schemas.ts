// Schemas of the storage locations an administrator manages (/api/v1/storage/locations): where
// recordings go, the free-space floor and size limit, and each location's state in words.
import { Type, type Static } from '@sinclair/typebox';

const ByteCount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** Below this the 64 MiB retention headroom leaves no room to record. */
export const STORAGE_SIZE_LIMIT_MIN_BYTES = 256 * 1024 * 1024;
const SizeLimitBytes = Type.Union(
  [Type.Integer({ minimum: STORAGE_SIZE_LIMIT_MIN_BYTES, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()],
  { description: 'Most bytes of footage kept here (at least 256 MiB); null: no limit' },
);
const FloorBytes = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Bytes that must stay free on the file system; older footage is deleted to keep them',
});
const LocationName = Type.String({ minLength: 1, maxLength: 100 });

export const StorageLocationCreate = Type.Object(
  {
    name: LocationName,
    path: Type.String({
      minLength: 1,
      maxLength: 4096,
      description: 'Absolute path of an existing, writable directory (usually a disk’s mount point)',
    }),
    freeSpaceFloorBytes: Type.Optional(FloorBytes),
    sizeLimitBytes: Type.Optional(SizeLimitBytes),
  },
  {
    additionalProperties: false,
    description: 'freeSpaceFloorBytes defaults to 1 GiB, sizeLimitBytes to none',
  },
);
export type StorageLocationCreate = Static<typeof StorageLocationCreate>;

export const StorageLocationPatch = Type.Object(
  {
    name: Type.Optional(LocationName),
    freeSpaceFloorBytes: Type.Optional(FloorBytes),
    sizeLimitBytes: Type.Optional(SizeLimitBytes),
  },
  {
    additionalProperties: false,
    description: 'sizeLimitBytes: null removes the limit; omitted fields are kept',
  },
);
export type StorageLocationPatch = Static<typeof StorageLocationPatch>;

export const StorageLocationState = Type.Union(
  [Type.Literal('ok'), Type.Literal('full'), Type.Literal('unavailable')],
  {
    description:
      'ok: cameras record here; full: below the floor or at the size limit with nothing left to delete, or the disk refused a write; unavailable: the identity check failed (missing, unmounted or swapped disk)',
  },
);

export const StorageLocation = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  path: Type.String(),
  freeSpaceFloorBytes: ByteCount,
  sizeLimitBytes: Type.Union([ByteCount, Type.Null()]),
  state: StorageLocationState,
  reason: Type.Union([Type.String(), Type.Null()], {
    description:
      'full: only-locked, size-limit or write-failed; unavailable: the ARGUS_ERR_STORAGE_* code of the identity check; ok: null',
  }),
  message: Type.String({ description: 'The state in words, for an operator' }),
  usedBytes: ByteCount,
  segmentCount: Type.Integer({ minimum: 0, description: 'Indexed recording files here' }),
  freeBytes: Type.Union([ByteCount, Type.Null()], {
    description: 'Free bytes of the file system (statfs); null while unavailable',
  }),
  totalBytes: Type.Union([ByteCount, Type.Null()], {
    description: 'Size of the file system; null while unavailable',
  }),
  cameraCount: Type.Integer({ minimum: 0, description: 'Cameras recording here' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type StorageLocation = Static<typeof StorageLocation>;

export const StorageLocationList = Type.Object({ locations: Type.Array(StorageLocation) });
export type StorageLocationList = Static<typeof StorageLocationList>;
