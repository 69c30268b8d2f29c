// MP4 track configurations and display info of received tracks: video from the parameter sets of a
// key access unit (SDP sprop-* or in-band, RFC 6184 §8.1 / RFC 7798 §7.1), audio from the SDP
// (RFC 3640 `config=`, RFC 3551 static G.711). Parameter sets that change mid-stream are detected.
import type { AccessUnit } from '../access-unit.js';
import {
  aacCodecString,
  fmtpValue,
  H264_NAL_PPS,
  H264_NAL_SPS,
  H265_NAL_PPS,
  H265_NAL_SPS,
  H265_NAL_VPS,
  parseAacConfig,
  parseH264Sps,
  parseH265Sps,
  type TrackCodecDescription,
} from '../codec/index.js';
import { MediaError } from '../media-error.js';
import type { AudioTrackConfig, H264TrackConfig, H265TrackConfig, VideoTrackConfig } from '../mp4/index.js';
import { ERR_STREAM_TRACK_CONFIG } from './stream-errors.js';

export type StreamCodec = AccessUnit['codec'];

/** What a received track is, for display and for choosing what to record. */
export interface StreamTrackInfo {
  kind: 'video' | 'audio';
  codec: StreamCodec;
  /** RFC 6381 codec string (`avc1.*`, `hvc1.*`, `mp4a.40.*`, `ulaw`, `alaw`); '' until known. */
  codecString: string;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  /** Frame rate the SPS VUI or the SDP announces (the measured rate is in the track stats). */
  frameRate?: number;
  /** RTP clock rate (90000 for video). */
  clockRate: number;
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

const h264Type = (nal: Uint8Array): number => nal[0]! & 0x1f;
const h265Type = (nal: Uint8Array): number => (nal[0]! >> 1) & 0x3f;

/** The NAL type of a parameter set of `codec`, or -1 when the unit is not one. */
export function parameterSetType(codec: 'h264' | 'h265', nal: Uint8Array): number {
  if (nal.length === 0) return -1;
  if (codec === 'h264') {
    const t = h264Type(nal);
    return t === H264_NAL_SPS || t === H264_NAL_PPS ? t : -1;
  }
  const t = h265Type(nal);
  return t === H265_NAL_VPS || t === H265_NAL_SPS || t === H265_NAL_PPS ? t : -1;
}

function firstOfType(nalus: readonly Uint8Array[], type: (n: Uint8Array) => number, want: number) {
  for (const nal of nalus) if (nal.length > 0 && type(nal) === want) return nal;
  return undefined;
}

const copy = (nal: Uint8Array): Uint8Array => Uint8Array.from(nal);

/**
 * Builds the MP4 configuration from the parameter sets of a key access unit (the depacketizer puts
 * the SDP or last in-band sets in front of every key picture). Throws ARGUS_ERR_STREAM_TRACK_CONFIG
 * when a set is missing or the SPS does not parse. The sets are copied (the unit's are views).
 */
export function videoTrackConfig(codec: 'h264' | 'h265', nalus: readonly Uint8Array[]): VideoTrackConfig {
  try {
    if (codec === 'h264') {
      const sps = firstOfType(nalus, h264Type, H264_NAL_SPS);
      const pps = firstOfType(nalus, h264Type, H264_NAL_PPS);
      if (!sps || !pps) throw new MediaError(ERR_STREAM_TRACK_CONFIG, 'H.264 key picture without SPS/PPS');
      const parsed = parseH264Sps(sps);
      const config: H264TrackConfig = {
        codec: 'h264',
        sps: [copy(sps)],
        pps: [copy(pps)],
        width: parsed.width,
        height: parsed.height,
      };
      return config;
    }
    const vps = firstOfType(nalus, h265Type, H265_NAL_VPS);
    const sps = firstOfType(nalus, h265Type, H265_NAL_SPS);
    const pps = firstOfType(nalus, h265Type, H265_NAL_PPS);
    if (!vps || !sps || !pps)
      throw new MediaError(ERR_STREAM_TRACK_CONFIG, 'H.265 key picture without VPS/SPS/PPS');
    const p = parseH265Sps(sps);
    const config: H265TrackConfig = {
      codec: 'h265',
      vps: [copy(vps)],
      sps: [copy(sps)],
      pps: [copy(pps)],
      width: p.width,
      height: p.height,
      hevc: {
        generalProfileSpace: p.generalProfileSpace,
        generalTierFlag: p.generalTierFlag,
        generalProfileIdc: p.generalProfileIdc,
        generalProfileCompatibilityFlags: p.generalProfileCompatibilityFlags,
        generalConstraintIndicatorFlags: p.generalConstraintIndicatorFlags,
        generalLevelIdc: p.generalLevelIdc,
        chromaFormatIdc: p.chromaFormatIdc,
        bitDepthLumaMinus8: p.bitDepthLumaMinus8,
        bitDepthChromaMinus8: p.bitDepthChromaMinus8,
        numTemporalLayers: p.maxSubLayersMinus1 + 1,
        temporalIdNested: p.temporalIdNesting ? 1 : 0,
      },
    };
    return config;
  } catch (err) {
    if (err instanceof MediaError && err.code !== ERR_STREAM_TRACK_CONFIG) {
      throw new MediaError(ERR_STREAM_TRACK_CONFIG, `${codec} parameter sets do not parse: ${err.message}`);
    }
    throw err;
  }
}

/** True when the key unit carries a parameter set that differs from the configuration's. */
export function parameterSetsChanged(config: VideoTrackConfig, nalus: readonly Uint8Array[]): boolean {
  for (const nal of nalus) {
    const type = parameterSetType(config.codec, nal);
    if (type < 0) continue;
    let known: Uint8Array | undefined;
    if (config.codec === 'h264') known = type === H264_NAL_SPS ? config.sps[0] : config.pps[0];
    else
      known = type === H265_NAL_VPS ? config.vps[0] : type === H265_NAL_SPS ? config.sps[0] : config.pps[0];
    if (known === undefined || !sameBytes(known, nal)) return true;
  }
  return false;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Display info of a video configuration (codec string from the SPS). */
export function videoInfo(config: VideoTrackConfig, frameRate?: number): StreamTrackInfo {
  const sps = config.sps[0]!;
  const parsed = config.codec === 'h264' ? parseH264Sps(sps) : parseH265Sps(sps);
  const info: StreamTrackInfo = {
    kind: 'video',
    codec: config.codec,
    codecString: parsed.codecString,
    width: config.width,
    height: config.height,
    clockRate: 90_000,
  };
  const rate = parsed.frameRate ?? frameRate;
  if (rate !== undefined && Number.isFinite(rate) && rate > 0) info.frameRate = rate;
  return info;
}

/**
 * MP4 configuration and info of an audio track from its SDP description, or a MediaError when it
 * cannot be recorded (AAC without `config=`, an unsupported codec).
 */
export function audioTrackConfig(track: TrackCodecDescription): {
  config: AudioTrackConfig;
  info: StreamTrackInfo;
} {
  const name = track.encodingName.toUpperCase();
  if (name === 'PCMU' || name === 'PCMA') {
    const codec = name === 'PCMU' ? 'pcmu' : 'pcma';
    const sampleRate = track.clockRate || 8000;
    const channels = track.channels ?? 1;
    return {
      config: { codec, sampleRate, channels },
      info: {
        kind: 'audio',
        codec,
        codecString: codec === 'pcmu' ? 'ulaw' : 'alaw',
        sampleRate,
        channels,
        clockRate: sampleRate,
      },
    };
  }
  if (name !== 'MPEG4-GENERIC') {
    throw new MediaError(ERR_STREAM_TRACK_CONFIG, `audio codec ${track.encodingName} is not recorded`);
  }
  const hex = fmtpValue(track.fmtp, 'config')?.trim();
  if (!hex) throw new MediaError(ERR_STREAM_TRACK_CONFIG, 'AAC track without config= in the SDP');
  const asc = parseAacConfig(hex);
  const channels = asc.channels || track.channels || 1;
  return {
    config: { codec: 'aac', audioSpecificConfig: hexToBytes(hex), sampleRate: asc.sampleRate, channels },
    info: {
      kind: 'audio',
      codec: 'aac',
      codecString: aacCodecString(asc),
      sampleRate: asc.extensionSampleRate,
      channels,
      clockRate: track.clockRate,
    },
  };
}
