// Test helpers of the recording engine: access units from the simulator's fixture clips (real
// H.264 from ffmpeg), a catalog with one storage location and camera, and ffprobe/ffmpeg checks.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMp4, type Mp4TrackSpec, type VideoAccessUnit } from '@argus/media';
import { ManualClock, type Clock } from '../../src/base/index.js';
import { openSqliteCatalog, type Catalog, type StorageLocationRecord } from '../../src/db/index.js';
import {
  RecordingEventBus,
  StorageRegistry,
  createStorageLocation,
  type RecordingEvent,
} from '../../src/ingest/index.js';

export const FIXTURES = fileURLToPath(new URL('../../../../fixtures/simulator/', import.meta.url));

export interface Clip {
  track: Mp4TrackSpec;
  frames: VideoAccessUnit[];
  frameDuration90k: number;
  duration90k: number;
}

/** The video of a fixture clip as access units (pts from 0, 90 kHz). */
export function loadClip(name = 'sub-h264-still.mp4', fixturesDir = FIXTURES): Clip {
  const file = readMp4(readFileSync(path.join(fixturesDir, name)));
  const info = file.tracks.find((t) => t.handlerType === 'vide')!;
  const lengthSize = info.nalLengthSize ?? 4;
  const scale = 90_000 / info.timescale;
  const frames = file.samples
    .filter((s) => s.trackId === info.trackId)
    .map((s): VideoAccessUnit => {
      const nalus: Uint8Array[] = [];
      for (let p = 0; p + lengthSize <= s.data.length;) {
        let n = 0;
        for (let i = 0; i < lengthSize; i++) n = n * 256 + s.data[p + i]!;
        nalus.push(s.data.slice(p + lengthSize, p + lengthSize + n));
        p += lengthSize + n;
      }
      return { kind: 'video', codec: 'h264', pts90k: Math.round(s.ptsTicks * scale), isKey: s.isKey, nalus };
    });
  const frameDuration90k = frames[1]!.pts90k - frames[0]!.pts90k;
  return {
    track: { trackId: 1, config: info.config! },
    frames,
    frameDuration90k,
    duration90k: frames.length * frameDuration90k,
  };
}

/** The clip looped: frame i of the endless stream, pts continuing across loops. */
export function clipFrame(clip: Clip, i: number, ptsOrigin90k = 0): VideoAccessUnit {
  const f = clip.frames[i % clip.frames.length]!;
  const loop = Math.floor(i / clip.frames.length);
  return { ...f, pts90k: ptsOrigin90k + f.pts90k + loop * clip.duration90k };
}

export type TestClock = Clock & { advance(ms: number): void };

export interface RecordingEnv {
  catalog: Catalog;
  registry: StorageRegistry;
  events: RecordingEventBus;
  seen: RecordingEvent[];
  clock: TestClock;
  location: StorageLocationRecord;
  cameraId: number;
  streamId: number;
}

export async function makeRecordingEnv(
  dir: string,
  options: {
    storageDir?: string;
    floorBytes?: number;
    sizeLimitBytes?: number | null;
    retentionMs?: number;
    clock?: TestClock;
  } = {},
): Promise<RecordingEnv> {
  const clock = options.clock ?? new ManualClock(Date.UTC(2026, 0, 1, 12));
  mkdirSync(dir, { recursive: true });
  const catalog = openSqliteCatalog(path.join(dir, 'catalog.sqlite'));
  const location = await createStorageLocation(catalog, {
    name: 'test',
    path: options.storageDir ?? path.join(dir, 'recordings'),
    freeSpaceFloorBytes: options.floorBytes ?? 0,
    sizeLimitBytes: options.sizeLimitBytes ?? null,
    nowMs: clock.nowMs(),
  });
  const camera = await catalog.cameras.create({
    name: 'cam',
    storageLocationId: location.id,
    retentionMs: options.retentionMs ?? 30 * 86_400_000,
    nowMs: clock.nowMs(),
  });
  const stream = await catalog.streams.ensure(camera.id, 'main');
  const events = new RecordingEventBus();
  const seen: RecordingEvent[] = [];
  events.on((e) => seen.push(e));
  const registry = new StorageRegistry(catalog, events);
  await registry.openAll();
  return { catalog, registry, events, seen, clock, location, cameraId: camera.id, streamId: stream.id };
}

/** Errors ffprobe and a full ffmpeg decode report for a file ('' when it plays cleanly). */
export function playbackErrors(file: string): string {
  const probe = spawnSync('ffprobe', ['-v', 'error', file], { encoding: 'utf8' });
  const decode = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  const out = `${probe.stderr}${decode.stderr}`.trim();
  return probe.status === 0 && decode.status === 0 ? out : `exit ${probe.status}/${decode.status} ${out}`;
}

/** Duration (s) and frame count ffprobe reports for the first video stream. */
export function probeVideo(file: string): { durationS: number; frames: number; width: number } {
  const json = execFileSync(
    'ffprobe',
    [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames,width:format=duration',
      '-of',
      'json',
      file,
    ],
    { encoding: 'utf8' },
  );
  const parsed = JSON.parse(json) as {
    streams: { nb_read_frames: string; width: number }[];
    format: { duration: string };
  };
  return {
    durationS: Number(parsed.format.duration),
    frames: Number(parsed.streams[0]!.nb_read_frames),
    width: parsed.streams[0]!.width,
  };
}

/** A Clock whose wall time can step without the monotonic clock moving (host clock steps). */
export class SteppableClock implements Clock {
  private wall: number;
  private mono = 0;
  constructor(startMs: number) {
    this.wall = startMs;
  }
  nowMs(): number {
    return this.wall;
  }
  monotonicMs(): number {
    return this.mono;
  }
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
  step(ms: number): void {
    this.wall += ms;
  }
}
