// Top-level box handling shared by the whole-file reader and the stream reader (ISO/IEC 14496-12
// §4.3 ftyp, §8.2.1 moov, §8.8 fragments): brands, the init section, and whole fragments, tracking
// the end of the last whole box or fragment (where a torn file may be cut back to).
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { ByteReader } from '../bytes/byte-reader.js';
import { MediaError } from '../media-error.js';
import { FragmentAssembler, type Mp4FragmentInfo } from './fragment-assembler.js';
import type { BoxHeader } from './mp4-box-header.js';
import { ARGUS_ERR_MP4_BOX_TOO_LARGE } from './mp4-error-codes.js';
import { parseMoov, type Mp4TrackInfo, type ParsedMoov } from './mp4-moov-reader.js';
import {
  DEFAULT_MAX_BOX_SIZE_BYTES,
  DEFAULT_MAX_SAMPLES_PER_FRAGMENT,
  DEFAULT_MAX_SAMPLES_PER_TRACK,
  type Mp4ReadLimits,
  type Mp4Sample,
} from './mp4-sample.js';
import type { FragmentTrackState } from './moof-reader.js';
import { readStblSamples } from './sample-table-reader.js';

/** What the init section (ftyp + moov) says. */
export interface Mp4InitInfo {
  majorBrand?: string;
  compatibleBrands: string[];
  movieTimescale: number;
  /** True when moov has mvex (samples come in fragments). */
  fragmented: boolean;
  tracks: Mp4TrackInfo[];
  /** Byte after the moov box. */
  initEndByte: number;
}

export class Mp4TopLevel {
  majorBrand: string | undefined;
  compatibleBrands: string[] = [];
  init: Mp4InitInfo | undefined;
  /** Samples described by the moov's own sample tables (progressive files). */
  readonly stblSamples: Mp4Sample[] = [];
  /** End of the last whole top-level box or fragment, once the init is whole. */
  lastCompleteEnd = 0;
  private assembler: FragmentAssembler | undefined;
  readonly maxBoxSizeBytes: number;
  private readonly maxSamplesPerTrack: number;
  private readonly maxSamplesPerFragment: number;

  /** `fileBytes` (whole-file mode) lets the moov's sample tables resolve their data. */
  constructor(
    limits: Mp4ReadLimits,
    private readonly fileBytes?: Uint8Array,
  ) {
    this.maxBoxSizeBytes = limits.maxBoxSizeBytes ?? DEFAULT_MAX_BOX_SIZE_BYTES;
    this.maxSamplesPerTrack = limits.maxSamplesPerTrack ?? DEFAULT_MAX_SAMPLES_PER_TRACK;
    this.maxSamplesPerFragment = limits.maxSamplesPerFragment ?? DEFAULT_MAX_SAMPLES_PER_FRAGMENT;
  }

  /** Start of the fragment being assembled, if any. */
  get pendingStart(): number | undefined {
    return this.assembler?.pendingStart;
  }

  /** Refuses a box over the limit; mdat is exempt when the whole file is already in memory. */
  checkSize(h: BoxHeader): void {
    if (h.type === 'mdat' && this.fileBytes !== undefined) return;
    if (h.end - h.start > this.maxBoxSizeBytes) {
      throw new MediaError(
        ARGUS_ERR_MP4_BOX_TOO_LARGE,
        `'${h.type}' of ${h.end - h.start} bytes at ${h.start} exceeds ${this.maxBoxSizeBytes}`,
      );
    }
  }

  /** Handles one complete top-level box (`box` = its bytes, header included). */
  onBox(h: BoxHeader, box: Uint8Array): Mp4FragmentInfo | null {
    let fragment: Mp4FragmentInfo | null = null;
    if (h.type === 'ftyp' && this.init === undefined) {
      const r = new ByteReader(box, h.payloadStart - h.start, box.length, ARGUS_ERR_MP4_MALFORMED);
      this.majorBrand = r.fourcc();
      r.skip(4);
      while (r.remaining >= 4) this.compatibleBrands.push(r.fourcc());
    } else if (h.type === 'moov') {
      if (this.init !== undefined) throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `second moov at ${h.start}`);
      this.onMoov(parseMoov(box), box, h.end);
    } else if (this.init === undefined) {
      if (h.type === 'moof') throw new MediaError(ARGUS_ERR_MP4_MALFORMED, `moof at ${h.start} before moov`);
    } else if (this.assembler !== undefined) {
      fragment = this.assembler.box(h, box);
    }
    if (this.init !== undefined && this.assembler?.pendingStart === undefined) this.lastCompleteEnd = h.end;
    return fragment;
  }

  private onMoov(moov: ParsedMoov, box: Uint8Array, end: number): void {
    const states = new Map<number, FragmentTrackState>();
    for (const t of moov.tracks) {
      let nextDtsTicks = 0;
      const stbl = moov.stbl.get(t.trackId);
      if (this.fileBytes !== undefined && stbl !== undefined) {
        const s = readStblSamples(box, stbl, t.trackId, this.fileBytes, this.maxSamplesPerTrack);
        for (const sample of s.samples) this.stblSamples.push(sample);
        nextDtsTicks = s.endDtsTicks;
      }
      const trex = moov.trex.get(t.trackId) ?? {
        sampleDescriptionIndex: 1,
        durationTicks: 0,
        sizeBytes: 0,
        flags: 0,
      };
      states.set(t.trackId, { trex, nextDtsTicks });
    }
    this.stblSamples.sort((a, b) => a.byteOffset - b.byteOffset);
    if (moov.fragmented) this.assembler = new FragmentAssembler(states, this.maxSamplesPerFragment);
    this.init = {
      compatibleBrands: this.compatibleBrands,
      movieTimescale: moov.movieTimescale,
      fragmented: moov.fragmented,
      tracks: moov.tracks,
      initEndByte: end,
    };
    if (this.majorBrand !== undefined) this.init.majorBrand = this.majorBrand;
  }
}
