// The fMP4 of one live stream epoch (ISO/IEC 14496-12 §8.8): an init section with the stream's own
// video configuration (track 1, 90 kHz) and a movie fragment per access unit, or per group of them
// for a new viewer's catch-up burst, each with a prft wall clock (§8.16.5). A fragment is written
// as soon as its unit arrives: the newest sample's duration is the previous interval (MSE tolerates
// the overlap or sub-frame gap when the real interval differs), so live adds no frame of delay.
import {
  ByteWriter,
  unixMsToNtp64,
  writeFmp4Init,
  writeMediaFragment,
  type FragmentSample,
  type StreamAccessUnit,
  type VideoAccessUnit,
  type VideoTrackConfig,
} from '@argus/media';

export const LIVE_TRACK_ID = 1;
export const LIVE_TIMESCALE = 90_000;
/** Duration assumed for a single frame before an interval was seen (25 fps). */
const DEFAULT_FRAME_TICKS = 3600;

export interface LiveFragment {
  bytes: Uint8Array;
  /** Wall time (Unix ms) of the first sample. */
  wallMs: number;
  /** tfdt of the first sample, 90 kHz, relative to the epoch's first key frame. */
  decodeTime: number;
  isKey: boolean;
  durationTicks: number;
}

export interface LiveInit {
  bytes: Uint8Array;
  mimeType: string;
  codecs: string[];
  width: number;
  height: number;
}

const dtsOf = (au: VideoAccessUnit): number => au.dts90k ?? au.pts90k;

export class LiveMuxer {
  readonly init: LiveInit;
  private readonly scratch = new ByteWriter(4096);
  private sequence = 1;

  constructor(
    readonly config: VideoTrackConfig,
    codecString: string,
    /** dts (90 kHz) written as decode time 0: the epoch's first key frame. */
    readonly originDts90k: number,
  ) {
    const codec = codecString || (config.codec === 'h264' ? 'avc1.640028' : 'hvc1.1.6.L120.90');
    this.init = {
      bytes: writeFmp4Init({ tracks: [{ trackId: LIVE_TRACK_ID, config, timescale: LIVE_TIMESCALE }] }),
      mimeType: `video/mp4; codecs="${codec}"`,
      codecs: [codec],
      width: config.width,
      height: config.height,
    };
  }

  /**
   * One fragment of consecutive video units of this epoch; the last unit lasts `lastDurationTicks`
   * (default: the interval before it, else 40 ms).
   */
  fragment(units: readonly StreamAccessUnit[], lastDurationTicks?: number): LiveFragment {
    const first = units[0]!;
    const aus = units.map((u) => u.accessUnit as VideoAccessUnit);
    const samples: FragmentSample[] = [];
    let total = 0;
    for (let i = 0; i < aus.length; i++) {
      const au = aus[i]!;
      const next = aus[i + 1];
      const prev = aus[i - 1];
      const durationTicks = Math.max(
        0,
        next !== undefined
          ? dtsOf(next) - dtsOf(au)
          : (lastDurationTicks ?? (prev !== undefined ? dtsOf(au) - dtsOf(prev) : DEFAULT_FRAME_TICKS)),
      );
      total += durationTicks;
      samples.push({
        durationTicks,
        compositionOffsetTicks: au.pts90k - dtsOf(au),
        isKey: au.isKey,
        nalus: au.nalus,
      });
    }
    const decodeTime = Math.max(0, dtsOf(aus[0]!) - this.originDts90k);
    const bytes = writeMediaFragment(
      {
        sequenceNumber: this.sequence++,
        tracks: [{ trackId: LIVE_TRACK_ID, baseDecodeTimeTicks: decodeTime, samples }],
        producerReferenceTime: {
          trackId: LIVE_TRACK_ID,
          ntpTimestamp: unixMsToNtp64(first.wallTimeMs),
          mediaTimeTicks: decodeTime,
          flags: 0,
        },
      },
      this.scratch,
    );
    return { bytes, wallMs: first.wallTimeMs, decodeTime, isKey: aus[0]!.isKey, durationTicks: total };
  }
}
