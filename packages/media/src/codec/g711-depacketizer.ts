// G.711 µ-law/A-law RTP depacketizer (RFC 3551 §4.5.14): every packet is one audio unit of
// 8-bit samples, timestamped in the 8 kHz (or rtpmap) clock.
import type { AccessUnit, AudioCodec } from '../access-unit.js';
import type { RtpPacket } from '../rtp/rtp-packet.js';
import type { Depacketizer, DepacketizerOptions, DepacketizerStats } from './depacketizer.js';
import { lostCount, MAX_ACCESS_UNIT_BYTES, newDepacketizerStats } from './depacketizer.js';

export class G711Depacketizer implements Depacketizer {
  readonly stats: DepacketizerStats = newDepacketizerStats();
  private readonly maxBytes: number;
  private readonly copyPayloads: boolean;

  constructor(
    private readonly codec: Extract<AudioCodec, 'pcmu' | 'pcma'>,
    private readonly clockRate = 8000,
    options: DepacketizerOptions = {},
  ) {
    this.maxBytes = options.maxAccessUnitBytes ?? MAX_ACCESS_UNIT_BYTES;
    this.copyPayloads = options.copyPayloads ?? false;
  }

  push(packet: RtpPacket, extendedTimestamp: number, lostBefore?: number | boolean): AccessUnit[] {
    this.stats.lostPackets += lostCount(lostBefore);
    const payload = packet.payload;
    if (payload.length === 0) {
      this.stats.malformedPackets++;
      this.stats.droppedAccessUnits++;
      return [];
    }
    if (payload.length > this.maxBytes) {
      this.stats.oversizeAccessUnits++;
      this.stats.droppedAccessUnits++;
      return [];
    }
    this.stats.accessUnits++;
    const data = this.copyPayloads ? new Uint8Array(payload) : payload;
    return [
      { kind: 'audio', codec: this.codec, ptsTicks: extendedTimestamp, clockRate: this.clockRate, data },
    ];
  }

  flush(): AccessUnit[] {
    return [];
  }
}
