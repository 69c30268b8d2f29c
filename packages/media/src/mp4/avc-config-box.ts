// avcC, the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1.2): writes it from SPS/PPS and
// parses it back. The High-profile extension needs chroma format and bit depths, read from the SPS
// (ITU-T H.264 §7.3.2.1.1) by the small bit reader below; nothing else of the SPS is interpreted.
import { ByteReader } from '../bytes/byte-reader.js';
import type { ByteWriter } from '../bytes/byte-writer.js';
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';
import { ARGUS_ERR_MP4_BAD_CONFIG } from './mp4-error-codes.js';

/** Profiles whose avcC carries chroma_format/bit depth fields (14496-15 §5.3.3.1.2). */
const HIGH_PROFILES = new Set([100, 110, 122, 144]);

interface AvcChroma {
  chromaFormatIdc: number;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
}

/** Reads chroma_format_idc and bit depths from a High-profile SPS; 4:2:0 8-bit when unreadable. */
export function readAvcChroma(sps: Uint8Array): AvcChroma {
  const fallback = { chromaFormatIdc: 1, bitDepthLumaMinus8: 0, bitDepthChromaMinus8: 0 };
  // Strip emulation prevention bytes (H.264 §7.4.1) from the first bytes only: the fields are early.
  const rbsp: number[] = [];
  let zeros = 0;
  for (let i = 1; i < sps.length && rbsp.length < 32; i++) {
    const b = sps[i] ?? 0;
    if (zeros >= 2 && b === 3) {
      zeros = 0;
      continue;
    }
    zeros = b === 0 ? zeros + 1 : 0;
    rbsp.push(b);
  }
  let bit = 24; // after profile_idc, constraint flags, level_idc
  const readBit = (): number => {
    const byte = rbsp[bit >> 3];
    if (byte === undefined) throw new RangeError('sps');
    const v = (byte >> (7 - (bit & 7))) & 1;
    bit++;
    return v;
  };
  const ue = (): number => {
    let lz = 0;
    while (readBit() === 0) if (++lz > 31) throw new RangeError('sps');
    let v = 0;
    for (let i = 0; i < lz; i++) v = v * 2 + readBit();
    return 2 ** lz - 1 + v;
  };
  try {
    ue(); // seq_parameter_set_id
    const chromaFormatIdc = ue();
    if (chromaFormatIdc === 3) readBit(); // separate_colour_plane_flag
    const bitDepthLumaMinus8 = ue();
    const bitDepthChromaMinus8 = ue();
    if (chromaFormatIdc > 3 || bitDepthLumaMinus8 > 7 || bitDepthChromaMinus8 > 7) return fallback;
    return { chromaFormatIdc, bitDepthLumaMinus8, bitDepthChromaMinus8 };
  } catch {
    return fallback;
  }
}

/** Writes the avcC box with 4-byte NAL lengths (lengthSizeMinusOne = 3). */
export function writeAvcCBox(w: ByteWriter, sps: readonly Uint8Array[], pps: readonly Uint8Array[]): void {
  const first = sps[0];
  if (first === undefined || first.length < 4) {
    throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, 'H.264 track needs at least one SPS of 4+ bytes');
  }
  if (pps.length === 0) throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, 'H.264 track needs a PPS');
  if (sps.length > 31 || pps.length > 255) {
    throw new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, 'too many H.264 parameter sets for avcC');
  }
  const profileIdc = first[1] ?? 0;
  const box = w.startBox('avcC');
  w.u8(1)
    .u8(profileIdc)
    .u8(first[2] ?? 0)
    .u8(first[3] ?? 0);
  w.u8(0xfc | 3).u8(0xe0 | sps.length);
  for (const s of sps) w.u16(s.length).bytes(s);
  w.u8(pps.length);
  for (const p of pps) w.u16(p.length).bytes(p);
  if (HIGH_PROFILES.has(profileIdc)) {
    const c = readAvcChroma(first);
    w.u8(0xfc | c.chromaFormatIdc)
      .u8(0xf8 | c.bitDepthLumaMinus8)
      .u8(0xf8 | c.bitDepthChromaMinus8)
      .u8(0); // numOfSequenceParameterSetExt
  }
  w.endBox(box);
}

export interface ParsedAvcC {
  sps: Uint8Array[];
  pps: Uint8Array[];
  nalLengthSize: number;
}

/** Parses an avcC payload (after the box header). Parameter sets are views into the input. */
export function parseAvcC(payload: Uint8Array): ParsedAvcC {
  const r = new ByteReader(payload, 0, payload.length, ARGUS_ERR_MP4_MALFORMED);
  const version = r.u8();
  if (version !== 1) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `avcC version ${version}`);
  r.skip(3);
  const nalLengthSize = (r.u8() & 3) + 1;
  const numSps = r.u8() & 0x1f;
  const sps: Uint8Array[] = [];
  for (let i = 0; i < numSps; i++) sps.push(r.bytesView(r.u16()));
  const numPps = r.u8();
  const pps: Uint8Array[] = [];
  for (let i = 0; i < numPps; i++) pps.push(r.bytesView(r.u16()));
  return { sps, pps, nalLengthSize };
}
