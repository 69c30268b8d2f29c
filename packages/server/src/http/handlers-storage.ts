// Handlers of /api/v1/storage/locations (administrators): list, add, change and remove storage
// locations, each with its state in words, free space (statfs), bytes used and cameras.
import type { StorageLocation } from '@argus/api';
import type { StorageLocationView } from '../ingest/index.js';
import type { HandlerMap } from './route-handler.js';

export const storageLocationDto = (v: StorageLocationView): StorageLocation => ({
  id: v.record.id,
  name: v.record.name,
  path: v.record.path,
  freeSpaceFloorBytes: v.record.freeSpaceFloorBytes,
  sizeLimitBytes: v.record.sizeLimitBytes,
  state: v.status.state,
  reason: v.status.state === 'ok' ? null : v.status.state === 'full' ? v.status.reason : v.status.code,
  message: v.message,
  usedBytes: v.usedBytes,
  segmentCount: v.segmentCount,
  freeBytes: v.space?.freeBytes ?? null,
  totalBytes: v.space?.totalBytes ?? null,
  cameraCount: v.cameraCount,
  createdAt: new Date(v.record.createdAtMs).toISOString(),
});

const idOf = (params: Record<string, unknown>): number => Number(params['id']);

export const storageHandlers: HandlerMap<
  | 'listStorageLocations'
  | 'createStorageLocation'
  | 'getStorageLocation'
  | 'updateStorageLocation'
  | 'deleteStorageLocation'
> = {
  async listStorageLocations({ ctx }) {
    return { locations: (await ctx.storage.list()).map(storageLocationDto) };
  },
  async createStorageLocation({ ctx, reply, body, principal }) {
    const view = await ctx.storage.create(body, principal?.user.id ?? null);
    void reply.status(201);
    return storageLocationDto(view);
  },
  async getStorageLocation({ ctx, params }) {
    return storageLocationDto(await ctx.storage.get(idOf(params)));
  },
  async updateStorageLocation({ ctx, params, body, principal }) {
    return storageLocationDto(await ctx.storage.update(idOf(params), body, principal?.user.id ?? null));
  },
  async deleteStorageLocation({ ctx, params, reply, principal }) {
    await ctx.storage.remove(idOf(params), principal?.user.id ?? null);
    void reply.status(204);
    return undefined;
  },
};
