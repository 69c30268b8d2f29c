// H.264 RTP depacketizer (RFC 6184): single NAL unit packets (§5.6), STAP-A (§5.7.1) and FU-A
// (§5.8) in non-interleaved mode; STAP-B, MTAPs and FU-B (interleaved mode) count as malformed.
import type { AccessUnit } from '../access-unit.js';
import type { RtpPacket } from '../rtp/rtp-packet.js';
import type { Depacketizer, DepacketizerOptions, DepacketizerStats } from './depacketizer.js';
import { lostCount, MAX_ACCESS_UNIT_BYTES } from './depacketizer.js';
import { H264_NAL_PPS, H264_NAL_SPS } from './h264-sps.js';
import { VideoAccessUnitAssembler, type VideoCodecRules } from './video-au-assembler.js';

export const H264_NAL_IDR = 5;
export const H264_NAL_AUD = 9;
export const H264_STAP_A = 24;
export const H264_FU_A = 28;

export const H264_RULES: VideoCodecRules = {
  codec: 'h264',
  nalType: (nal) => nal[0]! & 0x1f,
  isKeyType: (type) => type === H264_NAL_IDR,
  parameterSetTypes: [H264_NAL_SPS, H264_NAL_PPS],
  audType: H264_NAL_AUD,
};

export class H264Depacketizer implements Depacketizer {
  private readonly au: VideoAccessUnitAssembler;

  /** parameterSets: SPS/PPS from SDP sprop-parameter-sets, used when the camera omits them in-band. */
  constructor(parameterSets: readonly Uint8Array[] = [], options: DepacketizerOptions = {}) {
    this.au = new VideoAccessUnitAssembler(
      H264_RULES,
      options.maxAccessUnitBytes ?? MAX_ACCESS_UNIT_BYTES,
      parameterSets,
      options.copyPayloads ?? false,
    );
  }

  get stats(): DepacketizerStats {
    return this.au.stats;
  }

  push(packet: RtpPacket, extendedTimestamp: number, lostBefore?: number | boolean): AccessUnit[] {
    this.au.beginPacket(extendedTimestamp, lostCount(lostBefore));
    this.parsePayload(packet.payload);
    if (packet.marker) this.au.finish();
    return this.au.take();
  }

  recycle(): void {
    this.au.recycle();
  }

  flush(): AccessUnit[] {
    this.au.finish();
    return this.au.take();
  }

  private parsePayload(payload: Uint8Array): void {
    if (payload.length === 0) return this.au.malformed();
    const header = payload[0]!;
    if (header & 0x80) return this.au.malformed(); // forbidden_zero_bit
    const type = header & 0x1f;
    if (type >= 1 && type <= 23) return this.au.addNal(payload);
    if (type === H264_STAP_A) return this.parseStapA(payload);
    if (type === H264_FU_A) return this.parseFuA(payload);
    return this.au.malformed();
  }

  private parseStapA(payload: Uint8Array): void {
    let offset = 1;
    const nalus: Uint8Array[] = [];
    while (offset < payload.length) {
      if (offset + 2 > payload.length) return this.au.malformed();
      const size = (payload[offset]! << 8) | payload[offset + 1]!;
      offset += 2;
      if (size === 0 || offset + size > payload.length) return this.au.malformed();
      nalus.push(payload.subarray(offset, offset + size));
      offset += size;
    }
    if (nalus.length === 0) return this.au.malformed();
    for (const nal of nalus) this.au.addNal(nal);
  }

  private parseFuA(payload: Uint8Array): void {
    if (payload.length < 3) return this.au.malformed();
    const indicator = payload[0]!;
    const fuHeader = payload[1]!;
    const start = (fuHeader & 0x80) !== 0;
    const end = (fuHeader & 0x40) !== 0;
    if (start && end) return this.au.malformed(); // §5.8: S and E must not both be set
    if (start) {
      this.au.startFragment((indicator & 0xe0) | (fuHeader & 0x1f), 1, payload, 2);
    } else if (!this.au.fragmentInProgress) {
      return this.au.damage(); // a fragment whose start was lost
    } else {
      this.au.addFragment(payload, 2);
    }
    if (end) this.au.endFragment();
  }
}
