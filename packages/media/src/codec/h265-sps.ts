// H.265 SPS (ITU-T H.265 §7.3.2.2.1) and VPS (§7.3.2.1): picture size after the conformance window,
// profile_tier_level fields named as hvcC needs them, chroma/bit depth, and VUI frame-rate hints.
import { MediaError } from '../media-error.js';
import { BitReader, ERR_CODEC_BITSTREAM, removeEmulationPrevention } from './bit-reader.js';
import { readVuiAspectAndTiming } from './h264-sps.js';
import {
  hevcCodecString,
  readProfileTierLevel,
  type H265ProfileTierLevel,
} from './h265-profile-tier-level.js';

export const H265_NAL_VPS = 32;
export const H265_NAL_SPS = 33;
export const H265_NAL_PPS = 34;

export interface H265Sps extends H265ProfileTierLevel {
  videoParameterSetId: number;
  maxSubLayersMinus1: number;
  temporalIdNesting: boolean;
  seqParameterSetId: number;
  chromaFormatIdc: number;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
  /** Coded luma size before cropping. */
  picWidthInLumaSamples: number;
  picHeightInLumaSamples: number;
  /** Luma size after the conformance window. */
  width: number;
  height: number;
  sarWidth?: number;
  sarHeight?: number;
  /** VUI timing: frame rate = timeScale / numUnitsInTick. */
  numUnitsInTick?: number;
  timeScale?: number;
  frameRate?: number;
  /** RFC 6381 codec string for an `hvc1` sample entry. */
  codecString: string;
}

export interface H265Vps extends H265ProfileTierLevel {
  videoParameterSetId: number;
  maxSubLayersMinus1: number;
  temporalIdNesting: boolean;
  numUnitsInTick?: number;
  timeScale?: number;
}

function nalType(nal: Uint8Array): number {
  return (nal[0]! >> 1) & 0x3f;
}

function rbspReader(nal: Uint8Array, expectedType: number, what: string): BitReader {
  if (nal.length < 4 || nalType(nal) !== expectedType) {
    throw new MediaError(ERR_CODEC_BITSTREAM, `not an H.265 ${what} NAL unit`);
  }
  return new BitReader(removeEmulationPrevention(nal.subarray(2)));
}

function skipScalingListData(r: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.readFlag()) {
        r.readUe(); // scaling_list_pred_matrix_id_delta
      } else {
        const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
        if (sizeId > 1) r.readSe(); // scaling_list_dc_coef_minus8
        for (let i = 0; i < coefNum; i++) r.readSe();
      }
    }
  }
}

/** st_ref_pic_set() (§7.3.7); returns NumDeltaPocs of the set so later sets can predict from it. */
function skipShortTermRefPicSet(r: BitReader, idx: number, numDeltaPocs: number[]): number {
  if (idx !== 0 && r.readFlag()) {
    // inter_ref_pic_set_prediction_flag: in an SPS the reference is always the previous set.
    r.skipBits(1); // delta_rps_sign
    r.readUe(); // abs_delta_rps_minus1
    const refCount = numDeltaPocs[idx - 1] ?? 0;
    let count = 0;
    for (let j = 0; j <= refCount; j++) {
      const used = r.readFlag();
      const useDelta = used ? true : r.readFlag();
      if (used || useDelta) count++;
    }
    return count;
  }
  const negative = r.readUeMax(16, 'num_negative_pics');
  const positive = r.readUeMax(16, 'num_positive_pics');
  for (let i = 0; i < negative + positive; i++) {
    r.readUe(); // delta_poc_sX_minus1
    r.skipBits(1); // used_by_curr_pic_sX_flag
  }
  return negative + positive;
}

/** Parses an H.265 SPS NAL unit (with its 2-byte header). Throws MediaError on malformed input. */
export function parseH265Sps(nal: Uint8Array): H265Sps {
  const r = rbspReader(nal, H265_NAL_SPS, 'SPS');
  const videoParameterSetId = r.readBits(4);
  const maxSubLayersMinus1 = r.readBits(3);
  if (maxSubLayersMinus1 > 6)
    throw new MediaError(ERR_CODEC_BITSTREAM, 'sps_max_sub_layers_minus1 exceeds 6');
  const temporalIdNesting = r.readFlag();
  const ptl = readProfileTierLevel(r, maxSubLayersMinus1);
  const seqParameterSetId = r.readUeMax(15, 'sps_seq_parameter_set_id');
  const chromaFormatIdc = r.readUeMax(3, 'chroma_format_idc');
  let separateColourPlane = false;
  if (chromaFormatIdc === 3) separateColourPlane = r.readFlag();
  const picWidthInLumaSamples = r.readUeMax(65535, 'pic_width_in_luma_samples');
  const picHeightInLumaSamples = r.readUeMax(65535, 'pic_height_in_luma_samples');
  let win = [0, 0, 0, 0];
  if (r.readFlag()) win = [r.readUe(), r.readUe(), r.readUe(), r.readUe()];
  const bitDepthLumaMinus8 = r.readUeMax(8, 'bit_depth_luma_minus8');
  const bitDepthChromaMinus8 = r.readUeMax(8, 'bit_depth_chroma_minus8');
  // §7.4.3.2.1: conformance window offsets are in chroma sample units.
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const width = picWidthInLumaSamples - subWidthC * (win[0]! + win[1]!);
  const height = picHeightInLumaSamples - subHeightC * (win[2]! + win[3]!);
  if (width <= 0 || height <= 0)
    throw new MediaError(ERR_CODEC_BITSTREAM, 'SPS conformance window exceeds picture');
  const sps: H265Sps = {
    ...ptl,
    videoParameterSetId,
    maxSubLayersMinus1,
    temporalIdNesting,
    seqParameterSetId,
    chromaFormatIdc,
    bitDepthLumaMinus8,
    bitDepthChromaMinus8,
    picWidthInLumaSamples,
    picHeightInLumaSamples,
    width,
    height,
    codecString: hevcCodecString(ptl),
  };
  try {
    readSpsTail(r, maxSubLayersMinus1, sps);
  } catch (err) {
    // The tail only carries hints (SAR, frame rate); a truncated or exotic tail keeps the rest.
    if (!(err instanceof MediaError)) throw err;
  }
  return sps;
}

function readSpsTail(r: BitReader, maxSubLayersMinus1: number, sps: H265Sps): void {
  const log2MaxPocLsb = r.readUeMax(12, 'log2_max_pic_order_cnt_lsb_minus4') + 4;
  const orderingInfoPresent = r.readFlag();
  for (let i = orderingInfoPresent ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    r.readUe();
    r.readUe();
    r.readUe();
  }
  for (let i = 0; i < 6; i++) r.readUe(); // coding/transform block sizes, hierarchy depths
  if (r.readFlag() && r.readFlag()) skipScalingListData(r);
  r.skipBits(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
  if (r.readFlag()) {
    r.skipBits(8); // pcm sample bit depths
    r.readUe();
    r.readUe();
    r.skipBits(1);
  }
  const numSets = r.readUeMax(64, 'num_short_term_ref_pic_sets');
  const numDeltaPocs: number[] = [];
  for (let i = 0; i < numSets; i++) numDeltaPocs.push(skipShortTermRefPicSet(r, i, numDeltaPocs));
  if (r.readFlag()) {
    const numLongTerm = r.readUeMax(32, 'num_long_term_ref_pics_sps');
    for (let i = 0; i < numLongTerm; i++) r.skipBits(log2MaxPocLsb + 1);
  }
  r.skipBits(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
  if (!r.readFlag()) return;
  const vui = readVuiAspectAndTiming(r, true);
  if (vui.sar) [sps.sarWidth, sps.sarHeight] = vui.sar;
  if (vui.timing && vui.timing.numUnitsInTick > 0 && vui.timing.timeScale > 0) {
    sps.numUnitsInTick = vui.timing.numUnitsInTick;
    sps.timeScale = vui.timing.timeScale;
    sps.frameRate = vui.timing.timeScale / vui.timing.numUnitsInTick;
  }
}

/** Parses an H.265 VPS NAL unit: profile/tier/level and the optional timing info. */
export function parseH265Vps(nal: Uint8Array): H265Vps {
  const r = rbspReader(nal, H265_NAL_VPS, 'VPS');
  const videoParameterSetId = r.readBits(4);
  r.skipBits(8); // base_layer_internal, base_layer_available, max_layers_minus1
  const maxSubLayersMinus1 = r.readBits(3);
  if (maxSubLayersMinus1 > 6)
    throw new MediaError(ERR_CODEC_BITSTREAM, 'vps_max_sub_layers_minus1 exceeds 6');
  const temporalIdNesting = r.readFlag();
  r.skipBits(16); // vps_reserved_0xffff_16bits
  const ptl = readProfileTierLevel(r, maxSubLayersMinus1);
  const vps: H265Vps = { ...ptl, videoParameterSetId, maxSubLayersMinus1, temporalIdNesting };
  try {
    const orderingInfoPresent = r.readFlag();
    for (let i = orderingInfoPresent ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
      r.readUe();
      r.readUe();
      r.readUe();
    }
    const maxLayerId = r.readBits(6);
    const numLayerSets = r.readUeMax(1023, 'vps_num_layer_sets_minus1') + 1;
    r.skipBits((numLayerSets - 1) * (maxLayerId + 1));
    if (r.readFlag()) {
      const numUnitsInTick = r.readBits(32);
      const timeScale = r.readBits(32);
      if (numUnitsInTick > 0 && timeScale > 0) Object.assign(vps, { numUnitsInTick, timeScale });
    }
  } catch (err) {
    if (!(err instanceof MediaError)) throw err;
  }
  return vps;
}
