// Filler data that lifts the small fixture clips to a camera-like byte rate without bigger fixtures:
// H.264 filler data NAL units (nal_unit_type 12, ITU-T H.264 §7.3.2.7/§7.4.2.7) and H.265 FD_NUT
// (type 38, ITU-T H.265 §7.3.2.8), 0xFF bytes ended by rbsp_trailing_bits (0x80). Both standards
// require them after the first VCL NAL unit of the access unit (H.264 §7.4.1.2.3, H.265
// §7.4.2.4.4), so they go last; decoders discard them.
import { MediaError } from '@argus/media';
import type { VideoCodecName } from '../camera/camera-device.js';
import { ERR_SIM_OPTIONS } from '../simulator-errors.js';

/** Bytes counted per NAL unit besides its own: a 4-byte length prefix (MP4) or start code (Annex B). */
export const NAL_PREFIX_BYTES = 4;

const H264_FILLER_TYPE = 12;
const H265_FD_NUT = 38;

/** Size of an access unit as a recorder stores it: every NAL unit plus its 4-byte prefix. */
export function accessUnitBytes(nalus: readonly Uint8Array[]): number {
  let n = 0;
  for (const nal of nalus) n += NAL_PREFIX_BYTES + nal.length;
  return n;
}

/** Smallest filler NAL unit: the NAL header(s) and the trailing-bits byte, no 0xFF bytes. */
export function minFillerNalBytes(codec: VideoCodecName): number {
  return codec === 'h264' ? 2 : 3;
}

function checkFillerBytes(codec: VideoCodecName, nalBytes: number): void {
  const min = minFillerNalBytes(codec);
  if (!Number.isInteger(nalBytes) || nalBytes < min) {
    throw new MediaError(ERR_SIM_OPTIONS, `a ${codec} filler NAL unit needs at least ${min} bytes`);
  }
}

/**
 * H.264: nal_ref_idc 0 (required for type 12, §7.4.1). H.265: nuh_layer_id 0 and the access
 * unit's nuh_temporal_id_plus1 (§7.4.2.2).
 */
function writeFillerHeader(codec: VideoCodecName, nal: Uint8Array, temporalIdPlus1: number): void {
  if (codec === 'h264') {
    nal[0] = H264_FILLER_TYPE;
  } else {
    nal[0] = H265_FD_NUT << 1;
    nal[1] = temporalIdPlus1 & 7;
  }
}

/** A filler NAL unit of exactly nalBytes bytes. */
export function fillerNalu(codec: VideoCodecName, nalBytes: number, temporalIdPlus1 = 1): Uint8Array {
  checkFillerBytes(codec, nalBytes);
  const nal = new Uint8Array(nalBytes).fill(0xff);
  writeFillerHeader(codec, nal, temporalIdPlus1);
  nal[nalBytes - 1] = 0x80;
  return nal;
}

/**
 * Filler NAL units as views of one reused buffer, each valid until the next call: the packetizer
 * copies them into packets, so a clip's ~30 MB of filler never exists as separate arrays.
 */
export class FillerNalBuffer {
  private buffer = new Uint8Array(0);
  /** Where the current unit's trailing 0x80 is; -1 = none. */
  private endIndex = -1;

  constructor(private readonly codec: VideoCodecName) {}

  nal(nalBytes: number, temporalIdPlus1 = 1): Uint8Array {
    checkFillerBytes(this.codec, nalBytes);
    if (nalBytes > this.buffer.length) {
      this.buffer = new Uint8Array(Math.max(nalBytes, 2 * this.buffer.length)).fill(0xff);
    } else if (this.endIndex >= 0) {
      this.buffer[this.endIndex] = 0xff;
    }
    writeFillerHeader(this.codec, this.buffer, temporalIdPlus1);
    this.endIndex = nalBytes - 1;
    this.buffer[this.endIndex] = 0x80;
    return this.buffer.subarray(0, nalBytes);
  }
}

/** nuh_temporal_id_plus1 of the first VCL NAL unit (types 0..31) of an H.265 access unit, else 1. */
export function h265TemporalIdPlus1(nalus: readonly Uint8Array[]): number {
  for (const nal of nalus) {
    if (nal.length >= 2 && ((nal[0]! >> 1) & 0x3f) < 32) return nal[1]! & 7 || 1;
  }
  return 1;
}

/** Target bytes per frame for a bitrate: kbit/s × frame duration. */
export function targetBytesPerFrame(bitrateKbps: number, frameMs: number): number {
  return Math.floor((bitrateKbps * frameMs) / 8);
}

export interface FrameSize {
  sizeBytes: number;
  isKey: boolean;
}

/**
 * Filler bytes (each including its 4-byte prefix; 0 = none) per frame so that every GOP averages
 * targetBytes per frame: each frame is padded up to the running GOP budget (frame i of the GOP
 * brings the GOP total to (i+1)·targetBytes), so a keyframe above the target is paid back by the
 * next frames, like a CBR encoder draining its buffer. Pads smaller than minPadBytes are skipped.
 */
export function planPadding(
  frames: readonly FrameSize[],
  targetBytes: number,
  minPadBytes: number,
): number[] {
  const pads: number[] = [];
  let gopFrames = 0;
  let gopBytes = 0;
  for (const frame of frames) {
    if (frame.isKey) {
      gopFrames = 0;
      gopBytes = 0;
    }
    gopFrames++;
    const want = gopFrames * targetBytes - gopBytes - frame.sizeBytes;
    const pad = targetBytes > 0 && want >= minPadBytes ? want : 0;
    pads.push(pad);
    gopBytes += frame.sizeBytes + pad;
  }
  return pads;
}
