// `argus record <rtsp-url> --out FILE.mp4 --duration S`: records a camera stream without
// transcoding into a fragmented MP4 (init + ~1 s fragments, playable even if interrupted), or with
// --faststart a progressive MP4 (moov first) rewritten from it at the end.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildProgressiveMp4,
  MediaError,
  openRtspStream,
  readMp4,
  recordToFmp4,
  type Fmp4RecordingResult,
  type ProgressiveSample,
} from '@argus/media';
import { UsageError, type CliIo } from './cli-io.js';
import {
  positiveNumber,
  rtspSource,
  SOURCE_FLAGS,
  SOURCE_FLAGS_HELP,
  streamFailure,
  type RtspSource,
} from './cmd-probe.js';

export const RECORD_HELP = `Usage: argus record <rtsp-url> --out FILE.mp4 --duration S [options]

Records the stream's video and audio tracks (H.264/H.265, AAC/G.711) as they are, without
transcoding, starting at the first key frame, for exactly S seconds of media. FILE.mp4 is a
fragmented MP4 written as it records (about one fragment per second), so an interrupted recording
still plays up to its last fragment; --faststart rewrites it at the end as a progressive MP4 with
the index first, for players that need one. An existing FILE is replaced. Ctrl-C stops early and
keeps what was recorded. Exit codes: 0 ok, 1 stream failure (with an ARGUS_ERR_* code), 2 usage.

Options:
  --out FILE          output file (required)
  --duration S        seconds of media to record (required)
${SOURCE_FLAGS_HELP}
  --faststart         write a progressive MP4 (moov first) instead of a fragmented one`;

export async function cmdRecord(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SOURCE_FLAGS,
      out: { type: 'string', short: 'o' },
      duration: { type: 'string' },
      faststart: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(RECORD_HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  if (values.out === undefined) throw new UsageError('--out FILE.mp4 is required');
  if (values.duration === undefined) throw new UsageError('--duration S is required');
  const durationSec = positiveNumber('duration', values.duration, 0, 7 * 24 * 3600);
  const source = await rtspSource(positionals[0], values, io);
  const out = path.resolve(io.cwd, values.out);
  const target = values.faststart ? `${out}.part` : out;

  const stream = openRtspStream(source.url, source.options);
  const fd = openSync(target, 'w');
  const recording = recordToFmp4(stream, fd, { maxDurationMs: durationSec * 1000, fragmentDurationMs: 1000 });
  const stop = (): void => void recording.stop();
  process.once('SIGINT', stop);
  // Waiting for the first key frame and the media itself: bounded by duration + the step timeout.
  const guard = setTimeout(stop, durationSec * 1000 + (source.options.timeoutMs ?? 10_000));
  let result: Fmp4RecordingResult;
  try {
    await stream.ready;
    result = await recording.done;
  } catch (err) {
    if (!(await recording.stop()).started) rmSync(target, { force: true });
    return streamFailure('record', err, source, io);
  } finally {
    clearTimeout(guard);
    process.removeListener('SIGINT', stop);
    await stream.close();
    closeSync(fd);
  }
  const failure = recordingFailure(result, durationSec);
  if (!result.started) {
    rmSync(target, { force: true });
  } else if (values.faststart) {
    try {
      writeProgressive(target, out);
    } catch (err) {
      return streamFailure('record', err, source, io);
    }
  }
  if (result.started) io.out(summaryLine(result, stream.stats.lost, values.out, source));
  if (failure) return streamFailure('record', failure, source, io);
  return 0;
}

/** The error to report for a recording that did not deliver what was asked (undefined: success). */
function recordingFailure(result: Fmp4RecordingResult, durationSec: number): MediaError | undefined {
  if (!result.started) {
    return (
      result.error ??
      new MediaError('ARGUS_ERR_STREAM_NO_MEDIA', 'no key frame arrived; nothing was recorded')
    );
  }
  const got = (result.durationMs / 1000).toFixed(2);
  switch (result.endReason) {
    case 'max-duration':
      return undefined;
    case 'stopped':
      return result.durationMs >= durationSec * 1000
        ? undefined
        : new MediaError(
            'ARGUS_ERR_STREAM_NO_MEDIA',
            `stopped after ${got} s of media; the file holds that part`,
          );
    case 'config-changed':
      return new MediaError(
        'ARGUS_ERR_STREAM_TRACK_CONFIG',
        `the camera changed its codec parameters after ${got} s; the file holds the part before`,
      );
    case 'stream-ended':
      return new MediaError(
        'ARGUS_ERR_STREAM_NO_MEDIA',
        `the source ended after ${got} s; the file holds that part`,
      );
    default:
      return result.error ?? new MediaError('ARGUS_ERR_STREAM_WRITE', `recording failed after ${got} s`);
  }
}

function summaryLine(result: Fmp4RecordingResult, lost: number, file: string, source: RtspSource): string {
  const tracks = result.tracks.map((t) => `${t.codec} ${t.samples} samples`).join(', ');
  const mb = (result.bytesWritten / 1e6).toFixed(2);
  return source.scrub(
    `recorded ${(result.durationMs / 1000).toFixed(2)} s from ${source.displayUrl} to ${file} ` +
      `(${tracks}; ${mb} MB; ${lost} packets lost)`,
  );
}

/** Rewrites the fragmented recording as a progressive MP4 (moov first, edit list to the first picture). */
function writeProgressive(fragmented: string, out: string): void {
  const file = readMp4(new Uint8Array(readFileSync(fragmented)));
  const tracks = file.tracks.map((t) => ({
    track: { trackId: t.trackId, config: t.config!, timescale: t.timescale },
    samples: file.samples
      .filter((s) => s.trackId === t.trackId)
      .map((s): ProgressiveSample<Uint8Array> => ({
        dtsTicks: s.dtsTicks,
        ptsTicks: s.ptsTicks,
        durationTicks: s.durationTicks,
        isKey: s.isKey,
        sizeBytes: s.data.length,
        source: s.data,
      })),
  }));
  const mp4 = buildProgressiveMp4({ tracks: tracks.filter((t) => t.samples.length > 0) });
  const bytes = new Uint8Array(mp4.totalSizeBytes);
  bytes.set(mp4.header, 0);
  for (const p of mp4.placements) bytes.set(p.sample.source, p.fileOffset);
  const tmp = `${out}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out);
  rmSync(fragmented, { force: true });
}
