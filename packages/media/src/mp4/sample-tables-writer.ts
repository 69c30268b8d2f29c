// Sample tables of a progressive track (ISO/IEC 14496-12 §8.6.1.2 stts, §8.6.1.3 ctts, §8.6.2 stss,
// §8.7.4 stsc, §8.7.3 stsz, §8.7.5 stco/co64), run-length coded where the format allows.
import type { ByteWriter } from '../bytes/byte-writer.js';

export interface TableSample {
  durationTicks: number;
  /** pts - dts. */
  compositionOffsetTicks: number;
  isKey: boolean;
  sizeBytes: number;
}

export interface TableChunk {
  /** Index of the chunk's first sample in the track. */
  firstSample: number;
  sampleCount: number;
  /** Absolute file offset of the chunk's first byte. */
  fileOffset: number;
}

function writeRuns(
  w: ByteWriter,
  type: string,
  version: number,
  values: readonly number[],
  signed: boolean,
): void {
  const box = w.startFullBox(type, version, 0);
  const countAt = w.length;
  w.u32(0);
  let runs = 0;
  for (let i = 0; i < values.length;) {
    const v = values[i] as number;
    let j = i + 1;
    while (j < values.length && values[j] === v) j++;
    w.u32(j - i);
    if (signed) w.i32(v);
    else w.u32(v);
    runs++;
    i = j;
  }
  w.setU32At(countAt, runs);
  w.endBox(box);
}

/** Writes stts, ctts (if any offset is non-zero), stss (unless all are sync), stsc, stsz, stco/co64. */
export function writeSampleTables(
  w: ByteWriter,
  samples: readonly TableSample[],
  chunks: readonly TableChunk[],
  co64: boolean,
): void {
  writeRuns(
    w,
    'stts',
    0,
    samples.map((s) => s.durationTicks),
    false,
  );
  const offsets = samples.map((s) => s.compositionOffsetTicks);
  if (offsets.some((o) => o !== 0)) {
    const negative = offsets.some((o) => o < 0);
    writeRuns(w, 'ctts', negative ? 1 : 0, offsets, negative);
  }
  if (samples.some((s) => !s.isKey)) {
    const stss = w.startFullBox('stss', 0, 0);
    const countAt = w.length;
    w.u32(0);
    let n = 0;
    samples.forEach((s, i) => {
      if (!s.isKey) return;
      w.u32(i + 1);
      n++;
    });
    w.setU32At(countAt, n);
    w.endBox(stss);
  }
  const stsc = w.startFullBox('stsc', 0, 0);
  const stscCountAt = w.length;
  w.u32(0);
  let stscEntries = 0;
  let prevCount = -1;
  chunks.forEach((c, i) => {
    if (c.sampleCount === prevCount) return;
    w.u32(i + 1)
      .u32(c.sampleCount)
      .u32(1);
    prevCount = c.sampleCount;
    stscEntries++;
  });
  w.setU32At(stscCountAt, stscEntries);
  w.endBox(stsc);
  const stsz = w.startFullBox('stsz', 0, 0);
  const first = samples[0]?.sizeBytes ?? 0;
  if (samples.length > 0 && samples.every((s) => s.sizeBytes === first)) {
    w.u32(first).u32(samples.length);
  } else {
    w.u32(0).u32(samples.length);
    for (const s of samples) w.u32(s.sizeBytes);
  }
  w.endBox(stsz);
  const co = w.startFullBox(co64 ? 'co64' : 'stco', 0, 0);
  w.u32(chunks.length);
  for (const c of chunks) {
    if (co64) w.u64(c.fileOffset);
    else w.u32(c.fileOffset);
  }
  w.endBox(co);
}
