// The storage-locations API against a real HTTPS server on a temporary data directory: a location
// is added only on an absolute, existing, writable directory that is no other location (nor inside,
// around or a copy of one, nor another server's); floor, limit and name change; removal is refused
// while a camera records there or for the last location; IDs are never reused and a removed
// location's directory comes back under its identity; only administrators get in.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageLocationRecord } from '../src/db/index.js';
import { describeStatus, formatBytes } from '../src/ingest/index.js';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { FakeCamera } from './helpers/fake-source.js';

interface Location {
  id: number;
  name: string;
  path: string;
  freeSpaceFloorBytes: number;
  sizeLimitBytes: number | null;
  state: string;
  reason: string | null;
  message: string;
  usedBytes: number;
  segmentCount: number;
  freeBytes: number | null;
  totalBytes: number | null;
  cameraCount: number;
}
interface ErrorJson {
  error: { code: string; message: string; details?: { path: string }[] };
}

const GiB = 1024 ** 3;
const URL = '/api/v1/storage/locations';
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-locations-'));
const fake = new FakeCamera();
fake.up = false; // cameras never connect: nothing is recorded in this file
let t: CameraServer;

beforeAll(async () => {
  t = await startCameraServer({ openSource: fake.open });
});
afterAll(async () => {
  await t.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const dir = (name: string): string => {
  const p = path.join(scratch, name);
  mkdirSync(p, { recursive: true });
  return p;
};
const identity = (p: string): { uuid: string } =>
  JSON.parse(readFileSync(path.join(p, '.argus-storage.json'), 'utf8')) as { uuid: string };
const err = (json: unknown): ErrorJson['error'] => (json as ErrorJson).error;
const list = async (): Promise<Location[]> =>
  ((await t.api('GET', URL)).json as { locations: Location[] }).locations;

describe('storage locations API', () => {
  let defaultId: number;
  let second: Location;
  let cameraId: number;

  it('lists the default location with its state, space and usage', async () => {
    const [loc, ...rest] = await list();
    expect(rest).toEqual([]);
    expect(loc).toMatchObject({
      name: 'Recordings',
      path: path.join(t.dataDir, 'recordings'),
      freeSpaceFloorBytes: GiB,
      sizeLimitBytes: null,
      state: 'ok',
      reason: null,
      usedBytes: 0,
      segmentCount: 0,
      cameraCount: 0,
    });
    expect(loc!.freeBytes).toBeGreaterThan(0);
    expect(loc!.totalBytes).toBeGreaterThanOrEqual(loc!.freeBytes!);
    defaultId = loc!.id;
  });

  it('refuses a relative path, a missing directory and a file, in words', async () => {
    const file = path.join(dir('plain'), 'a-file');
    writeFileSync(file, 'x');
    const cases: [string, RegExp][] = [
      ['recordings2', /must be absolute/],
      [path.join(scratch, 'nowhere'), /There is no directory .*nowhere/],
      [file, /is a file, not a directory/],
    ];
    for (const [p, message] of cases) {
      const res = await t.api('POST', URL, { name: 'Disk', path: p });
      expect(res.status, p).toBe(400);
      expect(err(res.json).code).toBe('ARGUS_ERR_STORAGE_PATH_INVALID');
      expect(err(res.json).message).toMatch(message);
      expect(err(res.json).details?.[0]?.path).toBe('path');
    }
    expect(await list()).toHaveLength(1);
  });

  it('refuses a directory inside, equal to or around an existing location', async () => {
    const recordings = path.join(t.dataDir, 'recordings');
    const inside = path.join(recordings, 'more');
    mkdirSync(inside);
    for (const [p, message] of [
      [inside, /lies inside the storage location "Recordings"/],
      [`${recordings}/`, /already is the storage location "Recordings"/],
      [t.dataDir, /contains the storage location "Recordings"/],
    ] as const) {
      const res = await t.api('POST', URL, { name: 'Disk', path: p });
      expect(res.status, p).toBe(409);
      expect(err(res.json).code).toBe('ARGUS_ERR_STORAGE_PATH_IN_USE');
      expect(err(res.json).message).toMatch(message);
    }
  });

  it('refuses a directory that carries another server’s identity file', async () => {
    const foreign = dir('foreign');
    const content = { argusStorage: 1, uuid: '5d1c7c52-0d51-4f0c-8f5e-000000000001', createdAt: 'x' };
    writeFileSync(path.join(foreign, '.argus-storage.json'), JSON.stringify(content));
    const res = await t.api('POST', URL, { name: 'Disk', path: foreign });
    expect(res.status).toBe(409);
    expect(err(res.json).code).toBe('ARGUS_ERR_STORAGE_PATH_IN_USE');
    expect(err(res.json).message).toMatch(/identity file .* another Argus server/);
    // never written over
    expect(identity(foreign).uuid).toBe(content.uuid);
  });

  it('adds a location: identity file written, opened at once, listed', async () => {
    const p = dir('disk2');
    const res = await t.api('POST', URL, {
      name: 'Disk 2',
      path: p,
      freeSpaceFloorBytes: 2 * GiB,
      sizeLimitBytes: 50 * GiB,
    });
    expect(res.status, res.text).toBe(201);
    second = res.json as Location;
    expect(second).toMatchObject({
      name: 'Disk 2',
      path: p,
      freeSpaceFloorBytes: 2 * GiB,
      sizeLimitBytes: 50 * GiB,
      state: 'ok',
      usedBytes: 0,
      cameraCount: 0,
    });
    expect(second.id).toBeGreaterThan(defaultId);
    expect(second.freeBytes).toBeGreaterThan(0);
    expect(identity(p).uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await list()).map((l) => l.id)).toEqual([defaultId, second.id]);
    expect(t.logs.some((l) => l.includes('"event":"location.added"') && l.includes('Disk 2'))).toBe(true);
  });

  it('refuses the same disk under another path (a copy of its identity) and a taken name', async () => {
    const copy = dir('disk2-bind');
    copyFileSync(path.join(second.path, '.argus-storage.json'), path.join(copy, '.argus-storage.json'));
    const res = await t.api('POST', URL, { name: 'Disk 3', path: copy });
    expect(res.status).toBe(409);
    expect(err(res.json).code).toBe('ARGUS_ERR_STORAGE_PATH_IN_USE');
    expect(err(res.json).message).toMatch(/identity file of the storage location "Disk 2"/);
    const named = await t.api('POST', URL, { name: 'disk 2', path: dir('disk3') });
    expect(named.status).toBe(409);
    expect(err(named.json).code).toBe('ARGUS_ERR_CONFLICT');
  });

  it('validates bodies with the schema', async () => {
    const p = dir('disk4');
    for (const body of [
      { name: 'X', path: p, extra: 1 },
      { name: 'X', path: p, sizeLimitBytes: 1 },
      { name: 'X', path: p, freeSpaceFloorBytes: -1 },
      { name: 'X', path: p, freeSpaceFloorBytes: 1.5 },
      { name: '', path: p },
      { path: p },
    ]) {
      const res = await t.api('POST', URL, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(err(res.json).code).toBe('ARGUS_ERR_VALIDATION');
    }
    const blank = await t.api('POST', URL, { name: '   ', path: p });
    expect(err(blank.json).code).toBe('ARGUS_ERR_VALIDATION');
    const patch = await t.api('PATCH', `${URL}/${second.id}`, { path: '/elsewhere' });
    expect(err(patch.json).code).toBe('ARGUS_ERR_VALIDATION');
    expect((await t.api('PATCH', `${URL}/999`, { name: 'Y' })).status).toBe(404);
    expect((await t.api('DELETE', `${URL}/999`)).status).toBe(404);
    expect((await t.api('GET', `${URL}/999`)).status).toBe(404);
  });

  it('changes name, floor and limit at once; null clears the limit', async () => {
    const res = await t.api('PATCH', `${URL}/${second.id}`, {
      name: 'Disk two',
      freeSpaceFloorBytes: 3 * GiB,
      sizeLimitBytes: null,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      name: 'Disk two',
      freeSpaceFloorBytes: 3 * GiB,
      sizeLimitBytes: null,
      state: 'ok',
    });
    expect((await t.api('GET', `${URL}/${second.id}`)).json).toMatchObject({ name: 'Disk two' });
    expect(t.logs.some((l) => l.includes('"event":"location.changed"'))).toBe(true);
    second = (await t.api('GET', `${URL}/${second.id}`)).json as Location;
  });

  it('refuses to remove a location a camera records to, and says which', async () => {
    const cam = await t.api('POST', '/api/v1/cameras', {
      name: 'Quay',
      mainUrl: 'rtsp://127.0.0.1:9/main',
      storageLocationId: second.id,
    });
    expect(cam.status, cam.text).toBe(201);
    cameraId = (cam.json as { id: number }).id;
    expect((await t.api('GET', `${URL}/${second.id}`)).json).toMatchObject({ cameraCount: 1 });
    const res = await t.api('DELETE', `${URL}/${second.id}`);
    expect(res.status).toBe(409);
    expect(err(res.json).code).toBe('ARGUS_ERR_STORAGE_LOCATION_IN_USE');
    expect(err(res.json).message).toMatch(/"Quay" records to "Disk two"/);
  });

  it('removes an unused location; its directory keeps the identity and comes back under it', async () => {
    const moved = await t.api('PATCH', `/api/v1/cameras/${cameraId}`, { storageLocationId: defaultId });
    expect(moved.status, moved.text).toBe(200);
    const uuid = identity(second.path).uuid;
    const res = await t.api('DELETE', `${URL}/${second.id}`);
    expect(res.status, res.text).toBe(204);
    expect((await t.api('GET', `${URL}/${second.id}`)).status).toBe(404);
    expect(identity(second.path).uuid).toBe(uuid);
    expect(t.logs.some((l) => l.includes('"event":"location.removed"'))).toBe(true);
    // a camera cannot be moved to it any more
    const bad = await t.api('PATCH', `/api/v1/cameras/${cameraId}`, { storageLocationId: second.id });
    expect(bad.status).toBe(400);

    const again = await t.api('POST', URL, { name: 'Disk 2 again', path: second.path });
    expect(again.status, again.text).toBe(201);
    const back = again.json as Location;
    expect(back.id).toBeGreaterThan(second.id); // IDs are never reused
    expect(identity(second.path).uuid).toBe(uuid);
    second = back;
  });

  it('refuses to remove the last location; a removed camera does not hold one', async () => {
    expect((await t.api('DELETE', `${URL}/${defaultId}`)).status).toBe(409);
    expect((await t.api('DELETE', `/api/v1/cameras/${cameraId}`)).status).toBe(204);
    // the removed camera (no footage) pointed at the default location: removal is allowed
    const res = await t.api('DELETE', `${URL}/${defaultId}`);
    expect(res.status, res.text).toBe(204);
    const last = await t.api('DELETE', `${URL}/${second.id}`);
    expect(last.status).toBe(409);
    expect(err(last.json).code).toBe('ARGUS_ERR_STORAGE_LOCATION_IN_USE');
    expect(err(last.json).message).toMatch(/only storage location/);
    // new cameras go to what is left
    const cam = await t.api('POST', '/api/v1/cameras', { name: 'Dock', mainUrl: 'rtsp://127.0.0.1:9/x' });
    expect((cam.json as { storageLocationId: number }).storageLocationId).toBe(second.id);
  });

  it('is for administrators only: viewers and operators get 403 on every route', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const token = await t.tokenFor(role);
      const calls: [string, string, unknown?][] = [
        ['GET', URL],
        ['POST', URL, { name: 'Mine', path: dir(`by-${role}`) }],
        ['GET', `${URL}/${second.id}`],
        ['PATCH', `${URL}/${second.id}`, { freeSpaceFloorBytes: 0 }],
        ['DELETE', `${URL}/${second.id}`],
      ];
      for (const [method, url, body] of calls) {
        const res = await t.api(method, url, body, token);
        expect(res.status, `${role} ${method} ${url}`).toBe(403);
        expect(err(res.json).code).toBe('ARGUS_ERR_FORBIDDEN');
      }
    }
    const [loc] = await list();
    expect(loc).toMatchObject({ id: second.id, freeSpaceFloorBytes: GiB });
  });

  it('words each state with the figures that explain it', () => {
    const rec: StorageLocationRecord = {
      id: 2,
      name: 'Disk 2',
      path: '/mnt/d2',
      identityUuid: 'u',
      freeSpaceFloorBytes: 10 * GiB,
      sizeLimitBytes: 100 * GiB,
      createdAtMs: 0,
    };
    const space = (freeGiB: number, totalGiB = 500) => ({
      freeBytes: freeGiB * GiB,
      totalBytes: totalGiB * GiB,
    });
    const full = (reason: 'only-locked' | 'size-limit' | 'write-failed') =>
      ({ state: 'full', reason, message: 'ENOSPC' }) as const;
    expect(describeStatus({ state: 'ok' }, rec, space(50))).toBe('Cameras can record here.');
    expect(describeStatus(full('only-locked'), rec, space(4))).toMatch(
      /^Only 4\.0 GiB is free, below the free-space floor of 10\.0 GiB.*locked/,
    );
    expect(describeStatus(full('only-locked'), rec, space(10.01))).toMatch(/resumes once a little more than/);
    expect(describeStatus(full('only-locked'), { ...rec, freeSpaceFloorBytes: 600 * GiB }, space(4))).toMatch(
      /floor \(600 GiB\) is larger than the disk \(500 GiB\)/,
    );
    expect(describeStatus(full('size-limit'), rec, space(50))).toMatch(/size limit of 100 GiB/);
    expect(describeStatus(full('write-failed'), rec, space(0))).toMatch(/refused a write \(ENOSPC\)/);
    const gone = {
      state: 'unavailable',
      code: 'ARGUS_ERR_STORAGE_MISSING',
      message: 'is the disk attached?',
    } as const;
    expect(describeStatus(gone, rec, undefined)).toBe('is the disk attached?');
    expect([formatBytes(0), formatBytes(1536), formatBytes(3 * 1024 ** 4)]).toEqual([
      '0 bytes',
      '1.5 KiB',
      '3.0 TiB',
    ]);
  });
});
