// The fragment index of a segment, stored as one blob per segment in the catalog: 12 bytes per
// fragment (u32 byte offset, u32 decode time in file ticks of 90 kHz, u32 key flag << 31 | duration),
// little-endian. Playback seeks with it without reading the file's moofs.

export const FRAGMENT_ENTRY_BYTES = 12;
const KEY_BIT = 0x8000_0000;

export interface FragmentEntry {
  /** Offset of the fragment's first box (its prft) in the file. */
  startByte: number;
  /** Decode time of the fragment's first video sample in the file (90 kHz, file time starts at 0). */
  mediaOffset90k: number;
  duration90k: number;
  startsWithKey: boolean;
}

export function packFragmentEntries(entries: readonly FragmentEntry[]): Uint8Array {
  const out = new Uint8Array(entries.length * FRAGMENT_ENTRY_BYTES);
  const dv = new DataView(out.buffer);
  entries.forEach((e, i) => {
    const o = i * FRAGMENT_ENTRY_BYTES;
    dv.setUint32(o, e.startByte, true);
    dv.setUint32(o + 4, e.mediaOffset90k, true);
    dv.setUint32(o + 8, ((e.startsWithKey ? KEY_BIT : 0) | (e.duration90k & 0x7fff_ffff)) >>> 0, true);
  });
  return out;
}

export function unpackFragmentEntries(blob: Uint8Array): FragmentEntry[] {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const out: FragmentEntry[] = [];
  for (let o = 0; o + FRAGMENT_ENTRY_BYTES <= blob.byteLength; o += FRAGMENT_ENTRY_BYTES) {
    const flags = dv.getUint32(o + 8, true);
    out.push({
      startByte: dv.getUint32(o, true),
      mediaOffset90k: dv.getUint32(o + 4, true),
      duration90k: flags & 0x7fff_ffff,
      startsWithKey: (flags & KEY_BIT) !== 0,
    });
  }
  return out;
}
