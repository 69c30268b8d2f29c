// End to end: a simulated camera reboots (ports closed for 4 s) while recorded continuously. The
// index holds one 'offline' gap that equals the real media outage within 1 s (from the reboot to
// the first key picture the camera can send after it is back), recording resumes within 5 s of the
// camera's return, and the files on both sides of the gap play (until the camera is removed
// with its recordings).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { probeVideo, segmentsOf } from './helpers/recording-cut.js';

const OUTAGE_MS = 4000;
/** The simulator sends a new client media from the first key picture (whole seconds) >= 300 ms after SETUP. */
const firstKeyAfter = (ms: number) => Math.ceil((ms + 300) / 1000) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, motionSchedule: null });
  t = await startCameraServer();
});
afterAll(async () => {
  await t?.stop();
  await sim?.close();
});

interface Status {
  state: string;
  recording: { active: boolean };
  streams: { main: { reconnects: number; lastError: { code: string } | null } };
}

describe('camera reboot', () => {
  it('records the outage as an offline gap and resumes quickly', { timeout: 90_000 }, async () => {
    const s = t!;
    const cam = sim!.cameras[0]!;
    const control = sim!.control.camera(cam.name);
    const res = await s.api('POST', '/api/v1/cameras', {
      name: cam.name,
      mainUrl: cam.rtsp.sub,
      credentials: { username: cam.user, password: cam.password },
    });
    expect(res.status).toBe(201);
    const id = (res.json as { id: number }).id;
    const status = async () => (await s.api('GET', `/api/v1/cameras/${id}/status`)).json as Status;
    const t0 = Date.now();
    for (let i = 0; i < 100 && !(await status()).recording.active; i++) await sleep(100);
    await sleep(4000);

    const fault = control.fault({ type: 'reboot', durationMs: OUTAGE_MS });
    const backAt = fault.untilMs!;
    let sawOffline: Status | undefined;
    let resumedAt: number | undefined;
    while (Date.now() < backAt + 10_000) {
      const st = await status();
      if (st.state === 'offline') sawOffline ??= st;
      if (sawOffline && st.recording.active) {
        resumedAt = Date.now();
        break;
      }
      await sleep(100);
    }
    expect(sawOffline?.streams.main.lastError).not.toBeNull();
    expect(resumedAt).toBeDefined();
    expect(resumedAt! - backAt).toBeLessThan(5000);
    const after = await status();
    expect(after.state).toBe('online');
    expect(after.streams.main.reconnects).toBeGreaterThanOrEqual(1);
    await sleep(3000);
    await s.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false });
    const tEnd = Date.now();

    const tl = (await s.api('GET', `/api/v1/cameras/${id}/timeline?start=${t0}&end=${tEnd}&resolutionMs=100`))
      .json as {
      recorded: { startMs: number; endMs: number }[];
      gaps: { startMs: number; endMs: number; cause: string }[];
    };
    const label = JSON.stringify({ fault, tl });
    expect(tl.recorded.length, label).toBe(2);
    const offline = tl.gaps.filter((g) => g.cause === 'offline');
    expect(offline.length, label).toBe(1);
    const gap = offline[0]!;
    expect(gap.startMs, label).toBe(tl.recorded[0]!.endMs);
    expect(gap.endMs, label).toBe(tl.recorded[1]!.startMs);
    // the gap is the real outage: from the reboot to the first picture the camera could send again
    expect(Math.abs(gap.startMs - fault.sinceMs), label).toBeLessThanOrEqual(1000);
    expect(Math.abs(gap.endMs - firstKeyAfter(backAt)), label).toBeLessThanOrEqual(1000);
    expect(gap.endMs - backAt, label).toBeLessThan(5000);

    const segments = await segmentsOf(s.dataDir, id);
    expect(new Set(segments.map((x) => x.runId)).size).toBe(2);
    for (const seg of segments) {
      const probe = await probeVideo(path.join(s.dataDir, 'recordings', seg.path));
      expect(probe.frames).toBeGreaterThan(0);
    }

    // removing the camera with deleteRecordings=true deletes its footage now
    const del = await s.api('DELETE', `/api/v1/cameras/${id}?deleteRecordings=true`);
    expect(del.status).toBe(204);
    expect(await segmentsOf(s.dataDir, id)).toEqual([]);
    for (const seg of segments) expect(existsSync(path.join(s.dataDir, 'recordings', seg.path))).toBe(false);
  });
});
