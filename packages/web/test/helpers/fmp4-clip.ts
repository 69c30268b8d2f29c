// The simulator's fixture clip as fragmented MP4 (ffmpeg, one fragment per frame, like the
// server's live muxer): the init section, each fragment's bytes, and a way to give a fragment a
// new decode time (tfdt, ISO/IEC 14496-12 §8.8.12) so a stream can loop past the clip's end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../../fixtures/simulator/', import.meta.url));

export interface FragmentedClip {
  init: Buffer;
  mimeType: string;
  codec: string;
  width: number;
  height: number;
  timescale: number;
  frameDuration: number;
  /** moof+mdat of frame i; keyframes at multiples of 25 (the clips' fixed GOP). */
  fragments: Buffer[];
  /** Byte offset of baseMediaDecodeTime inside each fragment, and the tfdt version. */
  tfdt: { offset: number; version: number }[];
}

function boxes(buf: Buffer, start = 0, end = buf.length): { type: string; start: number; size: number }[] {
  const out: { type: string; start: number; size: number }[] = [];
  for (let i = start; i + 8 <= end && out.length < 10_000;) {
    const size = buf.readUInt32BE(i);
    if (size < 8) break;
    out.push({ type: buf.toString('latin1', i + 4, i + 8), start: i, size });
    i += size;
  }
  return out;
}

function find(buf: Buffer, type: string, from = 0): number {
  const i = buf.indexOf(Buffer.from(type, 'latin1'), from);
  if (i < 4) throw new Error(`no ${type} box`);
  return i - 4;
}

export function loadFragmentedClip(name = 'sub-h264-still.mp4', width = 640, height = 360): FragmentedClip {
  const dir = mkdtempSync(path.join(tmpdir(), 'argus-web-clip-'));
  try {
    const out = path.join(dir, 'clip.mp4');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      path.join(FIXTURES, name),
      '-c',
      'copy',
      '-an',
      '-f',
      'mp4',
      '-movflags',
      'empty_moov+default_base_moof+frag_every_frame',
      out,
    ]);
    const buf = readFileSync(out);
    const top = boxes(buf);
    const moov = top.find((b) => b.type === 'moov')!;
    const init = buf.subarray(0, moov.start + moov.size);
    const mdhd = find(buf, 'mdhd', moov.start);
    const mdhdVersion = buf[mdhd + 8]!;
    const timescale = buf.readUInt32BE(mdhd + (mdhdVersion === 1 ? 28 : 20));
    const avcC = find(buf, 'avcC', moov.start);
    const hex = (b: number): string => b.toString(16).padStart(2, '0').toUpperCase();
    const codec = `avc1.${hex(buf[avcC + 9]!)}${hex(buf[avcC + 10]!)}${hex(buf[avcC + 11]!)}`;
    const fragments: Buffer[] = [];
    const tfdt: { offset: number; version: number }[] = [];
    for (let i = 0; i < top.length; i++) {
      const b = top[i]!;
      const next = top[i + 1];
      if (b.type !== 'moof' || next?.type !== 'mdat') continue;
      const frag = buf.subarray(b.start, next.start + next.size);
      const at = find(frag, 'tfdt');
      tfdt.push({ offset: at + 12, version: frag[at + 8]! });
      fragments.push(frag);
    }
    return {
      init,
      mimeType: `video/mp4; codecs="${codec}"`,
      codec,
      width,
      height,
      timescale,
      frameDuration: timescale / 25,
      fragments,
      tfdt,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A copy of fragment `index` whose first sample decodes at `decodeTime`. */
export function fragmentAt(clip: FragmentedClip, index: number, decodeTime: number): Buffer {
  const i = ((index % clip.fragments.length) + clip.fragments.length) % clip.fragments.length;
  const copy = Buffer.from(clip.fragments[i]!);
  const { offset, version } = clip.tfdt[i]!;
  if (version === 1) copy.writeBigUInt64BE(BigInt(decodeTime), offset);
  else copy.writeUInt32BE(decodeTime, offset);
  return copy;
}
