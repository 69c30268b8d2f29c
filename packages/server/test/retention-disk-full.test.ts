// Disk full on a real 40 MiB tmpfs with part of the footage locked: retention deletes the oldest
// unlocked segments first and never a locked byte; when only locked footage is left recording
// stops with an event and a disk_full gap, and resumes within 30 s once space returns. A write
// that hits ENOSPC is cut back to the last whole fragment and stops recording the same way.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingWriter, RetentionService } from '../src/ingest/index.js';
import {
  clipFrame,
  loadClip,
  makeRecordingEnv,
  playbackErrors,
  type RecordingEnv,
} from './helpers/recording-fixture.js';

const MiB = 1 << 20;
const dir = mkdtempSync(path.join(tmpdir(), 'argus-diskfull-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
  rmSync(dir, { recursive: true, force: true });
});

function tmpfs(name: string, size: string): string {
  const p = path.join(dir, name);
  mkdirSync(p);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', p]);
  mounts.push(p);
  return path.join(p, 'recordings');
}

const clip = loadClip('sub-h264-still.mp4');
// ~500 KB/s: each frame padded with an H.264 filler-data NAL unit (type 12), which decoders skip.
const filler = new Uint8Array(20_000).fill(0xff);
filler[0] = 0x0c;
filler[filler.length - 1] = 0x80;

function fatFrame(i: number) {
  const au = clipFrame(clip, i);
  return { ...au, nalus: [...au.nalus, filler] };
}

async function segments(env: RecordingEnv) {
  return env.catalog.recordings.segmentsInRange(env.streamId, 0, Number.MAX_SAFE_INTEGER);
}

describe('disk full', () => {
  it('deletes oldest unlocked first, never locked, stops when only locked is left, resumes', async () => {
    const storageDir = tmpfs('a', '40m');
    const env = await makeRecordingEnv(path.join(dir, 'a-db'), { storageDir, floorBytes: 10 * MiB });
    const writer = new RecordingWriter(env, {
      cameraId: env.cameraId,
      streamId: env.streamId,
      streamKind: 'main',
      locationId: env.location.id,
      segmentDurationMs: 10_000,
    });
    const retention = new RetentionService(env, { headroomBytes: 2 * MiB });
    writer.setTracks([clip.track]);
    let frame = 0;
    const record = async (seconds: number): Promise<void> => {
      for (let s = 0; s < seconds; s++) {
        for (let k = 0; k < 25; k++, frame++) {
          writer.push(1, fatFrame(frame));
          env.clock.advance(40);
        }
        await writer.flushed();
        if (frame % 50 === 0) await retention.runOnce(); // every 2 s
      }
    };
    await record(40);
    const first = await segments(env);
    const t0 = first[0]!.startTime90k;
    // Lock the first 20 s (two segments).
    await env.catalog.locks.create({
      cameraId: env.cameraId,
      startTime90k: t0 + 1,
      endTime90k: t0 + 20 * 90_000 - 1,
      reason: 'incident',
      nowMs: env.clock.nowMs(),
    });
    const locked = first.filter((s) => s.startTime90k < t0 + 20 * 90_000);
    expect(locked.length).toBe(2);
    await record(60); // 100 s * 0.5 MB/s > 30 MiB usable: space must be reclaimed
    const deleted = env.seen.filter((e) => e.type === 'retention.deleted');
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((e) => e.type === 'retention.deleted' && e.reason === 'space')).toBe(true);
    // Oldest unlocked first: what is left is the locked footage plus one unbroken newest stretch.
    const after = await segments(env);
    for (const s of locked) {
      expect(after.find((x) => x.id === s.id)?.sizeBytes).toBe(s.sizeBytes);
      expect(statSync(path.join(storageDir, s.path)).size).toBe(s.sizeBytes);
    }
    const unlocked = after.filter((s) => !locked.some((l) => l.id === s.id));
    for (let i = 1; i < unlocked.length; i++)
      expect(unlocked[i]!.startTime90k).toBe(unlocked[i - 1]!.endTime90k);
    const oldestDeleted = Math.max(
      ...deleted.map((e) => (e.type === 'retention.deleted' ? e.oldestDeletedTime90k : 0)),
    );
    expect(oldestDeleted).toBeLessThan(unlocked[0]!.startTime90k);

    // Lock everything: nothing can be deleted any more, recording must stop with an event.
    const everything = await env.catalog.locks.create({
      cameraId: env.cameraId,
      startTime90k: t0,
      endTime90k: env.clock.nowMs() * 90 + 3600 * 90_000,
      reason: 'investigation',
      nowMs: env.clock.nowMs(),
    });
    await record(30);
    const full = env.seen.find((e) => e.type === 'location.full');
    expect(full).toMatchObject({ reason: 'only-locked' });
    expect(writer.stats.state).toBe('blocked');
    const stoppedAt = env.clock.nowMs();
    const frozen = await segments(env);
    await record(5);
    expect((await segments(env)).length).toBe(frozen.length);
    for (const s of frozen) expect(statSync(path.join(storageDir, s.path)).size).toBe(s.sizeBytes);

    // Space returns (the lock is lifted): recording resumes within 30 s.
    await env.catalog.locks.delete(everything.id);
    const liftedAtMs = env.clock.nowMs();
    await record(30);
    const resumed = (await segments(env)).filter((s) => s.startTime90k > stoppedAt * 90);
    expect(resumed.length).toBeGreaterThan(0);
    expect(resumed[0]!.startTime90k / 90 - liftedAtMs).toBeLessThanOrEqual(30_000);
    expect(env.seen.some((e) => e.type === 'location.writable')).toBe(true);
    for (const s of locked) expect(statSync(path.join(storageDir, s.path)).size).toBe(s.sizeBytes);
    const t = await env.catalog.timeline.query({
      streamId: env.streamId,
      from90k: t0,
      to90k: env.clock.nowMs() * 90,
      resolution90k: 90_000,
    });
    expect(t.gaps.some((g) => g.cause === 'disk_full')).toBe(true);
    await writer.stop();
    for (const s of await segments(env)) expect(playbackErrors(path.join(storageDir, s.path))).toBe('');
    env.catalog.close();
  }, 60_000);

  it('a write that hits ENOSPC is cut back to whole fragments and recording stops there', async () => {
    const storageDir = tmpfs('b', '8m');
    const env = await makeRecordingEnv(path.join(dir, 'b-db'), { storageDir, floorBytes: 0 });
    const writer = new RecordingWriter(env, {
      cameraId: env.cameraId,
      streamId: env.streamId,
      streamKind: 'main',
      locationId: env.location.id,
      segmentDurationMs: 4_000,
    });
    writer.setTracks([clip.track]);
    for (let i = 0; i < 25 * 25; i++) {
      writer.push(1, fatFrame(i));
      env.clock.advance(40);
      if (i % 25 === 0) await writer.flushed();
    }
    await writer.flushed();
    expect(env.seen.find((e) => e.type === 'recording.write-error')).toMatchObject({
      code: 'ARGUS_ERR_STORAGE_FULL',
    });
    expect(env.seen.find((e) => e.type === 'location.full')).toMatchObject({ reason: 'write-failed' });
    expect(writer.stats.state).toBe('blocked');
    for (const s of await segments(env)) {
      expect(statSync(path.join(storageDir, s.path)).size).toBe(s.sizeBytes);
      expect(playbackErrors(path.join(storageDir, s.path))).toBe('');
    }
    const retention = new RetentionService(env, { headroomBytes: 2 * MiB });
    await retention.runOnce();
    expect(env.registry.isWritable(env.location.id)).toBe(true);
    const lastIdBefore = Math.max(0, ...(await segments(env)).map((s) => s.id));
    for (let i = 0; i < 50; i++) {
      writer.push(1, fatFrame(i));
      env.clock.advance(40);
    }
    await writer.stop();
    expect((await segments(env)).some((s) => s.id > lastIdBefore && s.fragmentCount > 0)).toBe(true);
    const gaps = await env.catalog.gaps.list(env.streamId, 0, Number.MAX_SAFE_INTEGER);
    expect(gaps.map((g) => g.cause)).toContain('disk_full');
    env.catalog.close();
  });
});
