// Every fault the control API offers, observed from a client: drop, stall, reboot, resolution
// change, timestamp jump and repeat, wrong credentials, slow drip; plus the control HTTP API itself.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseH264Sps } from '@argus/media';
import {
  startSimulator,
  type RunningSimulator,
  type SimulatedCameraInfo,
  type CameraControl,
} from '@argus/simulator';
import { digestFetch } from './helpers/digest-fetch.js';
import { soap } from './helpers/onvif-soap.js';
import { rawExchange } from './helpers/raw-tcp.js';
import { h264WholeNalus, sleep, startCapture, tsDiff, waitFor, type Capture } from './helpers/rtp-capture.js';

let sim: RunningSimulator;
let cam: SimulatedCameraInfo;
let control: CameraControl;
const captures: Capture[] = [];
const OPTIONS = (url: string): string => `OPTIONS ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`;

async function capture(url = cam.rtsp.main): Promise<Capture> {
  const c = await startCapture(url, cam.user, cam.password);
  captures.push(c);
  return c;
}

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, motionSchedule: null });
  cam = sim.cameras[0]!;
  control = sim.control.camera(cam.name);
});

afterEach(async () => {
  control.clearFaults();
  await Promise.all(captures.splice(0).map((c) => c.stop().catch(() => {})));
});

afterAll(async () => {
  await sim.close();
});

describe('faults', () => {
  it('drop closes open RTSP sessions and HTTP requests; new connections work', async () => {
    const cap = await capture();
    await sleep(300);
    const poll = fetch(`${cam.httpUrl}/axis-cgi/events/poll.cgi?after=999&timeout=20`).catch(
      (e: unknown) => e,
    );
    await sleep(100);
    control.fault({ type: 'drop' });
    expect(await cap.closed).toBeDefined();
    const polled = await poll;
    expect(polled instanceof Error || (polled as Response).status === 401).toBe(true);
    const again = await rawExchange(cam.host, cam.rtspPort, OPTIONS(cam.rtsp.main), 1000);
    expect(again.bytes.toString()).toMatch(/^RTSP\/1.0 200 OK/);
  });

  it('stall accepts connections but sends nothing, stops media, and recovers', async () => {
    const cap = await capture();
    expect(await waitFor(() => cap.rtp.length > 5, 3000)).toBe(true);
    const before = cap.rtp.length;
    expect(before).toBeGreaterThan(0);
    control.fault({ type: 'stall', durationMs: 2500 });
    const stalled = rawExchange(cam.host, cam.rtspPort, OPTIONS(cam.rtsp.main), 4000);
    await sleep(1500);
    const during = cap.rtp.length;
    expect(during - before).toBeLessThan(10);
    await sleep(2000);
    const r = await stalled;
    expect(r.connected).toBe(true);
    expect(r.firstByteMs).toBeGreaterThan(2000);
    expect(r.bytes.toString()).toMatch(/^RTSP\/1.0 200 OK/);
    expect(cap.rtp.length).toBeGreaterThan(during + 10);
  });

  it('reboot closes every port for its duration, then the camera answers again', async () => {
    const cap = await capture();
    control.fault({ type: 'reboot', durationMs: 1500 });
    expect(await cap.closed).toBeDefined();
    await sleep(100);
    expect(control.state().up).toBe(false);
    expect((await rawExchange(cam.host, cam.httpPort, 'GET / HTTP/1.0\r\n\r\n', 500)).error).toBe(
      'ECONNREFUSED',
    );
    expect((await rawExchange(cam.host, cam.rtspPort, OPTIONS(cam.rtsp.main), 500)).error).toBe(
      'ECONNREFUSED',
    );
    await sleep(1600);
    expect(control.state().up).toBe(true);
    expect(
      (await digestFetch(`${cam.httpUrl}/axis-cgi/basicdeviceinfo.cgi`, cam.user, cam.password)).status,
    ).toBe(200);
  });

  it('resolution switches the main stream to 640x360 at a keyframe, with new SPS in band', async () => {
    const cap = await capture();
    expect(await waitFor(() => cap.rtp.length > 5, 3000)).toBe(true);
    const mark = cap.rtp.length;
    control.fault({ type: 'resolution' });
    await sleep(1500);
    const sizes = (from: number, to: number) =>
      new Set(
        cap.rtp
          .slice(from, to)
          .flatMap((p) => h264WholeNalus(p.payload))
          .filter((n) => (n[0]! & 0x1f) === 7)
          .map((n) => `${parseH264Sps(n).width}x${parseH264Sps(n).height}`),
      );
    expect(sizes(0, mark)).toEqual(new Set(['1920x1080']));
    expect(sizes(mark, cap.rtp.length)).toContain('640x360');
    expect(control.state().faults.map((f) => f.spec.type)).toEqual(['resolution']);
  });

  it('timestamp-jump and timestamp-repeat move RTP timestamps forward and back', async () => {
    const cap = await capture(cam.rtsp.sub);
    expect(await waitFor(() => cap.rtp.length > 5, 3000)).toBe(true);
    control.fault({ type: 'timestamp-jump', deltaMs: 5000 });
    await sleep(400);
    control.fault({ type: 'timestamp-repeat', deltaMs: 2000 });
    await sleep(400);
    const frames = [...new Set(cap.rtp.filter((p) => p.trackIndex === 0).map((p) => p.timestamp))];
    const steps = frames.slice(1).map((t, i) => tsDiff(t, frames[i]!));
    expect(steps).toContain(3600 + 5000 * 90);
    expect(steps).toContain(3600 - 2000 * 90);
    expect(steps.filter((s) => s !== 3600)).toHaveLength(2);
    expect(control.state().timestampOffsetMs).toBe(3000);
  });

  it('wrong-credentials refuses the known password on HTTP, ONVIF and RTSP until cleared', async () => {
    control.fault({ type: 'wrong-credentials' });
    await sleep(200);
    expect(
      (await digestFetch(`${cam.httpUrl}/axis-cgi/basicdeviceinfo.cgi`, cam.user, cam.password)).status,
    ).toBe(401);
    const onvif = await soap(
      `${cam.httpUrl}/onvif/device_service`,
      '<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>',
      {
        user: cam.user,
        password: cam.password,
      },
    );
    expect(onvif.xml).toContain('ter:NotAuthorized');
    await expect(startCapture(cam.rtsp.sub, cam.user, cam.password)).rejects.toThrow(/401|wrong credentials/);
    control.clearFaults('wrong-credentials');
    await sleep(200);
    expect(
      (await digestFetch(`${cam.httpUrl}/axis-cgi/basicdeviceinfo.cgi`, cam.user, cam.password)).status,
    ).toBe(200);
    const cap = await capture(cam.rtsp.sub);
    expect(await waitFor(() => cap.rtp.length > 0, 3000)).toBe(true);
  });

  it('drip slows every byte of new connections to the given rate', async () => {
    const request = 'GET /axis-cgi/param.cgi?action=list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const fast = await rawExchange(cam.host, cam.httpPort, request, 2000);
    expect(fast.lastByteMs).toBeLessThan(300);
    control.fault({ type: 'drip', bytesPerSecond: 400, durationMs: 5000 });
    const slow = await rawExchange(cam.host, cam.httpPort, request, 3000);
    expect(slow.bytes.toString()).toMatch(/^HTTP\/1.1 401/);
    expect(slow.bytes.length).toBe(fast.bytes.length);
    // ~300 bytes at 400 B/s: about 0.75 s instead of a few ms.
    expect(slow.lastByteMs! - slow.firstByteMs!).toBeGreaterThan(400);
    const rtsp = await rawExchange(cam.host, cam.rtspPort, OPTIONS(cam.rtsp.main), 2000);
    expect(rtsp.bytes.toString()).toMatch(/^RTSP\/1.0 200 OK/);
    expect(rtsp.lastByteMs! - rtsp.firstByteMs!).toBeGreaterThan(100);
  });
});

describe('control HTTP API', () => {
  const api = (path: string, init?: RequestInit) => fetch(`${sim.control.url}${path}`, init);

  it('lists cameras, sets motion, inputs and faults, and reports errors with codes', async () => {
    const list = (await (await api('/cameras')).json()) as Array<{ info: SimulatedCameraInfo }>;
    expect(list.map((c) => c.info.name)).toEqual([cam.name]);
    const motion = (await (
      await api(`/cameras/${cam.name}/motion`, { method: 'POST', body: '{"on":true}' })
    ).json()) as { effectiveAtMs: number };
    expect(motion.effectiveAtMs % 1000).toBe(0);
    expect((await api('/cameras/*/inputs/1', { method: 'POST', body: '{"active":true}' })).status).toBe(200);
    expect(control.state().inputs).toEqual([true, false]);
    const fault = await api(`/cameras/${cam.name}/faults`, {
      method: 'POST',
      body: '{"type":"stall","durationMs":60000}',
    });
    expect(((await fault.json()) as { spec: { type: string } }).spec.type).toBe('stall');
    expect((await api(`/cameras/${cam.name}/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(control.state().faults).toEqual([]);
    const bad = await api(`/cameras/${cam.name}/faults`, { method: 'POST', body: '{"type":"explode"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('ARGUS_ERR_SIM_FAULT');
    expect((await api('/cameras/nope/motion', { method: 'POST', body: '{"on":true}' })).status).toBe(404);
    const schedule = await api(`/cameras/${cam.name}/motion-schedule`, {
      method: 'PUT',
      body: '{"periodMs":60000,"durationMs":10000,"offsetMs":0}',
    });
    expect(schedule.status).toBe(200);
    expect(control.state().motionSchedule).toEqual({ periodMs: 60000, durationMs: 10000, offsetMs: 0 });
  });
});
