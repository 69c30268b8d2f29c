// The recording writer on real files: fragments of at most 1 s (long GOPs split), files rotated by
// time and on a resolution change, rows matching files, every file playing in ffprobe/ffmpeg, a
// cut across files playing, and a host clock step starting a new run without stepping wall time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgressiveMp4, readMp4, type ProgressiveSample } from '@argus/media';
import { RecordingWriter, WriteBacklog } from '../src/ingest/index.js';
import { scanSegmentFile, unpackFragmentEntries } from '../src/storage/index.js';
import {
  FIXTURES,
  SteppableClock,
  clipFrame,
  loadClip,
  makeRecordingEnv,
  playbackErrors,
  probeVideo,
  type RecordingEnv,
} from './helpers/recording-fixture.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'argus-writer-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const clip = loadClip('sub-h264-still.mp4');

function writerFor(env: RecordingEnv, segmentDurationMs: number): RecordingWriter {
  return new RecordingWriter(env, {
    cameraId: env.cameraId,
    streamId: env.streamId,
    streamKind: 'main',
    locationId: env.location.id,
    segmentDurationMs,
  });
}

/** Pushes `count` frames of the looped clip in real time on the env's clock. */
function feed(env: RecordingEnv, writer: RecordingWriter, from: number, count: number, keyEvery = 1): void {
  for (let i = from; i < from + count; i++) {
    const au = clipFrame(clip, i);
    const isKey = au.isKey && (i / 25) % keyEvery === 0;
    writer.push(1, { ...au, isKey });
    env.clock.advance(clip.frameDuration90k / 90);
  }
}

describe('recording writer', () => {
  it('writes playable 1 s fragments, rotates files, and indexes exactly what is on disk', async () => {
    const dir = tmp();
    const env = await makeRecordingEnv(dir);
    const writer = writerFor(env, 60_000);
    writer.setTracks([clip.track]);
    feed(env, writer, 0, 25 * 150, 3); // 150 s with a key frame every 3 s
    await writer.stop();
    const segs = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(segs.length).toBe(3);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.startTime90k).toBe(segs[i - 1]!.endTime90k);
    const total = segs.reduce((a, s) => a + s.mediaDuration90k, 0);
    expect(total).toBe(150 * 90_000);
    for (const s of segs) {
      expect(s.open).toBe(false);
      const file = path.join(env.location.path, s.path);
      expect(s.path).toMatch(/^1\/2026-01-01\/20260101T12\d{4}\.\d{3}Z-main\.mp4$/);
      expect(playbackErrors(file)).toBe('');
      const scan = await scanSegmentFile(file);
      expect(scan.tornTail).toBe(false);
      expect(scan.fileSizeBytes).toBe(s.sizeBytes);
      expect(scan.fragments.length).toBe(s.fragmentCount);
      const index = unpackFragmentEntries(await env.catalog.recordings.segmentFragments(s.id));
      expect(index.map((f) => f.startByte)).toEqual(scan.fragments.map((f) => f.startByte));
      expect(Math.max(...index.map((f) => f.duration90k))).toBeLessThanOrEqual(90_000);
      // Key frames only every 3 s, so two of three fragments start without one (a split GOP).
      expect(index.filter((f) => !f.startsWithKey).length).toBeGreaterThan(index.length / 2);
      // Every fragment's prft holds its wall clock: fragment k starts k seconds after the file.
      for (const f of scan.fragments) expect(f.wallClockMs! * 90 - s.startTime90k).toBe(f.mediaOffset90k);
    }
    const t = await env.catalog.timeline.query({
      streamId: env.streamId,
      from90k: segs[0]!.startTime90k,
      to90k: segs[2]!.endTime90k,
      resolution90k: 1,
    });
    expect(t.recorded).toEqual([{ startTime90k: segs[0]!.startTime90k, endTime90k: segs[2]!.endTime90k }]);
    expect(t.gaps).toEqual([]);

    // A cut across two files (50 s .. 70 s of the run) as one progressive MP4.
    const from90k = segs[0]!.startTime90k + 50 * 90_000;
    const to90k = segs[0]!.startTime90k + 70 * 90_000;
    const samples: ProgressiveSample<Uint8Array>[] = [];
    for (const s of segs.slice(0, 2)) {
      const file = readMp4(readFileSync(path.join(env.location.path, s.path)));
      for (const x of file.samples) {
        const run90k = s.mediaStart90k + x.dtsTicks;
        samples.push({ ...x, dtsTicks: run90k, ptsTicks: run90k, sizeBytes: x.data.length, source: x.data });
      }
    }
    const run0 = segs[0]!.mediaStart90k;
    const startAt = run0 + 50 * 90_000;
    const firstKey = samples.findLastIndex((x) => x.isKey && x.dtsTicks <= startAt);
    const cutSamples = samples.slice(firstKey).filter((x) => x.dtsTicks < run0 + 70 * 90_000);
    const mp4 = buildProgressiveMp4({
      tracks: [{ track: clip.track, samples: cutSamples }],
      startTime90k: startAt,
    });
    const parts: Uint8Array[] = [];
    for await (const c of mp4.chunks((x) => x.source)) parts.push(c);
    const cutFile = path.join(dir, 'cut.mp4');
    writeFileSync(cutFile, Buffer.concat(parts));
    expect(playbackErrors(cutFile)).toBe('');
    expect(probeVideo(cutFile).durationS).toBeCloseTo((to90k - from90k) / 90_000, 1);
    env.catalog.close();
  });

  it('starts a new file when the resolution changes, at the next key frame', async () => {
    const env = await makeRecordingEnv(tmp());
    const writer = writerFor(env, 300_000);
    writer.setTracks([clip.track]);
    feed(env, writer, 0, 250);
    const main = loadClip('main-h264-still.mp4');
    writer.setTracks([main.track]);
    for (let i = 250; i < 500; i++) {
      writer.push(1, { ...clipFrame(main, i) });
      env.clock.advance(40);
    }
    await writer.stop();
    const segs = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(segs.map((s) => [s.width, s.height])).toEqual([
      [640, 360],
      [1920, 1080],
    ]);
    expect(segs[1]!.startTime90k).toBe(segs[0]!.endTime90k);
    for (const s of segs) {
      const file = path.join(env.location.path, s.path);
      expect(playbackErrors(file)).toBe('');
      expect(probeVideo(file).width).toBe(s.width);
    }
    env.catalog.close();
  });

  it('slews toward the host clock and starts a new run on a host clock step', async () => {
    const clock = new SteppableClock(Date.UTC(2026, 0, 1, 12));
    const env = await makeRecordingEnv(tmp(), { clock });
    const writer = writerFor(env, 300_000);
    writer.setTracks([clip.track]);
    // The camera's clock runs 0.2 % fast: 40 ms of media every 39.92 ms of host time.
    for (let i = 0; i < 25 * 60; i++) {
      writer.push(1, clipFrame(clip, i));
      clock.advance(39.92);
    }
    clock.step(3_600_000); // an hour forward, NTP-style
    for (let i = 25 * 60; i < 25 * 70; i++) {
      writer.push(1, clipFrame(clip, i));
      clock.advance(40);
    }
    await writer.stop();
    const runs = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(runs.length).toBe(2);
    expect(runs[0]!.runId).not.toBe(runs[1]!.runId);
    // Slewed at most 1000 ppm: 60 s of media took between 59.94 s and 60 s of wall time.
    const wall = runs[0]!.endTime90k - runs[0]!.startTime90k;
    expect(wall).toBeLessThan(60 * 90_000);
    expect(wall).toBeGreaterThanOrEqual(Math.floor(60 * 90_000 * 0.999));
    expect(runs[1]!.startTime90k - runs[0]!.endTime90k).toBeGreaterThan(3_590 * 90_000);
    expect(env.seen.some((e) => e.type === 'recording.clock-step')).toBe(true);
    const gaps = await env.catalog.gaps.list(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(gaps.map((g) => [g.cause, g.startTime90k, g.endTime90k])).toEqual([
      ['clock_step', runs[0]!.endTime90k, runs[1]!.startTime90k],
    ]);
    env.catalog.close();
  });

  it('a gap open for the schedule becomes a disk-full gap when the disk refuses the next run', async () => {
    const env = await makeRecordingEnv(tmp());
    const writer = writerFor(env, 60_000);
    writer.setTracks([clip.track]);
    const t0 = Math.round(env.clock.nowMs() * 90);
    feed(env, writer, 0, 25 * 4);
    await writer.endRun('schedule', 'schedule');
    const scheduleFrom = Math.round(env.clock.nowMs() * 90);
    env.clock.advance(10_000);
    env.registry.setStatus(env.location.id, { state: 'full', reason: 'only-locked', message: 'test' });
    const fullFrom = Math.round(env.clock.nowMs() * 90);
    feed(env, writer, 100, 25 * 2); // the schedule allows recording again; the disk does not
    env.clock.advance(5_000);
    env.registry.setStatus(env.location.id, { state: 'ok' });
    const okFrom = Math.round(env.clock.nowMs() * 90);
    feed(env, writer, 150, 25 * 2);
    await writer.stop();
    const gaps = await env.catalog.gaps.list(env.streamId, t0, Number.MAX_SAFE_INTEGER);
    expect(gaps.map((g) => g.cause)).toEqual(['schedule', 'disk_full']);
    expect(gaps[0]!.startTime90k).toBe(scheduleFrom);
    expect(gaps[0]!.endTime90k).toBe(fullFrom);
    expect(gaps[1]!.startTime90k).toBe(fullFrom);
    // The disk-full gap ends where the next run starts (at its first key frame).
    expect(gaps[1]!.endTime90k).toBeGreaterThanOrEqual(okFrom);
    expect(gaps[1]!.endTime90k).toBeLessThan(okFrom + 90_000 * 2);
    env.catalog.close();
  });
  it('ends the run when the disk falls behind the server-wide backlog, and resumes once it catches up', async () => {
    const run = async (limitBytes: number) => {
      const env = await makeRecordingEnv(tmp());
      const backlog = new WriteBacklog(limitBytes);
      const writer = new RecordingWriter(
        { ...env, backlog },
        { cameraId: env.cameraId, streamId: env.streamId, streamKind: 'main', locationId: env.location.id },
      );
      writer.setTracks([clip.track]);
      // Pushed without yielding: nothing reaches the disk meanwhile, as if it had stalled.
      feed(env, writer, 0, 25 * 6);
      const heldMax = backlog.bytes;
      await writer.flushed();
      expect(backlog.bytes).toBe(0);
      feed(env, writer, 150, 25 * 3); // the disk caught up: recording goes on
      await writer.stop();
      const gaps = await env.catalog.gaps.list(env.streamId, 0, Number.MAX_SAFE_INTEGER);
      const segs = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
      env.catalog.close();
      return { gaps, segs, heldMax, stats: writer.stats };
    };
    const roomy = await run(1 << 30);
    expect(roomy.gaps).toEqual([]);
    expect(new Set(roomy.segs.map((s) => s.runId)).size).toBe(1);
    // Room for about two seconds of this stream: the run ends at the next key frame past it, no new
    // run starts while the backlog is over, and one starts after it drained.
    const tight = await run(Math.round((roomy.heldMax / 6) * 2));
    expect(tight.heldMax).toBeLessThan(roomy.heldMax);
    expect(tight.gaps.map((g) => g.cause)).toEqual(['storage_error']);
    expect(tight.stats.droppedAccessUnits).toBeGreaterThan(0);
    const runs = [...new Set(tight.segs.map((s) => s.runId))];
    expect(runs.length).toBe(2);
    const gap = tight.gaps[0]!;
    const second = tight.segs.find((s) => s.runId === runs[1])!;
    expect(second.startTime90k).toBe(gap.endTime90k);
    expect(second.startTime90k).toBeGreaterThanOrEqual(gap.startTime90k);
  });

  it.each([0, 300])(
    'records an AAC track beside the video, in every file (audio ahead by %i ms)',
    async (leadMs) => {
      const env = await makeRecordingEnv(tmp());
      const writer = writerFor(env, 5_000);
      const m4a = readMp4(readFileSync(path.join(FIXTURES, 'audio-aac.m4a')));
      const info = m4a.tracks.find((t) => t.handlerType === 'soun')!;
      const audio = m4a.samples.filter((x) => x.trackId === info.trackId);
      writer.setTracks([clip.track, { trackId: 2, config: info.config! }]);
      let a = 0;
      for (let i = 0; i < 25 * 12; i++) {
        const v = clipFrame(clip, i);
        // Audio frames up to this video frame's time (plus the lead: a camera that sends audio
        // early), on the same origin (tick 0 = video pts 0).
        while (a < audio.length && (audio[a]!.ptsTicks * 90_000) / info.timescale <= v.pts90k + leadMs * 90) {
          const x = audio[a++]!;
          writer.push(2, {
            kind: 'audio',
            codec: 'aac',
            ptsTicks: x.ptsTicks,
            clockRate: info.timescale,
            data: x.data,
          });
        }
        writer.push(1, v);
        env.clock.advance(40);
      }
      await writer.stop();
      const segs = await env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
      expect(segs.length).toBe(3);
      for (const s of segs) {
        const file = path.join(env.location.path, s.path);
        expect(playbackErrors(file)).toBe('');
        const parsed = readMp4(readFileSync(file));
        expect(parsed.tracks.map((t) => t.handlerType)).toEqual(['vide', 'soun']);
        const aac = parsed.samples.filter((x) => x.trackId === 2);
        const frames = aac.length;
        // A file's audio starts with its video (time 0 = its first key frame) within one AAC frame,
        // and none of it lies before. Only the run's first file may start later, by the lead: audio
        // that arrives before the run's first key frame has nothing to be placed against.
        const video0 = parsed.samples.find((x) => x.trackId === 1)!.dtsTicks;
        expect(video0).toBe(0);
        expect(aac[0]!.dtsTicks).toBeGreaterThanOrEqual(0);
        // (The test pushes audio before the video of the same time, so even without a lead the
        // run's very first audio frame comes before its first key frame.)
        const lateBy = s === segs[0] ? (leadMs * info.timescale) / 1000 + 1024 : 0;
        expect(aac[0]!.dtsTicks, s.path).toBeLessThanOrEqual(lateBy + 1023);
        // As many 1024-sample AAC frames as the file's video lasts (less what came too early),
        // give or take the frame at each end.
        const expected = ((s.mediaDuration90k / 90_000) * info.timescale - lateBy) / 1024;
        expect(Math.abs(frames - expected), s.path).toBeLessThanOrEqual(2);
      }
      env.catalog.close();
    },
  );
});
