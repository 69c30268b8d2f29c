// One movie fragment (ISO/IEC 14496-12 §8.8.4–8.8.12, §8.16.5): optional prft, then moof with mfhd
// and one traf per track (tfhd default-base-is-moof, 64-bit tfdt, trun with per-sample duration,
// size, flags and composition offsets), then mdat. Either one buffer (each NAL unit copied once,
// behind its 4-byte length) or the pieces of one vectored write (no sample bytes copied).
import { ByteWriter } from '../bytes/byte-writer.js';
import { MediaError } from '../media-error.js';
import { ARGUS_ERR_MP4_BAD_SAMPLES } from './mp4-error-codes.js';

export interface FragmentSample {
  durationTicks: number;
  /** pts - dts in track ticks; 0 without B-frames. */
  compositionOffsetTicks: number;
  isKey: boolean;
  /** Video NAL units without start codes; each is written behind a 4-byte length. */
  nalus?: readonly Uint8Array[];
  /** Bytes written as they are: an audio frame, or video already in 4-byte length-prefixed form. */
  data?: Uint8Array;
}

export interface FragmentTrack {
  trackId: number;
  /** tfdt baseMediaDecodeTime: decode time of the first sample, in track ticks. */
  baseDecodeTimeTicks: number;
  samples: readonly FragmentSample[];
}

/** ProducerReferenceTimeBox: the wall-clock time of `mediaTimeTicks` on track `trackId`. */
export interface ProducerReferenceTime {
  trackId: number;
  /** 64-bit NTP timestamp (seconds since 1900 << 32 | fraction); see unixMsToNtp64. */
  ntpTimestamp: bigint;
  mediaTimeTicks: number;
  /** prft flags (§8.16.5.3): 0 = time the sample was input to the encoder (camera capture). */
  flags?: number;
}

export interface MediaFragmentInput {
  sequenceNumber: number;
  tracks: readonly FragmentTrack[];
  producerReferenceTime?: ProducerReferenceTime;
}

/** sample_depends_on = 2 (independent); is_non_sync = 0. */
export const SAMPLE_FLAGS_SYNC = 0x0200_0000;
/** sample_depends_on = 1 (depends on others); is_non_sync = 1. */
export const SAMPLE_FLAGS_NON_SYNC = 0x0101_0000;

const NTP_UNIX_OFFSET_S = 2_208_988_800n;

/** Unix milliseconds to a 64-bit NTP timestamp. */
export function unixMsToNtp64(unixMs: number): bigint {
  const ms = BigInt(Math.round(unixMs));
  const seconds = ms / 1000n + NTP_UNIX_OFFSET_S;
  const fraction = ((ms % 1000n) << 32n) / 1000n;
  return (seconds << 32n) | fraction;
}

/** A 64-bit NTP timestamp to Unix milliseconds (rounded). */
export function ntp64ToUnixMs(ntp: bigint): number {
  const seconds = Number(ntp >> 32n) - Number(NTP_UNIX_OFFSET_S);
  const fraction = Number(ntp & 0xffff_ffffn) / 0x1_0000_0000;
  return Math.round((seconds + fraction) * 1000);
}

function sampleSize(s: FragmentSample): number {
  if (s.nalus !== undefined) {
    let n = 0;
    for (const nalu of s.nalus) n += 4 + nalu.length;
    return n;
  }
  if (s.data !== undefined) return s.data.length;
  throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, 'a sample needs nalus or data');
}

function writePrft(w: ByteWriter, prft: ProducerReferenceTime): void {
  const box = w.startFullBox('prft', 1, prft.flags ?? 0);
  w.u32(prft.trackId).u64(prft.ntpTimestamp).u64(prft.mediaTimeTicks);
  w.endBox(box);
}

/** Writes trun; returns the offset of its data_offset field for back-patching. */
function writeTrun(
  w: ByteWriter,
  samples: readonly FragmentSample[],
  sizes: number[],
  first: number,
): number {
  let anyOffset = false;
  let anyNegative = false;
  for (const s of samples) {
    if (s.compositionOffsetTicks !== 0) anyOffset = true;
    if (s.compositionOffsetTicks < 0) anyNegative = true;
  }
  // data-offset, sample-duration, -size, -flags, and composition offsets when needed.
  const flags = 0x000001 | 0x000100 | 0x000200 | 0x000400 | (anyOffset ? 0x000800 : 0);
  const box = w.startFullBox('trun', anyNegative ? 1 : 0, flags);
  w.u32(samples.length);
  const dataOffsetAt = w.length;
  w.u32(0);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] as FragmentSample;
    if (!(Number.isInteger(s.durationTicks) && s.durationTicks >= 0)) {
      throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, `bad sample duration ${s.durationTicks}`);
    }
    w.u32(s.durationTicks)
      .u32(sizes[first + i] as number)
      .u32(s.isKey ? SAMPLE_FLAGS_SYNC : SAMPLE_FLAGS_NON_SYNC);
    if (anyOffset) {
      if (anyNegative) w.i32(s.compositionOffsetTicks);
      else w.u32(s.compositionOffsetTicks);
    }
  }
  w.endBox(box);
  return dataOffsetAt;
}

/** A fragment as the pieces of one vectored write: nothing of the samples is copied. */
export interface MediaFragmentParts {
  /**
   * In file order: prft, moof and the mdat header in one buffer, then the samples (video: each NAL
   * unit behind its own 4-byte length piece). Sample pieces are the caller's buffers, not copies.
   */
  parts: Uint8Array[];
  byteLength: number;
}

interface FragmentLayout {
  /** prft + moof + mdat header, in the writer (the caller's scratch or a new one). */
  header: ByteWriter;
  tracks: readonly FragmentTrack[];
  payloadSize: number;
  naluCount: number;
}

/** Writes prft, moof (data offsets patched) and the mdat header; the payload follows it. */
function layoutFragment(input: MediaFragmentInput, scratch: ByteWriter | undefined): FragmentLayout {
  const tracks = input.tracks.filter((t) => t.samples.length > 0);
  if (tracks.length === 0) throw new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, 'a fragment needs samples');
  const sizes: number[] = [];
  let naluCount = 0;
  for (const t of tracks) {
    for (const s of t.samples) {
      sizes.push(sampleSize(s));
      if (s.nalus !== undefined) naluCount += s.nalus.length;
    }
  }
  let payloadSize = 0;
  for (const n of sizes) payloadSize += n;

  const w = scratch ?? new ByteWriter(256 + sizes.length * 16);
  w.reset();
  if (input.producerReferenceTime !== undefined) writePrft(w, input.producerReferenceTime);
  const moofStart = w.length;
  const moof = w.startBox('moof');
  const mfhd = w.startFullBox('mfhd', 0, 0);
  w.u32(input.sequenceNumber);
  w.endBox(mfhd);
  const dataOffsetFields: number[] = [];
  let first = 0;
  for (const t of tracks) {
    const traf = w.startBox('traf');
    const tfhd = w.startFullBox('tfhd', 0, 0x020000); // default-base-is-moof
    w.u32(t.trackId);
    w.endBox(tfhd);
    const tfdt = w.startFullBox('tfdt', 1, 0);
    w.u64(t.baseDecodeTimeTicks);
    w.endBox(tfdt);
    dataOffsetFields.push(writeTrun(w, t.samples, sizes, first));
    first += t.samples.length;
    w.endBox(traf);
  }
  w.endBox(moof);
  const moofSize = w.length - moofStart;
  const largeMdat = payloadSize + 8 > 0xffff_ffff;
  const mdatHeader = largeMdat ? 16 : 8;
  let trackDataStart = moofSize + mdatHeader;
  let k = 0;
  for (let i = 0; i < tracks.length; i++) {
    w.setU32At(dataOffsetFields[i] as number, trackDataStart);
    for (const _ of (tracks[i] as FragmentTrack).samples) trackDataStart += sizes[k++] as number;
  }
  if (largeMdat)
    w.u32(1)
      .fourcc('mdat')
      .u64(payloadSize + 16);
  else w.u32(payloadSize + 8).fourcc('mdat');
  return { header: w, tracks, payloadSize, naluCount };
}

/**
 * Serialises one fragment into one buffer. `scratch` (reset here) lets a long-lived caller reuse
 * the moof buffer. Tracks without samples are left out; at least one sample overall is required.
 */
export function writeMediaFragment(input: MediaFragmentInput, scratch?: ByteWriter): Uint8Array {
  const { header, tracks, payloadSize } = layoutFragment(input, scratch);
  const out = new Uint8Array(header.length + payloadSize);
  out.set(header.view(), 0);
  let p = header.length;
  for (const t of tracks) {
    for (const s of t.samples) {
      if (s.nalus !== undefined) {
        for (const nalu of s.nalus) {
          writeU32(out, p, nalu.length);
          out.set(nalu, p + 4);
          p += 4 + nalu.length;
        }
      } else if (s.data !== undefined) {
        out.set(s.data, p);
        p += s.data.length;
      }
    }
  }
  return out;
}

/**
 * The same bytes as writeMediaFragment, as pieces for a vectored write (fs.writev): the header is
 * copied out of `scratch`; the samples are not copied, so they must stay unchanged until written.
 */
export function writeMediaFragmentParts(input: MediaFragmentInput, scratch?: ByteWriter): MediaFragmentParts {
  const { header, tracks, payloadSize, naluCount } = layoutFragment(input, scratch);
  const parts: Uint8Array[] = [header.view().slice()];
  const lengths = new Uint8Array(4 * naluCount);
  let l = 0;
  for (const t of tracks) {
    for (const s of t.samples) {
      if (s.nalus !== undefined) {
        for (const nalu of s.nalus) {
          writeU32(lengths, l, nalu.length);
          parts.push(lengths.subarray(l, l + 4), nalu);
          l += 4;
        }
      } else if (s.data !== undefined) {
        const prev = parts[parts.length - 1]!;
        if (prev.buffer === s.data.buffer && prev.byteOffset + prev.length === s.data.byteOffset) {
          // Samples stored back to back (a recording's sample store): one piece for the run.
          parts[parts.length - 1] = new Uint8Array(prev.buffer, prev.byteOffset, prev.length + s.data.length);
        } else {
          parts.push(s.data);
        }
      }
    }
  }
  return { parts, byteLength: header.length + payloadSize };
}

function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}
