// Depacketizers against RTP from GStreamer's payloaders: stored captures (fixtures/codec/gst-*)
// must give back exactly the NAL units / AAC frames the encoder wrote, and a live rtph264pay ->
// udpsink stream on 127.0.0.1 must decode to the frames it sent.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessUnit, AudioAccessUnit, VideoAccessUnit } from '../src/access-unit.js';
import {
  buildAacConfig,
  createDepacketizer,
  createPacketizer,
  parseAacConfig,
  parseH264Sps,
  splitAnnexB,
  type TrackCodecDescription,
} from '../src/codec/index.js';
import { parseRtpPacket, RtpReceiver, type RtpPacket } from '../src/rtp/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/codec/${name}`, import.meta.url));

/** Reads RFC 4571 framing: 2-byte big-endian length, then one RTP packet. */
function readRfc4571(name: string): RtpPacket[] {
  const bytes = readFileSync(fixture(name));
  const packets: RtpPacket[] = [];
  for (let i = 0; i + 2 <= bytes.length;) {
    const len = bytes.readUInt16BE(i);
    packets.push(parseRtpPacket(new Uint8Array(bytes.subarray(i + 2, i + 2 + len))));
    i += 2 + len;
  }
  return packets;
}

function depacketize(
  track: TrackCodecDescription,
  packets: RtpPacket[],
  reorderWindow = 0,
): { units: AccessUnit[]; stats: object } {
  const receiver = new RtpReceiver({ clockRate: track.clockRate, reorderWindow });
  const depacketizer = createDepacketizer(track);
  const units: AccessUnit[] = [];
  const deliver = (list: ReturnType<RtpReceiver['push']>) => {
    for (const r of list) units.push(...depacketizer.push(r.packet, r.extendedTimestamp, r.lostBefore));
  };
  for (const p of packets) deliver(receiver.push(p));
  deliver(receiver.flush());
  units.push(...depacketizer.flush());
  return { units, stats: { ...depacketizer.stats, receiverLost: receiver.stats.lost } };
}

const hex = (nalus: Uint8Array[]): string[] => nalus.map((n) => Buffer.from(n).toString('hex'));
const video = (units: AccessUnit[]): VideoAccessUnit[] =>
  units.filter((u): u is VideoAccessUnit => u.kind === 'video');

describe('GStreamer RTP captures', () => {
  it('rtph264pay (single NAL + FU-A) gives back the x264 byte stream, 12 frames at 25 fps', () => {
    const { units, stats } = depacketize(
      { encodingName: 'H264', clockRate: 90000, fmtp: {} },
      readRfc4571('gst-h264.rtp4571'),
    );
    const frames = video(units);
    expect(stats).toMatchObject({
      accessUnits: 12,
      droppedAccessUnits: 0,
      skippedAccessUnits: 0,
      receiverLost: 0,
    });
    expect(hex(frames.flatMap((f) => f.nalus))).toEqual(
      hex(splitAnnexB(readFileSync(fixture('gst-h264.h264')))),
    );
    expect(frames.map((f) => f.isKey)).toEqual(frames.map((_, i) => i % 5 === 0));
    expect(frames.slice(1).map((f, i) => f.pts90k - frames[i]!.pts90k)).toEqual(Array(11).fill(3600));
    const sps = parseH264Sps(frames[0]!.nalus.find((n) => (n[0]! & 0x1f) === 7)!);
    expect([sps.width, sps.height]).toEqual([160, 120]);
  });

  it('rtph264pay aggregate-mode=zero-latency (STAP-A) splits units by marker bit alone', () => {
    const { units, stats } = depacketize(
      { encodingName: 'H264', clockRate: 90000, fmtp: {} },
      readRfc4571('gst-h264-stap.rtp4571'),
    );
    const frames = video(units);
    expect(stats).toMatchObject({ accessUnits: 12, droppedAccessUnits: 0 });
    expect(hex(frames.flatMap((f) => f.nalus))).toEqual(
      hex(splitAnnexB(readFileSync(fixture('gst-h264.h264')))),
    );
    expect(frames.filter((f) => f.isKey)).toHaveLength(3);
  });

  it('rtph265pay (single NAL + FU) gives back the x265 byte stream with IRAP keys', () => {
    const { units, stats } = depacketize(
      { encodingName: 'H265', clockRate: 90000, fmtp: {} },
      readRfc4571('gst-h265.rtp4571'),
    );
    const frames = video(units);
    expect(stats).toMatchObject({ accessUnits: 12, droppedAccessUnits: 0 });
    const source = splitAnnexB(readFileSync(fixture('gst-h265.h265')));
    const isParameterSet = (n: Uint8Array): boolean => [32, 33, 34].includes((n[0]! >> 1) & 0x3f);
    expect(hex(frames.flatMap((f) => f.nalus.filter((n) => !isParameterSet(n))))).toEqual(
      hex(source.filter((n) => !isParameterSet(n))),
    );
    // IDR then CRA pictures (x265 sends VPS/SPS/PPS only once): every key gets the parameter sets.
    expect(frames.map((f) => f.isKey)).toEqual(frames.map((_, i) => i % 5 === 0));
    for (const key of frames.filter((f) => f.isKey))
      expect(hex(key.nalus.slice(0, 3))).toEqual(hex(source.slice(0, 3)));
  });

  it('rtpmp4gpay (RFC 3640 AAC-hbr, fragmented AUs) gives back the ADTS frames', () => {
    const config = readFileSync(fixture('gst-aac.config'), 'utf8').trim();
    const asc = parseAacConfig(config);
    expect(asc).toMatchObject({ objectType: 2, sampleRate: 48000, channels: 2, samplesPerFrame: 1024 });
    const track = {
      encodingName: 'MPEG4-GENERIC',
      clockRate: 48000,
      fmtp: { mode: 'AAC-hbr', sizelength: '13', indexlength: '3', indexdeltalength: '3', config },
    };
    const { units, stats } = depacketize(track, readRfc4571('gst-aac.rtp4571'));
    const adts = readFileSync(fixture('gst-aac.adts'));
    const frames: string[] = [];
    for (let i = 0; i + 7 <= adts.length;) {
      const headerBytes = adts[i + 1]! & 1 ? 7 : 9;
      const frameBytes = ((adts[i + 3]! & 3) << 11) | (adts[i + 4]! << 3) | (adts[i + 5]! >> 5);
      frames.push(adts.subarray(i + headerBytes, i + frameBytes).toString('hex'));
      // The ADTS header carries what an AudioSpecificConfig does: both must agree.
      const objectType = (adts[i + 2]! >> 6) + 1;
      expect(
        Buffer.from(buildAacConfig({ objectType, sampleRate: 48000, channels: 2 })).toString('hex'),
      ).toBe(config.slice(0, 4));
      i += frameBytes;
    }
    const audio = units.filter((u): u is AudioAccessUnit => u.kind === 'audio');
    expect(stats).toMatchObject({ droppedAccessUnits: 0, malformedPackets: 0 });
    expect(audio.map((u) => Buffer.from(u.data).toString('hex'))).toEqual(frames);
    for (let i = 1; i < audio.length; i++)
      expect(Math.abs(audio[i]!.ptsTicks - audio[i - 1]!.ptsTicks - 1024)).toBeLessThanOrEqual(1);
  });
});

describe('live GStreamer peer over UDP', () => {
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGKILL');
    for (const s of sockets) s.close();
  });

  it('rtph264pay -> udpsink 127.0.0.1 decodes to the 10 frames sent', async () => {
    const socket = createSocket('udp4');
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    const receiver = new RtpReceiver({ clockRate: 90000, reorderWindow: 8 });
    const depacketizer = createDepacketizer({ encodingName: 'H264', clockRate: 90000, fmtp: {} });
    const units: AccessUnit[] = [];
    socket.on('message', (msg) => {
      for (const r of receiver.push(parseRtpPacket(new Uint8Array(msg)))) {
        units.push(...depacketizer.push(r.packet, r.extendedTimestamp, r.lostBefore));
      }
    });
    const gst = spawn(
      'gst-launch-1.0',
      [
        '-q',
        'videotestsrc',
        'pattern=ball',
        'num-buffers=10',
        '!',
        'video/x-raw,width=320,height=240,framerate=25/1',
        '!',
        'x264enc',
        'key-int-max=5',
        'bframes=0',
        'speed-preset=ultrafast',
        '!',
        'rtph264pay',
        'mtu=1200',
        'pt=96',
        '!',
        'udpsink',
        'host=127.0.0.1',
        `port=${port}`,
        'sync=true',
      ],
      { stdio: 'ignore' },
    );
    children.push(gst);
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 15_000);
      gst.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    for (const r of receiver.flush())
      units.push(...depacketizer.push(r.packet, r.extendedTimestamp, r.lostBefore));
    units.push(...depacketizer.flush());
    const frames = video(units);
    expect(receiver.stats.lost).toBe(0);
    expect(frames).toHaveLength(10);
    expect(frames.map((f) => f.isKey)).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
    ]);
    const sps = parseH264Sps(frames[0]!.nalus.find((n) => (n[0]! & 0x1f) === 7)!);
    expect([sps.width, sps.height, sps.profileIdc]).toEqual([320, 240, 244]);
  });
});

describe('our packetizers decoded by GStreamer depayloaders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'argus-pack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes packets with RFC 4571 framing, runs `rtpstreamdepay ! <depay>` and returns its output. */
  function gstDepay(packets: Uint8Array[], caps: string, depay: string[]): Buffer {
    const input = join(dir, 'in.rtp4571');
    const output = join(dir, 'out.bin');
    writeFileSync(
      input,
      Buffer.concat(packets.flatMap((p) => [Buffer.from([p.length >> 8, p.length & 0xff]), Buffer.from(p)])),
    );
    const res = spawnSync(
      'gst-launch-1.0',
      [
        '-q',
        'filesrc',
        `location=${input}`,
        '!',
        caps,
        '!',
        'rtpstreamdepay',
        '!',
        ...depay,
        '!',
        'filesink',
        `location=${output}`,
      ],
      { timeout: 20_000 },
    );
    expect(res.status, res.stderr?.toString()).toBe(0);
    return readFileSync(output);
  }

  /** Groups an Annex B stream into access units at each access unit delimiter. */
  function unitsByAud(nalus: Uint8Array[], isAud: (n: Uint8Array) => boolean): Uint8Array[][] {
    const units: Uint8Array[][] = [];
    for (const n of nalus) {
      if (isAud(n) || units.length === 0) units.push([]);
      units[units.length - 1]!.push(n);
    }
    return units;
  }

  it.each([
    ['h264', 'gst-h264.h264', 'H264', 'rtph264depay', (n: Uint8Array) => (n[0]! & 0x1f) === 9],
    ['h265', 'gst-h265.h265', 'H265', 'rtph265depay', (n: Uint8Array) => ((n[0]! >> 1) & 0x3f) === 35],
  ] as const)('%s: FU + aggregation packets reproduce the byte stream', (codec, file, name, depay, isAud) => {
    const source = splitAnnexB(readFileSync(fixture(file)));
    // x265 writes no AUDs: fall back to one unit per VCL NAL (these streams have one slice per picture).
    const vcl = (n: Uint8Array): boolean =>
      codec === 'h264' ? (n[0]! & 0x1f) <= 5 : ((n[0]! >> 1) & 0x3f) < 32;
    let units = unitsByAud(source, isAud);
    if (units.length === 1) {
      units = [];
      let current: Uint8Array[] = [];
      for (const n of source) {
        current.push(n);
        if (vcl(n)) {
          units.push(current);
          current = [];
        }
      }
    }
    const packetizer = createPacketizer(codec, {
      ssrc: 7,
      payloadType: 96,
      maxPayloadBytes: 300,
      aggregate: true,
      initialSequenceNumber: 65530,
    });
    const packets = units.flatMap((nalus, i) =>
      packetizer.packetize({ kind: 'video', codec, pts90k: 0xfffff000 + i * 3600, isKey: false, nalus }),
    );
    expect(packets.length).toBeGreaterThan(units.length);
    const caps = `application/x-rtp-stream,media=video,clock-rate=90000,encoding-name=${name},payload=96`;
    const out = gstDepay(packets, caps, [
      depay,
      '!',
      `video/x-${codec},stream-format=byte-stream,alignment=au`,
    ]);
    expect(hex(splitAnnexB(out))).toEqual(hex(source));
  });

  it('aac: AAC-hbr packets (fragmented above the budget) reproduce the frames', () => {
    const adts = readFileSync(fixture('gst-aac.adts'));
    const frames: Uint8Array[] = [];
    for (let i = 0; i + 7 <= adts.length;) {
      const frameBytes = ((adts[i + 3]! & 3) << 11) | (adts[i + 4]! << 3) | (adts[i + 5]! >> 5);
      frames.push(new Uint8Array(adts.subarray(i + (adts[i + 1]! & 1 ? 7 : 9), i + frameBytes)));
      i += frameBytes;
    }
    const packetizer = createPacketizer('aac', { ssrc: 9, payloadType: 97, maxPayloadBytes: 200 });
    const packets = frames.flatMap((data, i) =>
      packetizer.packetize({ kind: 'audio', codec: 'aac', ptsTicks: i * 1024, clockRate: 48000, data }),
    );
    expect(packets.length).toBeGreaterThan(frames.length);
    const config = readFileSync(fixture('gst-aac.config'), 'utf8').trim();
    const caps = `application/x-rtp-stream,media=audio,clock-rate=48000,encoding-name=MPEG4-GENERIC,payload=97,mode=AAC-hbr,sizelength=13,indexlength=3,indexdeltalength=3,config=(string)${config},streamtype=(string)5`;
    // Re-wrap as ADTS so frame boundaries survive the file: compare frame payloads.
    const out = gstDepay(packets, caps, [
      'rtpmp4gdepay',
      '!',
      'aacparse',
      '!',
      'audio/mpeg,stream-format=adts',
    ]);
    const got: string[] = [];
    for (let i = 0; i + 7 <= out.length;) {
      const frameBytes = ((out[i + 3]! & 3) << 11) | (out[i + 4]! << 3) | (out[i + 5]! >> 5);
      got.push(out.subarray(i + (out[i + 1]! & 1 ? 7 : 9), i + frameBytes).toString('hex'));
      i += frameBytes;
    }
    expect(got).toEqual(frames.map((f) => Buffer.from(f).toString('hex')));
  });
});
