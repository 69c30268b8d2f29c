// Parses a moof box (ISO/IEC 14496-12 §8.8.4–8.8.12): mfhd, and per traf the tfhd defaults, tfdt
// and every trun, resolving each sample's absolute byte range and times. Data-offset bases follow
// §8.8.7.1: explicit base, else default-base-is-moof, else moof start for the first traf and the
// end of the previous traf's data after it. Sample counts are bounded before allocation.
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import { MediaError } from '../media-error.js';
import { childBoxes, findChild, payloadReader, readBoxHeader, type BoxHeader } from './mp4-box-header.js';
import type { TrexDefaults } from './mp4-moov-reader.js';

/** A sample of a fragment before its bytes are known to be present. */
export interface FragmentSampleRef {
  trackId: number;
  dtsTicks: number;
  ptsTicks: number;
  durationTicks: number;
  isKey: boolean;
  byteOffset: number;
  sizeBytes: number;
}

export interface ParsedMoof {
  sequenceNumber: number;
  samples: FragmentSampleRef[];
}

/** Per-track state the reader carries from fragment to fragment. */
export interface FragmentTrackState {
  trex: TrexDefaults;
  /** Decode time after the previous fragment (used when a traf has no tfdt). */
  nextDtsTicks: number;
}

const NON_SYNC = 0x0001_0000;

function malformed(msg: string): MediaError {
  return new MediaError(ARGUS_ERR_MP4_MALFORMED, msg);
}

interface TrafDefaults {
  durationTicks: number;
  sizeBytes: number;
  flags: number;
}

function parseTrun(
  bytes: Uint8Array,
  h: BoxHeader,
  trackId: number,
  defaults: TrafDefaults,
  at: { dts: number; dataPos: number; base: number },
  out: FragmentSampleRef[],
  maxSamples: number,
): void {
  const r = payloadReader(bytes, h);
  const version = r.u8();
  const flags = r.u24();
  const count = r.u32();
  if (flags & 0x000001) at.dataPos = at.base + r.i32();
  const firstFlags = flags & 0x000004 ? r.u32() : undefined;
  const perSample =
    (flags & 0x000100 ? 4 : 0) +
    (flags & 0x000200 ? 4 : 0) +
    (flags & 0x000400 ? 4 : 0) +
    (flags & 0x000800 ? 4 : 0);
  if (perSample > 0) r.ensure(count * perSample, 'trun entries');
  if (out.length + count > maxSamples) throw malformed(`fragment declares over ${maxSamples} samples`);
  for (let i = 0; i < count; i++) {
    const durationTicks = flags & 0x000100 ? r.u32() : defaults.durationTicks;
    const sizeBytes = flags & 0x000200 ? r.u32() : defaults.sizeBytes;
    let sampleFlags = flags & 0x000400 ? r.u32() : defaults.flags;
    if (i === 0 && firstFlags !== undefined) sampleFlags = firstFlags;
    const cto = flags & 0x000800 ? (version === 0 ? r.u32() : r.i32()) : 0;
    out.push({
      trackId,
      dtsTicks: at.dts,
      ptsTicks: at.dts + cto,
      durationTicks,
      isKey: (sampleFlags & NON_SYNC) === 0,
      byteOffset: at.dataPos,
      sizeBytes,
    });
    at.dts += durationTicks;
    at.dataPos += sizeBytes;
    if (!Number.isSafeInteger(at.dataPos) || !Number.isSafeInteger(at.dts)) throw malformed('trun overflows');
  }
}

/**
 * Parses a complete moof given as `bytes` (header included) that starts at absolute offset
 * `moofStart`. Updates each track's nextDtsTicks.
 */
export function parseMoof(
  bytes: Uint8Array,
  moofStart: number,
  tracks: ReadonlyMap<number, FragmentTrackState>,
  maxSamples: number,
): ParsedMoof {
  const moof = readBoxHeader(bytes, 0, bytes.length, 0, undefined, false);
  if (moof === null || moof.end !== bytes.length) throw malformed('moof box bounds');
  const mfhdH = findChild(bytes, moof.payloadStart, moof.end, 'mfhd');
  if (mfhdH === undefined) throw malformed('moof without mfhd');
  const mfhd = payloadReader(bytes, mfhdH);
  mfhd.skip(4);
  const out: ParsedMoof = { sequenceNumber: mfhd.u32(), samples: [] };
  let prevTrafEnd = moofStart;
  for (const traf of childBoxes(bytes, moof.payloadStart, moof.end)) {
    if (traf.type !== 'traf') continue;
    const tfhdH = findChild(bytes, traf.payloadStart, traf.end, 'tfhd');
    if (tfhdH === undefined) throw malformed('traf without tfhd');
    const tfhd = payloadReader(bytes, tfhdH);
    const tfFlags = tfhd.u32() & 0xffffff;
    const trackId = tfhd.u32();
    const state = tracks.get(trackId);
    if (state === undefined) throw malformed(`traf for unknown track ${trackId}`);
    let base = tfFlags & 0x020000 ? moofStart : prevTrafEnd;
    if (tfFlags & 0x000001) base = tfhd.u64();
    if (tfFlags & 0x000002) tfhd.skip(4); // sample_description_index
    const defaults: TrafDefaults = {
      durationTicks: tfFlags & 0x000008 ? tfhd.u32() : state.trex.durationTicks,
      sizeBytes: tfFlags & 0x000010 ? tfhd.u32() : state.trex.sizeBytes,
      flags: tfFlags & 0x000020 ? tfhd.u32() : state.trex.flags,
    };
    const tfdtH = findChild(bytes, traf.payloadStart, traf.end, 'tfdt');
    let dts = state.nextDtsTicks;
    if (tfdtH !== undefined) {
      const tfdt = payloadReader(bytes, tfdtH);
      dts = tfdt.u32() >>> 24 === 1 ? tfdt.u64() : tfdt.u32();
    }
    const at = { dts, dataPos: base, base };
    for (const c of childBoxes(bytes, traf.payloadStart, traf.end)) {
      if (c.type === 'trun') parseTrun(bytes, c, trackId, defaults, at, out.samples, maxSamples);
    }
    state.nextDtsTicks = at.dts;
    prevTrafEnd = at.dataPos;
  }
  return out;
}
