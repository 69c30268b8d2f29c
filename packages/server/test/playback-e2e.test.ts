// End to end: the real server records a simulated camera in 4 s files, with a hole (the camera
// disabled for 2 s), and plays it back over the playback socket and as an fMP4 stream. Playback
// from T starts at the key frame at or before T with the position of T; fragments continue across
// files; speeds pace the media (5 s at 4x take about 1.25 s; key frames only from 16x); the hole is
// announced with its cause and skipped; seek and pause work; everything received decodes cleanly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StreamServerMessage } from '@argus/api';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { httpsCall } from './helpers/https-client.js';
import { openMediaSocket, writeReceived, type MediaSocketClient } from './helpers/media-socket.js';
import { playbackErrors, probeVideo } from './helpers/recording-fixture.js';

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;
let cam = 0;
const spans: { startMs: number; endMs: number }[] = [];
let gap: { startMs: number; endMs: number; cause: string } | undefined;
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-playback-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, motionSchedule: null });
  t = await startCameraServer({ recordingFiles: { segmentDurationMs: 4000 } });
  const c = sim.cameras[0]!;
  const res = await t.api('POST', '/api/v1/cameras', {
    name: c.name,
    mainUrl: c.rtsp.sub,
    credentials: { username: c.user, password: c.password },
    recording: { mode: 'continuous' },
  });
  cam = (res.json as { id: number }).id;
  const t0 = Date.now();
  await sleep(12_000);
  await t.api('PATCH', `/api/v1/cameras/${cam}`, { enabled: false });
  await sleep(2000);
  await t.api('PATCH', `/api/v1/cameras/${cam}`, { enabled: true });
  await sleep(4500);
  await t.api('PATCH', `/api/v1/cameras/${cam}`, { enabled: false });
  const tl = (
    await t.api(
      'GET',
      `/api/v1/cameras/${cam}/timeline?start=${t0 - 1000}&end=${Date.now() + 1000}&resolutionMs=100`,
    )
  ).json as {
    recorded: { startMs: number; endMs: number }[];
    gaps: { startMs: number; endMs: number; cause: string }[];
  };
  spans.push(...tl.recorded);
  gap = tl.gaps.find((g) => g.startMs >= spans[0]!.endMs - 100 && g.endMs <= spans[1]!.startMs + 100);
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${t!.adminToken}` });
type Fragment = Extract<StreamServerMessage, { type: 'fragment' }>;
const fragmentsOf = (c: MediaSocketClient) =>
  c.media().flatMap((m) => (m.message.type === 'fragment' ? [{ ...m, message: m.message as Fragment }] : []));

const socket = (startMs: number, speed = 1) =>
  openMediaSocket(
    t!.port,
    t!.ca,
    `/api/v1/cameras/${cam}/playback?start=${new Date(startMs).toISOString()}&speed=${speed}`,
    auth(),
  );

describe('playback end to end', () => {
  it('recorded two spans with a hole between them', () => {
    expect(spans).toHaveLength(2);
    expect(spans[0]!.endMs - spans[0]!.startMs).toBeGreaterThan(10_000);
    expect(gap).toMatchObject({ cause: 'disabled' });
  });

  it(
    'starts at the key frame at or before T with the position of T, across files',
    { timeout: 20_000 },
    async () => {
      const T = spans[0]!.startMs + 2500;
      const opened = performance.now();
      const c = await socket(T, 8);
      await c.waitFor((x) => x.messages().some((m) => m.type === 'gap'), 10_000);
      c.close();
      const msgs = c.messages();
      expect(msgs[0]).toMatchObject({ type: 'init', reason: 'start', width: 640, height: 360 });
      const position = msgs[1] as Extract<StreamServerMessage, { type: 'position' }>;
      expect(position.type).toBe('position');
      const frags = fragmentsOf(c);
      const first = frags[0]!;
      expect(first.atMs - opened).toBeLessThan(2000);
      expect(first.message.isKey).toBe(true);
      expect(first.message.decodeTime).toBe(0);
      // wall(first) <= T <= next key frame; the position says how far into it T is.
      expect(first.message.wallMs).toBeLessThanOrEqual(T);
      const nextKey = frags.slice(1).find((f) => f.message.isKey)!;
      expect(nextKey.message.wallMs).toBeGreaterThanOrEqual(T);
      expect(Math.abs(position.startWallMs + position.skipSeconds * 1000 - T)).toBeLessThanOrEqual(1);
      expect(Math.abs(position.startWallMs - first.message.wallMs)).toBeLessThan(50);
      // Up to the hole, fragments follow each other without a hole across the 4 s files.
      const beforeGap = frags.filter((f) => f.message.wallMs < spans[0]!.endMs);
      expect(beforeGap.length).toBeGreaterThanOrEqual(7);
      for (let i = 1; i < beforeGap.length; i++) {
        const d = beforeGap[i]!.message.decodeTime - beforeGap[i - 1]!.message.decodeTime;
        expect(d).toBeGreaterThan(0);
        expect(d).toBeLessThanOrEqual(90_000 + 900);
      }
      const file = path.join(scratch, 'from-t.mp4');
      writeReceived(c, file);
      expect(playbackErrors(file)).toBe('');
    },
  );

  it(
    'paces the media: 5 s at 4x take about 1.25 s; 16x sends key frames only',
    { timeout: 20_000 },
    async () => {
      const c = await socket(spans[0]!.startMs, 4);
      await c.waitFor((x) => fragmentsOf(x).some((f) => f.message.decodeTime >= 9.4 * 90_000), 10_000);
      c.close();
      const frags = fragmentsOf(c);
      // The first 4 s of media (the 1 s lead at 4x) arrive at once; after that, media time / 4.
      const a = frags.find((f) => f.message.decodeTime >= 4.4 * 90_000)!;
      const b = frags.find((f) => f.message.decodeTime >= a.message.decodeTime + 4.9 * 90_000)!;
      const mediaS = (b.message.decodeTime - a.message.decodeTime) / 90_000;
      const elapsedS = (b.atMs - a.atMs) / 1000;
      expect(mediaS).toBeGreaterThanOrEqual(4.9);
      expect(mediaS).toBeLessThan(6.1);
      expect(elapsedS).toBeGreaterThan((mediaS / 4) * 0.75);
      expect(elapsedS).toBeLessThan((mediaS / 4) * 1.35 + 0.1);

      const fast = await socket(spans[0]!.startMs, 16);
      await fast.waitFor((x) => fragmentsOf(x).length >= 8, 10_000);
      fast.close();
      expect(fragmentsOf(fast).every((f) => f.message.isKey)).toBe(true);
      const file = path.join(scratch, 'keys.mp4');
      writeReceived(fast, file);
      expect(playbackErrors(file)).toBe('');
    },
  );

  it(
    'announces the hole with its cause, skips it, and ends at the end of the recordings',
    { timeout: 20_000 },
    async () => {
      const c = await socket(spans[0]!.endMs - 1500, 8);
      await c.waitFor((x) => x.messages().some((m) => m.type === 'end'), 15_000);
      c.close();
      const msgs = c.messages();
      const g = msgs.find((m) => m.type === 'gap') as Extract<StreamServerMessage, { type: 'gap' }>;
      expect(g.cause).toBe('disabled');
      expect(Math.abs(g.fromWallMs - spans[0]!.endMs)).toBeLessThan(100);
      expect(Math.abs(g.toWallMs - spans[1]!.startMs)).toBeLessThan(100);
      expect(msgs.at(-1)).toEqual({ type: 'end', reason: 'end-of-recordings' });
      // The media timeline keeps wall-clock distances: a hole as long as the gap.
      const frags = fragmentsOf(c);
      const after = frags.findIndex((f) => f.message.wallMs >= spans[1]!.startMs - 50);
      const jumpS = (frags[after]!.message.decodeTime - frags[after - 1]!.message.decodeTime) / 90_000;
      expect(jumpS).toBeGreaterThan((spans[1]!.startMs - spans[0]!.endMs) / 1000);
      const lastWall = frags.at(-1)!.message.wallMs;
      expect(spans[1]!.endMs - lastWall).toBeLessThan(1500);
      const file = path.join(scratch, 'across-gap.mp4');
      writeReceived(c, file);
      expect(playbackErrors(file)).toBe('');
    },
  );

  it('says when nothing is recorded at or after the start', async () => {
    const c = await socket(Date.now() + 3_600_000);
    const closed = await c.closed;
    expect(c.messages()).toEqual([
      expect.objectContaining({ type: 'error', code: 'ARGUS_ERR_NO_RECORDINGS' }),
    ]);
    expect(closed.code).toBe(1008);
  });

  it('seeks and pauses on request', { timeout: 20_000 }, async () => {
    const c = await socket(spans[0]!.startMs, 1);
    await c.waitFor((x) => fragmentsOf(x).length >= 2, 5000);
    c.send({ type: 'pause' });
    await sleep(300);
    const paused = fragmentsOf(c).length;
    await sleep(1000);
    expect(fragmentsOf(c).length).toBe(paused);
    c.send({ type: 'resume' });
    await c.waitFor((x) => fragmentsOf(x).length > paused, 3000);
    const target = spans[1]!.startMs + 2000;
    const sent = performance.now();
    c.send({ type: 'seek', start: new Date(target).toISOString() });
    await c.waitFor(
      (x) =>
        x.messages().some((m) => m.type === 'init' && m.reason === 'seek') &&
        fragmentsOf(x).some((f) => f.message.wallMs >= target - 1000 && f.atMs > sent),
      5000,
    );
    c.close();
    const msgs = c.messages();
    const seekAt = msgs.findIndex((m) => m.type === 'init' && m.reason === 'seek');
    const position = msgs[seekAt + 1] as Extract<StreamServerMessage, { type: 'position' }>;
    expect(position.type).toBe('position');
    expect(Math.abs(position.startWallMs + position.skipSeconds * 1000 - target)).toBeLessThanOrEqual(1);
    const file = path.join(scratch, 'after-seek.mp4');
    writeReceived(c, file, 1);
    expect(playbackErrors(file)).toBe('');
  });

  it('plays a range as one fragmented MP4 over HTTP', { timeout: 20_000 }, async () => {
    const start = spans[0]!.startMs + 3000;
    const end = spans[1]!.startMs + 3000;
    const res = await new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
      void import('node:https').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: t!.port,
            path: `/api/v1/cameras/${cam}/playback.mp4?start=${start}&end=${end}`,
            ca: t!.ca,
            servername: 'localhost',
            headers: auth(),
          },
          (r) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () =>
              resolve({
                status: r.statusCode ?? 0,
                type: String(r.headers['content-type']),
                body: Buffer.concat(chunks),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    });
    expect(res.status).toBe(200);
    expect(res.type).toBe('video/mp4');
    const file = path.join(scratch, 'range.mp4');
    writeFileSync(file, res.body);
    expect(playbackErrors(file)).toBe('');
    const probe = probeVideo(file);
    expect(probe.width).toBe(640);
    // 25 fps over the recorded part of the range (whole GOPs at both ends).
    const recordedS = (spans[0]!.endMs - start + 3000) / 1000;
    expect(probe.frames).toBeGreaterThanOrEqual(Math.floor(recordedS * 25) - 30);
    const empty = await httpsCall(
      t!.port,
      t!.ca,
      `/api/v1/cameras/${cam}/playback.mp4?start=${end + 3_600_000}&end=${end + 7_200_000}`,
      { headers: auth() },
    );
    expect(empty.status).toBe(404);
  });
});
