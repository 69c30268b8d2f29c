// Shared by the interop recording tests: GStreamer mounts that serve a known number of frames
// (non-live sources with num-buffers, one pipeline per client) and tee the exact encoded stream
// they payload into a file, so "what was served" is an independent file ffprobe can count and
// whose NAL units/AAC frames our recording must contain byte for byte.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitAnnexB } from '../src/codec/index.js';
import type { MediaError } from '../src/media-error.js';
import { readMp4 } from '../src/mp4/index.js';
import {
  openRtspStream,
  recordToFmp4,
  type Fmp4RecordingResult,
  type OpenRtspStreamOptions,
  type RtspStreamStats,
  type StreamTrack,
  type StreamTrackStats,
} from '../src/stream/index.js';

export const FRAMES = 50; // 2 s at 25 fps
export const AAC_FRAMES = 94; // 2.005 s of 1024-sample frames at 48 kHz

const RAW = `video/x-raw,format=I420,width=320,height=240,framerate=25/1`;

/** Launch descriptions by mount path; `dir` receives the tee'd elementary streams. */
export function servedMounts(dir: string): Record<string, string> {
  const h264 = (n: number) =>
    `videotestsrc num-buffers=${FRAMES} pattern=ball ! ${RAW} ! x264enc bframes=2 key-int-max=25 ` +
    `speed-preset=ultrafast ! video/x-h264,profile=high ! tee name=tv tv. ! queue ! h264parse ` +
    `! video/x-h264,stream-format=byte-stream ! filesink location=${join(dir, 'h264.h264')} ` +
    `tv. ! queue ! rtph264pay name=pay${n} pt=96`;
  const h265 = (n: number) =>
    `videotestsrc num-buffers=${FRAMES} pattern=ball ! ${RAW} ! x265enc key-int-max=25 speed-preset=ultrafast ` +
    `! video/x-h265,stream-format=byte-stream ! tee name=tv tv. ! queue ! filesink location=${join(dir, 'h265.h265')} ` +
    `tv. ! queue ! rtph265pay name=pay${n} pt=96`;
  const aac = (n: number) =>
    `audiotestsrc num-buffers=${AAC_FRAMES} samplesperbuffer=1024 wave=sine ! audio/x-raw,rate=48000,channels=1 ` +
    `! voaacenc bitrate=64000 ! tee name=ta ta. ! queue ! aacparse ! audio/mpeg,stream-format=adts ` +
    `! filesink location=${join(dir, 'aac.adts')} ta. ! queue ! rtpmp4gpay name=pay${n} pt=97`;
  return {
    '/rec-h264': h264(0),
    '/rec-h265': h265(0),
    '/rec-aac': aac(0),
    '/rec-av': `${h264(0)} ${aac(1)}`,
  };
}

export interface Recorded {
  path: string;
  tracks: readonly StreamTrack[];
  result: Fmp4RecordingResult;
  stats: RtspStreamStats;
  trackStats: StreamTrackStats[];
  closeError: MediaError | undefined;
}

/** Records `url` until the source ends (RTCP BYE) or `limitMs`, into dir/name. */
export async function recordUntilEnd(
  url: string,
  dir: string,
  name: string,
  options: OpenRtspStreamOptions,
  limitMs = 15_000,
): Promise<Recorded> {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  const stream = openRtspStream(url, { dataTimeoutMs: 3000, ...options });
  const recording = recordToFmp4(stream, fd, { fragmentDurationMs: 1000 });
  const timer = setTimeout(() => void stream.close(), limitMs);
  try {
    const tracks = await stream.ready;
    const closeError = await stream.closed;
    const result = await recording.done;
    return {
      path,
      tracks,
      result,
      stats: stream.stats,
      trackStats: stream.activeTracks.map((p) => ({ ...p.stats })),
      closeError,
    };
  } finally {
    clearTimeout(timer);
    await stream.close();
    closeSync(fd);
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** VCL NAL units (slices) of an Annex B file, hex. */
export function servedSlices(file: string, codec: 'h264' | 'h265'): string[] {
  return splitAnnexB(new Uint8Array(readFileSync(file)))
    .filter((n) => isSlice(n, codec))
    .map(hex);
}

function isSlice(n: Uint8Array, codec: 'h264' | 'h265'): boolean {
  if (codec === 'h264') {
    const t = n[0]! & 0x1f;
    return t >= 1 && t <= 5;
  }
  return ((n[0]! >> 1) & 0x3f) < 32;
}

/** VCL NAL units of a recorded track, hex, in file (decode) order. */
export function recordedSlices(file: string, trackId: number, codec: 'h264' | 'h265'): string[] {
  const mp4 = readMp4(new Uint8Array(readFileSync(file)));
  const out: string[] = [];
  for (const s of mp4.samples.filter((x) => x.trackId === trackId)) {
    for (let p = 0; p + 4 <= s.data.length;) {
      const len = Buffer.from(s.data.buffer, s.data.byteOffset + p, 4).readUInt32BE(0);
      const nal = s.data.subarray(p + 4, p + 4 + len);
      if (isSlice(nal, codec)) out.push(hex(nal));
      p += 4 + len;
    }
  }
  return out;
}

/** Raw AAC frames (ADTS headers removed) of an ADTS file, hex. */
export function servedAacFrames(file: string): string[] {
  const adts = readFileSync(file);
  const out: string[] = [];
  for (let i = 0; i + 7 <= adts.length;) {
    const header = adts[i + 1]! & 1 ? 7 : 9;
    const size = ((adts[i + 3]! & 3) << 11) | (adts[i + 4]! << 3) | (adts[i + 5]! >> 5);
    out.push(adts.subarray(i + header, i + size).toString('hex'));
    i += size;
  }
  return out;
}

export function recordedAudioFrames(file: string, trackId: number): string[] {
  const mp4 = readMp4(new Uint8Array(readFileSync(file)));
  return mp4.samples.filter((s) => s.trackId === trackId).map((s) => hex(s.data));
}
