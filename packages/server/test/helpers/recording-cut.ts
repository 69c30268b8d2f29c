// Test helpers over a server's recordings: read the index (read-only, beside the running server),
// cut one MP4 from the segment files of a time range with our own progressive writer, and verify
// files with ffprobe/ffmpeg as independent decoders.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildProgressiveMp4, readMp4, type ProgressiveSample } from '@argus/media';
import { openSqlite, sqliteCatalog, type Catalog, type SegmentRecord } from '../../src/db/index.js';

const run = promisify(execFile);

export async function withCatalog<T>(dataDir: string, fn: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = sqliteCatalog(openSqlite(path.join(dataDir, 'catalog.sqlite'), { readonly: true }));
  try {
    return await fn(catalog);
  } finally {
    catalog.close();
  }
}

export async function segmentsOf(
  dataDir: string,
  cameraId: number,
  kind: 'main' | 'sub' = 'main',
): Promise<SegmentRecord[]> {
  return withCatalog(dataDir, async (c) => {
    const stream = await c.streams.find(cameraId, kind);
    if (stream === undefined) return [];
    return c.recordings.segmentsInRange(stream.id, 0, Number.MAX_SAFE_INTEGER);
  });
}

/**
 * One progressive MP4 of consecutive segments of one run: each file's samples are placed at their
 * run media time (segment.mediaStart90k), so the cut is continuous across file boundaries.
 */
export function cutMp4(
  recordingsDir: string,
  segments: readonly SegmentRecord[],
  out: string,
): { frames: number; durationS: number } {
  if (segments.length === 0) throw new Error('nothing to cut');
  const base90k = segments[0]!.mediaStart90k;
  let trackSpec:
    | {
        trackId: number;
        config: NonNullable<ReturnType<typeof readMp4>['tracks'][number]['config']>;
        timescale: number;
      }
    | undefined;
  const samples: ProgressiveSample<Uint8Array>[] = [];
  for (const seg of segments) {
    const file = readMp4(new Uint8Array(readFileSync(path.join(recordingsDir, seg.path))));
    const video = file.tracks.find((t) => t.handlerType === 'vide');
    if (video?.config === undefined) throw new Error(`${seg.path} has no video track`);
    trackSpec ??= { trackId: 1, config: video.config, timescale: video.timescale };
    const offset = Math.round(((seg.mediaStart90k - base90k) * video.timescale) / 90_000);
    for (const s of file.samples) {
      if (s.trackId !== video.trackId) continue;
      samples.push({
        dtsTicks: s.dtsTicks + offset,
        ptsTicks: s.ptsTicks + offset,
        durationTicks: s.durationTicks,
        isKey: s.isKey,
        sizeBytes: s.data.length,
        source: s.data,
      });
    }
  }
  const mp4 = buildProgressiveMp4({ tracks: [{ track: trackSpec!, samples }] });
  const bytes = new Uint8Array(mp4.totalSizeBytes);
  bytes.set(mp4.header, 0);
  for (const p of mp4.placements) bytes.set(p.sample.source, p.fileOffset);
  writeFileSync(out, bytes);
  const last = samples.at(-1)!;
  return {
    frames: samples.length,
    durationS: (last.dtsTicks + last.durationTicks - samples[0]!.dtsTicks) / trackSpec!.timescale,
  };
}

/** Decodes every frame with ffmpeg; returns its error output (empty = zero decode errors). */
export async function decodeErrors(file: string): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-'], {
    maxBuffer: 16 << 20,
  }).catch((err: { stderr?: string; message: string }) => ({ stderr: err.stderr ?? err.message }));
  return stderr.trim();
}

/** ffprobe's count of decodable video frames and the stream's size. */
export async function probeVideo(
  file: string,
): Promise<{ frames: number; width: number; height: number; codec: string }> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=nb_read_frames,width,height,codec_name',
    '-of',
    'json',
    file,
  ]);
  const s = (
    JSON.parse(stdout) as {
      streams: { nb_read_frames: string; width: number; height: number; codec_name: string }[];
    }
  ).streams[0]!;
  return { frames: Number(s.nb_read_frames), width: s.width, height: s.height, codec: s.codec_name };
}
