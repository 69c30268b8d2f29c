// RTSP streams of a simulated camera: ffprobe reads every stream with the codec, size and frame
// rate it claims; RTP is paced in real time with wall-clock timestamps (checked against RTCP SRs);
// new clients start at a keyframe; the moving object is in the picture exactly while motion is on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator, type SimulatedCameraInfo } from '@argus/simulator';
import { ffprobeStreams, run, withCredentials } from './helpers/processes.js';
import { h264NalTypes, sleep, startCapture } from './helpers/rtp-capture.js';

let sim: RunningSimulator;
let cam: SimulatedCameraInfo;

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, audio: true, motionSchedule: null });
  cam = sim.cameras[0]!;
});

afterAll(async () => {
  await sim.close();
});

const authed = (url: string): string => withCredentials(url, cam.user, cam.password);

describe('ffprobe', () => {
  it.each([
    ['main', 'h264', 'h264', 1920, 1080],
    ['sub', 'h264', 'h264', 640, 360],
    ['main', 'h265', 'hevc', 1920, 1080],
    ['sub', 'h265', 'hevc', 640, 360],
  ])('reads the %s %s stream with audio', async (stream, codec, codecName, width, height) => {
    const profile = cam.streams.find((s) => s.stream === stream && s.codec === codec)!;
    const streams = await ffprobeStreams(authed(profile.rtspUrl));
    expect(streams).toEqual([
      expect.objectContaining({
        codec_type: 'video',
        codec_name: codecName,
        width,
        height,
        r_frame_rate: '25/1',
      }),
      expect.objectContaining({ codec_type: 'audio', codec_name: 'aac', sample_rate: '16000', channels: 1 }),
    ]);
  });

  it('serves an H.265 camera without audio by default when configured so', async () => {
    const other = await startSimulator({ cameras: 1, h265: true, motionSchedule: null, controlApi: false });
    try {
      const info = other.cameras[0]!;
      expect(info.rtsp.main).toContain('videocodec=h265');
      const streams = await ffprobeStreams(withCredentials(info.rtsp.main, info.user, info.password));
      expect(streams).toEqual([expect.objectContaining({ codec_name: 'hevc', width: 1920, height: 1080 })]);
    } finally {
      await other.close();
    }
  });

  it('answers 404 for an unknown stream and 401 for wrong credentials', async () => {
    const bad = await run(
      'ffprobe',
      ['-v', 'error', '-rtsp_transport', 'tcp', authed(`${cam.rtsp.main.split('?')[0]}?resolution=800x600`)],
      15_000,
    );
    expect(bad.stderr).toMatch(/404/);
    const denied = await run(
      'ffprobe',
      ['-v', 'error', '-rtsp_transport', 'tcp', withCredentials(cam.rtsp.main, cam.user, 'wrong')],
      15_000,
    );
    expect(denied.stderr).toMatch(/401/);
  });
});

describe('RTP pacing and timestamps', () => {
  it('paces 25 fps in real time, starts with SPS/PPS/IDR, and maps RTP time to the wall clock', async () => {
    const cap = await startCapture(cam.rtsp.main, cam.user, cam.password);
    expect(cap.client.sdp?.tracks.map((t) => t.encodingName)).toEqual(['H264', 'MPEG4-GENERIC']);
    await sleep(3500);
    await cap.stop();
    const video = cap.rtp.filter((p) => p.trackIndex === 0);
    const audio = cap.rtp.filter((p) => p.trackIndex === 1);
    const firstFrame = video
      .filter((p) => p.timestamp === video[0]!.timestamp)
      .flatMap((p) => h264NalTypes(p.payload));
    expect(firstFrame.slice(0, 2)).toEqual([7, 8]);
    expect(firstFrame).toContain(5);
    const frames = [...new Set(video.map((p) => p.timestamp))];
    const deltas = frames.slice(1).map((t, i) => (t - frames[i]! + 2 ** 32) % 2 ** 32);
    expect(new Set(deltas)).toEqual(new Set([3600]));
    // Real-time: frames arrive at 25 per second of wall time (within a frame or two).
    const span = video.at(-1)!.receivedAtMs - video[0]!.receivedAtMs;
    expect(Math.abs(frames.length - 1 - (span / 1000) * 25)).toBeLessThan(3);
    // Audio: AAC frames of 1024 samples at 16 kHz.
    const audioTs = [...new Set(audio.map((p) => p.timestamp))];
    expect(audioTs.length).toBeGreaterThan(30);
    expect(new Set(audioTs.slice(1).map((t, i) => (t - audioTs[i]! + 2 ** 32) % 2 ** 32))).toEqual(
      new Set([1024]),
    );
    // The sender report maps RTP time to wall time; every frame arrived within 500 ms of its wall time (loaded CI machines).
    const sr = cap.srs.find((s) => s.trackIndex === 0)!;
    for (const p of video) {
      const wallOfFrame = sr.ntpTimeMs + ((p.timestamp - sr.rtpTimestamp) | 0) / 90;
      expect(Math.abs(p.receivedAtMs - wallOfFrame)).toBeLessThan(500);
      // Frame times are whole multiples of 40 ms of the wall clock (loops aligned to the minute).
      expect(Math.round(wallOfFrame) % 40).toBe(0);
    }
    const lateness = video.map(
      (p) => p.receivedAtMs - (sr.ntpTimeMs + ((p.timestamp - sr.rtpTimestamp) | 0) / 90),
    );
    lateness.sort((a, b) => a - b);
    expect(Math.abs(lateness[Math.floor(lateness.length / 2)]!)).toBeLessThan(60);
  });
});

describe('motion in the picture', () => {
  /** Orange (the moving square) pixels in one decoded frame of the sub stream. */
  async function orangePixels(): Promise<number> {
    const r = await runRaw([
      '-v',
      'error',
      '-rtsp_transport',
      'tcp',
      '-i',
      authed(cam.rtsp.sub),
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ]);
    expect(r.length).toBe(640 * 360 * 3);
    let n = 0;
    for (let i = 0; i < r.length; i += 3)
      if (r[i]! > 200 && r[i + 1]! > 100 && r[i + 1]! < 180 && r[i + 2]! < 80) n++;
    return n;
  }

  it('shows the moving object only while motion is on', async () => {
    const control = sim.control.camera(cam.name);
    expect(await orangePixels()).toBe(0);
    const at = control.setMotion(true);
    await sleep(at - Date.now() + 50);
    expect(await orangePixels()).toBeGreaterThan(2000);
    const off = control.setMotion(false);
    await sleep(off - Date.now() + 50);
    expect(await orangePixels()).toBe(0);
  }, 25_000);
});

function runRaw(args: string[]): Promise<Buffer> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise((resolve, reject) => {
        const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'inherit'] });
        const chunks: Buffer[] = [];
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.stdout.on('data', (c: Buffer) => chunks.push(c));
        child.on('error', reject);
        child.on('close', () => {
          clearTimeout(timer);
          resolve(Buffer.concat(chunks));
        });
      }),
  );
}
