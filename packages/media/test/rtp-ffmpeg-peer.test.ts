// A second, independent RTP sender: ffmpeg's RTP muxer sends H.264 to 127.0.0.1 with RTCP sender
// reports on its rtcpport. Checks SR parsing, SR -> wall-time mapping and depacketizing.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessUnit } from '../src/access-unit.js';
import { createDepacketizer } from '../src/codec/index.js';
import { parseRtcpCompound, parseRtpPacket, RtpReceiver, type RtcpPacket } from '../src/rtp/index.js';

describe('ffmpeg RTP muxer as peer', () => {
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const s of sockets) s.close();
  });

  async function bind(): Promise<Socket> {
    const socket = createSocket('udp4');
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return socket;
  }

  it('maps RTP time to wall time from its sender reports and decodes every frame', async () => {
    const rtpSocket = await bind();
    const rtcpSocket = await bind();
    const receiver = new RtpReceiver({ clockRate: 90000, reorderWindow: 4 });
    const depacketizer = createDepacketizer({ encodingName: 'H264', clockRate: 90000, fmtp: {} });
    const units: AccessUnit[] = [];
    const rtcp: RtcpPacket[] = [];
    let lastArrival: { extendedTimestamp: number; wallMs: number } | undefined;
    rtpSocket.on('message', (msg) => {
      for (const r of receiver.push(parseRtpPacket(new Uint8Array(msg)))) {
        lastArrival = { extendedTimestamp: r.extendedTimestamp, wallMs: Date.now() };
        units.push(...depacketizer.push(r.packet, r.extendedTimestamp, r.lostBefore));
      }
    });
    rtcpSocket.on('message', (msg) => {
      const packets = parseRtcpCompound(new Uint8Array(msg));
      rtcp.push(...packets);
      for (const p of packets) if (p.type === 'sr') receiver.onSenderReport(p, Date.now());
    });
    const url = `rtp://127.0.0.1:${rtpSocket.address().port}?rtcpport=${rtcpSocket.address().port}&pkt_size=1200`;
    const ffmpeg = spawn(
      'ffmpeg',
      [
        '-v',
        'error',
        '-re',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=320x240:rate=25',
        '-t',
        '1.2',
        '-c:v',
        'libx264',
        '-g',
        '10',
        '-bf',
        '0',
        '-f',
        'rtp',
        url,
      ],
      { stdio: 'ignore' },
    );
    children.push(ffmpeg);
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 20_000);
      ffmpeg.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    units.push(...depacketizer.flush());

    // ffmpeg sends a bare SR (no SDES) before its first RTP packet.
    const srs = rtcp.filter((p) => p.type === 'sr');
    expect(srs.length).toBeGreaterThan(0);
    expect(srs[0]!.ssrc).toBe(receiver.sourceSsrc);
    expect(Math.abs(srs[0]!.ntpTimeMs - Date.now())).toBeLessThan(10_000);
    // With -re, the last frame was sent in real time: its mapped wall time is close to its arrival.
    const mapped = receiver.wallTimeMs(lastArrival!.extendedTimestamp)!;
    expect(Math.abs(mapped - lastArrival!.wallMs)).toBeLessThan(1000);

    expect(receiver.stats.lost).toBe(0);
    expect(units).toHaveLength(30);
    expect(units.map((u) => u.kind === 'video' && u.isKey)).toEqual(units.map((_, i) => i % 10 === 0));
  });
});
