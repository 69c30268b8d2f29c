// End to end: snapshots of simulated cameras. A camera with a VAPIX HTTP API (its Axis event URL)
// answers from its own /axis-cgi/jpg/image.cgi (Digest auth); one without gets the latest key frame
// of the live stream decoded by ffmpeg. Both are valid JPEGs of the stream's size; a disabled
// camera has no current picture (503).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;
let axisCam = 0;
let plainCam = 0;
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-snapshot-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function get(url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: t!.port,
        path: url,
        ca: t!.ca,
        servername: 'localhost',
        headers: { authorization: `Bearer ${t!.adminToken}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Width x height of a JPEG as ffprobe's image2 demuxer reads it, and whether ffmpeg decodes it. */
function checkJpeg(bytes: Buffer, name: string): { width: number; height: number } {
  expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8');
  expect(bytes.subarray(-2).toString('hex')).toBe('ffd9');
  const file = path.join(scratch, name);
  writeFileSync(file, bytes);
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-f', 'image2', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  const s = (JSON.parse(out) as { streams: { codec_name: string; width: number; height: number }[] })
    .streams[0]!;
  expect(s.codec_name).toBe('mjpeg');
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-']);
  return { width: s.width, height: s.height };
}

beforeAll(async () => {
  sim = await startSimulator({ cameras: 2, motionSchedule: null });
  t = await startCameraServer();
  const add = async (i: number, axis: boolean): Promise<number> => {
    const c = sim!.cameras[i]!;
    const res = await t!.api('POST', '/api/v1/cameras', {
      name: c.name,
      mainUrl: c.rtsp.main,
      subUrl: c.rtsp.sub,
      credentials: { username: c.user, password: c.password },
      recording: { mode: 'off' },
      ...(axis ? { motionEvents: { kind: 'axis', url: c.httpUrl } } : {}),
    });
    if (res.status !== 201) throw new Error(res.text);
    return (res.json as { id: number }).id;
  };
  axisCam = await add(0, true);
  plainCam = await add(1, false);
  await sleep(2500);
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('snapshots', () => {
  it("come from the camera's own endpoint when it has one", { timeout: 20_000 }, async () => {
    const res = await get(`/api/v1/cameras/${axisCam}/snapshot.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-argus-snapshot-source']).toBe('camera');
    expect(checkJpeg(res.body, 'camera.jpg')).toEqual({ width: 1920, height: 1080 });
    const sub = await get(`/api/v1/cameras/${axisCam}/snapshot.jpg?stream=sub`);
    expect(checkJpeg(sub.body, 'camera-sub.jpg')).toEqual({ width: 640, height: 360 });
  });

  it('else decode the latest key frame with ffmpeg', { timeout: 20_000 }, async () => {
    const started = performance.now();
    const res = await get(`/api/v1/cameras/${plainCam}/snapshot.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers['x-argus-snapshot-source']).toBe('keyframe');
    expect(checkJpeg(res.body, 'keyframe.jpg')).toEqual({ width: 1920, height: 1080 });
    expect(performance.now() - started).toBeLessThan(5000);
    const sub = await get(`/api/v1/cameras/${plainCam}/snapshot.jpg?stream=sub`);
    expect(sub.headers['x-argus-snapshot-source']).toBe('keyframe');
    expect(checkJpeg(sub.body, 'keyframe-sub.jpg')).toEqual({ width: 640, height: 360 });
    // Several at once share the two ffmpeg slots and all succeed.
    const many = await Promise.all(
      [1, 2, 3, 4].map(() => get(`/api/v1/cameras/${plainCam}/snapshot.jpg?stream=sub`)),
    );
    expect(many.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('a disabled camera has no current picture', { timeout: 20_000 }, async () => {
    await t!.api('PATCH', `/api/v1/cameras/${plainCam}`, { enabled: false });
    const res = await get(`/api/v1/cameras/${plainCam}/snapshot.jpg`);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body.toString('utf8'))).toMatchObject({
      error: { code: 'ARGUS_ERR_MEDIA_UNAVAILABLE' },
    });
    expect((await get(`/api/v1/cameras/999/snapshot.jpg`)).status).toBe(404);
  });
});
