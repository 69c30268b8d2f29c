// The unit every depacketizer emits and every muxer consumes: one coded picture (video) or one
// coded audio frame, with timestamps already extended from 32-bit RTP to 53-bit safe integers.
export type VideoCodec = 'h264' | 'h265';
export type AudioCodec = 'aac' | 'pcmu' | 'pcma';

export interface VideoAccessUnit {
  kind: 'video';
  codec: VideoCodec;
  /** Presentation time, 90 kHz clock, extended (never wraps). */
  pts90k: number;
  /** Decode time when it differs from pts90k (B-frames); RTP carries none, so usually absent. */
  dts90k?: number;
  /** True for an IDR/IRAP picture that a decoder can start from (with the parameter sets). */
  isKey: boolean;
  /** NAL units without start codes or length prefixes, parameter sets included in-band when sent. */
  nalus: Uint8Array[];
}

export interface AudioAccessUnit {
  kind: 'audio';
  codec: AudioCodec;
  /** Presentation time in the track's clock (clockRate ticks), extended (never wraps). */
  ptsTicks: number;
  clockRate: number;
  /** One raw coded frame: an AAC raw_data_block, or G.711 samples. */
  data: Uint8Array;
}

export type AccessUnit = VideoAccessUnit | AudioAccessUnit;
