// End to end: the real server with a simulated camera (not recording: motion mode without motion
// events) and live sockets over TLS. A live socket starts with the init and a key frame at once,
// its bytes decode in ffmpeg without an error, main and sub streams have their own sizes, a camera
// without a sub stream says so with a stable code, and a viewer that stops reading costs the server
// a bounded amount of memory and still decodes afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { openMediaSocket, writeReceived } from './helpers/media-socket.js';
import { playbackErrors, probeVideo } from './helpers/recording-fixture.js';

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;
let withSub = 0;
let mainOnly = 0;
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-live-e2e-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSimulator({ cameras: 2, motionSchedule: null });
  t = await startCameraServer();
  const add = async (i: number, sub: boolean): Promise<number> => {
    const cam = sim!.cameras[i]!;
    const res = await t!.api('POST', '/api/v1/cameras', {
      name: cam.name,
      mainUrl: cam.rtsp.main,
      ...(sub ? { subUrl: cam.rtsp.sub } : {}),
      credentials: { username: cam.user, password: cam.password },
      recording: { mode: 'motion' },
    });
    if (res.status !== 201) throw new Error(res.text);
    return (res.json as { id: number }).id;
  };
  withSub = await add(0, true);
  mainOnly = await add(1, false);
  // Wait until both cameras deliver video (a GOP is then held for new viewers).
  for (let i = 0; i < 100; i++) {
    const s = (await t.api('GET', `/api/v1/cameras/${withSub}/status`)).json as {
      streams: { main: { fps: number }; sub: { fps: number } | null };
    };
    if (s.streams.main.fps > 0 && (s.streams.sub?.fps ?? 0) > 0) break;
    await sleep(100);
  }
  await sleep(1200);
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${t!.adminToken}` });

describe('live sockets end to end', () => {
  it(
    'main stream: init and a key frame at once, then fragments that decode cleanly',
    { timeout: 30_000 },
    async () => {
      const opened = performance.now();
      const c = await openMediaSocket(t!.port, t!.ca, `/api/v1/cameras/${withSub}/live?stream=main`, auth());
      await c.waitFor((x) => x.media().length >= 80, 10_000);
      c.close();
      const media = c.media();
      expect(media[0]!.message).toMatchObject({
        type: 'init',
        reason: 'start',
        stream: 'main',
        width: 1920,
        height: 1080,
      });
      expect(media[1]!.message).toMatchObject({ type: 'fragment', isKey: true, timescale: 90_000 });
      // The GOP so far is sent at once: the first frame is there long before the next key frame.
      expect(media[1]!.atMs - opened).toBeLessThan(1000);
      const fragments = media.filter((m) => m.message.type === 'fragment').map((m) => m.message);
      for (let i = 1; i < fragments.length; i++) {
        const a = fragments[i - 1] as { decodeTime: number; wallMs: number };
        const b = fragments[i] as { decodeTime: number; wallMs: number };
        expect(b.decodeTime).toBeGreaterThan(a.decodeTime);
        expect(b.wallMs).toBeGreaterThanOrEqual(a.wallMs);
      }
      // Live means now: the newest fragment's wall clock is within a second of the host clock.
      const last = fragments.at(-1) as { wallMs: number };
      expect(Math.abs(Date.now() - last.wallMs)).toBeLessThan(1500);
      const file = path.join(scratch, 'main.mp4');
      const sent = writeReceived(c, file);
      expect(playbackErrors(file)).toBe('');
      const probe = probeVideo(file);
      expect(probe.width).toBe(1920);
      expect(probe.frames).toBeGreaterThanOrEqual(sent);
      // Not recording (motion mode, no motion): live view does not depend on it.
      const status = (await t!.api('GET', `/api/v1/cameras/${withSub}/status`)).json as {
        recording: { active: boolean };
      };
      expect(status.recording.active).toBe(false);
    },
  );

  it(
    'sub stream per viewer; a camera without one answers a stable error code',
    { timeout: 30_000 },
    async () => {
      const sub = await openMediaSocket(t!.port, t!.ca, `/api/v1/cameras/${withSub}/live?stream=sub`, auth());
      await sub.waitFor((x) => x.media().length >= 30, 10_000);
      sub.close();
      expect(sub.media()[0]!.message).toMatchObject({ type: 'init', stream: 'sub', width: 640, height: 360 });
      const file = path.join(scratch, 'sub.mp4');
      writeReceived(sub, file);
      expect(playbackErrors(file)).toBe('');
      expect(probeVideo(file).width).toBe(640);

      const none = await openMediaSocket(
        t!.port,
        t!.ca,
        `/api/v1/cameras/${mainOnly}/live?stream=sub`,
        auth(),
      );
      const closed = await none.closed;
      expect(none.messages()).toEqual([
        expect.objectContaining({ type: 'error', code: 'ARGUS_ERR_STREAM_NOT_CONFIGURED' }),
      ]);
      expect(closed.code).toBe(1008);

      const missing = await openMediaSocket(t!.port, t!.ca, `/api/v1/cameras/999/live`, auth());
      await missing.closed;
      expect(missing.messages()[0]).toMatchObject({ type: 'error', code: 'ARGUS_ERR_NOT_FOUND' });
    },
  );

  it(
    'a viewer that stops reading costs bounded memory and decodes after it resumes',
    { timeout: 30_000 },
    async () => {
      const c = await openMediaSocket(t!.port, t!.ca, `/api/v1/cameras/${withSub}/live?stream=main`, auth());
      await c.waitFor((x) => x.media().length >= 5, 5000);
      c.ws.pause();
      let maxQueued = 0;
      for (let i = 0; i < 20; i++) {
        await sleep(200);
        for (const v of t!.server.liveStats().perViewer) maxQueued = Math.max(maxQueued, v.bufferedBytes);
      }
      c.ws.resume();
      const before = c.media().length;
      await c.waitFor((x) => x.media().length >= before + 50, 10_000);
      c.close();
      expect(maxQueued).toBeLessThanOrEqual((8 << 20) + (1 << 20));
      const file = path.join(scratch, 'paused.mp4');
      writeReceived(c, file, c.messages().filter((m) => m.type === 'init').length - 1);
      expect(playbackErrors(file)).toBe('');
      await sleep(100);
      expect(t!.server.liveStats().viewers).toBe(0);
    },
  );
});
