// H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1, VUI §E.1.1): picture size after cropping,
// profile/level, chroma format and bit depth, frame-rate hint, and the RFC 6381 `avc1.PPCCLL` string.
import { MediaError } from '../media-error.js';
import { BitReader, ERR_CODEC_BITSTREAM, removeEmulationPrevention } from './bit-reader.js';

export const H264_NAL_SPS = 7;
export const H264_NAL_PPS = 8;

export interface H264Sps {
  profileIdc: number;
  /** The byte holding constraint_set0..5 flags and two reserved bits, as in avcC. */
  constraintFlags: number;
  levelIdc: number;
  seqParameterSetId: number;
  chromaFormatIdc: number;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
  frameMbsOnly: boolean;
  /** Luma width and height in pixels after the cropping window. */
  width: number;
  height: number;
  /** Sample aspect ratio from VUI, when signalled. */
  sarWidth?: number;
  sarHeight?: number;
  /** VUI timing: frame rate = timeScale / (2 * numUnitsInTick) for frame-coded video. */
  numUnitsInTick?: number;
  timeScale?: number;
  fixedFrameRate?: boolean;
  frameRate?: number;
  /** RFC 6381 codec string, e.g. `avc1.64001F`. */
  codecString: string;
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Table E-1 sample aspect ratios indexed by aspect_ratio_idc. */
// prettier-ignore
const SAR_TABLE: readonly (readonly [number, number])[] = [
  [0, 0], [1, 1], [12, 11], [10, 11], [16, 11], [40, 33], [24, 11], [20, 11], [32, 11],
  [80, 33], [18, 11], [15, 11], [64, 33], [160, 99], [4, 3], [3, 2], [2, 1],
];

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

export function avcCodecString(profileIdc: number, constraintFlags: number, levelIdc: number): string {
  return `avc1.${hex2(profileIdc)}${hex2(constraintFlags)}${hex2(levelIdc)}`;
}

function skipScalingList(r: BitReader, size: number): void {
  let lastScale = 8;
  let nextScale = 8;
  for (let j = 0; j < size; j++) {
    if (nextScale !== 0) {
      const delta = r.readSe();
      nextScale = (((lastScale + delta + 256) % 256) + 256) % 256;
    }
    lastScale = nextScale === 0 ? lastScale : nextScale;
  }
}

/** Reads the start of VUI up to the timing info (the part that carries SAR and frame rate). */
export function readVuiAspectAndTiming(
  r: BitReader,
  hevc: boolean,
): {
  sar?: readonly [number, number];
  timing?: { numUnitsInTick: number; timeScale: number; fixed?: boolean };
} {
  const out: ReturnType<typeof readVuiAspectAndTiming> = {};
  if (r.readFlag()) {
    const idc = r.readBits(8);
    if (idc === 255) out.sar = [r.readBits(16), r.readBits(16)];
    else if (idc > 0 && idc < SAR_TABLE.length) out.sar = SAR_TABLE[idc]!;
  }
  if (r.readFlag()) r.skipBits(1); // overscan_appropriate_flag
  if (r.readFlag()) {
    r.skipBits(4); // video_format, video_full_range_flag
    if (r.readFlag()) r.skipBits(24); // colour_primaries, transfer_characteristics, matrix_coeffs
  }
  if (r.readFlag()) {
    r.readUe();
    r.readUe();
  }
  if (hevc) {
    r.skipBits(3); // neutral_chroma_indication, field_seq, frame_field_info_present
    if (r.readFlag()) {
      for (let i = 0; i < 4; i++) r.readUe(); // default display window offsets
    }
  }
  if (r.readFlag()) {
    const numUnitsInTick = r.readBits(32);
    const timeScale = r.readBits(32);
    out.timing = { numUnitsInTick, timeScale };
    if (!hevc) out.timing.fixed = r.readFlag();
  }
  return out;
}

/** Parses an SPS NAL unit (with its 1-byte header). Throws MediaError on malformed input. */
export function parseH264Sps(nal: Uint8Array): H264Sps {
  if (nal.length < 4 || (nal[0]! & 0x1f) !== H264_NAL_SPS) {
    throw new MediaError(ERR_CODEC_BITSTREAM, 'not an H.264 SPS NAL unit');
  }
  const r = new BitReader(removeEmulationPrevention(nal.subarray(1)));
  const profileIdc = r.readBits(8);
  const constraintFlags = r.readBits(8);
  const levelIdc = r.readBits(8);
  const seqParameterSetId = r.readUeMax(31, 'seq_parameter_set_id');
  let chromaFormatIdc = 1;
  let separateColourPlane = false;
  let bitDepthLumaMinus8 = 0;
  let bitDepthChromaMinus8 = 0;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.readUeMax(3, 'chroma_format_idc');
    if (chromaFormatIdc === 3) separateColourPlane = r.readFlag();
    bitDepthLumaMinus8 = r.readUeMax(6, 'bit_depth_luma_minus8');
    bitDepthChromaMinus8 = r.readUeMax(6, 'bit_depth_chroma_minus8');
    r.skipBits(1); // qpprime_y_zero_transform_bypass_flag
    if (r.readFlag()) {
      const lists = chromaFormatIdc !== 3 ? 8 : 12;
      for (let i = 0; i < lists; i++) if (r.readFlag()) skipScalingList(r, i < 6 ? 16 : 64);
    }
  }
  r.readUeMax(12, 'log2_max_frame_num_minus4');
  const pocType = r.readUeMax(2, 'pic_order_cnt_type');
  if (pocType === 0) {
    r.readUeMax(12, 'log2_max_pic_order_cnt_lsb_minus4');
  } else if (pocType === 1) {
    r.skipBits(1);
    r.readSe();
    r.readSe();
    const cycle = r.readUeMax(255, 'num_ref_frames_in_pic_order_cnt_cycle');
    for (let i = 0; i < cycle; i++) r.readSe();
  }
  r.readUe(); // max_num_ref_frames
  r.skipBits(1); // gaps_in_frame_num_value_allowed_flag
  const widthMbs = r.readUeMax(4095, 'pic_width_in_mbs_minus1') + 1;
  const heightMapUnits = r.readUeMax(4095, 'pic_height_in_map_units_minus1') + 1;
  const frameMbsOnly = r.readFlag();
  if (!frameMbsOnly) r.skipBits(1); // mb_adaptive_frame_field_flag
  r.skipBits(1); // direct_8x8_inference_flag
  let crop = [0, 0, 0, 0];
  if (r.readFlag()) crop = [r.readUe(), r.readUe(), r.readUe(), r.readUe()];
  // §7.4.2.1.1: crop units depend on ChromaArrayType and field coding.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaFormatIdc === 3 ? 1 : 2;
  const subHeightC = chromaFormatIdc === 1 ? 2 : 1;
  const fieldFactor = frameMbsOnly ? 1 : 2;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = chromaArrayType === 0 ? fieldFactor : subHeightC * fieldFactor;
  const width = widthMbs * 16 - cropUnitX * (crop[0]! + crop[1]!);
  const height = fieldFactor * heightMapUnits * 16 - cropUnitY * (crop[2]! + crop[3]!);
  if (width <= 0 || height <= 0)
    throw new MediaError(ERR_CODEC_BITSTREAM, 'SPS cropping exceeds picture size');
  const sps: H264Sps = {
    profileIdc,
    constraintFlags,
    levelIdc,
    seqParameterSetId,
    chromaFormatIdc,
    bitDepthLumaMinus8,
    bitDepthChromaMinus8,
    frameMbsOnly,
    width,
    height,
    codecString: avcCodecString(profileIdc, constraintFlags, levelIdc),
  };
  if (r.bitsLeft > 0 && r.readFlag()) {
    // A truncated VUI (seen in some cameras) loses only the hints, not the SPS.
    try {
      const vui = readVuiAspectAndTiming(r, false);
      if (vui.sar) [sps.sarWidth, sps.sarHeight] = vui.sar;
      if (vui.timing && vui.timing.numUnitsInTick > 0 && vui.timing.timeScale > 0) {
        sps.numUnitsInTick = vui.timing.numUnitsInTick;
        sps.timeScale = vui.timing.timeScale;
        sps.fixedFrameRate = vui.timing.fixed ?? false;
        sps.frameRate = vui.timing.timeScale / (2 * vui.timing.numUnitsInTick);
      }
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
    }
  }
  return sps;
}
