// End to end: MP4 downloads of a recorded time range (a simulated camera with AAC audio, 4 s
// files). The file is a standard progressive MP4 built without re-encoding: its size is known up
// front, it decodes cleanly in ffmpeg, ffprobe's duration matches the request within one frame
// (an edit list trims the GOP before the start), its audio lies with its video as recorded, and
// every byte range equals the same slice of the full download.
import { request } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startSimulator, type RunningSimulator } from '@argus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCameraServer, type CameraServer } from './helpers/camera-server.js';
import { probeAv } from './helpers/av-alignment.js';
import { playbackErrors } from './helpers/recording-fixture.js';

let sim: RunningSimulator | undefined;
let t: CameraServer | undefined;
let cam = 0;
let span = { startMs: 0, endMs: 0 };
const scratch = mkdtempSync(path.join(tmpdir(), 'argus-download-'));
/** The simulator's AAC: 1024 samples per frame at 16 kHz. */
const AAC_FRAME_S = 1024 / 16_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method,
        host: '127.0.0.1',
        port: t!.port,
        path: url,
        ca: t!.ca,
        servername: 'localhost',
        headers: { authorization: `Bearer ${t!.adminToken}`, ...headers },
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

interface Probe {
  format: { duration: string; format_name: string };
  streams: { codec_type: string; codec_name: string; width?: number; start_time: string; duration: string }[];
}

function probe(file: string): Probe {
  return JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file], {
      encoding: 'utf8',
    }),
  ) as Probe;
}

beforeAll(async () => {
  sim = await startSimulator({ cameras: 1, audio: true, motionSchedule: null });
  t = await startCameraServer({ recordingFiles: { segmentDurationMs: 4000 } });
  const c = sim.cameras[0]!;
  const res = await t.api('POST', '/api/v1/cameras', {
    name: 'Front door / Tür',
    mainUrl: c.rtsp.sub,
    credentials: { username: c.user, password: c.password },
    recording: { mode: 'continuous' },
  });
  cam = (res.json as { id: number }).id;
  const t0 = Date.now();
  await sleep(11_000);
  await t.api('PATCH', `/api/v1/cameras/${cam}`, { enabled: false });
  const tl = (
    await t.api(
      'GET',
      `/api/v1/cameras/${cam}/timeline?start=${t0 - 1000}&end=${Date.now() + 1000}&resolutionMs=100`,
    )
  ).json as { recorded: { startMs: number; endMs: number }[] };
  span = tl.recorded[0]!;
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await sim?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('MP4 download', () => {
  const range = () => {
    const start = span.startMs + 2330;
    return { start, end: start + 5500 };
  };
  const url = () =>
    `/api/v1/cameras/${cam}/download.mp4?start=${new Date(range().start).toISOString()}&end=${new Date(range().end).toISOString()}`;
  let full: Buffer;

  it(
    'is a progressive MP4 of the exact range, with a known size and a file name',
    { timeout: 20_000 },
    async () => {
      const res = await get(url());
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('video/mp4');
      expect(res.headers['accept-ranges']).toBe('bytes');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      const disposition = String(res.headers['content-disposition']);
      expect(disposition).toMatch(
        /^attachment; filename="Front door _ T_r-\d{4}-\d\d-\d\d_\d\d-\d\d-\d\dZ\.mp4"; filename\*=UTF-8''/,
      );
      expect(decodeURIComponent(disposition.split("''")[1]!)).toMatch(/^Front door _ Tür-/);
      full = res.body;
      // HEAD answers the same headers, the size included, without the body.
      const head = await get(url(), {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body.length).toBe(0);
      expect(head.headers['content-length']).toBe(String(full.length));
      expect(head.headers['content-disposition']).toBe(disposition);
      const headRange = await get(url(), { range: 'bytes=100-199' }, 'HEAD');
      expect(headRange.status).toBe(206);
      expect(headRange.headers['content-length']).toBe('100');
      expect(headRange.headers['content-range']).toBe(`bytes 100-199/${full.length}`);
      // ftyp, then moov before mdat (playable while downloading).
      expect(full.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect(full.indexOf('moov')).toBeLessThan(full.indexOf('mdat'));
      const file = path.join(scratch, 'full.mp4');
      writeFileSync(file, full);
      expect(playbackErrors(file)).toBe('');
      const p = probe(file);
      const video = p.streams.find((s) => s.codec_type === 'video')!;
      const audio = p.streams.find((s) => s.codec_type === 'audio');
      expect(video).toMatchObject({ codec_name: 'h264', width: 640 });
      // The camera's audio comes along, aligned with the video as the recording files hold it (no
      // realignment here): both start at the requested instant after the edit list, the samples
      // before it (from the key frame on) lie with the video's, and audio lasts to the end.
      expect(audio?.codec_name).toBe('aac');
      expect(Math.abs(Number(audio!.start_time))).toBeLessThan(0.1);
      expect(Math.abs(Number(audio!.duration) - 5.5)).toBeLessThan(0.1);
      const packets = probeAv(file);
      const label = JSON.stringify(packets);
      expect(Math.abs(packets.audio!.firstPtsS - packets.video.firstPtsS), label).toBeLessThan(
        0.1 + AAC_FRAME_S,
      );
      expect(packets.audio!.lastPtsS, label).toBeGreaterThan(5.5 - 0.1 - AAC_FRAME_S);
      expect(packets.audio!.dtsIncreasing, label).toBe(true);
      // Starts at the requested instant and lasts as asked, within one frame (40 ms).
      expect(Math.abs(Number(video.start_time))).toBeLessThanOrEqual(0.04);
      expect(Math.abs(Number(video.duration) - 5.5)).toBeLessThanOrEqual(0.04);
      expect(Math.abs(Number(p.format.duration) - 5.5)).toBeLessThanOrEqual(0.05);
      // The frames presented are those of the range: 5.5 s at 25 fps.
      const frames = execFileSync(
        'ffmpeg',
        ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter((l) => /^\d/.test(l)).length;
      expect(Math.abs(frames - 137.5)).toBeLessThanOrEqual(2);
    },
  );

  it('answers byte ranges with the same bytes as the full file', { timeout: 20_000 }, async () => {
    const total = full.length;
    const cases: Array<[string, number, number]> = [
      ['bytes=0-999', 0, 999],
      ['bytes=1000-', 1000, total - 1],
      ['bytes=-500', total - 500, total - 1],
      [
        `bytes=${Math.floor(total / 3)}-${Math.floor(total / 2)}`,
        Math.floor(total / 3),
        Math.floor(total / 2),
      ],
      [`bytes=${total - 10}-${total + 1000}`, total - 10, total - 1],
    ];
    for (const [header, a, b] of cases) {
      const res = await get(url(), { range: header });
      expect(res.status, header).toBe(206);
      expect(res.headers['content-range']).toBe(`bytes ${a}-${b}/${total}`);
      expect(Number(res.headers['content-length'])).toBe(b - a + 1);
      expect(Buffer.compare(res.body, full.subarray(a, b + 1)), header).toBe(0);
    }
    const beyond = await get(url(), { range: `bytes=${total}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${total}`);
    // Pieces in order rebuild the whole file.
    const parts: Buffer[] = [];
    for (let a = 0; a < total; a += 65_536)
      parts.push((await get(url(), { range: `bytes=${a}-${Math.min(total, a + 65_536) - 1}` })).body);
    expect(Buffer.compare(Buffer.concat(parts), full)).toBe(0);
  });

  it('refuses bad ranges and says when nothing is recorded', async () => {
    const { start } = range();
    expect((await get(`/api/v1/cameras/${cam}/download.mp4?start=${start}&end=${start - 1}`)).status).toBe(
      400,
    );
    expect(
      (await get(`/api/v1/cameras/${cam}/download.mp4?start=${start}&end=${start + 7 * 3_600_000}`)).status,
    ).toBe(400);
    const none = await get(
      `/api/v1/cameras/${cam}/download.mp4?start=${start - 7_200_000}&end=${start - 3_600_000}`,
    );
    expect(none.status).toBe(404);
    expect(JSON.parse(none.body.toString('utf8'))).toMatchObject({ error: { code: 'ARGUS_ERR_NOT_FOUND' } });
  });
});
