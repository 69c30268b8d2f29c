// Test helpers for the MP4 tests: ffmpeg-made sources, ffprobe/ffmpeg verdicts, mp4box.js parsing,
// and remuxing a read file through our writers the way recording and download will.
import { execFileSync, spawnSync } from 'node:child_process';
import { Log, MP4BoxBuffer, createFile, type ISOFile, type Movie } from 'mp4box';
import {
  Fmp4Segmenter,
  buildProgressiveMp4,
  writeFmp4Init,
  type Mp4ReadResult,
  type Mp4Sample,
  type ProgressiveMp4Options,
  type ProgressiveSample,
} from '@argus/media';

export type SourceCodec = 'h264' | 'h265';

/** ffmpeg arguments for a testsrc2 + sine clip (the exact commands the fixtures README lists). */
export function sourceArgs(
  codec: SourceCodec,
  fragmented: boolean,
  out: string,
  o: { size?: string; seconds?: number; gop?: number } = {},
): string[] {
  const size = o.size ?? '320x240';
  const seconds = String(o.seconds ?? 2);
  const video =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']
      : ['-c:v', 'libx265', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p', '-tag:v', 'hvc1'];
  return [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', seconds,
    ...video,
    ...(o.gop === undefined ? [] : ['-g', String(o.gop)]),
    '-c:a', 'aac', '-b:a', '64k',
    ...(fragmented ? ['-movflags', 'frag_keyframe+empty_moov+default_base_moof'] : []),
    out,
  ]; // prettier-ignore
}

export function makeSource(
  codec: SourceCodec,
  fragmented: boolean,
  out: string,
  o?: { size?: string; seconds?: number; gop?: number },
): string {
  execFileSync('ffmpeg', sourceArgs(codec, fragmented, out, o), { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

export interface ProbeStream {
  codec_name: string;
  codec_type: string;
  width?: number;
  height?: number;
  nb_read_frames?: string;
  duration?: string;
  start_time?: string;
}

export interface Probe {
  streams: ProbeStream[];
  format: { duration: string; start_time: string };
}

export function ffprobe(path: string): Probe {
  const out = execFileSync(
    'ffprobe',
    ['-v', 'error', '-show_streams', '-show_format', '-count_frames', '-of', 'json', path],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as Probe;
}

/** Decodes every frame; returns exit status and everything ffmpeg printed at level error. */
export function ffmpegDecode(path: string): { status: number | null; stderr: string } {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

export interface Mp4boxParse {
  file: ISOFile;
  info: Movie | undefined;
  problems: string[];
}

/** Parses with mp4box.js, collecting every warning and error it reports. */
export function mp4boxParse(bytes: Uint8Array): Mp4boxParse {
  const problems: string[] = [];
  const saved = { warn: Log.warn, error: Log.error };
  Log.warn = (module: string, msg?: string) => void problems.push(`warn ${module}: ${msg ?? ''}`);
  Log.error = (module: string, msg?: string) => void problems.push(`error ${module}: ${msg ?? ''}`);
  try {
    const file = createFile();
    let info: Movie | undefined;
    file.onError = (module: string, msg: string) => void problems.push(`error ${module}: ${msg}`);
    file.onReady = (i: Movie) => (info = i);
    const copy = bytes.slice();
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy.buffer, 0));
    file.flush();
    // mp4box.js models prft as a single box and warns when a file has one per fragment.
    return { file, info, problems: problems.filter((m) => !/multiple boxes of type prft/.test(m)) };
  } finally {
    Log.warn = saved.warn;
    Log.error = saved.error;
  }
}

/** Splits 4-byte length-prefixed NAL units into views. */
export function splitNalus(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let p = 0; p + 4 <= data.length;) {
    const n = dv.getUint32(p);
    out.push(data.subarray(p + 4, p + 4 + n));
    p += 4 + n;
  }
  return out;
}

function byTime(src: Mp4ReadResult): Mp4Sample[] {
  const ts = new Map(src.tracks.map((t) => [t.trackId, t.timescale]));
  return src.samples
    .slice()
    .sort((a, b) => a.dtsTicks / (ts.get(a.trackId) ?? 1) - b.dtsTicks / (ts.get(b.trackId) ?? 1));
}

/**
 * Records `src` as our fMP4, as the recorder will: access units in time order, a fragment whenever
 * `fragmentMs` of video is queued (so GOPs are split), the last durations given at the end.
 */
export function remuxToFmp4(
  src: Mp4ReadResult,
  o: { fragmentMs: number; wallClockStartMs?: number },
): { bytes: Uint8Array; fragments: number } {
  const tracks = src.tracks.map((t) => {
    if (t.config === undefined) throw new Error(`track ${t.trackId} has no config`);
    return { trackId: t.trackId, config: t.config };
  });
  const video = src.tracks.find((t) => t.handlerType === 'vide');
  const videoId = video?.trackId ?? 0;
  const seg = new Fmp4Segmenter({ tracks });
  const parts: Uint8Array[] = [writeFmp4Init({ tracks })];
  let fragments = 0;
  const flush = (last: boolean): void => {
    const lastDurations = new Map<number, number>();
    if (last) {
      for (const t of src.tracks) {
        const s = src.samples.filter((x) => x.trackId === t.trackId).at(-1) as Mp4Sample;
        lastDurations.set(
          t.trackId,
          t.handlerType === 'vide' ? (s.durationTicks * 90_000) / t.timescale : s.durationTicks,
        );
      }
    }
    const wallClock =
      o.wallClockStartMs === undefined
        ? undefined
        : { trackId: videoId, unixMs: o.wallClockStartMs + fragments * o.fragmentMs };
    const f = seg.flush({ ...(last ? { lastDurations } : {}), ...(wallClock ? { wallClock } : {}) });
    if (f !== null) {
      parts.push(f.bytes);
      fragments++;
    }
  };
  for (const s of byTime(src)) {
    const t = src.tracks.find((x) => x.trackId === s.trackId);
    if (t === undefined) continue;
    if (t.handlerType === 'vide') {
      const to90k = (v: number): number => (v * 90_000) / t.timescale;
      seg.pushAccessUnit(t.trackId, {
        kind: 'video',
        codec: t.config?.codec === 'h265' ? 'h265' : 'h264',
        pts90k: to90k(s.ptsTicks),
        dts90k: to90k(s.dtsTicks),
        isKey: s.isKey,
        nalus: splitNalus(s.data),
      });
      if (seg.queuedDurationTicks(t.trackId) >= o.fragmentMs * 90) flush(false);
    } else {
      seg.pushAccessUnit(t.trackId, {
        kind: 'audio',
        codec: 'aac',
        ptsTicks: s.ptsTicks,
        clockRate: t.timescale,
        data: s.data,
      });
    }
  }
  flush(true);
  const total = parts.reduce((a, p) => a + p.length, 0);
  const bytes = new Uint8Array(total);
  let p = 0;
  for (const part of parts) {
    bytes.set(part, p);
    p += part.length;
  }
  return { bytes, fragments };
}

/**
 * Our progressive writer's input from a read file; the sample's bytes are its source. Times are
 * moved onto the presentation timeline by the source's edit list (ffmpeg shifts B-frame video and
 * AAC priming this way), so tick 0 is the same instant in every track, as the writer requires.
 */
export function progressiveInput(
  src: Mp4ReadResult,
  keep: (s: Mp4Sample, timescale: number) => boolean = () => true,
): ProgressiveMp4Options<Uint8Array>['tracks'] {
  return src.tracks.map((t) => {
    const edit = t.editList[0];
    const shift = t.editList.length === 1 && edit !== undefined && edit.mediaTime > 0 ? edit.mediaTime : 0;
    return {
      track: { trackId: t.trackId, config: t.config!, timescale: t.timescale },
      samples: src.samples
        .filter((s) => s.trackId === t.trackId && keep(s, t.timescale))
        .map((s): ProgressiveSample<Uint8Array> => ({
          dtsTicks: s.dtsTicks - shift,
          ptsTicks: s.ptsTicks - shift,
          durationTicks: s.durationTicks,
          isKey: s.isKey,
          sizeBytes: s.data.length,
          source: s.data,
        })),
    };
  });
}

/** Byte equality regardless of the view's class (Buffer or Uint8Array). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

export async function collect(gen: AsyncGenerator<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of gen) parts.push(c);
  const out = new Uint8Array(parts.reduce((a, c) => a + c.length, 0));
  let p = 0;
  for (const c of parts) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

export async function writeProgressive(options: ProgressiveMp4Options<Uint8Array>): Promise<Uint8Array> {
  const file = buildProgressiveMp4(options);
  const bytes = await collect(file.chunks((s) => s.source));
  if (bytes.length !== file.totalSizeBytes) throw new Error('size mismatch');
  return bytes;
}
