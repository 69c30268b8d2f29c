// End to end with a simulated camera over RTSP: a storage location added through the API in a temp
// directory takes a camera moved there at once (new files land there and play in ffprobe/ffmpeg),
// the footage left on the old location stays downloadable and retention still deletes it; a floor
// above the free space makes the location full and recording stops with a disk_full gap, lowering
// it resumes recording; removal is refused while footage is indexed there and allowed once empty.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SegmentRecord } from '../src/db/index.js';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { decodeErrors, probeVideo, withCatalog } from './helpers/recording-cut.js';

interface Location {
  id: number;
  state: string;
  reason: string | null;
  message: string;
  usedBytes: number;
  segmentCount: number;
  freeBytes: number | null;
  totalBytes: number | null;
  cameraCount: number;
}

const MiB = 1 << 20;
const URL = '/api/v1/storage/locations';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-loc-e2e-'));
const disk2 = mkdtempSync(path.join(tmpdir(), 'argus-disk2-'));
let sim: RunningSimulator | undefined;
let t: CameraServer;
let cam: number;
let loc1: number;
let loc2: number;

/** Every segment row of the camera's main stream, with its location. */
const segments = (): Promise<SegmentRecord[]> =>
  withCatalog(t.dataDir, async (c) => {
    const stream = await c.streams.find(cam, 'main');
    return stream ? c.recordings.segmentsInRange(stream.id, 0, Number.MAX_SAFE_INTEGER) : [];
  });

/** Polls `check` every 200 ms for at most `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < 500; i++) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) break;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const location = async (id: number): Promise<Location> =>
  (await t.api('GET', `${URL}/${id}`)).json as Location;

function download(url: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: t.port,
        path: url,
        ca: t.ca,
        servername: 'localhost',
        headers: { authorization: `Bearer ${t.adminToken}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, motionSchedule: null });
  t = await startCameraServer({ recordingFiles: { segmentDurationMs: 2000 } });
  const c = sim.cameras[0]!;
  const res = await t.api('POST', '/api/v1/cameras', {
    name: 'Slipway',
    mainUrl: c.rtsp.sub,
    credentials: { username: c.user, password: c.password },
    recording: { mode: 'continuous' },
  });
  expect(res.status, res.text).toBe(201);
  cam = (res.json as { id: number; storageLocationId: number }).id;
  loc1 = (res.json as { storageLocationId: number }).storageLocationId;
}, 30_000);
afterAll(async () => {
  await t?.stop();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(disk2, { recursive: true, force: true });
});

describe('storage locations with a recording camera', () => {
  let onOld: SegmentRecord[] = [];

  it('a camera moved to a new location records there; old footage stays where it is, readable', async () => {
    await until('a closed file on the first location', async () =>
      (await segments()).some((s) => !s.open && s.locationId === loc1) ? true : undefined,
    );
    const added = await t.api('POST', URL, { name: 'Disk 2', path: disk2, freeSpaceFloorBytes: MiB });
    expect(added.status, added.text).toBe(201);
    loc2 = (added.json as Location).id;
    const moved = await t.api('PATCH', `/api/v1/cameras/${cam}`, { storageLocationId: loc2 });
    expect(moved.status, moved.text).toBe(200);

    const onNew = await until('two closed files on the new location', async () => {
      const found = (await segments()).filter((s) => !s.open && s.locationId === loc2);
      return found.length >= 2 ? found : undefined;
    });
    for (const seg of onNew) {
      const file = path.join(disk2, seg.path);
      expect(seg.path.startsWith(`${cam}/`)).toBe(true);
      expect(await probeVideo(file)).toMatchObject({ codec: 'h264', width: 640, height: 360 });
      expect((await probeVideo(file)).frames).toBeGreaterThan(0);
      expect(await decodeErrors(file)).toBe('');
      expect(existsSync(path.join(t.dataDir, 'recordings', seg.path))).toBe(false);
    }
    // the footage from before the move stays on the first location and plays from there
    onOld = (await segments()).filter((s) => s.locationId === loc1);
    expect(onOld.length).toBeGreaterThan(0);
    expect(onOld.every((s) => !s.open)).toBe(true);
    for (const seg of onOld) expect(existsSync(path.join(t.dataDir, 'recordings', seg.path))).toBe(true);
    const startMs = Math.ceil(onOld[0]!.startTime90k / 90);
    const endMs = Math.floor(onOld[onOld.length - 1]!.endTime90k / 90);
    const got = await download(`/api/v1/cameras/${cam}/download.mp4?start=${startMs}&end=${endMs}`);
    expect(got.status).toBe(200);
    const out = path.join(scratch, 'old.mp4');
    writeFileSync(out, got.body);
    expect((await probeVideo(out)).frames).toBeGreaterThan(20);
    expect(await decodeErrors(out)).toBe('');

    expect(await location(loc1)).toMatchObject({ cameraCount: 0, segmentCount: onOld.length, state: 'ok' });
    const second = await location(loc2);
    expect(second).toMatchObject({ cameraCount: 1, state: 'ok' });
    expect(second.usedBytes).toBeGreaterThan(0);
  }, 40_000);

  it('retention still applies to the footage left on the old location', async () => {
    const before = await location(loc1);
    const onNewBefore = (await segments()).filter((s) => s.locationId === loc2).length;
    // a floor above the disk: retention deletes every unlocked file there, then calls it full
    const full = await t.api('PATCH', `${URL}/${loc1}`, { freeSpaceFloorBytes: before.totalBytes! * 2 });
    expect(full.status, full.text).toBe(200);
    expect(full.json).toMatchObject({ state: 'full', reason: 'only-locked', segmentCount: 0, usedBytes: 0 });
    expect((full.json as Location).message).toMatch(/larger than the disk/);
    for (const seg of onOld) expect(existsSync(path.join(t.dataDir, 'recordings', seg.path))).toBe(false);
    // nothing on the new location was touched
    expect((await segments()).filter((s) => s.locationId === loc2).length).toBeGreaterThanOrEqual(
      onNewBefore,
    );
    const ok = await t.api('PATCH', `${URL}/${loc1}`, { freeSpaceFloorBytes: MiB });
    expect(ok.json).toMatchObject({ state: 'ok', reason: null });
  });

  it('a floor above the free space stops recording with a disk_full gap; lowering it resumes', async () => {
    const { totalBytes } = await location(loc2);
    const tFull = Date.now();
    const full = await t.api('PATCH', `${URL}/${loc2}`, { freeSpaceFloorBytes: totalBytes! * 2 });
    expect(full.status, full.text).toBe(200);
    expect(full.json).toMatchObject({ state: 'full', reason: 'only-locked' });
    expect(t.logs.some((l) => l.includes('"event":"location.full"'))).toBe(true);
    await until('a disk_full gap', async () => {
      const tl = (
        await t.api(
          'GET',
          `/api/v1/cameras/${cam}/timeline?start=${tFull - 2000}&end=${Date.now() + 1000}&resolutionMs=100`,
        )
      ).json as { gaps: { cause: string }[] };
      return tl.gaps.some((g) => g.cause === 'disk_full') ? true : undefined;
    });
    // no new file while full (retention deletes the closed ones, so look often: a new file's row
    // exists from its first byte and stays for at least the 2 s file length)
    const stoppedAt = Date.now();
    for (let i = 0; i < 12; i++) {
      const started = (await segments()).filter(
        (s) => s.locationId === loc2 && s.startTime90k > stoppedAt * 90,
      );
      expect(started).toEqual([]);
      await sleep(200);
    }

    const tResume = Date.now();
    const ok = await t.api('PATCH', `${URL}/${loc2}`, { freeSpaceFloorBytes: MiB });
    expect(ok.json).toMatchObject({ state: 'ok', reason: null });
    const resumed = await until('a new file after the floor is lowered', async () =>
      (await segments()).find((s) => !s.open && s.locationId === loc2 && s.startTime90k >= tResume * 90),
    );
    expect(resumed.startTime90k / 90 - tResume).toBeLessThan(5000);
    expect((await probeVideo(path.join(disk2, resumed.path))).frames).toBeGreaterThan(0);
    expect(t.logs.some((l) => l.includes('"event":"location.writable"'))).toBe(true);
  }, 40_000);

  it('removal is refused while footage is indexed there and allowed once it is gone', async () => {
    const back = await t.api('PATCH', `/api/v1/cameras/${cam}`, { storageLocationId: loc1 });
    expect(back.status).toBe(200);
    const refused = await t.api('DELETE', `${URL}/${loc2}`);
    expect(refused.status).toBe(409);
    expect((refused.json as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'ARGUS_ERR_STORAGE_LOCATION_IN_USE',
      message: expect.stringMatching(/still holds \d+ recording files? \(.*\)/) as unknown,
    });
    // empty it the way retention does, then it can go
    const { totalBytes } = await location(loc2);
    const emptied = await t.api('PATCH', `${URL}/${loc2}`, { freeSpaceFloorBytes: totalBytes! * 2 });
    expect(emptied.json).toMatchObject({ segmentCount: 0, cameraCount: 0 });
    const removed = await t.api('DELETE', `${URL}/${loc2}`);
    expect(removed.status, removed.text).toBe(204);
    expect(((await t.api('GET', URL)).json as { locations: Location[] }).locations.map((l) => l.id)).toEqual([
      loc1,
    ]);
    // the camera records on the first location again
    await until('a file on the first location again', async () =>
      (await segments()).some((s) => s.locationId === loc1) ? true : undefined,
    );
  }, 30_000);
});
