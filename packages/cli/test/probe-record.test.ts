// `argus probe` and `argus record` run in-process through main() against GStreamer's RTSP server:
// probe reports codec, size, measured frame rate and bitrate; record writes files ffprobe and
// ffmpeg accept (fragmented and --faststart); failures exit 1 with an ARGUS_ERR_* code and never
// print the password; usage errors exit 2.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGstRtspServer, type GstRtspServer } from '../../media/test/peers/gst-rtsp-server.js';
import type { CliIo } from '../src/cli-io.js';
import { main } from '../src/main.js';

const PASSWORD = 'pa55:w@rd/secret';
const dir = mkdtempSync(path.join(tmpdir(), 'argus-cli-rec-'));
let open: GstRtspServer;
let digest: GstRtspServer;

beforeAll(async () => {
  [open, digest] = await Promise.all([
    startGstRtspServer(),
    startGstRtspServer({ auth: 'digest', user: 'admin', password: PASSWORD }),
  ]);
});
afterAll(async () => {
  await Promise.all([open?.stop(), digest?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function argus(args: string[], stdin = '') {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    env: {},
    cwd: dir,
    readStdin: async () => stdin,
  };
  const code = await main(args, io);
  return { code, out, err };
}

interface Probe {
  streams: Array<{
    codec_name: string;
    codec_type: string;
    width?: number;
    height?: number;
    nb_read_frames: string;
    duration: string;
  }>;
}
const ffprobe = (file: string): Probe =>
  JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file], {
      encoding: 'utf8',
    }),
  ) as Probe;
const decodeErrors = (file: string): string =>
  spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' }).stderr;

describe('argus probe', () => {
  it('lists codec, codec string, size, measured frame rate and bitrate (text and JSON)', async () => {
    const text = await argus(['probe', open.url('/av'), '--seconds', '1.5']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(
      /track 0 {2}video {2}H\.264 {2}avc1\.[0-9A-F]{6} {2}320x240 {2}2[45]\.\d\d fps {2}\d+ kbit\/s {2}lost 0 packets/,
    );
    expect(text.out).toMatch(/track 1 {2}audio {2}AAC {2}mp4a\.40\.2 {2}48000 Hz {2}mono {2}\d+ kbit\/s/);

    const json = await argus([
      'probe',
      open.url('/h265'),
      '--seconds',
      '1.5',
      '--json',
      '--transport',
      'udp',
    ]);
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out) as { transport: string; tracks: Array<Record<string, unknown>> };
    expect(report.transport).toBe('udp');
    const v = report.tracks[0]!;
    expect(v).toMatchObject({
      mediaType: 'video',
      codec: 'h265',
      width: 320,
      height: 240,
      lostPackets: 0,
      status: 'active',
    });
    expect(v.codecString).toMatch(/^hvc1\./);
    expect(Math.abs((v.frameRate as number) - 25)).toBeLessThan(0.5);
    expect(v.bitrateKbps as number).toBeGreaterThan(10);
  });

  it('accepts Digest credentials in the URL or on stdin and never prints the password', async () => {
    const inUrl = await argus([
      'probe',
      digest.url('/h264', `admin:${encodeURIComponent(PASSWORD)}`),
      '--seconds',
      '1',
    ]);
    expect(inUrl.code, inUrl.err).toBe(0);
    expect(inUrl.out).toContain(`rtsp://127.0.0.1:${digest.port}/h264`);
    const stdin = await argus(
      ['probe', digest.url('/h264'), '--user', 'admin', '--password-stdin', '--seconds', '1'],
      `${PASSWORD}\n`,
    );
    expect(stdin.code, stdin.err).toBe(0);
    for (const r of [inUrl, stdin]) {
      expect(r.out + r.err).not.toContain(PASSWORD);
      expect(r.out + r.err).not.toContain(encodeURIComponent(PASSWORD));
    }
  });

  it('exits 1 with ARGUS_ERR_RTSP_AUTH on a wrong password, without printing it', async () => {
    const r = await argus([
      'probe',
      digest.url('/h264'),
      '--user',
      'admin',
      '--password',
      'not-the-pass',
      '--seconds',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^argus probe: .*\[ARGUS_ERR_RTSP_AUTH\]$/m);
    expect(r.err + r.out).not.toContain('not-the-pass');
  });

  it('exits 1 with an ARGUS_ERR_* code for an unreachable server and an unknown path', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const refused = await argus(['probe', `rtsp://u:hidden@127.0.0.1:${port}/x`, '--timeout', '2']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/\[ARGUS_ERR_RTSP_CONNECT\]/);
    expect(refused.err).not.toContain('hidden');
    const missing = await argus(['probe', open.url('/no-such-mount'), '--timeout', '2']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404.*\[ARGUS_ERR_RTSP_STATUS\]/);
  });

  it('exits 2 on usage errors and 0 on --help', async () => {
    expect((await argus(['probe', '--help'])).out).toContain('Usage: argus probe');
    expect((await argus(['probe', '--help'])).code).toBe(0);
    expect((await argus(['record', '--help'])).out).toContain('Usage: argus record');
    for (const args of [
      ['probe', open.url('/h264'), '--bogus'],
      ['probe'],
      ['probe', open.url('/h264'), '--transport', 'sctp'],
      ['probe', open.url('/h264'), '--seconds', '-1'],
      ['record', open.url('/h264'), '--duration', '1'],
      ['record', open.url('/h264'), '--out', 'x.mp4'],
      ['probe', open.url('/h264'), '--password', 'p'],
    ]) {
      const r = await argus(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/Run `argus (probe|record) --help`/);
    }
  });
});

describe('argus record', () => {
  it('records H.264 + AAC over TCP to a fragmented MP4 of exactly the asked duration', async () => {
    const r = await argus(['record', open.url('/av'), '--out', 'av.mp4', '--duration', '2']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /recorded 2\.00 s from rtsp:\/\/127\.0\.0\.1:\d+\/av to av\.mp4 \(h264 50 samples, aac \d+ samples; [\d.]+ MB; 0 packets lost\)/,
    );
    const file = path.join(dir, 'av.mp4');
    const probe = ffprobe(file);
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(probe.streams[0]).toMatchObject({ width: 320, height: 240, nb_read_frames: '50' });
    expect(Math.abs(Number(probe.streams[0]!.duration) - 2)).toBeLessThanOrEqual(0.04);
    expect(decodeErrors(file)).toBe('');
    expect(readFileSync(file).includes(Buffer.from('moof'))).toBe(true);
  });

  it('--faststart over UDP with Digest writes a progressive MP4 (moov before mdat) ffmpeg decodes', async () => {
    const r = await argus(
      [
        'record',
        digest.url('/h265'),
        '--user',
        'admin',
        '--password-stdin',
        '--transport',
        'udp',
        '-o',
        'fast.mp4',
        '--duration',
        '1',
        '--faststart',
      ],
      PASSWORD,
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out + r.err).not.toContain(PASSWORD);
    const file = path.join(dir, 'fast.mp4');
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('moof'))).toBe(false);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    expect(existsSync(`${file}.part`)).toBe(false);
    expect(ffprobe(file).streams[0]).toMatchObject({
      codec_name: 'hevc',
      width: 320,
      height: 240,
      nb_read_frames: '25',
    });
    expect(decodeErrors(file)).toBe('');
  });

  it('leaves no file and exits 1 when the camera refuses the credentials', async () => {
    const r = await argus([
      'record',
      digest.url('/h264', 'admin:wrong'),
      '--out',
      'refused.mp4',
      '--duration',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\[ARGUS_ERR_RTSP_AUTH\]/);
    expect(r.err).not.toContain('wrong');
    expect(existsSync(path.join(dir, 'refused.mp4'))).toBe(false);
  });
});
