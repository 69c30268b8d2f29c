// The sample the MP4 reader returns: times in the track's timescale and a view of its bytes.

export interface Mp4Sample {
  trackId: number;
  dtsTicks: number;
  ptsTicks: number;
  durationTicks: number;
  /** Sync sample: a decoder can start here (trun/trex flags or stss). */
  isKey: boolean;
  /** Absolute offset of the sample's bytes in the file or stream. */
  byteOffset: number;
  /** The sample's bytes (video: length-prefixed NAL units); a view, not a copy. */
  data: Uint8Array;
}

/** Limits that keep a hostile or corrupt file from driving allocation. */
export interface Mp4ReadLimits {
  /** Largest box (other than mdat in a whole file) accepted; default 64 MiB. */
  maxBoxSizeBytes?: number;
  /** Most samples one movie fragment may declare; default 100 000. */
  maxSamplesPerFragment?: number;
  /** Most samples one progressive track may declare; default 2 000 000. */
  maxSamplesPerTrack?: number;
}

export const DEFAULT_MAX_BOX_SIZE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_SAMPLES_PER_FRAGMENT = 100_000;
export const DEFAULT_MAX_SAMPLES_PER_TRACK = 2_000_000;
