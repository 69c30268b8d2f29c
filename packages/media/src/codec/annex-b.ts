// Annex B byte streams (ITU-T H.264 §B.1, H.265 §B.2): split on 3- or 4-byte start codes into NAL
// units (zero-copy views, trailing_zero_8bits dropped) and join NAL units back with start codes.

/** Splits an Annex B byte stream into NAL units; bytes before the first start code are ignored. */
export function splitAnnexB(stream: Uint8Array): Uint8Array[] {
  const nalus: Uint8Array[] = [];
  const n = stream.length;
  let start = -1;
  let i = 0;
  while (i + 2 < n) {
    // A start code is 0x000001; the zero before it (4-byte form) belongs to the previous NAL's tail.
    if (stream[i + 2]! > 1) {
      i += 3;
      continue;
    }
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 1) {
      if (start >= 0) pushTrimmed(nalus, stream, start, i);
      i += 3;
      start = i;
      continue;
    }
    i++;
  }
  if (start >= 0) pushTrimmed(nalus, stream, start, n);
  return nalus;
}

function pushTrimmed(out: Uint8Array[], stream: Uint8Array, start: number, end: number): void {
  let e = end;
  while (e > start && stream[e - 1] === 0) e--;
  if (e > start) out.push(stream.subarray(start, e));
}

/** Joins NAL units with 4-byte start codes into one buffer. */
export function joinAnnexB(nalus: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const nal of nalus) total += 4 + nal.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const nal of nalus) {
    out[offset + 3] = 1;
    out.set(nal, offset + 4);
    offset += 4 + nal.length;
  }
  return out;
}
