// RTSP server (RFC 2326 server side) used by the simulator and for re-streaming: serves mounts
// that deliver RTP packets to many clients over TCP interleaved or UDP unicast, with Digest auth
// (RFC 7616), session timeouts (§12.37) and periodic RTCP sender reports (RFC 3550 §6.4.1).
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { DigestVerifier } from './rtsp-auth-server.js';
import { type UdpPortPair, bindUdpPortPair } from './rtsp-client-transport-udp.js';
import { rtspTimers } from './rtsp-clock.js';
import { type ServerCore, ServerConnection } from './rtsp-server-connection.js';
import type { ServerSession } from './rtsp-server-session.js';
import type { RtspServer, RtspServerOptions, RtspServerStats } from './rtsp-server-types.js';
import { redactUrl } from './rtsp-url.js';

export async function createRtspServer(options: RtspServerOptions): Promise<RtspServer> {
  const timers = rtspTimers(options.clock);
  const stats: RtspServerStats = {
    connections: 0,
    sessions: 0,
    packetsSent: 0,
    bytesSent: 0,
    packetsDropped: 0,
    senderReportsSent: 0,
    sessionsExpired: 0,
    authFailures: 0,
  };
  const udp: UdpPortPair = await bindUdpPortPair(options.host);
  const sessionTimeoutSec = options.sessionTimeoutSec ?? 60;
  const sessions = new Map<string, ServerSession>();
  const connections = new Set<ServerConnection>();
  const log = (message: string): void => options.log?.(redactUrl(message));
  const users = options.users;
  const verifier =
    users && Object.keys(users).length > 0
      ? new DigestVerifier({
          realm: options.realm ?? 'Argus',
          users,
          algorithms: options.digestAlgorithms ?? ['MD5'],
          nonceLifetimeMs: options.nonceLifetimeMs,
          nowMs: timers.nowMs,
        })
      : undefined;
  const core: ServerCore = {
    timers,
    stats,
    maxSocketBufferBytes: options.maxSocketBufferBytes ?? 1024 * 1024,
    udpRtp: udp.rtp,
    udpRtcp: udp.rtcp,
    options,
    sessions,
    verifier,
    udpPorts: [udp.rtpPort, udp.rtcpPort],
    sessionTimeoutSec,
    createSessionId: () => randomBytes(8).toString('hex'),
    removeSession: (session) => {
      session.destroy();
      sessions.delete(session.id);
      stats.sessions = sessions.size;
    },
    log,
  };

  // RTCP from UDP clients (receiver reports) keeps their sessions alive (RFC 7826 §18.49).
  udp.rtcp.on('message', (_data, from) => {
    for (const session of sessions.values()) {
      if (
        session.tracks.some(
          (t) => t?.transport === 'udp' && t.clientRtcpPort === from.port && t.clientAddress === from.address,
        )
      ) {
        session.lastActivityMs = timers.nowMs();
      }
    }
  });
  udp.rtp.on('error', (err) => log(`RTSP server UDP error: ${err.message}`));
  udp.rtcp.on('error', (err) => log(`RTSP server UDP error: ${err.message}`));

  const server = net.createServer((socket) => {
    const connection = new ServerConnection(core, socket);
    connections.add(connection);
    stats.connections = connections.size;
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      connections.delete(connection);
      stats.connections = connections.size;
      connection.onClosed();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;

  let stopped = false;
  const handles: unknown[] = [];
  const every = (periodMs: number, slot: number, task: () => void): void => {
    const tick = (): void => {
      if (stopped) return;
      task();
      handles[slot] = timers.set(tick, periodMs);
    };
    handles[slot] = timers.set(tick, periodMs);
  };
  const timeoutMs = sessionTimeoutSec * 1000;
  // Expire idle sessions: UDP ones and any not playing; TCP-interleaved sessions live with their
  // connection (as GStreamer does), which clients keep alive implicitly.
  every(Math.min(1000, timeoutMs / 4), 0, () => {
    const now = timers.nowMs();
    for (const session of [...sessions.values()]) {
      const idle = now - session.lastActivityMs > timeoutMs;
      if (idle && (!session.playing || !session.usesTcp || session.socket.destroyed)) {
        log(`RTSP session ${session.id} expired`);
        stats.sessionsExpired++;
        core.removeSession(session);
      }
    }
    for (const connection of connections) {
      if (connection.sessions.size === 0 && now - connection.lastActivityMs > timeoutMs)
        connection.socket.destroy();
    }
  });
  every(options.senderReportIntervalMs ?? 5000, 1, () => {
    const now = timers.nowMs();
    for (const session of sessions.values()) session.sendSenderReports(now);
  });

  const closeAllSessions = (): void => {
    for (const session of [...sessions.values()]) core.removeSession(session);
    for (const connection of connections) connection.socket.destroy();
  };

  return {
    host: options.host,
    port: address.port,
    udpPorts: [udp.rtpPort, udp.rtcpPort],
    stats,
    closeAllSessions,
    async close() {
      if (stopped) return;
      stopped = true;
      for (const handle of handles) timers.clear(handle);
      closeAllSessions();
      udp.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
