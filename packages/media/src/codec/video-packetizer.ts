// H.264 (RFC 6184 §5.6-5.8) and H.265 (RFC 7798 §4.4.1-4.4.3) packetizers: single NAL unit packets,
// FU-A / FU for NAL units above the payload budget, and optional STAP-A / AP aggregation of small
// consecutive NAL units (parameter sets). Marker bit on the last packet of each access unit.
import type { AccessUnit, VideoCodec } from '../access-unit.js';
import { MediaError } from '../media-error.js';
import { ERR_PACKETIZER, PAYLOAD_OFFSET, RtpPacketWriter, timestampOf } from './packetizer.js';
import type { Packetizer, PacketizerOptions } from './packetizer.js';

export interface VideoPacketizerOptions extends PacketizerOptions {
  /** Aggregate runs of small NAL units into STAP-A (H.264) or AP (H.265) packets. Default false. */
  aggregate?: boolean;
}

export class VideoPacketizer implements Packetizer {
  private readonly writer: RtpPacketWriter;
  private readonly headerBytes: number;
  private readonly aggregate: boolean;

  constructor(
    private readonly codec: VideoCodec,
    options: VideoPacketizerOptions,
  ) {
    this.writer = new RtpPacketWriter(options);
    this.headerBytes = codec === 'h264' ? 1 : 2;
    this.aggregate = options.aggregate ?? false;
  }

  get nextSequenceNumber(): number {
    return this.writer.nextSequenceNumber;
  }

  packetize(au: AccessUnit, rtpTimestamp?: number): Uint8Array[] {
    if (au.kind !== 'video' || au.codec !== this.codec) {
      throw new MediaError(ERR_PACKETIZER, `expected a ${this.codec} access unit`);
    }
    const ts = timestampOf(au, rtpTimestamp);
    const nalus = au.nalus.filter((n) => n.length >= this.headerBytes);
    const out: Uint8Array[] = [];
    const max = this.writer.maxPayloadBytes;
    let i = 0;
    while (i < nalus.length) {
      const nal = nalus[i]!;
      if (nal.length > max) {
        this.fragment(nal, ts, i === nalus.length - 1, out);
        i++;
        continue;
      }
      // Greedy aggregation: [header][size16 nal]... while it fits and spans at least two units.
      let j = i;
      let aggBytes = this.headerBytes;
      if (this.aggregate) {
        while (j < nalus.length && aggBytes + 2 + nalus[j]!.length <= max) aggBytes += 2 + nalus[j++]!.length;
      }
      if (j - i >= 2) {
        this.writeAggregate(nalus.slice(i, j), aggBytes, ts, j === nalus.length, out);
        i = j;
      } else {
        const packet = this.writer.next(nal.length, i === nalus.length - 1, ts);
        packet.set(nal, PAYLOAD_OFFSET);
        out.push(packet);
        i++;
      }
    }
    return out;
  }

  private writeAggregate(
    group: Uint8Array[],
    bytes: number,
    ts: number,
    last: boolean,
    out: Uint8Array[],
  ): void {
    const packet = this.writer.next(bytes, last, ts);
    let o = PAYLOAD_OFFSET;
    if (this.codec === 'h264') {
      // STAP-A: F = OR of F bits, NRI = max NRI (RFC 6184 §5.7.1).
      let f = 0;
      let nri = 0;
      for (const nal of group) {
        f |= nal[0]! & 0x80;
        nri = Math.max(nri, nal[0]! & 0x60);
      }
      packet[o++] = f | nri | 24;
    } else {
      // AP: F = OR of F bits, LayerId and TID = lowest of the aggregated units (RFC 7798 §4.4.2).
      let f = 0;
      let layerId = 63;
      let tid = 7;
      for (const nal of group) {
        f |= nal[0]! & 0x80;
        layerId = Math.min(layerId, ((nal[0]! & 1) << 5) | (nal[1]! >> 3));
        tid = Math.min(tid, nal[1]! & 7);
      }
      packet[o++] = f | (48 << 1) | (layerId >> 5);
      packet[o++] = ((layerId & 0x1f) << 3) | tid;
    }
    for (const nal of group) {
      packet[o++] = nal.length >> 8;
      packet[o++] = nal.length & 0xff;
      packet.set(nal, o);
      o += nal.length;
    }
    out.push(packet);
  }

  private fragment(nal: Uint8Array, ts: number, lastNal: boolean, out: Uint8Array[]): void {
    const h = this.headerBytes;
    const fuOverhead = h + 1;
    const chunk = this.writer.maxPayloadBytes - fuOverhead;
    const type = this.codec === 'h264' ? nal[0]! & 0x1f : (nal[0]! >> 1) & 0x3f;
    for (let offset = h; offset < nal.length; offset += chunk) {
      const end = Math.min(nal.length, offset + chunk);
      const isStart = offset === h;
      const isEnd = end === nal.length;
      const packet = this.writer.next(fuOverhead + end - offset, lastNal && isEnd, ts);
      let o = PAYLOAD_OFFSET;
      if (this.codec === 'h264') {
        packet[o++] = (nal[0]! & 0xe0) | 28;
      } else {
        packet[o++] = (nal[0]! & 0x81) | (49 << 1);
        packet[o++] = nal[1]!;
      }
      packet[o++] = (isStart ? 0x80 : 0) | (isEnd ? 0x40 : 0) | type;
      packet.set(nal.subarray(offset, end), o);
      out.push(packet);
    }
  }
}
