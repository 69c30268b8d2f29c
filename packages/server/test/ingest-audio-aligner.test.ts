// AudioAligner: audio units placed on the video's clock from both tracks' RTCP sender reports
// (random RTP bases, 48 kHz audio onto 90 kHz video, units converted to the file's timescale), by
// arrival at the run start until then, never backwards within a run, nothing before the run's
// first video unit, a new anchor per run, and sender reports far from arrival taken as broken.
import fc from 'fast-check';
import {
  unixMsToNtp,
  type AudioAccessUnit,
  type RtpWallMapping,
  type StreamAccessUnit,
  type VideoAccessUnit,
} from '@argus/media';
import { describe, expect, it } from 'vitest';
import { AudioAligner, type AudioClockSource } from '../src/ingest/audio-aligner.js';

const V0 = 3_000_000_000; // video RTP time at wall T0 (extended, 90 kHz)
const A0 = 123_456_789; // audio RTP time at wall T0 (48 kHz)
const T0 = Date.UTC(2026, 0, 1);

function sr(wallMs: number, rtpTime: number, clockRate: number): RtpWallMapping {
  const { ntpSeconds, ntpFraction } = unixMsToNtp(wallMs);
  return { ssrc: 1, rtpTime, clockRate, ntpSeconds, ntpFraction, ntpTimeMs: wallMs, receivedAtMs: undefined };
}

/** A unit with the wall time its stream gives it (NaN: none usable). */
function video(
  pts90k: number,
  isKey: boolean,
  senderReport?: RtpWallMapping,
  wallTimeMs = Number.NaN,
): [StreamAccessUnit, VideoAccessUnit] {
  const au: VideoAccessUnit = { kind: 'video', codec: 'h264', pts90k, isKey, nalus: [] };
  const unit: StreamAccessUnit = {
    trackIndex: 0,
    info: { kind: 'video', codec: 'h264', codecString: 'avc1', clockRate: 90_000 },
    accessUnit: au,
    wallTimeMs,
    senderReport,
  };
  return [unit, au];
}

function audio(
  ptsTicks: number,
  senderReport?: RtpWallMapping,
  wallTimeMs = Number.NaN,
): [StreamAccessUnit, AudioAccessUnit] {
  const au: AudioAccessUnit = {
    kind: 'audio',
    codec: 'aac',
    ptsTicks,
    clockRate: 48_000,
    data: new Uint8Array(1),
  };
  const unit: StreamAccessUnit = {
    trackIndex: 1,
    info: { kind: 'audio', codec: 'aac', codecString: 'mp4a.40.2', clockRate: 48_000 },
    accessUnit: au,
    wallTimeMs,
    senderReport,
  };
  return [unit, au];
}

/** Starts a run at a video key picture of wall time wallMs (recorded by the writer). */
function startRun(
  al: AudioAligner,
  wallMs: number,
  receivedAtMs: number,
  senderReport?: RtpWallMapping,
  unitWallMs = Number.NaN,
): void {
  const [u, au] = video(V0 + (wallMs - T0) * 90, true, senderReport, unitWallMs);
  al.observeVideo(u, au, receivedAtMs);
  al.videoRecorded(true, au, receivedAtMs);
}

const audioAt = (wallMs: number, rate = 48_000): number => A0 + ((wallMs - T0) * rate) / 1000;

describe('AudioAligner', () => {
  it('maps audio through both sender reports onto the video clock, in the file timescale', () => {
    const al = new AudioAligner();
    const videoSr = sr(T0, V0, 90_000);
    const audioSr = sr(T0 + 500, audioAt(T0 + 500), 48_000);
    // Arrival says nothing useful here (audio arrives 300 ms late); the reports decide.
    startRun(al, T0 + 1000, 50_000, videoSr);
    const [u, au] = audio(audioAt(T0 + 1000), audioSr);
    expect(al.place(u, au, 50_300, 48_000)).toBe(((V0 + 90_000) * 48_000) / 90_000);
    const [u2, au2] = audio(audioAt(T0 + 1000) + 1024, audioSr);
    expect(al.place(u2, au2, 50_310, 48_000)).toBe(((V0 + 90_000) * 48_000) / 90_000 + 1024);
    // Explicit unit conversion: the same instant in a 90 kHz timescale is the video's time.
    const [u3, au3] = audio(audioAt(T0 + 1100), audioSr);
    expect(al.place(u3, au3, 50_400, 90_000)).toBe(V0 + 99_000);
    expect(al.sourceOf(1)).toBe('rtcp');
  });

  it('before any report, uses the wall times the stream gives both tracks, then follows RTP time', () => {
    const sources: Array<[AudioClockSource, number | undefined]> = [];
    const al = new AudioAligner({ onSource: (_i, s, shift) => sources.push([s, shift]) });
    // The stream's anchors (host clock, its own origin H): video of T0 + 1000 at H + 1000.
    const H = 5_000_000;
    startRun(al, T0 + 1000, 10_000, undefined, H + 1000);
    // Audio of T0 + 1020 arrives 150 ms after the key picture (its encoder is slower): the stream's
    // wall times still put it 20 ms after the key picture.
    const [u, au] = audio(audioAt(T0 + 1020), undefined, H + 1020);
    const placed0 = al.place(u, au, 10_150, 48_000)!;
    expect(placed0).toBe(Math.round(((V0 + 90_000) * 48_000) / 90_000 + 0.02 * 48_000));
    for (let i = 1; i <= 3; i++) {
      const [ui, aui] = audio(audioAt(T0 + 1020) + i * 1024, undefined, H + 5000); // wall ignored now
      expect(al.place(ui, aui, 10_150 + i * 30, 48_000)).toBe(placed0 + i * 1024);
    }
    expect(sources).toEqual([['stream', undefined]]);
  });

  it('anchors by arrival at the run start when only one track has a report, then follows RTP time', () => {
    const sources: Array<[AudioClockSource, number | undefined]> = [];
    const al = new AudioAligner({ onSource: (_i, s, shift) => sources.push([s, shift]) });
    // Video already has a report (its wall times are the camera's), audio not yet (host anchors).
    startRun(al, T0 + 1000, 10_000, sr(T0, V0, 90_000), T0 + 1000);
    // First audio unit arrives 30 ms after the key picture: placed 30 ms after it.
    const first = audioAt(T0 + 7777); // its own RTP time says nothing about the video's
    const [u, au] = audio(first, undefined, 123);
    const placed0 = al.place(u, au, 10_030, 48_000)!;
    expect(placed0).toBe(Math.round(((V0 + 90_000) * 48_000) / 90_000 + 0.03 * 48_000));
    // Later units: their RTP spacing, whatever the arrival jitter.
    for (let i = 1; i <= 5; i++) {
      const [ui, aui] = audio(first + i * 1024);
      expect(al.place(ui, aui, 10_030 + i * 21 + (i % 2) * 15, 48_000)).toBe(placed0 + i * 1024);
    }
    expect(sources).toEqual([['arrival', undefined]]);
  });

  it('switches to the reports without going backwards, and tells how far it moved', () => {
    const sources: Array<[AudioClockSource, number | undefined]> = [];
    const al = new AudioAligner({ onSource: (_i, s, shift) => sources.push([s, shift]) });
    startRun(al, T0, 0, undefined, 1000);
    // The stream's first arrivals put audio of wall T0 80 ms late (no RTP-Info; its first packet
    // came 80 ms after the video's).
    const placed: number[] = [];
    for (let i = 0; i < 10; i++) {
      const [u, au] = audio(A0 + i * 1024, undefined, 1080 + (i * 1024) / 48);
      const p = al.place(u, au, 80 + i * 21.3, 48_000);
      if (p !== undefined) placed.push(p);
    }
    const base = (V0 * 48_000) / 90_000;
    expect(placed[0]).toBe(base + 0.08 * 48_000);
    // Both reports arrive: the truth is 80 ms earlier. Units that would go back are dropped.
    const videoSr = sr(T0, V0, 90_000);
    const audioSr = sr(T0, A0, 48_000);
    const [vu, vau] = video(V0 + 10 * 3600, false, videoSr);
    al.observeVideo(vu, vau, 480);
    al.videoRecorded(true, vau, 480);
    const after: Array<number | undefined> = [];
    for (let i = 10; i < 20; i++) {
      const [u, au] = audio(A0 + i * 1024, audioSr);
      after.push(al.place(u, au, 80 + i * 21.3, 48_000));
    }
    const kept = after.filter((x): x is number => x !== undefined);
    expect(after.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(kept[0]).toBe(base + 13 * 1024);
    const all = [...placed, ...kept];
    for (let i = 1; i < all.length; i++) expect(all[i]!).toBeGreaterThan(all[i - 1]!);
    expect(sources).toEqual([
      ['stream', undefined],
      ['rtcp', -80],
    ]);
  });

  it('drops audio outside a run and before its first video unit; each run has its own anchor', () => {
    const al = new AudioAligner();
    const [u0, au0] = audio(A0);
    expect(al.place(u0, au0, 0, 48_000)).toBeUndefined();
    startRun(al, T0 + 1000, 1000);
    // Audio that arrived with the key picture but belongs before it (by the reports) is dropped.
    const videoSr = sr(T0, V0, 90_000);
    const audioSr = sr(T0, A0, 48_000);
    const [vu, vau] = video(V0 + 90_000, false, videoSr);
    al.observeVideo(vu, vau, 1000);
    const [u1, au1] = audio(audioAt(T0 + 900), audioSr);
    expect(al.place(u1, au1, 1000, 48_000)).toBeUndefined();
    const [u2, au2] = audio(audioAt(T0 + 1000), audioSr);
    expect(al.place(u2, au2, 1000, 48_000)).toBe(((V0 + 90_000) * 48_000) / 90_000);
    // The writer refused a video unit: the run is over.
    const [vu2, vau2] = video(V0 + 93_600, false);
    al.observeVideo(vu2, vau2, 1040);
    al.videoRecorded(false, vau2, 1040);
    expect(al.inRun).toBe(false);
    const [u3, au3] = audio(audioAt(T0 + 1040));
    expect(al.place(u3, au3, 1040, 48_000)).toBeUndefined();
    // A new run (no reports on this source yet): anchored anew by arrival.
    startRun(al, T0 + 5000, 5000);
    const [u4, au4] = audio(audioAt(T0 + 5000) + 999_999);
    expect(al.place(u4, au4, 5010, 48_000)).toBe(Math.round(((V0 + 450_000) * 48_000) / 90_000 + 480));
  });

  it('takes reports or stream anchors far from the arrival times as broken and keeps arrival', () => {
    const al = new AudioAligner();
    const videoSr = sr(T0, V0, 90_000);
    const audioSr = sr(T0 + 3_600_000, A0, 48_000); // the audio's NTP clock is an hour off
    startRun(al, T0, 0, videoSr);
    const [u, au] = audio(A0, audioSr);
    expect(al.place(u, au, 20, 48_000)).toBe(Math.round((V0 * 48_000) / 90_000 + 0.02 * 48_000));
    expect(al.sourceOf(1)).toBe('arrival');
    // No reports, but the stream's wall times disagree with arrival by a minute.
    const al2 = new AudioAligner();
    startRun(al2, T0, 0, undefined, 1000);
    const [u2, au2] = audio(A0, undefined, 61_000);
    expect(al2.place(u2, au2, 20, 48_000)).toBe(Math.round((V0 * 48_000) / 90_000 + 0.02 * 48_000));
    expect(al2.sourceOf(1)).toBe('arrival');
  });

  it('never places a unit at or before the previous one of its run (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('video' as const), recorded: fc.boolean() }),
            fc.record({
              kind: fc.constant('audio' as const),
              jitterMs: fc.integer({ min: -30, max: 200 }),
              anchorErrorMs: fc.integer({ min: -200, max: 200 }),
            }),
            fc.record({ kind: fc.constant('sr' as const), errorMs: fc.integer({ min: -300, max: 300 }) }),
          ),
          { maxLength: 300 },
        ),
        (events) => {
          const al = new AudioAligner();
          let wallMs = T0;
          let videoSr: RtpWallMapping | undefined;
          let audioSr: RtpWallMapping | undefined;
          let last = Number.NEGATIVE_INFINITY;
          let runStart: number | undefined;
          for (const e of events) {
            wallMs += 10;
            if (e.kind === 'sr') {
              videoSr = sr(wallMs, V0 + (wallMs - T0) * 90, 90_000);
              audioSr = sr(wallMs + e.errorMs, audioAt(wallMs), 48_000);
            } else if (e.kind === 'video') {
              const [u, au] = video(V0 + (wallMs - T0) * 90, true, videoSr, wallMs);
              al.observeVideo(u, au, wallMs + 50);
              const wasInRun = al.inRun;
              al.videoRecorded(e.recorded, au, wallMs + 50);
              if (!e.recorded) {
                runStart = undefined;
                last = Number.NEGATIVE_INFINITY;
              } else if (!wasInRun) runStart = ((V0 + (wallMs - T0) * 90) * 48_000) / 90_000;
            } else {
              const [u, au] = audio(Math.round(audioAt(wallMs)), audioSr, wallMs + e.anchorErrorMs);
              const p = al.place(u, au, wallMs + e.jitterMs, 48_000);
              if (p === undefined) continue;
              expect(runStart).toBeDefined();
              expect(p).toBeGreaterThanOrEqual(Math.round(runStart!));
              expect(p).toBeGreaterThan(last);
              expect(Number.isInteger(p)).toBe(true);
              last = p;
            }
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
