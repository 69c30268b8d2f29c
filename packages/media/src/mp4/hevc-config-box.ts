// hvcC, the HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1.2): written from the
// profile/tier/level fields another module parsed from the SPS, and parsed back field by field so
// a read file rewrites to identical bytes.
import { ByteReader } from '../bytes/byte-reader.js';
import type { ByteWriter } from '../bytes/byte-writer.js';
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';
import { ARGUS_ERR_MP4_BAD_CONFIG } from './mp4-error-codes.js';
import type { H265TrackConfig, HevcConfigFields } from './mp4-track-config.js';

const NAL_VPS = 32;
const NAL_SPS = 33;
const NAL_PPS = 34;
const NAL_PREFIX_SEI = 39;

function bad(msg: string): MediaError {
  return new MediaError(ARGUS_ERR_MP4_BAD_CONFIG, msg);
}

/** Writes the hvcC box with 4-byte NAL lengths; VPS/SPS/PPS arrays are marked complete (hvc1). */
export function writeHvcCBox(w: ByteWriter, config: H265TrackConfig): void {
  const h = config.hevc;
  if (config.vps.length === 0 || config.sps.length === 0 || config.pps.length === 0) {
    throw bad('H.265 track needs VPS, SPS and PPS');
  }
  if (h.generalConstraintIndicatorFlags.length !== 6) {
    throw bad('generalConstraintIndicatorFlags must be 6 bytes');
  }
  const box = w.startBox('hvcC');
  w.u8(1);
  w.u8(((h.generalProfileSpace & 3) << 6) | ((h.generalTierFlag & 1) << 5) | (h.generalProfileIdc & 0x1f));
  w.u32(h.generalProfileCompatibilityFlags >>> 0);
  w.bytes(h.generalConstraintIndicatorFlags);
  w.u8(h.generalLevelIdc & 0xff);
  w.u16(0xf000 | ((h.minSpatialSegmentationIdc ?? 0) & 0x0fff));
  w.u8(0xfc | ((h.parallelismType ?? 0) & 3));
  w.u8(0xfc | (h.chromaFormatIdc & 3));
  w.u8(0xf8 | (h.bitDepthLumaMinus8 & 7));
  w.u8(0xf8 | (h.bitDepthChromaMinus8 & 7));
  w.u16((h.avgFrameRate ?? 0) & 0xffff);
  const layers = (h.numTemporalLayers ?? 1) & 7;
  const nested = (h.temporalIdNested ?? 1) & 1;
  w.u8((((h.constantFrameRate ?? 0) & 3) << 6) | (layers << 3) | (nested << 2) | 3);
  const arrays: Array<[number, boolean, readonly Uint8Array[]]> = [
    [NAL_VPS, true, config.vps],
    [NAL_SPS, true, config.sps],
    [NAL_PPS, true, config.pps],
  ];
  if (config.sei !== undefined && config.sei.length > 0) arrays.push([NAL_PREFIX_SEI, false, config.sei]);
  w.u8(arrays.length);
  for (const [type, complete, nalus] of arrays) {
    if (nalus.length > 0xffff) throw bad('too many NAL units in an hvcC array');
    w.u8((complete ? 0x80 : 0) | type).u16(nalus.length);
    for (const n of nalus) w.u16(n.length).bytes(n);
  }
  w.endBox(box);
}

export interface ParsedHvcC {
  hevc: HevcConfigFields;
  vps: Uint8Array[];
  sps: Uint8Array[];
  pps: Uint8Array[];
  sei: Uint8Array[];
  nalLengthSize: number;
}

/** Parses an hvcC payload (after the box header). NAL units are views into the input. */
export function parseHvcC(payload: Uint8Array): ParsedHvcC {
  const r = new ByteReader(payload, 0, payload.length, ARGUS_ERR_MP4_MALFORMED);
  const version = r.u8();
  if (version !== 1) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `hvcC version ${version}`);
  const ptl = r.u8();
  const generalProfileCompatibilityFlags = r.u32();
  const generalConstraintIndicatorFlags = r.bytesView(6);
  const generalLevelIdc = r.u8();
  const minSpatialSegmentationIdc = r.u16() & 0x0fff;
  const parallelismType = r.u8() & 3;
  const chromaFormatIdc = r.u8() & 3;
  const bitDepthLumaMinus8 = r.u8() & 7;
  const bitDepthChromaMinus8 = r.u8() & 7;
  const avgFrameRate = r.u16();
  const b = r.u8();
  const hevc: HevcConfigFields = {
    generalProfileSpace: ptl >> 6,
    generalTierFlag: (ptl >> 5) & 1,
    generalProfileIdc: ptl & 0x1f,
    generalProfileCompatibilityFlags,
    generalConstraintIndicatorFlags,
    generalLevelIdc,
    chromaFormatIdc,
    bitDepthLumaMinus8,
    bitDepthChromaMinus8,
    minSpatialSegmentationIdc,
    parallelismType,
    avgFrameRate,
    constantFrameRate: b >> 6,
    numTemporalLayers: (b >> 3) & 7,
    temporalIdNested: (b >> 2) & 1,
  };
  const out: ParsedHvcC = { hevc, vps: [], sps: [], pps: [], sei: [], nalLengthSize: (b & 3) + 1 };
  const numArrays = r.u8();
  for (let i = 0; i < numArrays; i++) {
    const type = r.u8() & 0x3f;
    const count = r.u16();
    r.ensure(count * 2, 'hvcC array');
    const list =
      type === NAL_VPS
        ? out.vps
        : type === NAL_SPS
          ? out.sps
          : type === NAL_PPS
            ? out.pps
            : type === NAL_PREFIX_SEI
              ? out.sei
              : undefined;
    for (let j = 0; j < count; j++) {
      const nalu = r.bytesView(r.u16());
      list?.push(nalu);
    }
  }
  return out;
}
