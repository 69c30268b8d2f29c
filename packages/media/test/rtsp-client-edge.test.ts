// RtspClient edge cases a well-behaved peer never produces, driven by a scripted TCP peer: 3xx
// redirects (to our real server) and redirect loops, Content-Location bases, replies without CSeq,
// silent servers (step timeout), malformed and oversize replies, refused connections; plus URL,
// control-resolution and Transport/Session/RTP-Info header units.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RtspClient,
  RtspHeaders,
  createRtspServer,
  describeBaseUrl,
  formatTransport,
  parseRtpInfo,
  parseRtspUrl,
  parseSessionHeader,
  parseTransport,
  redactUrl,
  resolveControlUrl,
} from '@argus/media';
import { PacketLog, waitUntil } from './peers/rtp-checks.js';
import { syntheticMount } from './peers/test-mounts.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A scripted RTSP peer: `reply` maps each request head to raw bytes to send back (or nothing). */
async function scriptedPeer(reply: (head: string, cseq: string) => string | undefined): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffered = '';
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n\r\n')) >= 0) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const out = reply(head, /CSeq: (\d+)/i.exec(head)?.[1] ?? '0');
        if (out !== undefined) socket.write(out);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as net.AddressInfo).port;
}

const SDP = 'v=0\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:track1\r\n';

describe('RtspClient against scripted peers', () => {
  it('follows a 302 redirect to a real server, keeping credentials out of errors and logs', async () => {
    const mount = syntheticMount(5);
    const server = await createRtspServer({
      host: '127.0.0.1',
      port: 0,
      users: { u: 'p' },
      resolveMount: () => mount,
    });
    cleanups.push(
      () => server.close(),
      () => mount.stop(),
    );
    const port = await scriptedPeer((head, cseq) =>
      head.startsWith('OPTIONS')
        ? `RTSP/1.0 302 Moved\r\nCSeq: ${cseq}\r\nLocation: rtsp://127.0.0.1:${server.port}/real\r\n\r\n`
        : undefined,
    );
    const log = new PacketLog();
    const lines: string[] = [];
    const client = new RtspClient({
      url: `rtsp://u:p@127.0.0.1:${port}/old`,
      onPacket: log.add,
      log: (l) => lines.push(l),
    });
    cleanups.push(() => client.close());
    await client.play();
    expect(client.currentUrl).toBe(`rtsp://127.0.0.1:${server.port}/real`);
    expect(client.stats.redirects).toBe(1);
    await waitUntil(() => log.count(0) > 5, 3000, 'packets after redirect');
    expect(lines.some((l) => l.includes('redirect'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/u:p@/);
  });

  it('gives up on a redirect loop with ARGUS_ERR_RTSP_STATUS', async () => {
    let port = 0;
    port = await scriptedPeer(
      (_head, cseq) =>
        `RTSP/1.0 301 Moved\r\nCSeq: ${cseq}\r\nLocation: rtsp://127.0.0.1:${port}/again\r\n\r\n`,
    );
    const client = new RtspClient({ url: `rtsp://127.0.0.1:${port}/x`, maxRedirects: 2 });
    await expect(client.describe()).rejects.toMatchObject({ code: 'ARGUS_ERR_RTSP_STATUS', statusCode: 301 });
    expect(client.stats.redirects).toBe(3);
  });

  it('uses Content-Location as the base for SETUP and matches replies without CSeq', async () => {
    const requestLines: string[] = [];
    const port = await scriptedPeer((head) => {
      requestLines.push(head.split('\r\n')[0]!);
      if (head.startsWith('DESCRIBE')) {
        return `RTSP/1.0 200 OK\r\nContent-Type: application/sdp\r\nContent-Location: /media/live/\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`;
      }
      if (head.startsWith('SETUP')) {
        return 'RTSP/1.0 200 OK\r\nSession: "s1";timeout=30\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n';
      }
      return 'RTSP/1.0 200 OK\r\n\r\n'; // OPTIONS (no Public), PLAY, TEARDOWN: all without CSeq
    });
    const client = new RtspClient({ url: `rtsp://127.0.0.1:${port}/x`, dataTimeoutMs: 0 });
    cleanups.push(() => client.close());
    const play = await client.play();
    expect(play.keepAliveMethod).toBe('OPTIONS'); // GET_PARAMETER not in Public
    expect(play.sessionTimeoutSec).toBe(30);
    await client.close();
    expect(requestLines).toEqual([
      `OPTIONS rtsp://127.0.0.1:${port}/x RTSP/1.0`,
      `DESCRIBE rtsp://127.0.0.1:${port}/x RTSP/1.0`,
      `SETUP rtsp://127.0.0.1:${port}/media/live/track1 RTSP/1.0`,
      `PLAY rtsp://127.0.0.1:${port}/media/live/ RTSP/1.0`,
      `TEARDOWN rtsp://127.0.0.1:${port}/media/live/ RTSP/1.0`,
    ]);
  });

  it('times out a step when the server never answers', async () => {
    const port = await scriptedPeer(() => undefined);
    const client = new RtspClient({ url: `rtsp://127.0.0.1:${port}/x`, timeoutMs: 300 });
    const started = Date.now();
    await expect(client.describe()).rejects.toMatchObject({ code: 'ARGUS_ERR_RTSP_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails with PROTOCOL on garbage and TOO_LARGE on an endless header', async () => {
    const garbage = await scriptedPeer(() => 'HTTP/1.1 200 OK\r\n\r\n');
    await expect(new RtspClient({ url: `rtsp://127.0.0.1:${garbage}/x` }).describe()).rejects.toMatchObject({
      code: 'ARGUS_ERR_RTSP_PROTOCOL',
    });
    const endless = await scriptedPeer(
      () => 'RTSP/1.0 200 OK\r\n' + 'X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n'.repeat(1000),
    );
    await expect(new RtspClient({ url: `rtsp://127.0.0.1:${endless}/x` }).describe()).rejects.toMatchObject({
      code: 'ARGUS_ERR_RTSP_TOO_LARGE',
    });
    const notSdp = await scriptedPeer(
      (_h, cseq) =>
        `RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi`,
    );
    await expect(new RtspClient({ url: `rtsp://127.0.0.1:${notSdp}/x` }).describe()).rejects.toMatchObject({
      code: 'ARGUS_ERR_RTSP_PROTOCOL',
    });
  });

  it('reports a refused connection as ARGUS_ERR_RTSP_CONNECT and a pre-aborted signal as ABORTED', async () => {
    const port = await scriptedPeer(() => undefined);
    await new Promise<void>((resolve) => {
      // free the port again so the connect is refused
      void Promise.resolve(cleanups.pop()!()).then(() => resolve());
    });
    await expect(new RtspClient({ url: `rtsp://127.0.0.1:${port}/x` }).describe()).rejects.toMatchObject({
      code: 'ARGUS_ERR_RTSP_CONNECT',
    });
    const abort = new AbortController();
    abort.abort();
    await expect(
      new RtspClient({ url: `rtsp://127.0.0.1:${port}/x`, signal: abort.signal }).describe(),
    ).rejects.toMatchObject({
      code: 'ARGUS_ERR_RTSP_ABORTED',
    });
  });
});

describe('RTSP URL and header helpers', () => {
  it('splits credentials off URLs and redacts them', () => {
    const parsed = parseRtspUrl('rtsp://ad%40min:p%3Ass@10.0.0.1/cam?x=1');
    expect(parsed).toEqual({
      url: 'rtsp://10.0.0.1/cam?x=1',
      host: '10.0.0.1',
      port: 554,
      pathAndQuery: '/cam?x=1',
      credentials: { user: 'ad@min', password: 'p:ss' },
    });
    expect(redactUrl('rtsp://admin:secret@cam:8554/a?user=admin&password=secret&ch=1')).toBe(
      'rtsp://cam:8554/a?user=admin&password=***&ch=1',
    );
    expect(() => parseRtspUrl('http://x/')).toThrow(/rtsp/);
    expect(() => parseRtspUrl('rtsp://u:secret@[bad')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    );
  });

  it('resolves a=control the way cameras expect', () => {
    const base = 'rtsp://cam/Streaming/Channels/101';
    expect(resolveControlUrl(base, 'trackID=1')).toBe('rtsp://cam/Streaming/Channels/101/trackID=1');
    expect(resolveControlUrl(`${base}/`, 'trackID=1')).toBe('rtsp://cam/Streaming/Channels/101/trackID=1');
    expect(resolveControlUrl(base, '*')).toBe(base);
    expect(resolveControlUrl(base, undefined)).toBe(base);
    expect(resolveControlUrl(base, 'rtsp://other/x?y=1')).toBe('rtsp://other/x?y=1');
    expect(resolveControlUrl(base, '/abs/track')).toBe('rtsp://cam/abs/track');
    expect(resolveControlUrl('rtsp://cam/live?ch=1', '?ch=1&track=2')).toBe(
      'rtsp://cam/live?ch=1?ch=1&track=2',
    );
    const headers = new RtspHeaders({
      'Content-Base': 'rtsp://cam/base/',
      'Content-Location': 'rtsp://cam/loc/',
    });
    expect(describeBaseUrl('rtsp://cam/req', headers)).toBe('rtsp://cam/base/');
    expect(describeBaseUrl('rtsp://cam/req', new RtspHeaders())).toBe('rtsp://cam/req');
  });

  it('parses and formats Transport, Session and RTP-Info', () => {
    const [tcp, udp] = parseTransport(
      'RTP/AVP/TCP;unicast;interleaved=4-5;ssrc=0000ABCD, RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;source=10.0.0.1',
    );
    expect(tcp).toEqual({
      protocol: 'RTP/AVP/TCP',
      lowerTransport: 'TCP',
      multicast: false,
      interleaved: [4, 5],
      ssrc: 0xabcd,
    });
    expect(udp).toMatchObject({
      lowerTransport: 'UDP',
      clientPort: [5000, 5001],
      serverPort: [6000, 6001],
      source: '10.0.0.1',
    });
    expect(formatTransport(udp!)).toBe(
      'RTP/AVP;unicast;source=10.0.0.1;client_port=5000-5001;server_port=6000-6001',
    );
    expect(() => parseTransport('RTP/AVP;client_port=99999')).toThrow();
    expect(parseSessionHeader('A1b2;timeout=30')).toEqual({ id: 'A1b2', timeoutSec: 30 });
    expect(parseSessionHeader('xyz')).toEqual({ id: 'xyz' });
    expect(parseRtpInfo('url=rtsp://h/a/stream=0;seq=17;rtptime=99, url=rtsp://h/a/stream=1;seq=3')).toEqual([
      { url: 'rtsp://h/a/stream=0', seq: 17, rtptime: 99 },
      { url: 'rtsp://h/a/stream=1', seq: 3 },
    ]);
  });
});
