// End to end against an RTSP server we did not write: GStreamer's (H.264 + AAC 48 kHz from
// independent live sources, RTCP sender reports only after a few seconds) recorded over RTSP/UDP in
// 2 s files. Until both tracks' sender reports are in, audio is placed by the stream's own anchors
// (the PLAY reply's RTP-Info), then by the reports, and the two agree; ffprobe shows audio starting
// within 100 ms of the video in every file, also in a second run (camera disabled and enabled
// again: a new RTSP session).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGstRtspServer, type GstRtspServer } from '../../media/test/peers/gst-rtsp-server.js';
import { probeAv } from './helpers/av-alignment.js';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { segmentsOf } from './helpers/recording-cut.js';

/** GStreamer's AAC here: 1024 samples per frame at 48 kHz. */
const AAC_FRAME_S = 1024 / 48_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let gst: GstRtspServer | undefined;
let t: CameraServer | undefined;

beforeAll(async () => {
  gst = await startGstRtspServer();
  t = await startCameraServer({ recordingFiles: { segmentDurationMs: 2000 } });
}, 30_000);

afterAll(async () => {
  await t?.stop();
  await gst?.stop();
});

interface Status {
  recording: { active: boolean };
}

describe('audio recorded on the video clock (GStreamer RTSP server, UDP)', () => {
  it('aligns audio with video in every file of both runs', { timeout: 40_000 }, async () => {
    const s = t!;
    const res = await s.api('POST', '/api/v1/cameras', {
      name: 'GStreamer',
      mainUrl: gst!.url('/av'),
      transport: 'udp',
      recording: { mode: 'continuous' },
    });
    expect(res.status).toBe(201);
    const id = (res.json as { id: number }).id;
    const status = async () => (await s.api('GET', `/api/v1/cameras/${id}/status`)).json as Status;
    const recordFor = async (ms: number): Promise<void> => {
      for (let i = 0; i < 100 && !(await status()).recording.active; i++) await sleep(100);
      await sleep(ms);
    };
    await recordFor(7000);
    await s.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false });
    await s.api('PATCH', `/api/v1/cameras/${id}`, { enabled: true });
    await recordFor(4500);
    await s.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false });

    const clock = s.logs
      .map((l) => JSON.parse(l) as { event?: string; source?: string; shiftMs?: number })
      .filter((l) => l.event === 'recording.audio-clock');
    const clockLines = clock.map((l) => `${l.source}:${l.shiftMs ?? '-'}`);
    const segments = await segmentsOf(s.dataDir, id);
    const runs = [...new Set(segments.map((x) => x.runId))];
    expect(runs.length).toBe(2);
    expect(segments.length).toBeGreaterThanOrEqual(4);
    // A run starts placing audio by the stream's anchors (GStreamer sends its first sender reports
    // after a second or more), then by the reports; the two agree within 20 ms (shiftMs: how far
    // the switch moved the audio).
    expect(clock[0]?.source, clockLines.join()).toBe('stream');
    const switches = clock.filter((x) => x.source === 'rtcp' && x.shiftMs !== undefined);
    expect(switches.length, clockLines.join()).toBeGreaterThanOrEqual(1);
    for (const l of switches) expect(Math.abs(l.shiftMs!), clockLines.join()).toBeLessThan(20);
    for (const seg of segments) {
      const p = probeAv(path.join(s.dataDir, 'recordings', seg.path));
      const label = `${seg.path} run ${seg.runId}: ${JSON.stringify(p)} ${clockLines.join()}`;
      expect(p.audio, label).toBeDefined();
      const audio = p.audio!;
      expect(Math.abs(audio.firstPtsS - p.video.firstPtsS), label).toBeLessThan(0.1);
      expect(Math.abs(audio.startTimeS - p.video.startTimeS), label).toBeLessThan(0.1);
      expect(Math.abs(audio.lastPtsS - p.video.lastPtsS), label).toBeLessThan(0.1 + AAC_FRAME_S);
      expect(audio.dtsIncreasing, label).toBe(true);
      expect(p.video.dtsIncreasing, label).toBe(true);
      // Nearly every frame is there (a switch from arrival to the reports may drop or skip a few).
      const audioS = audio.lastPtsS - audio.firstPtsS + AAC_FRAME_S;
      expect(audio.packets, label).toBeGreaterThan((audioS / AAC_FRAME_S) * 0.9);
    }
  });
});
