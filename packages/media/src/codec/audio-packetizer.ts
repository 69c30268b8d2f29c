// Audio packetizers: AAC per RFC 3640 AAC-hbr (§3.3.6; one AU per packet, 13/3/3 AU-headers,
// fragmented when larger than the payload budget, marker on complete AUs and final fragments) and
// G.711 per RFC 3551 (frames split on the budget, marker only on the first packet of the stream).
import type { AccessUnit, AudioCodec } from '../access-unit.js';
import { MediaError } from '../media-error.js';
import { ERR_PACKETIZER, PAYLOAD_OFFSET, RtpPacketWriter, timestampOf } from './packetizer.js';
import type { Packetizer, PacketizerOptions } from './packetizer.js';

/** AAC-hbr AU-size is 13 bits. */
export const AAC_HBR_MAX_AU_BYTES = 8191;

export class AacPacketizer implements Packetizer {
  private readonly writer: RtpPacketWriter;

  constructor(options: PacketizerOptions) {
    this.writer = new RtpPacketWriter(options);
  }

  get nextSequenceNumber(): number {
    return this.writer.nextSequenceNumber;
  }

  packetize(au: AccessUnit, rtpTimestamp?: number): Uint8Array[] {
    if (au.kind !== 'audio' || au.codec !== 'aac')
      throw new MediaError(ERR_PACKETIZER, 'expected an AAC access unit');
    const size = au.data.length;
    if (size === 0 || size > AAC_HBR_MAX_AU_BYTES) {
      throw new MediaError(ERR_PACKETIZER, `AAC AU of ${size} bytes does not fit AAC-hbr`);
    }
    const ts = timestampOf(au, rtpTimestamp);
    const chunk = this.writer.maxPayloadBytes - 4;
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < size; offset += chunk) {
      const end = Math.min(size, offset + chunk);
      const packet = this.writer.next(4 + end - offset, end === size, ts);
      const o = PAYLOAD_OFFSET;
      packet[o] = 0;
      packet[o + 1] = 16; // AU-headers-length in bits: one 16-bit header
      packet[o + 2] = size >> 5; // AU-size (13 bits) then AU-Index (3 bits) = 0
      packet[o + 3] = (size & 0x1f) << 3;
      packet.set(au.data.subarray(offset, end), o + 4);
      out.push(packet);
    }
    return out;
  }
}

export class G711Packetizer implements Packetizer {
  private readonly writer: RtpPacketWriter;
  private first = true;

  constructor(
    private readonly codec: Extract<AudioCodec, 'pcmu' | 'pcma'>,
    options: PacketizerOptions,
  ) {
    this.writer = new RtpPacketWriter(options);
  }

  get nextSequenceNumber(): number {
    return this.writer.nextSequenceNumber;
  }

  packetize(au: AccessUnit, rtpTimestamp?: number): Uint8Array[] {
    if (au.kind !== 'audio' || au.codec !== this.codec) {
      throw new MediaError(ERR_PACKETIZER, `expected a ${this.codec} access unit`);
    }
    const ts = timestampOf(au, rtpTimestamp);
    const out: Uint8Array[] = [];
    const max = this.writer.maxPayloadBytes;
    // One byte is one sample, so a split packet's timestamp advances by its offset.
    for (let offset = 0; offset < au.data.length; offset += max) {
      const end = Math.min(au.data.length, offset + max);
      const packet = this.writer.next(end - offset, this.first, (ts + offset) >>> 0);
      this.first = false;
      packet.set(au.data.subarray(offset, end), PAYLOAD_OFFSET);
      out.push(packet);
    }
    return out;
  }
}
