// End to end: the real server records a simulated camera with AAC audio (its audio RTP clock has a
// random offset of its own; the camera sends RTCP sender reports) in 2 s files over RTSP/TCP, then
// the camera drops the connection and the server reconnects (a new run). ffprobe shows, in every
// segment file of both runs, audio starting within 100 ms of the video and lasting as long, with
// decode times that only increase.
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeAv } from './helpers/av-alignment.js';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { segmentsOf } from './helpers/recording-cut.js';

/** The simulator's AAC: 1024 samples per frame at 16 kHz. */
const AAC_FRAME_S = 1024 / 16_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, audio: true, motionSchedule: null });
  t = await startCameraServer({ recordingFiles: { segmentDurationMs: 2000 } });
}, 30_000);

afterAll(async () => {
  await t?.stop();
  await sim?.close();
});

interface Status {
  state: string;
  recording: { active: boolean };
}

describe('audio recorded on the video clock (simulated camera, TCP)', () => {
  it('aligns audio with video in every file, also after a reconnect', { timeout: 40_000 }, async () => {
    const s = t!;
    const cam = sim!.cameras[0]!;
    const res = await s.api('POST', '/api/v1/cameras', {
      name: cam.name,
      mainUrl: cam.rtsp.sub,
      credentials: { username: cam.user, password: cam.password },
      recording: { mode: 'continuous' },
    });
    expect(res.status).toBe(201);
    const id = (res.json as { id: number }).id;
    const status = async () => (await s.api('GET', `/api/v1/cameras/${id}/status`)).json as Status;
    for (let i = 0; i < 100 && !(await status()).recording.active; i++) await sleep(100);
    await sleep(5000);
    sim!.control.camera(cam.name).fault({ type: 'drop', scope: 'rtsp' });
    let sawDrop = false;
    for (let i = 0; i < 150; i++) {
      const st = await status();
      if (!st.recording.active) sawDrop = true;
      if (sawDrop && st.recording.active) break;
      await sleep(100);
    }
    expect(sawDrop).toBe(true);
    await sleep(4500);
    await s.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false });

    const segments = await segmentsOf(s.dataDir, id);
    const runs = [...new Set(segments.map((x) => x.runId))];
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(segments.length).toBeGreaterThanOrEqual(5);
    for (const seg of segments) {
      const p = probeAv(path.join(s.dataDir, 'recordings', seg.path));
      const label = `${seg.path} run ${seg.runId}: ${JSON.stringify(p)}`;
      expect(p.audio, label).toBeDefined();
      const audio = p.audio!;
      expect(Math.abs(audio.firstPtsS - p.video.firstPtsS), label).toBeLessThan(0.1);
      expect(Math.abs(audio.startTimeS - p.video.startTimeS), label).toBeLessThan(0.1);
      // Audio covers the file: it ends with the video (within 100 ms + one audio frame), and no
      // frame is missing in between.
      expect(Math.abs(audio.lastPtsS - p.video.lastPtsS), label).toBeLessThan(0.1 + AAC_FRAME_S);
      const audioS = audio.lastPtsS - audio.firstPtsS + AAC_FRAME_S;
      expect(Math.abs(audio.packets - audioS / AAC_FRAME_S), label).toBeLessThan(1.01);
      expect(audio.dtsIncreasing, label).toBe(true);
      expect(p.video.dtsIncreasing, label).toBe(true);
    }
    // Files of a run continue one another: audio too (no jump back across a file boundary).
    for (const run of runs) {
      const files = segments.filter((x) => x.runId === run);
      for (let i = 1; i < files.length; i++)
        expect(files[i]!.mediaStart90k, `run ${run}`).toBeGreaterThan(files[i - 1]!.mediaStart90k);
    }
  });
});
