// Expands a progressive track's sample tables (ISO/IEC 14496-12 §8.6.1.2 stts, §8.6.1.3 ctts,
// §8.6.2 stss, §8.7.3 stsz, §8.7.4 stsc, §8.7.5 stco/co64) into samples. Every count is checked
// against the bytes that back it before anything is allocated.
import { ARGUS_ERR_MP4_MALFORMED } from '../bytes/byte-error-codes.js';
import type { ByteReader } from '../bytes/byte-reader.js';
import { MediaError } from '../media-error.js';
import { findChild, payloadReader, type BoxHeader } from './mp4-box-header.js';
import type { Mp4Sample } from './mp4-sample.js';

function malformed(msg: string): MediaError {
  return new MediaError(ARGUS_ERR_MP4_MALFORMED, msg);
}

function fullBox(
  bytes: Uint8Array,
  stbl: BoxHeader,
  type: string,
): { r: ByteReader; version: number } | undefined {
  const h = findChild(bytes, stbl.payloadStart, stbl.end, type);
  if (h === undefined) return undefined;
  const r = payloadReader(bytes, h);
  const version = r.u8();
  r.skip(3);
  return { r, version };
}

export interface StblSamples {
  samples: Mp4Sample[];
  /** Decode time after the last sample (where fragments continue). */
  endDtsTicks: number;
  /** True when some samples were left out because their bytes lie beyond the input. */
  dataMissing: boolean;
}

/** Sample sizes: a constant, or one entry per sample (bounded by the stsz box itself). */
function readSizes(
  bytes: Uint8Array,
  stbl: BoxHeader,
  maxSamples: number,
): { count: number; size: (i: number) => number } {
  const stsz = fullBox(bytes, stbl, 'stsz');
  if (stsz === undefined) throw malformed('stbl without stsz');
  const constant = stsz.r.u32();
  const count = stsz.r.u32();
  if (count > maxSamples) throw malformed(`track declares ${count} samples, limit ${maxSamples}`);
  if (constant !== 0) return { count, size: () => constant };
  stsz.r.ensure(count * 4, 'stsz entries');
  const sizes = new Array<number>(count);
  for (let i = 0; i < count; i++) sizes[i] = stsz.r.u32();
  return { count, size: (i) => sizes[i] as number };
}

function readChunkOffsets(bytes: Uint8Array, stbl: BoxHeader): number[] {
  const co64 = fullBox(bytes, stbl, 'co64');
  const stco = co64 ?? fullBox(bytes, stbl, 'stco');
  if (stco === undefined) throw malformed('stbl without stco/co64');
  const count = stco.r.u32();
  stco.r.ensure(count * (co64 ? 8 : 4), 'chunk offsets');
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = co64 ? stco.r.u64() : stco.r.u32();
  return out;
}

/** Builds the samples of one track; `fileBytes` holds the file from offset 0. */
export function readStblSamples(
  moovBytes: Uint8Array,
  stbl: BoxHeader,
  trackId: number,
  fileBytes: Uint8Array,
  maxSamples: number,
): StblSamples {
  const sizes = readSizes(moovBytes, stbl, maxSamples);
  const n = sizes.count;
  const samples: Mp4Sample[] = [];
  if (n === 0) return { samples, endDtsTicks: 0, dataMissing: false };
  const offsets = readChunkOffsets(moovBytes, stbl);

  const stsc = fullBox(moovBytes, stbl, 'stsc');
  if (stsc === undefined) throw malformed('stbl without stsc');
  const stscCount = stsc.r.u32();
  stsc.r.ensure(stscCount * 12, 'stsc entries');
  const runs: Array<{ firstChunk: number; perChunk: number }> = [];
  for (let i = 0; i < stscCount; i++) {
    runs.push({ firstChunk: stsc.r.u32(), perChunk: stsc.r.u32() });
    stsc.r.skip(4);
  }

  const stts = fullBox(moovBytes, stbl, 'stts');
  if (stts === undefined) throw malformed('stbl without stts');
  let sttsCount = stts.r.u32();
  stts.r.ensure(sttsCount * 8, 'stts entries');
  const ctts = fullBox(moovBytes, stbl, 'ctts');
  let cttsCount = ctts?.r.u32() ?? 0;
  ctts?.r.ensure(cttsCount * 8, 'ctts entries');
  const stss = fullBox(moovBytes, stbl, 'stss');
  const stssCount = stss?.r.u32() ?? 0;
  stss?.r.ensure(stssCount * 4, 'stss entries');

  let dataMissing = false;
  let run = 0;
  let sttsLeft = 0;
  let delta = 0;
  let cttsLeft = 0;
  let cto = 0;
  let nextSync = stss !== undefined && stssCount > 0 ? stss.r.u32() : -1;
  let stssRead = nextSync === -1 ? 0 : 1;
  let dts = 0;
  let i = 0;
  for (let chunk = 1; chunk <= offsets.length && i < n; chunk++) {
    while (run + 1 < runs.length && (runs[run + 1] as { firstChunk: number }).firstChunk <= chunk) run++;
    const perChunk = runs[run]?.perChunk ?? 0;
    let pos = offsets[chunk - 1] as number;
    for (let k = 0; k < perChunk && i < n; k++, i++) {
      while (sttsLeft === 0) {
        if (sttsCount-- <= 0) throw malformed('stts covers fewer samples than stsz');
        sttsLeft = stts.r.u32();
        delta = stts.r.u32();
      }
      sttsLeft--;
      if (ctts !== undefined) {
        while (cttsLeft === 0 && cttsCount > 0) {
          cttsLeft = ctts.r.u32();
          cto = ctts.r.i32(); // signed in practice in both versions
          cttsCount--;
        }
        if (cttsLeft > 0) cttsLeft--;
      }
      const size = sizes.size(i);
      const isKey = stss === undefined || i + 1 === nextSync;
      if (isKey && stss !== undefined) {
        nextSync = stssRead < stssCount ? stss.r.u32() : -1;
        stssRead++;
      }
      if (pos + size <= fileBytes.length) {
        samples.push({
          trackId,
          dtsTicks: dts,
          ptsTicks: dts + cto,
          durationTicks: delta,
          isKey,
          byteOffset: pos,
          data: fileBytes.subarray(pos, pos + size),
        });
      } else {
        dataMissing = true;
      }
      pos += size;
      dts += delta;
    }
  }
  if (i < n) throw malformed(`chunks hold ${i} of ${n} samples`);
  return { samples, endDtsTicks: dts, dataMissing };
}
