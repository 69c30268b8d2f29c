// H.265 profile_tier_level() (ITU-T H.265 §7.3.3) shared by VPS and SPS, and the RFC 6381 /
// ISO/IEC 14496-15 Annex E codec string `hvc1.<space><idc>.<compat>.<L|H><level>.<constraints>`.
import type { BitReader } from './bit-reader.js';

export interface H265ProfileTierLevel {
  generalProfileSpace: number;
  generalTierFlag: number;
  generalProfileIdc: number;
  /** general_profile_compatibility_flag[0..31], flag j at bit (31 - j), as stored in hvcC. */
  generalProfileCompatibilityFlags: number;
  /** The 48 bits from general_progressive_source_flag on, as stored in hvcC (6 bytes). */
  generalConstraintIndicatorFlags: Uint8Array;
  generalLevelIdc: number;
}

export function readProfileTierLevel(r: BitReader, maxSubLayersMinus1: number): H265ProfileTierLevel {
  const generalProfileSpace = r.readBits(2);
  const generalTierFlag = r.readBits(1);
  const generalProfileIdc = r.readBits(5);
  const generalProfileCompatibilityFlags = r.readBits(32) >>> 0;
  const generalConstraintIndicatorFlags = new Uint8Array(6);
  for (let i = 0; i < 6; i++) generalConstraintIndicatorFlags[i] = r.readBits(8);
  const generalLevelIdc = r.readBits(8);
  const profilePresent: boolean[] = [];
  const levelPresent: boolean[] = [];
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    profilePresent.push(r.readFlag());
    levelPresent.push(r.readFlag());
  }
  if (maxSubLayersMinus1 > 0) r.skipBits(2 * (8 - maxSubLayersMinus1));
  for (let i = 0; i < maxSubLayersMinus1; i++) {
    if (profilePresent[i]) r.skipBits(88);
    if (levelPresent[i]) r.skipBits(8);
  }
  return {
    generalProfileSpace,
    generalTierFlag,
    generalProfileIdc,
    generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags,
    generalLevelIdc,
  };
}

function reverseBits32(v: number): number {
  let out = 0;
  for (let i = 0; i < 32; i++) {
    out = out * 2 + ((v >>> i) & 1);
  }
  return out;
}

/** Codec string per ISO/IEC 14496-15 §E.3, e.g. `hvc1.1.6.L93.B0`; trailing zero constraint bytes are omitted. */
export function hevcCodecString(ptl: H265ProfileTierLevel, sampleEntry: 'hvc1' | 'hev1' = 'hvc1'): string {
  const space = ['', 'A', 'B', 'C'][ptl.generalProfileSpace] ?? '';
  const compat = reverseBits32(ptl.generalProfileCompatibilityFlags).toString(16).toUpperCase();
  const tier = ptl.generalTierFlag ? 'H' : 'L';
  const bytes = Array.from(ptl.generalConstraintIndicatorFlags);
  while (bytes.length > 0 && bytes[bytes.length - 1] === 0) bytes.pop();
  const constraints = bytes.map((b) => '.' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
  return `${sampleEntry}.${space}${ptl.generalProfileIdc}.${compat}.${tier}${ptl.generalLevelIdc}${constraints}`;
}
