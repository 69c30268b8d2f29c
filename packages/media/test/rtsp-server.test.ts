// RTSP server behaviour with our client as peer (GStreamer/FFmpeg interop is in
// rtsp-server-ffmpeg.test.ts): SDP, TCP/UDP delivery, RTP-Info, sender reports, Digest MD5 and
// SHA-256 with stale nonces, session expiry, the stall and close-all fault hooks, slow clients.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RtspClient, createRtspServer, parseRtcpCompound, parseRtpPacket, sdpTrackCodec } from '@argus/media';
import type { MediaError, RtspServer, RtspServerOptions } from '@argus/media';
import { PacketLog, waitUntil } from './peers/rtp-checks.js';
import { type SyntheticMount, syntheticMount } from './peers/test-mounts.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(mount: SyntheticMount, extra: Partial<RtspServerOptions> = {}): Promise<RtspServer> {
  const server = await createRtspServer({
    host: '127.0.0.1',
    port: 0,
    resolveMount: (path) => (path === '/cam' ? mount : null),
    ...extra,
  });
  cleanups.push(
    () => server.close(),
    () => mount.stop(),
  );
  return server;
}

function client(
  server: RtspServer,
  options: Partial<ConstructorParameters<typeof RtspClient>[0]> = {},
): RtspClient {
  const c = new RtspClient({ url: `rtsp://127.0.0.1:${server.port}/cam`, timeoutMs: 3000, ...options });
  cleanups.push(() => c.close());
  return c;
}

describe('createRtspServer with RtspClient', () => {
  for (const transport of ['tcp', 'udp'] as const) {
    it(`serves SDP, RTP, RTP-Info and sender reports over ${transport}`, async () => {
      const mount = syntheticMount(5);
      const server = await serve(mount);
      const log = new PacketLog();
      const srs: number[] = [];
      const c = client(server, {
        transport,
        onPacket: (p) => {
          log.add(p);
          if (p.channel === 'rtp') {
            expect(parseRtpPacket(p.data).payload.length).toBe(100);
            return;
          }
          for (const r of parseRtcpCompound(p.data)) if (r.type === 'sr') srs.push(r.ssrc);
        },
      });
      await c.describe();
      expect(c.tracks.map(sdpTrackCodec)).toEqual(['h264', 'pcmu']);
      expect(c.tracks.map((t) => t.control)).toEqual(['trackID=0', 'trackID=1']);
      const play = await c.play();
      expect(play.sessionTimeoutSec).toBe(60);
      expect(play.rtpInfo.map((r) => r.trackIndex)).toEqual([0, 1]);
      if (transport === 'udp') expect(play.tracks[0]!.transport.serverPort).toEqual(server.udpPorts);
      await waitUntil(
        () => log.count(0) > 50 && log.count(1) > 50 && srs.length >= 2,
        5000,
        'packets and SRs',
      );
      expect(new Set(log.steps(0))).toEqual(new Set([1]));
      expect(new Set(log.steps(1))).toEqual(new Set([1])); // includes the 65535 -> 0 wrap
      expect(new Set(srs)).toEqual(new Set([0x1234, 0x1235]));
      expect(server.stats.sessions).toBe(1);
      await c.close();
      await waitUntil(() => server.stats.sessions === 0 && mount.subscribers === 0, 2000, 'teardown');
    });
  }

  it('requires Digest auth (our client picks SHA-256 of SHA-256+MD5), renewing a stale nonce', async () => {
    let skewMs = 0;
    const mount = syntheticMount(10);
    const server = await serve(mount, {
      users: { admin: 'pw' },
      digestAlgorithms: ['SHA-256', 'MD5'],
      nonceLifetimeMs: 2000,
      clock: { nowMs: () => Date.now() + skewMs },
    });
    const c = client(server, { user: 'admin', password: 'pw', keepAliveIntervalMs: 200 });
    await c.play();
    await waitUntil(() => c.stats.keepAliveReplies >= 1, 3000, 'first keep-alive');
    skewMs = 10_000; // every nonce is now stale: the next keep-alive gets 401 stale=true and retries
    const before = c.stats.keepAliveReplies;
    await waitUntil(() => c.stats.keepAliveReplies >= before + 2, 3000, 'keep-alives after stale nonce');
    expect(server.stats.authFailures).toBe(0);
    const wrong = client(server, { user: 'admin', password: 'nope' });
    await expect(wrong.describe()).rejects.toMatchObject({ code: 'ARGUS_ERR_RTSP_AUTH' });
    expect(server.stats.authFailures).toBe(1);
    const anonymous = client(server);
    await expect(anonymous.describe()).rejects.toMatchObject({ code: 'ARGUS_ERR_RTSP_AUTH' });
  });

  it('expires an idle UDP session; the client notices the silence', async () => {
    const mount = syntheticMount(10);
    const server = await serve(mount, { sessionTimeoutSec: 1 });
    const c = client(server, {
      transport: 'udp',
      keepAliveIntervalMs: 60_000,
      rtcpIntervalMs: 0,
      dataTimeoutMs: 600,
    });
    const closed = new Promise<MediaError | undefined>((resolve) => c.once('close', resolve));
    await c.play();
    expect((await closed)?.code).toBe('ARGUS_ERR_RTSP_TIMEOUT');
    expect(server.stats.sessionsExpired).toBe(1);
    expect(mount.subscribers).toBe(0);
  });

  it('keeps a UDP session alive by receiver reports alone', async () => {
    const mount = syntheticMount(10);
    const server = await serve(mount, { sessionTimeoutSec: 1 });
    const c = client(server, {
      transport: 'udp',
      keepAliveIntervalMs: 60_000,
      rtcpIntervalMs: 300,
      dataTimeoutMs: 600,
    });
    await c.play();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(server.stats.sessionsExpired).toBe(0);
    expect(server.stats.sessions).toBe(1);
  });

  it('stall flag stops delivery (client data timeout); closeAllSessions drops clients', async () => {
    const mount = syntheticMount(10);
    const server = await serve(mount);
    const stalled = client(server, { dataTimeoutMs: 400 });
    const stalledClose = new Promise<MediaError | undefined>((resolve) => stalled.once('close', resolve));
    await stalled.play();
    mount.stalled = true;
    expect((await stalledClose)?.code).toBe('ARGUS_ERR_RTSP_TIMEOUT');
    mount.stalled = false;
    const dropped = client(server);
    const droppedClose = new Promise<MediaError | undefined>((resolve) => dropped.once('close', resolve));
    await dropped.play();
    server.closeAllSessions();
    expect((await droppedClose)?.code).toBe('ARGUS_ERR_RTSP_CLOSED');
    await waitUntil(() => server.stats.sessions === 0 && server.stats.connections === 0, 2000, 'cleanup');
  });

  it('drops packets for a TCP client that stops reading, keeping the server buffer bounded', async () => {
    const mount = syntheticMount(0, 1400);
    const maxSocketBufferBytes = 64 * 1024;
    const server = await serve(mount, { maxSocketBufferBytes });
    const socket = net.connect(server.port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    const url = `rtsp://127.0.0.1:${server.port}/cam`;
    socket.write(
      `SETUP ${url}/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n`,
    );
    await waitUntil(() => /Session: (\w+)/.test(text), 2000, 'SETUP reply');
    const session = /Session: (\w+)/.exec(text)![1]!;
    mount.tick(); // seen before PLAY: RTP-Info reports the next sequence number and last timestamp
    socket.write(`PLAY ${url} RTSP/1.0\r\nCSeq: 2\r\nSession: ${session}\r\n\r\n`);
    await waitUntil(() => text.includes('CSeq: 2'), 2000, 'PLAY reply');
    expect(text).toContain(`RTP-Info: url=${url}/trackID=0;seq=1001;rtptime=4294000000\r\n`);
    socket.pause(); // a client that stops reading
    for (let burst = 0; burst < 200 && server.stats.packetsDropped < 100; burst++) {
      for (let i = 0; i < 200; i++) mount.tick();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.stats.packetsDropped).toBeGreaterThanOrEqual(100);
    // Unsent data stays within the bound plus one frame per track.
    const sent = server.stats.bytesSent;
    for (let i = 0; i < 1000; i++) mount.tick();
    expect(server.stats.bytesSent - sent).toBeLessThan(maxSocketBufferBytes + 4 * 1500);
  });

  it('answers 404 for unknown mounts and 454 for unknown sessions', async () => {
    const server = await serve(syntheticMount(0));
    await expect(
      client(server, { url: `rtsp://127.0.0.1:${server.port}/other` }).describe(),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    const socket = net.connect(server.port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
    });
    socket.write(`PLAY rtsp://127.0.0.1:${server.port}/cam RTSP/1.0\r\nCSeq: 7\r\nSession: nope\r\n\r\n`);
    await waitUntil(() => text.includes('\r\n\r\n'), 2000, 'reply');
    expect(text).toMatch(/^RTSP\/1\.0 454 Session Not Found\r\nCSeq: 7\r\n/);
  });
});
