// Test helpers over packets delivered by RtspClient: per-track RTP sequence numbers and counts.
import { parseRtpPacket } from '@argus/media';
import type { RtspPacket } from '@argus/media';

export class PacketLog {
  readonly seqs = new Map<number, number[]>();
  readonly rtcp = new Map<number, number>();
  readonly payloadTypes = new Map<number, Set<number>>();

  add = (packet: RtspPacket): void => {
    if (packet.channel === 'rtcp') {
      this.rtcp.set(packet.trackIndex, (this.rtcp.get(packet.trackIndex) ?? 0) + 1);
      return;
    }
    const rtp = parseRtpPacket(packet.data);
    const list = this.seqs.get(packet.trackIndex) ?? [];
    list.push(rtp.sequenceNumber);
    this.seqs.set(packet.trackIndex, list);
    const pts = this.payloadTypes.get(packet.trackIndex) ?? new Set<number>();
    pts.add(rtp.payloadType);
    this.payloadTypes.set(packet.trackIndex, pts);
  };

  count(trackIndex: number): number {
    return this.seqs.get(trackIndex)?.length ?? 0;
  }

  /** Steps between consecutive sequence numbers (mod 2^16); all 1 on a lossless in-order path. */
  steps(trackIndex: number): number[] {
    const list = this.seqs.get(trackIndex) ?? [];
    return list.slice(1).map((seq, i) => (seq - list[i]! + 0x10000) & 0xffff);
  }
}

export async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
