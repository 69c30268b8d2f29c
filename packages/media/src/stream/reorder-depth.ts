// How many pictures a decoder may hold back before output (the B-frame reorder depth), read from the
// SPS: H.264 VUI max_num_reorder_frames (ITU-T H.264 §E.1.1, inferred per §E.2.1 for intra and
// baseline profiles) and H.265 sps_max_num_reorder_pics (ITU-T H.265 §7.3.2.2.1). RTP carries no
// decode times, so this depth is what lets us derive a monotonic DTS. (Belongs next to codec/*-sps.)
import { MediaError } from '../media-error.js';
import {
  BitReader,
  readProfileTierLevel,
  readVuiAspectAndTiming,
  removeEmulationPrevention,
} from '../codec/index.js';

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);
/** §E.2.1: max_num_reorder_frames is inferred as 0 for these intra-only profiles with constraint_set3. */
const INTRA_PROFILES = new Set([44, 86, 100, 110, 122, 244]);
const BASELINE_PROFILE = 66;

function skipScalingList(r: BitReader, size: number): void {
  let lastScale = 8;
  let nextScale = 8;
  for (let j = 0; j < size; j++) {
    if (nextScale !== 0) nextScale = (((lastScale + r.readSe() + 256) % 256) + 256) % 256;
    lastScale = nextScale === 0 ? lastScale : nextScale;
  }
}

/** hrd_parameters() (§E.1.2). */
function skipHrd(r: BitReader): void {
  const cpbCount = r.readUeMax(31, 'cpb_cnt_minus1') + 1;
  r.skipBits(8); // bit_rate_scale, cpb_size_scale
  for (let i = 0; i < cpbCount; i++) {
    r.readUe();
    r.readUe();
    r.skipBits(1);
  }
  r.skipBits(20); // four 5-bit delay/offset lengths
}

/**
 * Reorder depth of an H.264 SPS (NAL header included), or undefined when the SPS does not say and
 * the profile allows B-frames. Never throws: a malformed SPS gives undefined.
 */
export function h264ReorderDepth(sps: Uint8Array): number | undefined {
  try {
    if (sps.length < 4 || (sps[0]! & 0x1f) !== 7) return undefined;
    const r = new BitReader(removeEmulationPrevention(sps.subarray(1)));
    const profileIdc = r.readBits(8);
    const constraintFlags = r.readBits(8);
    r.skipBits(8); // level_idc
    if (profileIdc === BASELINE_PROFILE) return 0; // no B slices in (constrained) baseline
    if (INTRA_PROFILES.has(profileIdc) && (constraintFlags & 0x10) !== 0) return 0;
    r.readUe(); // seq_parameter_set_id
    if (HIGH_PROFILES.has(profileIdc)) {
      const chroma = r.readUeMax(3, 'chroma_format_idc');
      if (chroma === 3) r.skipBits(1);
      r.readUe();
      r.readUe();
      r.skipBits(1);
      if (r.readFlag()) {
        for (let i = 0; i < (chroma !== 3 ? 8 : 12); i++)
          if (r.readFlag()) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
    r.readUe(); // log2_max_frame_num_minus4
    const pocType = r.readUeMax(2, 'pic_order_cnt_type');
    if (pocType === 0) r.readUe();
    else if (pocType === 1) {
      r.skipBits(1);
      r.readSe();
      r.readSe();
      const cycle = r.readUeMax(255, 'num_ref_frames_in_pic_order_cnt_cycle');
      for (let i = 0; i < cycle; i++) r.readSe();
    }
    // §8.2.1: with POC type 2 output order equals decode order.
    if (pocType === 2) return 0;
    r.readUe(); // max_num_ref_frames
    r.skipBits(1);
    r.readUe();
    r.readUe();
    if (!r.readFlag()) r.skipBits(1); // frame_mbs_only_flag, mb_adaptive_frame_field_flag
    r.skipBits(1);
    if (r.readFlag()) for (let i = 0; i < 4; i++) r.readUe(); // frame cropping
    if (!r.readFlag()) return undefined; // no VUI
    readVuiAspectAndTiming(r, false);
    const nalHrd = r.readFlag();
    if (nalHrd) skipHrd(r);
    const vclHrd = r.readFlag();
    if (vclHrd) skipHrd(r);
    if (nalHrd || vclHrd) r.skipBits(1); // low_delay_hrd_flag
    r.skipBits(1); // pic_struct_present_flag
    if (!r.readFlag()) return undefined; // bitstream_restriction_flag
    r.skipBits(1);
    for (let i = 0; i < 4; i++) r.readUe();
    return r.readUeMax(16, 'max_num_reorder_frames');
  } catch (err) {
    if (err instanceof MediaError) return undefined;
    throw err;
  }
}

/** sps_max_num_reorder_pics of the highest sub-layer of an H.265 SPS (NAL header included). */
export function h265ReorderDepth(sps: Uint8Array): number | undefined {
  try {
    if (sps.length < 4 || ((sps[0]! >> 1) & 0x3f) !== 33) return undefined;
    const r = new BitReader(removeEmulationPrevention(sps.subarray(2)));
    r.skipBits(4); // sps_video_parameter_set_id
    const maxSubLayersMinus1 = r.readBits(3);
    if (maxSubLayersMinus1 > 6) return undefined;
    r.skipBits(1);
    readProfileTierLevel(r, maxSubLayersMinus1);
    r.readUe(); // sps_seq_parameter_set_id
    if (r.readUeMax(3, 'chroma_format_idc') === 3) r.skipBits(1);
    r.readUe();
    r.readUe();
    if (r.readFlag()) for (let i = 0; i < 4; i++) r.readUe(); // conformance window
    r.readUe();
    r.readUe();
    r.readUe(); // bit depths, log2_max_pic_order_cnt_lsb_minus4
    const allLayers = r.readFlag(); // sps_sub_layer_ordering_info_present_flag
    let reorder = 0;
    for (let i = allLayers ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
      r.readUe(); // sps_max_dec_pic_buffering_minus1
      reorder = r.readUeMax(16, 'sps_max_num_reorder_pics');
      r.readUe(); // sps_max_latency_increase_plus1
    }
    return reorder;
  } catch (err) {
    if (err instanceof MediaError) return undefined;
    throw err;
  }
}
