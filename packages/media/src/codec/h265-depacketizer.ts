// H.265 RTP depacketizer (RFC 7798): single NAL unit packets (§4.4.1), aggregation packets (§4.4.2)
// and fragmentation units (§4.4.3); DONL/DOND fields skipped when sprop-max-don-diff > 0 (no
// reordering by DON is done); PACI (type 50) counts as malformed.
import type { AccessUnit } from '../access-unit.js';
import type { RtpPacket } from '../rtp/rtp-packet.js';
import type { Depacketizer, DepacketizerOptions, DepacketizerStats } from './depacketizer.js';
import { lostCount, MAX_ACCESS_UNIT_BYTES } from './depacketizer.js';
import { H265_NAL_PPS, H265_NAL_SPS, H265_NAL_VPS } from './h265-sps.js';
import { VideoAccessUnitAssembler, type VideoCodecRules } from './video-au-assembler.js';

export const H265_NAL_AUD = 35;
export const H265_AP = 48;
export const H265_FU = 49;

export const H265_RULES: VideoCodecRules = {
  codec: 'h265',
  nalType: (nal) => (nal[0]! >> 1) & 0x3f,
  // IRAP pictures (BLA, IDR, CRA and the reserved IRAP types 22-23), ITU-T H.265 §7.4.2.2.
  isKeyType: (type) => type >= 16 && type <= 23,
  parameterSetTypes: [H265_NAL_VPS, H265_NAL_SPS, H265_NAL_PPS],
  audType: H265_NAL_AUD,
};

export interface H265DepacketizerOptions extends DepacketizerOptions {
  /** True when sprop-max-don-diff > 0: APs and FUs then carry DONL/DOND fields. */
  donlPresent?: boolean;
}

export class H265Depacketizer implements Depacketizer {
  private readonly au: VideoAccessUnitAssembler;
  private readonly donl: boolean;

  /** parameterSets: VPS/SPS/PPS from SDP sprop-vps/sps/pps, used when the camera omits them in-band. */
  constructor(parameterSets: readonly Uint8Array[] = [], options: H265DepacketizerOptions = {}) {
    this.au = new VideoAccessUnitAssembler(
      H265_RULES,
      options.maxAccessUnitBytes ?? MAX_ACCESS_UNIT_BYTES,
      parameterSets,
      options.copyPayloads ?? false,
    );
    this.donl = options.donlPresent ?? false;
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
    if (payload.length < 2) return this.au.malformed();
    if (payload[0]! & 0x80) return this.au.malformed(); // forbidden_zero_bit
    const type = (payload[0]! >> 1) & 0x3f;
    if (type < H265_AP) return this.au.addNal(payload);
    if (type === H265_AP) return this.parseAp(payload);
    if (type === H265_FU) return this.parseFu(payload);
    return this.au.malformed();
  }

  private parseAp(payload: Uint8Array): void {
    let offset = 2;
    const nalus: Uint8Array[] = [];
    while (offset < payload.length) {
      if (this.donl) offset += nalus.length === 0 ? 2 : 1; // DONL, then DOND
      if (offset + 2 > payload.length) return this.au.malformed();
      const size = (payload[offset]! << 8) | payload[offset + 1]!;
      offset += 2;
      if (size < 2 || offset + size > payload.length) return this.au.malformed();
      nalus.push(payload.subarray(offset, offset + size));
      offset += size;
    }
    if (nalus.length === 0) return this.au.malformed();
    for (const nal of nalus) this.au.addNal(nal);
  }

  private parseFu(payload: Uint8Array): void {
    if (payload.length < 4) return this.au.malformed();
    const fuHeader = payload[2]!;
    const start = (fuHeader & 0x80) !== 0;
    const end = (fuHeader & 0x40) !== 0;
    if (start && end) return this.au.malformed(); // §4.4.3: S and E must not both be set
    const dataOffset = 3 + (this.donl && start ? 2 : 0);
    if (payload.length <= dataOffset) return this.au.malformed();
    if (start) {
      const header = (((payload[0]! & 0x81) | ((fuHeader & 0x3f) << 1)) << 8) | payload[1]!;
      this.au.startFragment(header, 2, payload, dataOffset);
    } else if (!this.au.fragmentInProgress) {
      return this.au.damage(); // a fragment whose start was lost
    } else {
      this.au.addFragment(payload, dataOffset);
    }
    if (end) this.au.endFragment();
  }
}
