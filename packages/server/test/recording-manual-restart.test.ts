// Manual recording survives a server restart: a real server on a temporary data directory, a
// scripted camera sending real H.264 (a fixture clip) at 25 fps, method 'off'. Started by hand, the
// camera records again as 'manual' after a restart (status and new footage); stopped by hand, or
// disabled and enabled again, it does not come back.
import path from 'node:path';
import type { StreamAccessUnit } from '@argus/media';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenSource, SourceTrack } from '../src/ingest/index.js';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { FAKE_TRACK, FakeCamera } from './helpers/fake-source.js';
import { clipFrame, loadClip } from './helpers/recording-fixture.js';

const clip = loadClip('sub-h264-still.mp4');
const CLIP_TRACK: SourceTrack = { ...FAKE_TRACK, config: clip.track.config as SourceTrack['config'] };
const camera = new FakeCamera();
const open: OpenSource = (request, handlers) => {
  const source = camera.open(request, handlers);
  return { ...source, tracks: () => (source.tracks() ? [CLIP_TRACK] : undefined) };
};
let frame = 0;
/** 25 fps in real time, wall time = now. */
const pump = setInterval(() => {
  const unit: StreamAccessUnit = {
    trackIndex: 0,
    info: CLIP_TRACK.info,
    wallTimeMs: Date.now(),
    accessUnit: clipFrame(clip, frame++),
  };
  camera.frame(unit);
}, 40);

let t: CameraServer;
let id: number;
/** The user the test's API calls act as: who started manual recording. */
let adminId: number | undefined;
beforeAll(async () => {
  t = await startCameraServer({
    openSource: open,
    recordingFiles: { segmentDurationMs: 2000, maxFragmentDurationMs: 500 },
  });
});
afterAll(async () => {
  clearInterval(pump);
  await t?.stop();
});

/** The catalog's manual recording rows (read beside the running server; WAL allows it). */
function manualRows(): { camera_id: number; by: number | null }[] {
  const db = new Database(path.join(t.dataDir, 'catalog.sqlite'), { readonly: true });
  try {
    adminId ??= (db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: number }).id;
    return db.prepare('SELECT camera_id, started_by_user_id AS by FROM manual_recordings').all() as {
      camera_id: number;
      by: number | null;
    }[];
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
interface Status {
  state: string;
  recording: { active: boolean; reason: string | null; manual: boolean; mode: string };
}
const status = async () => (await t.api('GET', `/api/v1/cameras/${id}/status`)).json as Status;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; i < 1000 && Date.now() < until; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Recorded spans of the camera from `sinceMs` on. */
async function recordedSince(sinceMs: number): Promise<{ startMs: number; endMs: number }[]> {
  const res = await t.api(
    'GET',
    `/api/v1/cameras/${id}/timeline?start=${sinceMs}&end=${Date.now() + 1000}&resolutionMs=1`,
  );
  return (res.json as { recorded: { startMs: number; endMs: number }[] }).recorded;
}

describe('manual recording across restarts', () => {
  it('a camera started by hand records as manual again after a restart', { timeout: 40_000 }, async () => {
    const res = await t.api('POST', '/api/v1/cameras', {
      name: 'Gate',
      mainUrl: 'rtsp://127.0.0.1:8554/gate',
      recording: { mode: 'off' },
    });
    expect(res.status, res.text).toBe(201);
    id = (res.json as { id: number }).id;
    await waitFor('online', async () => ((await status()).state === 'online' ? true : undefined));
    expect((await status()).recording).toMatchObject({ active: false, manual: false, mode: 'off' });

    const on = await t.api('POST', `/api/v1/cameras/${id}/recording/start`);
    expect(on.json).toMatchObject({ recording: { manual: true } });
    await waitFor('manual recording', async () => ((await status()).recording.active ? true : undefined));
    expect(manualRows()).toEqual([{ camera_id: id, by: adminId }]);

    await t.restart();
    const restartedAtMs = Date.now();
    const after = await waitFor('recording after the restart', async () => {
      const s = await status();
      return s.recording.active ? s : undefined;
    });
    expect(after.recording).toEqual({ active: true, reason: 'manual', manual: true, mode: 'off' });
    // New footage after the restart, in the index.
    const spans = await waitFor('footage after the restart', async () => {
      const r = (await recordedSince(restartedAtMs)).filter((s) => s.endMs > restartedAtMs + 1000);
      return r.length > 0 ? r : undefined;
    });
    expect(spans[0]!.endMs).toBeGreaterThan(restartedAtMs + 1000);
  });

  it('stopped by hand, it stays stopped after a restart', { timeout: 40_000 }, async () => {
    const off = await t.api('POST', `/api/v1/cameras/${id}/recording/stop`);
    expect(off.json).toMatchObject({ recording: { manual: false } });
    await t.restart();
    expect(manualRows()).toEqual([]);
    await waitFor('online', async () => ((await status()).state === 'online' ? true : undefined));
    await sleep(1500); // frames flow: with manual on it would record within a GOP
    expect((await status()).recording).toEqual({ active: false, reason: null, manual: false, mode: 'off' });
  });

  it('disabling the camera drops manual recording', { timeout: 40_000 }, async () => {
    await t.api('POST', `/api/v1/cameras/${id}/recording/start`);
    expect((await t.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false })).status).toBe(200);
    expect((await t.api('PATCH', `/api/v1/cameras/${id}`, { enabled: true })).status).toBe(200);
    await waitFor('online', async () => ((await status()).state === 'online' ? true : undefined));
    expect((await status()).recording.manual).toBe(false);
    // ... and a settings change that restarts the session keeps it when it is on.
    await t.api('POST', `/api/v1/cameras/${id}/recording/start`);
    const patched = await t.api('PATCH', `/api/v1/cameras/${id}`, { transport: 'udp' });
    expect(patched.status).toBe(200);
    await waitFor('manual after a settings restart', async () =>
      (await status()).recording.active ? true : undefined,
    );
    expect((await status()).recording).toMatchObject({ reason: 'manual', manual: true });
    expect(manualRows()).toEqual([{ camera_id: id, by: adminId }]);
    expect((await t.api('DELETE', `/api/v1/cameras/${id}`)).status).toBe(204);
    expect(manualRows()).toEqual([]);
  });
});
