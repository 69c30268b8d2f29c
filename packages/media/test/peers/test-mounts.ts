// Test mounts for the RTSP server: a synthetic one that emits numbered RTP packets on a timer, and
// a relay that forwards what an RtspClient pulls from another server (e.g. GStreamer).
import { RtspClient, buildRtpPacket } from '@argus/media';
import type { RtspServerMount, RtspServerTrack } from '@argus/media';

export interface SyntheticMount extends RtspServerMount {
  subscribers: number;
  /** Emits one packet on every track now. */
  tick(): void;
  stop(): void;
}

export const SYNTHETIC_TRACKS: RtspServerTrack[] = [
  {
    mediaType: 'video',
    payloadType: 96,
    encodingName: 'H264',
    clockRate: 90000,
    fmtp: { 'packetization-mode': '1' },
  },
  { mediaType: 'audio', payloadType: 0, encodingName: 'PCMU', clockRate: 8000, channels: 1, fmtp: {} },
];

/** Emits a packet per track every periodMs (0: only on tick()); payload is `payloadBytes` of the seq. */
export function syntheticMount(periodMs = 10, payloadBytes = 100): SyntheticMount {
  const listeners = new Set<(trackIndex: number, packet: Uint8Array) => void>();
  const seq = [1000, 65530];
  const ts = [4_294_000_000, 0];
  const mount: SyntheticMount = {
    tracks: SYNTHETIC_TRACKS,
    subscribers: 0,
    subscribe(onPacket) {
      listeners.add(onPacket);
      mount.subscribers = listeners.size;
      return () => {
        listeners.delete(onPacket);
        mount.subscribers = listeners.size;
      };
    },
    tick() {
      for (let i = 0; i < 2; i++) {
        const packet = buildRtpPacket(
          {
            payloadType: SYNTHETIC_TRACKS[i]!.payloadType,
            marker: true,
            sequenceNumber: seq[i]!,
            timestamp: ts[i]!,
            ssrc: 0x1234 + i,
          },
          new Uint8Array(payloadBytes).fill(seq[i]! & 0xff),
        );
        seq[i] = (seq[i]! + 1) & 0xffff;
        ts[i] = (ts[i]! + (i === 0 ? 3600 : 320)) >>> 0;
        for (const listener of listeners) listener(i, packet);
      }
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
  const timer = periodMs > 0 ? setInterval(() => mount.tick(), periodMs) : undefined;
  return mount;
}

export interface RelayMount extends RtspServerMount {
  client: RtspClient;
}

/** Pulls `url` with our client and re-serves its RTP packets and SDP tracks. */
export async function relayMount(url: string, transport: 'tcp' | 'udp' = 'tcp'): Promise<RelayMount> {
  const listeners = new Set<(trackIndex: number, packet: Uint8Array) => void>();
  const client = new RtspClient({
    url,
    transport,
    onPacket: (p) => {
      if (p.channel !== 'rtp') return;
      for (const listener of listeners) listener(p.trackIndex, p.data);
    },
  });
  await client.play();
  return {
    client,
    tracks: client.tracks,
    subscribe(onPacket) {
      listeners.add(onPacket);
      return () => listeners.delete(onPacket);
    },
  };
}
