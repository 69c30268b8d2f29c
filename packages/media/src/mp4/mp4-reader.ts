// Reads a whole MP4 held in memory, fragmented (init + moof/mdat, e.g. ffmpeg's
// frag_keyframe+empty_moov+default_base_moof or our recordings) or progressive (moov + mdat), into
// tracks and samples (ISO/IEC 14496-12). Truncation is reported as a torn tail, never thrown.
import { isMediaError } from '../media-error.js';
import type { Mp4FragmentInfo } from './fragment-assembler.js';
import { readBoxHeader } from './mp4-box-header.js';
import type { Mp4ReadLimits, Mp4Sample } from './mp4-sample.js';
import { Mp4TopLevel, type Mp4InitInfo } from './mp4-top-level.js';

export interface Mp4ReadOptions extends Mp4ReadLimits {
  /**
   * What to do with a malformed box after the init section: 'throw' (default) or 'report' it as a
   * torn tail (reason 'malformed'), as crash recovery wants. Errors in the init always throw.
   */
  malformedTail?: 'throw' | 'report';
}

export interface Mp4ReadResult extends Mp4InitInfo {
  /** Every sample with its bytes present: the moov's own samples, then fragment samples, in file order. */
  samples: Mp4Sample[];
  fragments: Mp4FragmentInfo[];
  /** End of the last whole fragment or top-level box (0 while the init is incomplete). */
  lastCompleteFragmentEnd: number;
  /** Set when bytes after lastCompleteFragmentEnd do not form whole boxes/fragments; equals it. */
  tornTailAtByte?: number;
  tornTailReason?: 'truncated' | 'malformed';
  tornTailMessage?: string;
}

/** Parses `bytes` (a whole file or its first N bytes). Throws only MediaError. */
export function readMp4(bytes: Uint8Array, options: Mp4ReadOptions = {}): Mp4ReadResult {
  const top = new Mp4TopLevel(options, bytes);
  const fragments: Mp4FragmentInfo[] = [];
  let torn: { reason: 'truncated' | 'malformed'; message: string } | undefined;
  let p = 0;
  while (p < bytes.length) {
    try {
      const h = readBoxHeader(bytes, p, bytes.length, 0, bytes.length);
      if (h === null || h.end > bytes.length) {
        torn = { reason: 'truncated', message: `box at ${p} ends after the input` };
        break;
      }
      top.checkSize(h);
      const fragment = top.onBox(h, bytes.subarray(h.start, h.end));
      if (fragment !== null) fragments.push(fragment);
      p = h.end;
    } catch (err) {
      if (top.init === undefined || options.malformedTail !== 'report' || !isMediaError(err)) throw err;
      torn = { reason: 'malformed', message: err.message };
      break;
    }
  }
  if (torn === undefined && top.pendingStart !== undefined) {
    torn = { reason: 'truncated', message: `fragment at ${top.pendingStart} has no complete data` };
  }
  const init = top.init;
  if (init === undefined) {
    // Whole boxes but no moov yet: indistinguishable from a file cut before its moov was written.
    if (torn === undefined && bytes.length > 0) torn = { reason: 'truncated', message: 'no moov box' };
    const empty: Mp4ReadResult = {
      compatibleBrands: top.compatibleBrands,
      movieTimescale: 0,
      fragmented: false,
      tracks: [],
      initEndByte: 0,
      samples: [],
      fragments: [],
      lastCompleteFragmentEnd: 0,
    };
    if (top.majorBrand !== undefined) empty.majorBrand = top.majorBrand;
    if (torn !== undefined)
      Object.assign(empty, { tornTailAtByte: 0, tornTailReason: torn.reason, tornTailMessage: torn.message });
    return empty;
  }
  const samples = top.stblSamples.slice();
  for (const f of fragments) for (const s of f.samples) samples.push(s);
  const result: Mp4ReadResult = { ...init, samples, fragments, lastCompleteFragmentEnd: top.lastCompleteEnd };
  if (torn !== undefined) {
    result.tornTailAtByte = top.lastCompleteEnd;
    result.tornTailReason = torn.reason;
    result.tornTailMessage = torn.message;
  }
  return result;
}
