// Test helper: pull a stream with @argus/media's RTSP client for a while and keep every RTP header
// and RTCP sender report with arrival times, to check pacing, timestamps and faults at RTP level.
import { parseRtcpCompound, parseRtpPacket, RtspClient, type MediaError } from '@argus/media';

export interface CapturedRtp {
  trackIndex: number;
  seq: number;
  timestamp: number;
  marker: boolean;
  ssrc: number;
  payload: Uint8Array;
  receivedAtMs: number;
}

export interface CapturedSr {
  trackIndex: number;
  ntpTimeMs: number;
  rtpTimestamp: number;
}

export interface Capture {
  client: RtspClient;
  rtp: CapturedRtp[];
  srs: CapturedSr[];
  closed: Promise<MediaError | undefined>;
  stop(): Promise<void>;
}

export async function startCapture(url: string, user: string, password: string): Promise<Capture> {
  const rtp: CapturedRtp[] = [];
  const srs: CapturedSr[] = [];
  const client = new RtspClient({
    url,
    user,
    password,
    transport: 'tcp',
    timeoutMs: 5000,
    onPacket: (p) => {
      if (p.channel === 'rtp') {
        const h = parseRtpPacket(p.data);
        rtp.push({
          trackIndex: p.trackIndex,
          seq: h.sequenceNumber,
          timestamp: h.timestamp,
          marker: h.marker,
          ssrc: h.ssrc,
          payload: h.payload,
          receivedAtMs: p.receivedAtMs,
        });
      } else {
        for (const r of parseRtcpCompound(p.data)) {
          if (r.type === 'sr')
            srs.push({ trackIndex: p.trackIndex, ntpTimeMs: r.ntpTimeMs, rtpTimestamp: r.rtpTimestamp });
        }
      }
    },
  });
  const closed = new Promise<MediaError | undefined>((resolve) => client.once('close', resolve));
  client.on('error', () => {});
  await client.play();
  return { client, rtp, srs, closed, stop: () => client.close() };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** NAL unit types (H.264) of the packets' payloads, unwrapping STAP-A and FU-A starts. */
export function h264NalTypes(payload: Uint8Array): number[] {
  const t = payload[0]! & 0x1f;
  if (t === 24) {
    const out: number[] = [];
    for (let p = 1; p + 2 < payload.length;) {
      const n = (payload[p]! << 8) | payload[p + 1]!;
      out.push(payload[p + 2]! & 0x1f);
      p += 2 + n;
    }
    return out;
  }
  if (t === 28) return (payload[1]! & 0x80) !== 0 ? [payload[1]! & 0x1f] : [];
  return [t];
}

/** Whole NAL units carried in a packet: the single NAL or each unit of a STAP-A (FU-A gives none). */
export function h264WholeNalus(payload: Uint8Array): Uint8Array[] {
  const t = payload[0]! & 0x1f;
  if (t === 28) return [];
  if (t !== 24) return [payload];
  const out: Uint8Array[] = [];
  for (let p = 1; p + 2 < payload.length;) {
    const n = (payload[p]! << 8) | payload[p + 1]!;
    out.push(payload.subarray(p + 2, p + 2 + n));
    p += 2 + n;
  }
  return out;
}

/** Signed difference a - b of two 32-bit RTP timestamps. */
export const tsDiff = (a: number, b: number): number => (a - b) | 0;

/** Polls `predicate` every 20 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}
