// Every media endpoint checks the session and the privilege its route declares: live video (live
// socket, snapshot) for every role, recorded video (playback socket, playback.mp4, download,
// timeline) for Administrators and Operators only, nothing for anonymous callers. WebSocket
// upgrades authenticate with the session cookie or a Bearer token and are refused cross-site.
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { httpsCall, TestSession } from './helpers/https-client.js';
import { openMediaSocket, upgradeStatus } from './helpers/media-socket.js';

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;
let cam = 0;
let viewer = '';
let operator = '';
let from = 0;
let to = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, motionSchedule: null });
  t = await startCameraServer();
  const c = sim.cameras[0]!;
  const res = await t.api('POST', '/api/v1/cameras', {
    name: c.name,
    mainUrl: c.rtsp.sub,
    credentials: { username: c.user, password: c.password },
    recording: { mode: 'continuous' },
  });
  cam = (res.json as { id: number }).id;
  viewer = await t.tokenFor('viewer');
  operator = await t.tokenFor('operator');
  from = Date.now();
  await sleep(4000);
  to = Date.now();
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await sim?.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const live = () => `/api/v1/cameras/${cam}/live?stream=main`;
const playback = () => `/api/v1/cameras/${cam}/playback?start=${from}`;
const httpRoutes = () => ({
  snapshot: `/api/v1/cameras/${cam}/snapshot.jpg`,
  download: `/api/v1/cameras/${cam}/download.mp4?start=${from}&end=${to}`,
  playbackMp4: `/api/v1/cameras/${cam}/playback.mp4?start=${from}&end=${to}`,
  timeline: `/api/v1/cameras/${cam}/timeline?start=${from}&end=${to}`,
});
const status = async (url: string, headers: Record<string, string>) =>
  (await httpsCall(t!.port, t!.ca, url, { headers })).status;

describe('media privileges', () => {
  it('a Viewer gets live video and snapshots but no recorded video', { timeout: 20_000 }, async () => {
    const r = httpRoutes();
    expect(await status(r.snapshot, bearer(viewer))).toBe(200);
    expect(await status(r.download, bearer(viewer))).toBe(403);
    expect(await status(r.playbackMp4, bearer(viewer))).toBe(403);
    expect(await status(r.timeline, bearer(viewer))).toBe(403);
    const forbidden = await httpsCall(t!.port, t!.ca, r.download, { headers: bearer(viewer) });
    expect(forbidden.json).toMatchObject({ error: { code: 'ARGUS_ERR_FORBIDDEN' } });
    expect(await upgradeStatus(t!.port, t!.ca, playback(), bearer(viewer))).toBe(403);
    const c = await openMediaSocket(t!.port, t!.ca, live(), bearer(viewer));
    await c.waitFor((x) => x.media().length >= 2, 5000);
    c.close();
    expect(c.media()[0]!.message.type).toBe('init');
  });

  it('an Operator gets recorded video', { timeout: 20_000 }, async () => {
    const r = httpRoutes();
    expect(await status(r.download, bearer(operator))).toBe(200);
    expect(await status(r.playbackMp4, bearer(operator))).toBe(200);
    expect(await status(r.timeline, bearer(operator))).toBe(200);
    const c = await openMediaSocket(t!.port, t!.ca, playback(), bearer(operator));
    await c.waitFor((x) => x.messages().some((m) => m.type === 'position'), 5000);
    c.close();
  });

  it('anonymous callers and bad tokens get 401 everywhere, sockets included', async () => {
    for (const url of Object.values(httpRoutes())) {
      expect(await status(url, {}), url).toBe(401);
      expect(await status(url, bearer('argus_not-a-token')), url).toBe(401);
    }
    expect(await upgradeStatus(t!.port, t!.ca, live(), {})).toBe(401);
    expect(await upgradeStatus(t!.port, t!.ca, playback(), {})).toBe(401);
    expect(await upgradeStatus(t!.port, t!.ca, live(), bearer('argus_not-a-token'))).toBe(401);
  });

  it('sockets take the session cookie, refuse another site, and need an upgrade', async () => {
    const s = new TestSession(t!.port, t!.ca);
    const created = await t!.api('POST', '/api/v1/users', {
      username: 'wall',
      password: 'a long wall password',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    await s.call('/api/v1/auth/login', {
      method: 'POST',
      body: { username: 'wall', password: 'a long wall password' },
    });
    const cookie = { cookie: s.cookie! };
    const own = `https://127.0.0.1:${t!.port}`;
    expect(await upgradeStatus(t!.port, t!.ca, live(), { ...cookie, origin: own })).toBe(101);
    expect(await upgradeStatus(t!.port, t!.ca, live(), cookie)).toBe(101);
    expect(await upgradeStatus(t!.port, t!.ca, live(), { ...cookie, origin: 'https://evil.example' })).toBe(
      403,
    );
    expect(await upgradeStatus(t!.port, t!.ca, playback(), { ...cookie, origin: own })).toBe(403);
    const plain = await httpsCall(t!.port, t!.ca, live(), { headers: bearer(viewer) });
    expect(plain.status).toBe(426);
    expect(plain.json).toMatchObject({ error: { code: 'ARGUS_ERR_UPGRADE_REQUIRED' } });
  });
});
