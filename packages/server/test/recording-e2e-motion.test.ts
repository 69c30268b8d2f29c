// End to end: motion recording from the cameras' own events. Camera 1 reports motion through the
// Axis-style event endpoint, camera 2 through ONVIF PullPoint. Motion is driven on demand through
// the simulator; the recorded intervals must equal its motion windows widened by the pre- and
// post-buffer within one GOP (1 s), and the motion intervals in the index must equal the windows.
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';

const PRE_MS = 2000;
const POST_MS = 2000;
const GOP_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;

beforeAll(async () => {
  sim = await startSimulator({ cameras: 2, motionSchedule: null });
  t = await startCameraServer();
});
afterAll(async () => {
  await t?.stop();
  await sim?.close();
});

type Span = { startMs: number; endMs: number };

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('motion recording', () => {
  it(
    'records motion windows widened by the pre/post buffer (Axis events and ONVIF PullPoint)',
    { timeout: 90_000 },
    async () => {
      const s = t!;
      const axisCam = sim!.cameras[0]!;
      const onvifCam = sim!.cameras[1]!;
      const ids: number[] = [];
      for (const [cam, motionEvents] of [
        [axisCam, { kind: 'axis', url: axisCam.httpUrl }],
        [onvifCam, { kind: 'onvif', url: onvifCam.onvifDeviceUrl }],
      ] as const) {
        const res = await s.api('POST', '/api/v1/cameras', {
          name: cam.name,
          mainUrl: cam.rtsp.sub,
          credentials: { username: cam.user, password: cam.password },
          recording: { mode: 'motion', preBufferMs: PRE_MS, postBufferMs: POST_MS },
          motionEvents,
        });
        expect(res.status, res.text).toBe(201);
        ids.push((res.json as { id: number }).id);
      }
      for (const id of ids)
        await waitFor(`camera ${id} online with its event channel`, async () => {
          const st = (await s.api('GET', `/api/v1/cameras/${id}/status`)).json as {
            state: string;
            motion: { connected: boolean | null };
          };
          return st.state === 'online' && st.motion.connected === true;
        });
      // fill the pre-buffer, and check nothing is recorded without motion
      await sleep(PRE_MS + 1500);
      const t0 = Date.now();
      const controls = sim!.cameras.map((c) => sim!.control.camera(c.name));
      for (const [onS, offS] of [
        [3, 3],
        [3, 4],
      ]) {
        for (const c of controls) c.setMotion(true);
        await sleep(onS! * 1000);
        for (const c of controls) c.setMotion(false);
        await sleep(offS! * 1000 + POST_MS + 1000);
      }
      for (const id of ids) {
        const st = (await s.api('GET', `/api/v1/cameras/${id}/status`)).json as {
          recording: { active: boolean };
        };
        expect(st.recording.active).toBe(false);
      }
      for (const id of ids) await s.api('PATCH', `/api/v1/cameras/${id}`, { enabled: false });
      const tEnd = Date.now();

      for (const [i, id] of ids.entries()) {
        const windows = controls[i]!.motionWindows().filter((w) => w.startMs >= t0 - 1000);
        expect(windows.length).toBe(2);
        const tl = (
          await s.api(
            'GET',
            `/api/v1/cameras/${id}/timeline?start=${t0 - 10_000}&end=${tEnd}&resolutionMs=100`,
          )
        ).json as { recorded: Span[]; motion: Span[]; gaps: (Span & { cause: string })[] };
        const label = `camera ${i === 0 ? 'axis' : 'onvif'}: ${JSON.stringify({ windows, tl })}`;
        expect(tl.recorded.length, label).toBe(2);
        expect(tl.motion.length, label).toBe(2);
        windows.forEach((w, k) => {
          const rec = tl.recorded[k]!;
          const motion = tl.motion[k]!;
          // motion intervals in the index are the camera's windows (event times are key-frame times)
          expect(Math.abs(motion.startMs - w.startMs), label).toBeLessThanOrEqual(100);
          expect(Math.abs(motion.endMs - w.endMs!), label).toBeLessThanOrEqual(100);
          // recorded = window widened by pre/post buffer, within one GOP
          expect(Math.abs(rec.startMs - (w.startMs - PRE_MS)), label).toBeLessThanOrEqual(GOP_MS);
          expect(Math.abs(rec.endMs - (w.endMs! + POST_MS)), label).toBeLessThanOrEqual(GOP_MS);
        });
        // between the two recordings, the gap says why
        const between = tl.gaps.filter(
          (g) => g.startMs >= tl.recorded[0]!.endMs - 50 && g.endMs <= tl.recorded[1]!.startMs + 50,
        );
        expect(
          between.map((g) => g.cause),
          label,
        ).toEqual(['no_motion']);
        // and so does the gap before the first motion
        const before = tl.gaps.find((g) => Math.abs(g.endMs - tl.recorded[0]!.startMs) <= 50);
        expect(before?.cause, label).toBe('no_motion');
      }
    },
  );
});
