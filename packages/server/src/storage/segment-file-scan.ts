// Reads a recording file back from its own content (no catalog): the init section's video track and
// every whole fragment with its prft wall clock, stopping at a torn or malformed tail. Recovery and
// `argus check` use it; memory stays bounded because the file is streamed in chunks.
import { open, type FileHandle } from 'node:fs/promises';
import {
  Fmp4StreamReader,
  isMediaError,
  readBoxHeader,
  type Mp4FragmentInfo,
  type Mp4InitInfo,
} from '@argus/media';

export interface ScannedFragment {
  startByte: number;
  endByte: number;
  /** Decode time of the fragment's first video sample, file time, 90 kHz. */
  mediaOffset90k: number;
  duration90k: number;
  startsWithKey: boolean;
  /** Wall clock (Unix ms) of `prftMedia90k`, from the fragment's prft box. */
  wallClockMs?: number;
  prftMedia90k?: number;
}

export interface ScannedVideoTrack {
  trackId: number;
  codec: string;
  width: number;
  height: number;
}

export interface SegmentFileScan {
  fileSizeBytes: number;
  init?: Mp4InitInfo;
  video?: ScannedVideoTrack;
  fragments: ScannedFragment[];
  /** End of the last whole fragment (or of the init when there is none); 0 when the init is unreadable. */
  wholeEndByte: number;
  /** Set when bytes after wholeEndByte do not form a whole fragment. */
  tornTail: boolean;
  /** Why the file cannot be used at all (no readable init, no video track). */
  unreadable?: string;
  /** The file ends inside its init section (it starts like one): a crash while it was being opened. */
  initTorn?: boolean;
}

const CHUNK_BYTES = 1 << 20;
const MAX_INIT_BYTES = 16 << 20;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

/** End of the moov box (the init section), or undefined when the file does not start with one whole. */
async function initEnd(fh: FileHandle, fileSize: number): Promise<number | undefined> {
  let p = 0;
  for (let boxes = 0; boxes < 16 && p < fileSize; boxes++) {
    const head = await readAt(fh, p, 16);
    let h;
    try {
      h = readBoxHeader(head, 0, head.length, p);
    } catch (err) {
      if (isMediaError(err)) return undefined;
      throw err;
    }
    if (h === null || h.end > fileSize || h.end <= p) return undefined;
    if (h.type === 'moov') return h.end <= MAX_INIT_BYTES ? h.end : undefined;
    if (h.type === 'moof' || h.type === 'mdat') return undefined;
    p = h.end;
  }
  return undefined;
}

function summarize(f: Mp4FragmentInfo, video: number, timescale: number): ScannedFragment | undefined {
  const samples = f.samples.filter((s) => s.trackId === video);
  const first = samples[0];
  if (first === undefined) return undefined;
  const to90k = (t: number): number => (timescale === 90_000 ? t : Math.round((t * 90_000) / timescale));
  let duration = 0;
  for (const s of samples) duration += s.durationTicks;
  const out: ScannedFragment = {
    startByte: f.startByte,
    endByte: f.endByte,
    mediaOffset90k: to90k(first.dtsTicks),
    duration90k: to90k(duration),
    startsWithKey: first.isKey,
  };
  const prft = f.producerReferenceTime;
  if (prft !== undefined && prft.trackId === video) {
    out.wallClockMs = prft.unixMs;
    out.prftMedia90k = to90k(prft.mediaTimeTicks);
  }
  return out;
}

/**
 * Scans `absPath`. With `fromByte` (a fragment boundary known to the catalog) only the fragments
 * from there on are read and reported; the init is always read.
 */
export async function scanSegmentFile(
  absPath: string,
  options: { fromByte?: number } = {},
): Promise<SegmentFileScan> {
  const fh = await open(absPath, 'r');
  try {
    const fileSizeBytes = (await fh.stat()).size;
    const result: SegmentFileScan = { fileSizeBytes, fragments: [], wholeEndByte: 0, tornTail: false };
    const end = await initEnd(fh, fileSizeBytes);
    if (end === undefined) {
      // Our files begin with ftyp: one that does, or is too short to tell, was cut while opened.
      const head = await readAt(fh, 0, 8);
      const initTorn = head.length < 8 || Buffer.from(head.subarray(4, 8)).toString('latin1') === 'ftyp';
      return { ...result, tornTail: fileSizeBytes > 0, unreadable: 'no whole init section', initTorn };
    }
    const reader = new Fmp4StreamReader();
    try {
      reader.push(await readAt(fh, 0, end));
    } catch (err) {
      if (!isMediaError(err)) throw err;
      return { ...result, tornTail: true, unreadable: `init section: ${err.message}` };
    }
    const init = reader.init;
    const track = init?.tracks.find((t) => t.handlerType === 'vide');
    if (init === undefined || track === undefined)
      return { ...result, tornTail: true, unreadable: 'no video track in the init section' };
    result.init = init;
    const cfg = track.config;
    result.video = {
      trackId: track.trackId,
      codec: cfg?.codec ?? track.sampleEntryType,
      width: cfg !== undefined && 'width' in cfg ? cfg.width : 0,
      height: cfg !== undefined && 'height' in cfg ? cfg.height : 0,
    };
    let pos = end;
    const from = options.fromByte ?? end;
    if (from > end) {
      reader.skipTo(from);
      pos = from;
    }
    result.wholeEndByte = Math.min(pos, fileSizeBytes);
    for (let guard = 0; pos < fileSizeBytes && guard < 1 << 22; guard++) {
      const chunk = await readAt(fh, pos, Math.min(CHUNK_BYTES, fileSizeBytes - pos));
      if (chunk.length === 0) break;
      pos += chunk.length;
      let fragments: Mp4FragmentInfo[];
      try {
        fragments = reader.push(chunk);
      } catch (err) {
        if (!isMediaError(err)) throw err;
        result.tornTail = true;
        break;
      }
      for (const f of fragments) {
        const s = summarize(f, track.trackId, track.timescale);
        if (s !== undefined) result.fragments.push(s);
        result.wholeEndByte = f.endByte;
      }
    }
    // A malformed box loses the fragments completed in the same chunk: the tail is cut back to the
    // last fragment reported, never past it.
    if (!result.tornTail) result.tornTail = reader.end().tornTailAtByte !== undefined;
    return result;
  } finally {
    await fh.close();
  }
}
