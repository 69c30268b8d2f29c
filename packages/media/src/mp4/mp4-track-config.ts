// Track configurations the MP4 writers take and the reader returns: enough to build each sample
// entry (ISO/IEC 14496-15 avcC/hvcC, ISO/IEC 14496-14 esds, ISO/IEC 14496-12 §12.2 G.711 entries).
import type { H265ProfileTierLevel } from '../codec/h265-profile-tier-level.js';

/** H.264: parameter sets without start codes; width/height are the cropped display size. */
export interface H264TrackConfig {
  codec: 'h264';
  sps: Uint8Array[];
  pps: Uint8Array[];
  width: number;
  height: number;
}

/**
 * Fields of the HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1.2). The required ones come
 * from the SPS profile_tier_level (codec/ parses them); the optional ones default to the values an
 * encoder without VUI hints would give and are filled in when a file is read (byte-exact rewrite).
 */
export interface HevcConfigFields extends H265ProfileTierLevel {
  chromaFormatIdc: number;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
  minSpatialSegmentationIdc?: number;
  parallelismType?: number;
  avgFrameRate?: number;
  constantFrameRate?: number;
  /** Default 1. */
  numTemporalLayers?: number;
  /** Default 1 (0 or 1). */
  temporalIdNested?: number;
}

export interface H265TrackConfig {
  codec: 'h265';
  vps: Uint8Array[];
  sps: Uint8Array[];
  pps: Uint8Array[];
  /** Prefix SEI NAL units carried in hvcC (x265 puts its version string there); usually absent. */
  sei?: Uint8Array[];
  width: number;
  height: number;
  hevc: HevcConfigFields;
}

/** Optional DecoderConfigDescriptor fields (ISO/IEC 14496-1 §7.2.6.6); zero when unknown. */
export interface EsdsBitrates {
  bufferSizeDb: number;
  maxBitrate: number;
  avgBitrate: number;
}

export interface AacTrackConfig {
  codec: 'aac';
  /** AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), e.g. from SDP `config=`. */
  audioSpecificConfig: Uint8Array;
  sampleRate: number;
  channels: number;
  esds?: EsdsBitrates;
}

/** G.711 µ-law (`ulaw`) or A-law (`alaw`); one sample per byte. */
export interface G711TrackConfig {
  codec: 'pcmu' | 'pcma';
  sampleRate: number;
  channels: number;
}

export type VideoTrackConfig = H264TrackConfig | H265TrackConfig;
export type AudioTrackConfig = AacTrackConfig | G711TrackConfig;
export type TrackConfig = VideoTrackConfig | AudioTrackConfig;

/** A track of an MP4 file: its id (1-based, unique), its media timescale and its configuration. */
export interface Mp4TrackSpec {
  trackId: number;
  config: TrackConfig;
  /** Ticks per second of sample times; default 90000 for video, the sample rate for audio. */
  timescale?: number;
}

export const VIDEO_TIMESCALE = 90_000;

export function isVideoConfig(config: TrackConfig): config is VideoTrackConfig {
  return config.codec === 'h264' || config.codec === 'h265';
}

/** The timescale a track is written with. */
export function trackTimescale(track: Mp4TrackSpec): number {
  if (track.timescale !== undefined) return track.timescale;
  return isVideoConfig(track.config) ? VIDEO_TIMESCALE : track.config.sampleRate;
}
