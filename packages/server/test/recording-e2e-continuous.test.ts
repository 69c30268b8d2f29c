// End to end: the real server records two simulated cameras (sub stream, 640x360) continuously
// for ~25 s over RTSP. The timeline has no gap, every segment file plays in ffprobe on its own, the
// files of a camera are contiguous, and an MP4 cut across them decodes in ffmpeg with zero errors.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { cutMp4, decodeErrors, probeVideo, segmentsOf } from './helpers/recording-cut.js';

const RECORD_MS = 25_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-e2e-'));

beforeAll(async () => {
  sim = await startSimulator({ cameras: 2, motionSchedule: null });
  // 7 s files: rotations at 7, 14, 21 s stay clear of the stop at ~24 s (a run that ends on the key
  // picture that opened a file leaves a one-frame file whose frame has no duration).
  t = await startCameraServer({ recordingFiles: { segmentDurationMs: 7000 } });
});
afterAll(async () => {
  await t?.stop();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

interface Status {
  state: string;
  recording: { active: boolean; reason: string | null };
  streams: { main: { fps: number; bitrateKbps: number; width: number | null; lostPackets: number } };
}

describe('continuous recording of simulated cameras', () => {
  it('records without a gap; files and a cut across them decode cleanly', { timeout: 90_000 }, async () => {
    const s = t!;
    const ids: number[] = [];
    const t0 = Date.now();
    for (const cam of sim!.cameras) {
      const res = await s.api('POST', '/api/v1/cameras', {
        name: cam.name,
        mainUrl: cam.rtsp.sub,
        credentials: { username: cam.user, password: cam.password },
        recording: { mode: 'continuous' },
      });
      expect(res.status, res.text).toBe(201);
      ids.push((res.json as { id: number }).id);
    }
    await sleep(RECORD_MS / 2);
    for (const id of ids) {
      const st = (await s.api('GET', `/api/v1/cameras/${id}/status`)).json as Status;
      expect(st).toMatchObject({ state: 'online', recording: { active: true, reason: 'continuous' } });
      expect(st.streams.main.fps).toBeGreaterThan(20);
      expect(st.streams.main.fps).toBeLessThan(30);
      expect(st.streams.main.bitrateKbps).toBeGreaterThan(10);
      expect(st.streams.main.width).toBe(640);
      expect(st.streams.main.lostPackets).toBe(0);
    }
    await sleep(RECORD_MS / 2);
    const tEnd = Date.now();
    // stop recording so the last fragment is committed, then read what is indexed
    for (const id of ids) await s.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false });

    for (const id of ids) {
      const tl = (
        await s.api(
          'GET',
          `/api/v1/cameras/${id}/timeline?start=${t0 - 5000}&end=${tEnd + 5000}&resolutionMs=100`,
        )
      ).json as {
        recorded: { startMs: number; endMs: number }[];
        gaps: { startMs: number; endMs: number; cause: string }[];
      };
      expect(tl.recorded.length, JSON.stringify(tl)).toBe(1);
      const rec = tl.recorded[0]!;
      // recording starts within 3 s of adding the camera (connect + first key picture)
      expect(rec.startMs - t0).toBeGreaterThanOrEqual(0);
      expect(rec.startMs - t0).toBeLessThan(3000);
      expect(tEnd - rec.endMs).toBeLessThan(1500);
      expect(tl.gaps.filter((g) => g.endMs > rec.startMs && g.startMs < rec.endMs)).toEqual([]);

      const segments = await segmentsOf(s.dataDir, id);
      expect(segments.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < segments.length; i++) {
        const prev = segments[i - 1]!;
        const cur = segments[i]!;
        expect(cur.runId).toBe(prev.runId);
        // each file starts where the previous ended, in wall time and in media time
        expect(Math.abs(cur.startTime90k - prev.endTime90k)).toBeLessThanOrEqual(90);
        expect(cur.mediaStart90k - prev.mediaStart90k).toBe(prev.mediaDuration90k);
      }
      let frames = 0;
      const recordingsDir = path.join(s.dataDir, 'recordings');
      for (const seg of segments) {
        const file = path.join(recordingsDir, seg.path);
        const probe = await probeVideo(file);
        expect(probe).toMatchObject({ codec: 'h264', width: 640, height: 360 });
        expect(probe.frames).toBeGreaterThan(0);
        frames += probe.frames;
      }
      const out = path.join(scratch, `cut-${id}.mp4`);
      const cut = cutMp4(recordingsDir, segments, out);
      expect(await decodeErrors(out)).toBe('');
      const probe = await probeVideo(out);
      expect(probe.frames).toBe(cut.frames);
      expect(probe.frames).toBe(frames);
      // 25 fps over the whole recorded interval: no frame missing at file boundaries
      const recordedS = (rec.endMs - rec.startMs) / 1000;
      expect(Math.abs(cut.durationS - recordedS)).toBeLessThan(0.2);
      expect(Math.abs(cut.frames - recordedS * 25)).toBeLessThanOrEqual(2);
    }
  });
});
