// SNTP client (RFC 4330 §4, §5): one request, the clock offset from the four timestamps.
// Used to report how far the host clock is from the configured NTP server; it never sets the clock.
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

/** Seconds between 1900-01-01 (NTP era 0) and 1970-01-01. */
const NTP_UNIX_OFFSET_S = 2_208_988_800;

export function writeNtpTimestamp(buf: Buffer, offset: number, unixMs: number): void {
  const seconds = Math.floor(unixMs / 1000) + NTP_UNIX_OFFSET_S;
  const fraction = Math.floor(((unixMs % 1000) / 1000) * 2 ** 32);
  buf.writeUInt32BE(seconds >>> 0, offset);
  buf.writeUInt32BE(fraction >>> 0, offset + 4);
}

export function readNtpTimestamp(buf: Buffer, offset: number): number {
  return (
    (buf.readUInt32BE(offset) - NTP_UNIX_OFFSET_S) * 1000 + (buf.readUInt32BE(offset + 4) / 2 ** 32) * 1000
  );
}

/** "host", "host:port" or "[v6]:port"; default port 123. */
export function parseNtpServer(server: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : 123 };
  if (isIP(server) === 6) return { host: server, port: 123 };
  const [host = server, port] = server.split(':');
  return { host, port: port ? Number(port) : 123 };
}

export interface SntpResult {
  offsetMs: number;
  roundTripMs: number;
}

export function querySntp(
  server: string,
  timeoutMs: number,
  nowMs: () => number = Date.now,
): Promise<SntpResult> {
  const { host, port } = parseNtpServer(server);
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    const timer = setTimeout(
      () => finish(new Error(`no answer from NTP server ${server} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const finish = (err: Error | null, result?: SntpResult): void => {
      clearTimeout(timer);
      socket.close();
      if (err) reject(err);
      else resolve(result!);
    };
    const request = Buffer.alloc(48);
    request[0] = (0 << 6) | (4 << 3) | 3; // LI 0, version 4, mode 3 (client)
    const t1 = nowMs();
    writeNtpTimestamp(request, 40, t1);
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg) => {
      const t4 = nowMs();
      if (msg.length < 48) return finish(new Error('short NTP reply'));
      const mode = msg[0]! & 0x07;
      const stratum = msg[1]!;
      if (mode !== 4 || stratum === 0)
        return finish(
          new Error(`NTP server ${server} sent mode ${mode} stratum ${stratum} (not a usable time)`),
        );
      // The reply echoes our transmit time as its originate time; anything else is not our answer.
      if (
        msg.readUInt32BE(24) !== request.readUInt32BE(40) ||
        msg.readUInt32BE(28) !== request.readUInt32BE(44)
      )
        return;
      const t2 = readNtpTimestamp(msg, 32);
      const t3 = readNtpTimestamp(msg, 40);
      finish(null, { offsetMs: (t2 - t1 + (t3 - t4)) / 2, roundTripMs: t4 - t1 - (t3 - t2) });
    });
    socket.send(request, port, host, (err) => err && finish(err));
  });
}
