// Progressive ("faststart") MP4 for downloads (ISO/IEC 14496-12): ftyp, a complete moov with sample
// tables and an edit list (§8.6.6 elst) that starts presentation at an exact time inside the first
// GOP, then one mdat. The layout, and so the total size, is known before any sample byte is read;
// sample bytes are pulled one at a time through a callback, for whole files or HTTP byte ranges.
import { ByteWriter } from '../bytes/byte-writer.js';
import { MediaError } from '../media-error.js';
import { MOVIE_TIMESCALE, checkTracks } from './fmp4-init-writer.js';
import { writeFtyp, writeMvhd, writeTrak, type EditListEntry } from './movie-boxes-writer.js';
import { ARGUS_ERR_MP4_BAD_SAMPLES } from './mp4-error-codes.js';
import { trackTimescale, type Mp4TrackSpec } from './mp4-track-config.js';
import { writeSampleTables, type TableChunk } from './sample-tables-writer.js';

export interface ProgressiveSample<S> {
  dtsTicks: number;
  ptsTicks: number;
  durationTicks: number;
  isKey: boolean;
  sizeBytes: number;
  /** Whatever the read callback needs to fetch the bytes (file + offset, a buffer...). */
  source: S;
}

export interface ProgressiveTrackInput<S> {
  track: Mp4TrackSpec;
  /** Samples in decode order; video bytes are 4-byte length-prefixed NAL units. */
  samples: readonly ProgressiveSample<S>[];
}

export interface ProgressiveMp4Options<S> {
  /** Tick 0 must be the same instant in every track (times share an origin). */
  tracks: readonly ProgressiveTrackInput<S>[];
  /** First presented instant on the 90 kHz clock; default the earliest first pts of all tracks. */
  startTime90k?: number;
  /** Instant after the last presented one (90 kHz); default where the longest track ends. */
  endTime90k?: number;
  creationTimeMs?: number;
  /** Interleaving: the most media time one chunk of one track holds; default 1000 ms. */
  chunkDurationMs?: number;
}

/** One sample's place in the file. */
export interface SamplePlacement<S> {
  fileOffset: number;
  sample: ProgressiveSample<S>;
}

export type ReadSample<S> = (sample: ProgressiveSample<S>) => Uint8Array | Promise<Uint8Array>;

export interface ProgressiveMp4<S> {
  /** ftyp + moov + mdat header: the first header.length bytes of the file. */
  header: Uint8Array;
  totalSizeBytes: number;
  /** Samples in file order after the header. */
  placements: readonly SamplePlacement<S>[];
  /** The whole file: the header, then each sample's bytes in file order. */
  chunks(read: ReadSample<S>): AsyncGenerator<Uint8Array>;
  /** Bytes [start, endExclusive) of the file (HTTP Range), reading only the samples it touches. */
  range(start: number, endExclusive: number, read: ReadSample<S>): AsyncGenerator<Uint8Array>;
}

interface TrackLayout<S> {
  input: ProgressiveTrackInput<S>;
  timescale: number;
  chunks: TableChunk[];
  edits: EditListEntry[];
  mediaDuration: number;
  movieDuration: number;
}

function bad(msg: string): MediaError {
  return new MediaError(ARGUS_ERR_MP4_BAD_SAMPLES, msg);
}

function planEdits<S>(t: TrackLayout<S>, start90k: number, end90k: number): void {
  const s = t.input.samples;
  const firstDts = (s[0] as ProgressiveSample<S>).dtsTicks;
  let firstPts = Infinity;
  let endPts = -Infinity;
  for (const x of s) {
    firstPts = Math.min(firstPts, x.ptsTicks);
    endPts = Math.max(endPts, x.ptsTicks + x.durationTicks);
  }
  const ts = t.timescale;
  const start = Math.round((start90k * ts) / 90_000);
  const end = Math.min(endPts, Math.round((end90k * ts) / 90_000));
  const toMovie = (ticks: number): number => Math.round((ticks * MOVIE_TIMESCALE) / ts);
  const mediaStart = Math.max(start, firstPts);
  if (mediaStart > start) t.edits.push({ segmentDuration: toMovie(mediaStart - start), mediaTime: -1 });
  if (end > mediaStart)
    t.edits.push({ segmentDuration: toMovie(end - mediaStart), mediaTime: mediaStart - firstDts });
  t.movieDuration = t.edits.reduce((a, e) => a + e.segmentDuration, 0);
}

function layoutChunks<S>(
  tracks: TrackLayout<S>[],
  chunkDurationMs: number,
): Array<[TrackLayout<S>, TableChunk]> {
  const all: Array<[TrackLayout<S>, TableChunk, number]> = [];
  for (const t of tracks) {
    const s = t.input.samples;
    const maxTicks = (chunkDurationMs * t.timescale) / 1000;
    for (let i = 0; i < s.length;) {
      const startDts = (s[i] as ProgressiveSample<S>).dtsTicks;
      let j = i + 1;
      while (j < s.length && (s[j] as ProgressiveSample<S>).dtsTicks - startDts < maxTicks) j++;
      const chunk = { firstSample: i, sampleCount: j - i, fileOffset: 0 };
      t.chunks.push(chunk);
      all.push([t, chunk, startDts / t.timescale]);
      i = j;
    }
  }
  all.sort((a, b) => a[2] - b[2] || a[0].input.track.trackId - b[0].input.track.trackId);
  return all.map(([t, c]) => [t, c]);
}

function writeMoov<S>(tracks: TrackLayout<S>[], co64: boolean, creationTimeMs: number): Uint8Array {
  const w = new ByteWriter(4096);
  const moov = w.startBox('moov');
  const movieDuration = Math.max(...tracks.map((t) => t.movieDuration));
  const nextTrackId = Math.max(...tracks.map((t) => t.input.track.trackId)) + 1;
  writeMvhd(w, MOVIE_TIMESCALE, movieDuration, nextTrackId, creationTimeMs);
  for (const t of tracks) {
    const s = t.input.samples;
    writeTrak(w, {
      track: t.input.track,
      timescale: t.timescale,
      mediaDuration: t.mediaDuration,
      movieDuration: t.movieDuration,
      creationTimeMs,
      edits: t.edits,
      writeSampleTables: (tw) =>
        writeSampleTables(
          tw,
          s.map((x) => ({
            durationTicks: x.durationTicks,
            compositionOffsetTicks: x.ptsTicks - x.dtsTicks,
            isKey: x.isKey,
            sizeBytes: x.sizeBytes,
          })),
          t.chunks,
          co64,
        ),
    });
  }
  w.endBox(moov);
  return w.toUint8Array();
}

/** Lays out a progressive MP4. Only sizes and times are needed here; bytes come later. */
export function buildProgressiveMp4<S>(options: ProgressiveMp4Options<S>): ProgressiveMp4<S> {
  checkTracks(options.tracks.map((t) => t.track));
  const creationTimeMs = options.creationTimeMs ?? 0;
  const tracks: TrackLayout<S>[] = options.tracks.map((input) => {
    const s = input.samples;
    if (s.length === 0) throw bad(`track ${input.track.trackId} has no samples`);
    let mediaDuration = 0;
    for (let i = 0; i < s.length; i++) {
      const x = s[i] as ProgressiveSample<S>;
      if (!Number.isSafeInteger(x.dtsTicks) || !Number.isSafeInteger(x.ptsTicks))
        throw bad('non-integer time');
      if (!(x.durationTicks >= 0 && x.sizeBytes >= 0)) throw bad('negative duration or size');
      if (i > 0 && x.dtsTicks < (s[i - 1] as ProgressiveSample<S>).dtsTicks) throw bad('dts went backwards');
      mediaDuration += x.durationTicks;
    }
    return {
      input,
      timescale: trackTimescale(input.track),
      chunks: [],
      edits: [],
      mediaDuration,
      movieDuration: 0,
    };
  });
  const firstPts90k = (t: TrackLayout<S>): number => {
    let v = Infinity;
    for (const x of t.input.samples) v = Math.min(v, x.ptsTicks);
    return (v * 90_000) / t.timescale;
  };
  const end90kOf = (t: TrackLayout<S>): number => {
    let v = -Infinity;
    for (const x of t.input.samples) v = Math.max(v, x.ptsTicks + x.durationTicks);
    return (v * 90_000) / t.timescale;
  };
  const start90k = options.startTime90k ?? Math.min(...tracks.map(firstPts90k));
  const end90k = options.endTime90k ?? Math.max(...tracks.map(end90kOf));
  for (const t of tracks) planEdits(t, start90k, end90k);

  const order = layoutChunks(tracks, options.chunkDurationMs ?? 1000);
  let payloadSize = 0;
  for (const t of tracks) for (const x of t.input.samples) payloadSize += x.sizeBytes;
  const ftypW = new ByteWriter(64);
  const brands = [
    'isom',
    'iso2',
    ...(tracks.some((t) => t.input.track.config.codec === 'h264') ? ['avc1'] : []),
    'mp41',
  ];
  writeFtyp(ftypW, 'isom', 0x200, brands);
  const ftyp = ftypW.toUint8Array();
  const mdatHeaderSize = payloadSize + 8 > 0xffff_ffff ? 16 : 8;
  let co64 = false;
  let moovSize = writeMoov(tracks, false, creationTimeMs).length;
  if (ftyp.length + moovSize + mdatHeaderSize + payloadSize > 0xffff_ffff) {
    co64 = true;
    moovSize = writeMoov(tracks, true, creationTimeMs).length;
  }
  const headerSize = ftyp.length + moovSize + mdatHeaderSize;
  const placements: SamplePlacement<S>[] = [];
  let offset = headerSize;
  for (const [t, c] of order) {
    c.fileOffset = offset;
    for (let i = c.firstSample; i < c.firstSample + c.sampleCount; i++) {
      const sample = t.input.samples[i] as ProgressiveSample<S>;
      placements.push({ fileOffset: offset, sample });
      offset += sample.sizeBytes;
    }
  }
  const moov = writeMoov(tracks, co64, creationTimeMs);
  const header = new Uint8Array(headerSize);
  header.set(ftyp, 0);
  header.set(moov, ftyp.length);
  const dv = new DataView(header.buffer);
  const mdatAt = ftyp.length + moov.length;
  if (mdatHeaderSize === 16) {
    dv.setUint32(mdatAt, 1);
    dv.setUint32(mdatAt + 4, 0x6d646174);
    dv.setBigUint64(mdatAt + 8, BigInt(payloadSize + 16));
  } else {
    dv.setUint32(mdatAt, payloadSize + 8);
    dv.setUint32(mdatAt + 4, 0x6d646174);
  }
  return makeFile(header, offset, placements);
}

async function readChecked<S>(read: ReadSample<S>, sample: ProgressiveSample<S>): Promise<Uint8Array> {
  const bytes = await read(sample);
  if (bytes.length !== sample.sizeBytes) {
    throw bad(`sample source returned ${bytes.length} bytes, expected ${sample.sizeBytes}`);
  }
  return bytes;
}

function makeFile<S>(header: Uint8Array, total: number, placements: SamplePlacement<S>[]): ProgressiveMp4<S> {
  async function* range(
    start: number,
    endExclusive: number,
    read: ReadSample<S>,
  ): AsyncGenerator<Uint8Array> {
    const end = Math.min(endExclusive, total);
    if (!(start >= 0) || start >= end) return;
    if (start < header.length) yield header.subarray(start, Math.min(end, header.length));
    // Binary search for the first sample ending after `start`.
    let lo = 0;
    let hi = placements.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = placements[mid] as SamplePlacement<S>;
      if (p.fileOffset + p.sample.sizeBytes <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < placements.length; i++) {
      const p = placements[i] as SamplePlacement<S>;
      if (p.fileOffset >= end) break;
      if (p.sample.sizeBytes === 0) continue;
      const bytes = await readChecked(read, p.sample);
      const from = Math.max(0, start - p.fileOffset);
      const to = Math.min(bytes.length, end - p.fileOffset);
      yield from === 0 && to === bytes.length ? bytes : bytes.subarray(from, to);
    }
  }
  return {
    header,
    totalSizeBytes: total,
    placements,
    chunks: (read) => range(0, total, read),
    range,
  };
}
